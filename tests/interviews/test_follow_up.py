import pytest
from django.core import mail
from django.urls import reverse

from interviews.models import FollowUp
from tests.charter.conftest import make_published

from .factories import HighlightFactory, InterviewFactory, StakeholderFactory


@pytest.fixture
def person(team):
    return StakeholderFactory(team=team, contact="nina@shop.test", language="fr", name="Nina")


def _url(person):
    return reverse("interviews:followup", args=[person.team.slug, person.pk])


def test_the_follow_up_goes_once_in_their_language_with_the_point(
    member_client, person, team, manager, django_capture_on_commit_callbacks
):
    point = make_published(team, manager).points.first()
    other = InterviewFactory(team=team)
    HighlightFactory(interview=other, text="Words of another client")
    data = {"message": "We now call back before noon.", "point": str(point.lineage)}
    with django_capture_on_commit_callbacks(execute=True):  # the outbox is sent after commit
        response = member_client.post(_url(person), data)
    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if m.to == ["nina@shop.test"]]
    assert message.to == ["nina@shop.test"]
    assert "Ce que nous avons changé" in message.subject
    assert point.statement in message.body and "before noon" in message.body
    assert "another client" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(_url(person), data)
    assert response.status_code == 200
    assert len([m for m in mail.outbox if m.to == ["nina@shop.test"]]) == 1
    assert FollowUp.objects.count() == 1


def test_a_contact_that_is_not_an_address_is_refused_and_nothing_is_recorded(member_client, team):
    person = StakeholderFactory(team=team, contact="+33 6 12 34 56 78")
    response = member_client.post(_url(person), {"message": "Changed"})
    assert response.status_code == 200
    assert "not an e-mail address" in response.content.decode()
    assert not FollowUp.objects.exists() and not mail.outbox
