import pytest
from django.urls import reverse

from coaching import services
from coaching.models import PracticeAttempt, Situation
from coaching.practice import BUILT_IN

pytestmark = pytest.mark.django_db


def test_the_built_in_situations_cover_the_three_of_the_method():
    assert {p.key for p in BUILT_IN} >= {"tone", "first-question", "coordination"}
    for practice in BUILT_IN:
        assert len(practice.responses) >= 3
        assert any(r.works for r in practice.responses)
        assert all(r.why for r in practice.responses)


def test_the_situations_read_in_french(manager_client, team):
    manager_client.cookies.load({"django_language": "fr"})
    page = manager_client.get(
        reverse("coaching:practice", args=[team.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Des collègues se plaignent du ton de quelqu’un" in page


def test_choosing_a_response_says_why_and_a_manager_may_try_again(manager_client, team, manager):
    url = reverse("coaching:situation", args=[team.slug, "first-question"])
    wrong = manager_client.post(url, {"choice": "3"}).content.decode()
    assert "This does not work" in wrong and "Try again" in wrong
    practice = manager_client.get(reverse("coaching:practice", args=[team.slug]))
    assert "first-question" not in practice.context["done"]
    right = manager_client.post(url, {"choice": "2"}).content.decode()
    assert "This works" in right
    practice = manager_client.get(reverse("coaching:practice", args=[team.slug]))
    assert "first-question" in practice.context["done"]
    assert PracticeAttempt.objects.filter(user=manager).count() == 2


def test_an_org_admin_adds_a_situation_of_their_own_and_retires_it(manager_client, team):
    url = reverse("coaching:situations", args=[team.organisation.slug])
    data = {
        "title": "A client shouts on the phone",
        "setting": "A member tells you a client shouted at them. What do you do?",
        "response_1": "Tell them to toughen up",
        "why_1": "It dismisses what happened.",
        "response_2": "Listen, then look together at what the client needed",
        "works_2": "on",
        "why_2": "It starts from the facts and the client's need.",
    }
    assert manager_client.post(url, data).status_code == 302
    situation = Situation.objects.get()
    assert [r.works for r in situation.responses.all()] == [False, True]
    practice_url = reverse("coaching:practice", args=[team.slug])
    assert "A client shouts on the phone" in manager_client.get(practice_url).content.decode()
    manager_client.post(
        reverse("coaching:situation_retire", args=[team.organisation.slug, situation.pk])
    )
    assert "A client shouts on the phone" not in manager_client.get(practice_url).content.decode()


def test_a_situation_without_a_response_that_works_is_refused(manager_client, team):
    url = reverse("coaching:situations", args=[team.organisation.slug])
    data = {"title": "T", "setting": "S", "response_1": "A", "why_1": "a", "response_2": "B"}
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"works_1", "why_2"}
    assert not Situation.objects.exists()


def test_another_organisations_situation_is_not_found(lead_client, team, outsider, manager):
    other = Situation.objects.create(
        organisation=outsider.memberships.get().team.organisation, title="X", setting="Y"
    )
    url = reverse("coaching:situation", args=[team.slug, other.key])
    assert lead_client.get(url).status_code == 404
    services.situation_retire(situation=other)
