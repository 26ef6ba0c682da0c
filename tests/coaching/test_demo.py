import pytest
from django.core import mail
from django.core.management import call_command

from coaching.models import (
    CoachingMoment,
    ModellingFeedback,
    Objective,
    OneToOne,
    PracticeAttempt,
    Situation,
)

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_part_of_coaching_and_sends_no_mail():
    call_command("seed_demo", verbosity=0)
    objective = Objective.objects.get()
    assert objective.is_agreed and objective.revisions.count() == 3
    assert objective.progress.count() == 3
    assert OneToOne.objects.filter(next_on__isnull=False).exists()
    assert PracticeAttempt.objects.filter(works=True).count() >= 3
    assert Situation.objects.exists()
    assert CoachingMoment.objects.count() >= 5
    assert ModellingFeedback.objects.filter(author__isnull=True).exists()
    assert not mail.outbox
