import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import Note, Objective, OneToOne
from notifications.models import Reminder
from teams.models import OrganisationMember, Role
from tests.factories import MembershipFactory

from .factories import OneToOneFactory, answered, make_objective

pytestmark = pytest.mark.django_db

WORDING = {
    "statement": "Every internal request gets a first answer the same day",
    "measure": "personal",
    "unit": "hours",
    "direction": "lower",
    "target": "8",
    "frequency": "weekly",
}


def _review_on() -> str:
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def talk(team, manager, member):
    return OneToOneFactory(team=team, manager=manager, member=member)


def test_a_manager_opens_a_one_to_one_with_a_member(manager_client, team, member):
    url = reverse("coaching:start", args=[team.slug])
    response = manager_client.post(
        url, {"member": member.pk, "held_on": timezone.localdate().isoformat()}
    )
    talk = OneToOne.objects.get()
    assert response.status_code == 302
    assert (talk.manager.display_name, talk.member) == ("Maud Manager", member)


def test_a_one_to_one_with_someone_outside_the_team_is_refused(manager_client, team, outsider):
    url = reverse("coaching:start", args=[team.slug])
    response = manager_client.post(
        url, {"member": outsider.pk, "held_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert not OneToOne.objects.exists()


def test_the_member_answers_first_and_the_manager_cannot_answer_for_them(
    manager_client, member_client, talk
):
    url = reverse("coaching:answer", args=[talk.team.slug, talk.pk])
    assert manager_client.post(url, {"client_view": "Imposed"}).status_code == 403
    assert member_client.post(url, {"client_view": "A clear answer"}).status_code == 302
    talk.refresh_from_db()
    assert talk.client_view == "A clear answer" and talk.client_view_at


def test_no_objective_before_the_member_answered(talk, manager):
    with pytest.raises(ValidationError):
        services.objective_propose(
            one_to_one=talk, by=manager, review_on=timezone.localdate(), **WORDING
        )


def test_an_objective_is_agreed_only_when_both_accepted_the_same_wording(
    talk, manager, member, manager_client, member_client
):
    answered(talk)
    url = reverse("coaching:objective_new", args=[talk.team.slug, talk.pk])
    assert manager_client.post(url, {**WORDING, "review_on": _review_on()}).status_code == 302
    objective = Objective.objects.get()
    assert not objective.is_agreed  # the manager cannot impose it

    # The member changes the wording: the manager's acceptance of the first one is void.
    edit = reverse("coaching:objective_edit", args=[talk.team.slug, objective.pk])
    changed = {**WORDING, "target": "4", "review_on": _review_on()}
    assert member_client.post(edit, changed).status_code == 302
    objective.refresh_from_db()
    assert objective.current.number == 2 and not objective.is_agreed

    accept = reverse("coaching:objective_accept", args=[talk.team.slug, objective.pk])
    manager_client.post(accept, {"number": "1"})  # read an old wording
    objective.refresh_from_db()
    assert not objective.is_agreed
    manager_client.post(accept, {"number": "2"})
    objective.refresh_from_db()
    assert objective.is_agreed and objective.agreed_revision.target == 4
    assert objective.revisions.count() == 2  # every change keeps its history


def test_agreement_plans_one_review_reminder_for_each_of_the_two(talk, manager, member):
    answered(talk)
    review_on = timezone.localdate() + datetime.timedelta(days=10)
    objective = services.objective_propose(
        one_to_one=talk, by=member, review_on=review_on, **WORDING
    )
    services.objective_accept(objective=objective, by=manager, number=1)
    services.objective_review_remind(objective=Objective.objects.get())  # planned twice
    rows = Reminder.objects.filter(kind=Reminder.Kind.COACHING_REVIEW)
    assert sorted(rows.values_list("user_id", flat=True)) == sorted([manager.pk, member.pk])
    assert {r.due_at.date() for r in rows} == {review_on}


def test_a_new_review_date_cancels_the_pending_reminders_of_the_old_one(talk, manager, member):
    objective = make_objective(answered(talk), agreed=True)
    services.objective_review_remind(objective=objective)
    services.objective_revise(
        objective=objective,
        by=member,
        **{**WORDING, "review_on": timezone.localdate() + datetime.timedelta(days=60)},
    )
    objective.refresh_from_db()
    services.objective_accept(objective=objective, by=manager, number=2)
    statuses = sorted(Reminder.objects.values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "pending", "pending"]


def test_the_review_email_names_the_objective_and_the_other_person(talk, manager, member):
    from coaching.reminders import review_message

    objective = make_objective(answered(talk), agreed=True)
    services.objective_review_remind(objective=objective)
    reminder = Reminder.objects.get(user=member)
    subject, body, _ = review_message(reminder)
    assert "Maud" in subject and "Answer within a day" in body


@pytest.mark.parametrize("who", ["lead", "second_manager", "other_member"])
def test_nobody_else_reads_a_one_to_one_not_even_an_org_admin(who, talk, team, lead, client):
    others = {
        "lead": lambda: lead,
        "second_manager": lambda: MembershipFactory(team=team, role=Role.MANAGER).user,
        "other_member": lambda: MembershipFactory(team=team, role=Role.MEMBER).user,
    }
    person = others[who]()
    OrganisationMember.objects.filter(user=person).update(is_admin=True)
    objective = make_objective(answered(talk))
    client.force_login(person)
    for url in (
        reverse("coaching:one_to_one", args=[team.slug, talk.pk]),
        reverse("coaching:objective", args=[team.slug, objective.pk]),
    ):
        assert client.get(url).status_code == 404
    home = client.get(reverse("coaching:home", args=[team.slug]))
    assert reverse("coaching:one_to_one", args=[team.slug, talk.pk]) not in home.content.decode()
    assert not list(home.context["talks"])
    assert all(m.last_met is None for m in home.context["people"] or [])


def test_private_notes_stay_with_their_author_in_later_conversations(
    team, manager, member, member_client, manager_client
):
    first = answered(
        OneToOneFactory(
            team=team,
            manager=manager,
            member=member,
            held_on=timezone.localdate() - datetime.timedelta(days=30),
        )
    )
    Note.objects.create(one_to_one=first, author=manager, body="Shared thought", private=False)
    Note.objects.create(one_to_one=first, author=manager, body="Manager only", private=True)
    second = OneToOneFactory(team=team, manager=manager, member=member)
    url = reverse("coaching:one_to_one", args=[team.slug, second.pk])
    as_member = member_client.get(url).content.decode()
    as_manager = manager_client.get(url).content.decode()
    assert "Shared thought" in as_member and "Manager only" not in as_member
    assert "Manager only" in as_manager


def test_the_next_conversation_shows_progress_since_the_last_one(
    team, manager, member, member_client
):
    first = answered(
        OneToOneFactory(
            team=team,
            manager=manager,
            member=member,
            held_on=timezone.localdate() - datetime.timedelta(days=30),
        )
    )
    objective = make_objective(first, agreed=True)
    services.progress_add(objective=objective, author=member, status="on_track", body="Faster now")
    second = OneToOneFactory(team=team, manager=manager, member=member)
    page = member_client.get(reverse("coaching:one_to_one", args=[team.slug, second.pk]))
    assert "Faster now" in page.content.decode()


def test_the_member_home_page_lists_their_one_to_ones_and_objectives(member_client, talk):
    make_objective(answered(talk), statement="Call back within the hour")
    page = member_client.get(reverse("home")).content.decode()
    assert "Call back within the hour" in page
    assert reverse("coaching:one_to_one", args=[talk.team.slug, talk.pk]) in page


def test_a_wording_without_what_its_measure_needs_is_refused_next_to_the_field(
    manager_client, talk
):
    answered(talk)
    url = reverse("coaching:objective_new", args=[talk.team.slug, talk.pk])
    response = manager_client.post(
        url, {"statement": "Be kinder", "measure": "indicator", "review_on": _review_on()}
    )
    assert response.status_code == 200
    assert "indicator" in response.context["form"].errors
    assert "Be kinder" in response.content.decode()


def test_the_one_to_one_page_reads_in_a_constant_number_of_queries(
    team, manager, member, manager_client, django_assert_max_num_queries
):
    for days in (90, 60, 30):
        earlier = answered(
            OneToOneFactory(
                team=team,
                manager=manager,
                member=member,
                held_on=timezone.localdate() - datetime.timedelta(days=days),
            )
        )
        Note.objects.create(one_to_one=earlier, author=member, body="note")
        objective = make_objective(earlier, agreed=True)
        services.progress_add(objective=objective, author=member, status="on_track", body="ok")
    talk = OneToOneFactory(team=team, manager=manager, member=member)
    with django_assert_max_num_queries(16):
        assert (
            manager_client.get(
                reverse("coaching:one_to_one", args=[team.slug, talk.pk])
            ).status_code
            == 200
        )


def test_the_manager_attaches_an_observation_of_the_team_as_a_fact(manager_client, talk):
    from charter.models import Observation

    observation = Observation.objects.create(
        team=talk.team, author=talk.member, reaction="Thanked us twice", behaviour="Called back"
    )
    url = reverse("coaching:fact", args=[talk.team.slug, talk.pk])
    assert manager_client.post(url, {"observation": observation.pk}).status_code == 302
    page = manager_client.get(reverse("coaching:one_to_one", args=[talk.team.slug, talk.pk]))
    assert "Thanked us twice" in page.content.decode()


def test_an_empty_fact_is_refused_next_to_the_field(manager_client, talk):
    url = reverse("coaching:fact", args=[talk.team.slug, talk.pk])
    response = manager_client.post(url, {"text": ""})
    assert response.status_code == 200
    assert "text" in response.context["fact_form"].errors


def test_the_review_reminder_goes_out_once_through_the_reminder_machinery(talk, member):
    from django.core import mail

    from notifications.services import reminder_send

    objective = make_objective(answered(talk), agreed=True)
    services.objective_review_remind(objective=objective)
    reminder = Reminder.objects.get(user=member)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now())
    assert reminder_send(reminder_id=reminder.pk) is True
    assert reminder_send(reminder_id=reminder.pk) is False  # a second delivery sends nothing
    assert len(mail.outbox) == 1 and "Answer within a day" in mail.outbox[0].body


def test_the_home_page_lists_objectives_in_a_constant_number_of_queries(
    team, manager, member, member_client, django_assert_num_queries
):
    def home_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(reverse("home")).status_code == 200
        return len(captured)

    talk = answered(OneToOneFactory(team=team, manager=manager, member=member))
    objective = make_objective(talk, agreed=True)
    services.progress_add(objective=objective, author=member, status="on_track", body="ok")
    one = home_queries()
    for _ in range(4):
        more = make_objective(talk, agreed=True)
        services.progress_add(objective=more, author=member, status="at_risk", body="hm")
    assert home_queries() == one


def test_the_waiting_manager_page_polls_cheaply_then_reloads_on_the_answer(manager_client, talk):
    url = reverse("coaching:one_to_one", args=[talk.team.slug, talk.pk])
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "waiting-for-answer"}
    assert 'id="waiting-for-answer"' in manager_client.get(url).content.decode()
    assert manager_client.get(url, **poll).status_code == 204
    answered(talk)
    response = manager_client.get(url, **poll)
    assert response.headers["HX-Refresh"] == "true"


def test_the_manager_sees_whom_they_have_not_met_yet_in_constant_queries(
    team, manager, member, lead, manager_client, django_assert_max_num_queries
):
    OneToOneFactory(team=team, manager=manager, member=member)
    for _ in range(5):
        MembershipFactory(team=team)
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("coaching:home", args=[team.slug]))
    people = list(response.context["people"])
    assert people[-1].user == member and people[-1].last_met
    assert all(m.last_met is None for m in people[:-1]) and len(people) == 7


def test_the_database_refuses_an_agreement_on_an_older_wording(talk, member):
    from django.db import IntegrityError, transaction

    objective = make_objective(answered(talk), agreed=True)
    first = objective.current
    services.objective_revise(
        objective=objective, by=member, **{**WORDING, "review_on": timezone.localdate()}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.filter(pk=objective.pk).update(agreed_revision=first)
