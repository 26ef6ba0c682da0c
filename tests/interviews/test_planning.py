import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from interviews import services
from interviews.models import Guide, Interview
from notifications.models import Reminder
from notifications.services import reminder_send
from tests.factories import ClientGroupFactory

from .factories import InterviewFactory, StakeholderFactory


@pytest.fixture
def stakeholder(team):
    return StakeholderFactory(team=team, client_group__kind="internal", name="Inès Interne")


def _plan_data(stakeholder, interviewer, days=3):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {
        "stakeholder": stakeholder.pk,
        "interviewer": interviewer.pk,
        "day": day.isoformat(),
        "at": "10:30",
        "duration_minutes": 45,
    }


def test_member_plans_an_interview_with_the_guide_of_their_kind(member_client, stakeholder, lead):
    url = reverse("interviews:plan", args=[stakeholder.team.slug])
    response = member_client.post(url, _plan_data(stakeholder, lead))
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert interview.interviewer == lead
    # No guide yet: the two starters are added and the internal one is chosen.
    assert interview.guide.kind == "internal"
    assert set(Guide.objects.values_list("kind", flat=True)) == {"internal", "external"}
    assert interview.scheduled_at.astimezone(ZoneInfo("Europe/Paris")).hour == 10


def test_planning_queues_the_invitation_and_the_day_before_reminder_once(stakeholder, manager):
    interview = services.interview_plan(
        team=stakeholder.team,
        by=manager,
        stakeholder=stakeholder,
        interviewer=manager,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
    )
    services.interview_reminders_plan(interview=interview)  # again: nothing more
    rows = Reminder.objects.filter(kind="interview", user=manager)
    assert sorted(rows.values_list("offset_minutes", flat=True)) == [0, 24 * 60]


def test_a_new_date_cancels_the_old_reminders_and_queues_new_ones(stakeholder, manager, lead):
    interview = services.interview_plan(
        team=stakeholder.team,
        by=manager,
        stakeholder=stakeholder,
        interviewer=manager,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
    )
    services.interview_reschedule(
        interview=interview,
        scheduled_at=timezone.now() + datetime.timedelta(days=5),
        interviewer=lead,
    )
    pending = Reminder.objects.filter(kind="interview", status=Reminder.Status.PENDING)
    assert set(pending.values_list("user", flat=True)) == {lead.pk}
    assert Reminder.objects.filter(kind="interview", status="cancelled", user=manager).count() == 2
    assert interview.sequence == 1


def test_the_reminder_email_carries_the_ics_event_without_the_persons_name(stakeholder, manager):
    interview = services.interview_plan(
        team=stakeholder.team,
        by=manager,
        stakeholder=stakeholder,
        interviewer=manager,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
    )
    row = Reminder.objects.get(kind="interview", offset_minutes=0)
    assert reminder_send(reminder_id=row.pk)
    assert not reminder_send(reminder_id=row.pk)  # exactly once
    (message,) = mail.outbox
    name, ics, _mime = message.attachments[0]
    assert name == "interview.ics"
    text = ics.decode() if isinstance(ics, bytes) else ics
    assert f"interview-{interview.pk}@" in text
    assert "Inès" not in text
    assert stakeholder.client_group.name in message.subject


def test_a_finished_interview_sends_no_reminder(stakeholder, manager):
    interview = services.interview_plan(
        team=stakeholder.team,
        by=manager,
        stakeholder=stakeholder,
        interviewer=manager,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
    )
    services.interview_finish(interview=interview)
    assert not Reminder.objects.filter(kind="interview", status="pending").exists()


def test_the_ics_download_is_an_event_of_the_interview(member_client, team, member):
    interview = InterviewFactory(team=team, interviewer=member)
    response = member_client.get(
        reverse("interviews:interview_ics", args=[team.slug, interview.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_the_interviewer_must_belong_to_the_team(stakeholder, manager, outsider):
    with pytest.raises(Exception, match="member of the team"):
        services.interview_plan(
            team=stakeholder.team,
            by=manager,
            stakeholder=stakeholder,
            interviewer=outsider,
            scheduled_at=timezone.now(),
        )


def test_a_date_two_years_ahead_is_refused_next_to_the_field(member_client, stakeholder, lead):
    url = reverse("interviews:plan", args=[stakeholder.team.slug])
    data = _plan_data(stakeholder, lead, days=800)
    response = member_client.post(url, data)
    assert response.status_code == 200
    assert "Choose a day up to" in response.content.decode()
    assert not Interview.objects.exists()


def test_a_stakeholder_of_another_teams_group_cannot_be_added(member_client, team):
    other = ClientGroupFactory()
    url = reverse("interviews:stakeholder_create", args=[team.slug])
    response = member_client.post(url, {"name": "X", "client_group": other.pk, "language": "en"})
    assert response.status_code == 200
    assert not team.stakeholders.exists()


@pytest.mark.parametrize(("language", "word"), [("en", "recent"), ("fr", "un échange récent")])
def test_the_starter_guides_speak_the_language_of_who_adds_them(team, language, word):
    services.guides_default_create(team=team, language=language)
    texts = " ".join(q.text for g in team.interview_guides.all() for q in g.questions.all()).lower()
    assert word in texts
    translation.activate("en")


def test_a_belief_is_tied_to_a_keyword_of_the_vocabulary(member_client, team):
    url = reverse("interviews:beliefs", args=[team.slug])
    member_client.post(url, {"keyword": "Responsive ", "statement": "Answers within the hour"})
    belief = team.client_beliefs.get()
    assert belief.keyword.label == "Responsive"
    assert team.keywords.filter(normalised="responsive").exists()


def test_the_area_lists_done_interviews_latest_first(member_client, team):
    now = timezone.now()
    for days, name in ((30, "Older"), (5, "Newer"), (60, "Oldest")):
        InterviewFactory(
            team=team,
            status="done",
            stakeholder__name=name,
            scheduled_at=now - datetime.timedelta(days=days),
        )
    page = member_client.get(reverse("interviews:home", args=[team.slug])).content.decode()
    done = page[page.index("Done") :]
    assert done.index("Newer") < done.index("Older") < done.index("Oldest")
