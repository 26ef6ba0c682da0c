import datetime

import factory
from django.utils import timezone

from coaching.models import Objective, ObjectiveRevision, OneToOne
from tests.factories import TeamFactory, UserFactory


class OneToOneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OneToOne

    team = factory.SubFactory(TeamFactory)
    manager = factory.SubFactory(UserFactory)
    member = factory.SubFactory(UserFactory)
    held_on = factory.LazyFunction(timezone.localdate)


def answered(talk: OneToOne, text: str = "A clear answer the same day") -> OneToOne:
    talk.client_view, talk.client_view_at = text, timezone.now()
    talk.save()
    return talk


def make_objective(talk: OneToOne, *, agreed: bool = False, statement: str = "Answer within a day"):
    objective = Objective.objects.create(
        team=talk.team, manager=talk.manager, member=talk.member, one_to_one=talk
    )
    now = timezone.now()
    revision = ObjectiveRevision.objects.create(
        objective=objective,
        number=1,
        statement=statement,
        measure="personal",
        unit="hours",
        direction="lower",
        target=24,
        frequency="weekly",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        written_by=talk.manager,
        manager_accepted_at=now,
        member_accepted_at=now if agreed else None,
    )
    objective.current = revision
    objective.agreed_revision = revision if agreed else None
    objective.save()
    return objective
