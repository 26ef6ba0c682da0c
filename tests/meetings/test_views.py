from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import agenda, services
from meetings.models import AgendaItem, Occurrence, SteeringMeeting
from notifications.models import Reminder

from .factories import first_occurrence, past_occurrence

HTMX = {"HTTP_HX_REQUEST": "true"}


def _schedule_data(**overrides) -> dict:
    data = {
        "title": "Weekly steering",
        "frequency": "weekly",
        "custom_rule": "",
        "start_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "start_time": "09:30",
        "duration_minutes": "45",
        "location": "https://meet.example.com/desk",
        "everyone": "on",
        "reminder_offsets": ["1440", "60"],
    }
    data.update(overrides)
    return data


def test_a_manager_schedules_a_series_in_the_team_time_zone(
    manager_client, team, lead, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("meetings:create", args=[team.slug]), _schedule_data()
        )
    assert response.status_code == 302
    meeting = SteeringMeeting.objects.get()
    assert (meeting.time_zone, meeting.rrule) == ("Europe/Paris", meeting.rrule)
    local = first_occurrence(meeting).starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (9, 30)
    invitations = [m for m in mail.outbox if "Invitation: Weekly steering" in m.subject]
    assert len(invitations) == 3
    assert "method=REQUEST" in invitations[0].attachments[0][2]


def test_a_bad_custom_rule_re_renders_the_form_with_an_error(manager_client, team):
    response = manager_client.post(
        reverse("meetings:create", args=[team.slug]),
        _schedule_data(frequency="custom", custom_rule="FREQ=SOMETIMES;BYDAY=XX"),
    )
    assert response.status_code == 200
    assert "not a valid recurrence rule" in response.content.decode()
    assert not SteeringMeeting.objects.exists()


def test_a_custom_rule_schedules_the_series(manager_client, team):
    response = manager_client.post(
        reverse("meetings:create", args=[team.slug]),
        _schedule_data(frequency="custom", custom_rule="RRULE:FREQ=MONTHLY;BYDAY=-1FR"),
    )
    assert response.status_code == 302
    meeting = SteeringMeeting.objects.get()
    assert meeting.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert {
        o.starts_at.astimezone(ZoneInfo("Europe/Paris")).weekday()
        for o in meeting.occurrences.all()
    } == {4}


def test_chosen_participants_are_required_when_not_the_whole_team(manager_client, team):
    data = _schedule_data()
    del data["everyone"]
    response = manager_client.post(reverse("meetings:create", args=[team.slug]), data)
    assert response.status_code == 200
    assert "Choose the participants" in response.content.decode()


def test_the_meeting_list_shows_series_coming_meetings_and_history(
    member_client, meeting, django_assert_max_num_queries
):
    past = past_occurrence(meeting)
    services.minutes_save(
        occurrence=past,
        where_we_stand="Fine",
        what_works="",
        holding_back="",
        decisions="",
        attendees=[],
    )
    url = reverse("meetings:list", args=[meeting.team.slug])
    with django_assert_max_num_queries(12):
        response = member_client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Weekly steering" in body and "Meeting history" in body
    assert reverse("meetings:occurrence", args=[meeting.team.slug, past.pk]) in body
    assert "/calendar/" in body
    assert "Schedule a meeting" not in body  # members do not schedule


def test_the_meeting_list_query_count_does_not_grow_with_meetings(
    member_client, team, meeting, django_assert_max_num_queries
):
    from .factories import weekly_meeting

    for n in range(3):
        weekly_meeting(team, title=f"Series {n}")
        past_occurrence(meeting, days_ago=7 * (n + 2))
    with django_assert_max_num_queries(12):
        assert member_client.get(reverse("meetings:list", args=[team.slug])).status_code == 200


def test_the_history_pages_and_answers_htmx_with_the_fragment(
    member_client, meeting, django_assert_max_num_queries
):
    for n in range(25):
        past_occurrence(meeting, days_ago=n + 1)
    url = reverse("meetings:history", args=[meeting.team.slug])
    with django_assert_max_num_queries(10):
        full = member_client.get(url)
    assert "<html" in full.content.decode() and "Page 1 of 2" in full.content.decode()
    fragment = member_client.get(url + "?page=2", **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="history"') and "<html" not in fragment


def test_the_occurrence_page_shows_the_agenda_and_minutes(
    member_client, meeting, member, django_assert_max_num_queries
):
    occurrence = first_occurrence(meeting)
    for n in range(5):
        services.agenda_item_add(occurrence=occurrence, author=member, text=f"Point {n}")
    url = reverse("meetings:occurrence", args=[meeting.team.slug, occurrence.pk])
    with django_assert_max_num_queries(14):
        response = member_client.get(url)
    body = response.content.decode()
    assert "Point 4" in body and "Where we stand" in body and "What is holding us back" in body
    assert "Send the minutes" not in body  # a member cannot send them
    assert reverse("meetings:move", args=[meeting.team.slug, occurrence.pk]) not in body


def test_an_item_is_added_with_htmx_and_the_agenda_fragment_comes_back(
    member_client, meeting, member
):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:item_add", args=[meeting.team.slug, occurrence.pk])
    response = member_client.post(url, {"text": "Late deliveries"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="agenda"') and "Late deliveries" in body
    assert AgendaItem.objects.get().author == member


def test_an_empty_item_re_renders_the_fragment_with_an_error(member_client, meeting):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:item_add", args=[meeting.team.slug, occurrence.pk])
    response = member_client.post(url, {"text": ""}, **HTMX)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    full = member_client.post(url, {"text": ""})
    assert full.status_code == 200 and "<html" in full.content.decode()


def test_an_item_is_added_without_javascript_too(member_client, meeting):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:item_add", args=[meeting.team.slug, occurrence.pk])
    response = member_client.post(url, {"text": "Survey"})
    assert response.status_code == 302
    assert response.url == reverse("meetings:occurrence", args=[meeting.team.slug, occurrence.pk])


def test_a_member_cannot_remove_someone_elses_item(member_client, lead_client, meeting, lead):
    occurrence = first_occurrence(meeting)
    item = services.agenda_item_add(occurrence=occurrence, author=lead, text="Mine")
    url = reverse("meetings:item_delete", args=[meeting.team.slug, occurrence.pk, item.pk])
    assert member_client.post(url).status_code == 403
    assert lead_client.post(url, **HTMX).status_code == 200
    assert not AgendaItem.objects.exists()


def test_minutes_and_attendance_are_saved_with_htmx(member_client, meeting, member, lead):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:minutes", args=[meeting.team.slug, occurrence.pk])
    data = {
        "where_we_stand": "Response time on target",
        "what_works": "Pairing",
        "holding_back": "Tooling",
        "decisions": "Try the new macro",
        "attendees": [member.pk, lead.pk],
    }
    response = member_client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="minutes"')
    occurrence.refresh_from_db()
    assert occurrence.decisions == "Try the new macro"
    assert set(occurrence.attendees.all()) == {member, lead}


def test_attendance_only_accepts_participants(member_client, meeting, outsider):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:minutes", args=[meeting.team.slug, occurrence.pk])
    response = member_client.post(url, {"attendees": [outsider.pk]}, **HTMX)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not occurrence.attendees.exists()


def test_a_lead_sends_the_minutes_once(lead_client, meeting, django_capture_on_commit_callbacks):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:minutes_send", args=[meeting.team.slug, occurrence.pk])
    lead_client.post(url)
    assert not Reminder.objects.filter(kind="minutes").exists()  # nothing written yet
    services.minutes_save(
        occurrence=occurrence,
        where_we_stand="Good",
        what_works="",
        holding_back="",
        decisions="",
        attendees=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url, **HTMX)
    assert (
        response.status_code == 200
        and "Minutes sent to 3 participants" in response.content.decode()
    )
    lead_client.post(url)
    assert len([m for m in mail.outbox if "Minutes:" in m.subject]) == 3


def _minutes(occurrence, **overrides):
    values = {
        "where_we_stand": "Good",
        "what_works": "",
        "holding_back": "",
        "decisions": "Call back within the day",
        "attendees": [],
    }
    values.update(overrides)
    services.minutes_save(occurrence=occurrence, **values)


def test_corrected_minutes_can_be_sent_again(
    lead_client, meeting, django_capture_on_commit_callbacks
):
    occurrence = first_occurrence(meeting)
    page_url = reverse("meetings:occurrence", args=[meeting.team.slug, occurrence.pk])
    send_url = reverse("meetings:minutes_send", args=[meeting.team.slug, occurrence.pk])
    _minutes(occurrence)
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(send_url)
    assert "Send the corrected minutes" not in lead_client.get(page_url).content.decode()
    _minutes(occurrence)  # saved again, unchanged: nothing to correct
    assert "Send the corrected minutes" not in lead_client.get(page_url).content.decode()
    _minutes(occurrence, decisions="Call back within two hours")
    assert "Send the corrected minutes" in lead_client.get(page_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(send_url, **HTMX)
    assert "Corrected minutes sent to 3 participants" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(send_url)  # twice: still once
    corrected = [m for m in mail.outbox if "Corrected minutes:" in m.subject]
    assert len(mail.outbox) == len(corrected) == 3
    assert "Call back within two hours" in corrected[0].body
    assert "correct" in corrected[0].body
    assert Reminder.objects.filter(kind="minutes", status="sent").count() == 6


def test_minutes_sent_for_the_first_time_after_a_correction_are_not_called_corrected(
    meeting, member, lead, django_capture_on_commit_callbacks
):
    occurrence = first_occurrence(meeting)
    _minutes(occurrence)
    _minutes(occurrence, decisions="Something else")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_send(occurrence=occurrence)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["[Cocharter] Minutes"] * 3


def test_a_manager_moves_one_occurrence(
    manager_client, meeting, django_capture_on_commit_callbacks
):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:move", args=[meeting.team.slug, occurrence.pk])
    assert manager_client.get(url).status_code == 200
    day = (occurrence.starts_at + timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris")).date()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url, {"day": day.isoformat(), "at": "15:00", "duration_minutes": "30"}
        )
    assert response.status_code == 302
    occurrence.refresh_from_db()
    local = occurrence.starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.date(), local.hour, occurrence.sequence) == (day, 15, 1)
    assert occurrence.ends_at - occurrence.starts_at == timedelta(minutes=30)
    assert len([m for m in mail.outbox if "Moved:" in m.subject]) == 3


def test_moving_into_the_past_is_a_form_error(manager_client, meeting):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:move", args=[meeting.team.slug, occurrence.pk])
    response = manager_client.post(
        url, {"day": "2020-01-01", "at": "10:00", "duration_minutes": "60"}
    )
    assert response.status_code == 200 and "in the future" in response.content.decode()
    response = manager_client.post(
        url, {"day": "not a date", "at": "25:99", "duration_minutes": "x"}
    )
    assert response.status_code == 200


def test_a_manager_cancels_one_occurrence_then_the_series(manager_client, meeting):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:occurrence_cancel", args=[meeting.team.slug, occurrence.pk])
    assert "Cancel this meeting?" in manager_client.get(url).content.decode()
    assert manager_client.post(url).status_code == 302
    assert Occurrence.objects.get(pk=occurrence.pk).is_cancelled
    series_url = reverse("meetings:cancel", args=[meeting.team.slug, meeting.pk])
    assert manager_client.post(series_url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    edit = manager_client.get(reverse("meetings:edit", args=[meeting.team.slug, meeting.pk]))
    assert edit.status_code == 302


def test_a_manager_edits_the_series(manager_client, meeting):
    url = reverse("meetings:edit", args=[meeting.team.slug, meeting.pk])
    page = manager_client.get(url).content.decode()
    assert 'value="Weekly steering"' in page
    data = _schedule_data(title="Renamed", start_date=meeting.start_date.isoformat())
    assert manager_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Renamed", 1)


def test_editing_a_series_after_the_team_changed_time_zone_uses_the_new_zone(
    manager_client, meeting, team
):
    team.time_zone = "America/New_York"
    team.save(update_fields=["time_zone"])
    url = reverse("meetings:edit", args=[team.slug, meeting.pk])
    page = manager_client.get(url).content.decode()
    assert "Europe/Paris" in page and "America/New_York" in page  # the form says so
    data = _schedule_data(start_date=meeting.start_date.isoformat(), start_time="10:00")
    assert manager_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.time_zone == "America/New_York"
    coming = meeting.occurrences.filter(starts_at__gt=timezone.now(), status="scheduled")
    assert {o.starts_at.astimezone(ZoneInfo("America/New_York")).hour for o in coming} == {10}
    # Their reminders follow the new times.
    first = coming.order_by("starts_at").first()
    assert set(
        Reminder.objects.filter(occurrence=first, kind="meeting", status="pending").values_list(
            "due_at", flat=True
        )
    ) == {first.starts_at - timedelta(hours=1), first.starts_at - timedelta(days=1)}


@pytest.mark.parametrize(
    "name, method",
    [
        ("meetings:item_add", "get"),
        ("meetings:minutes", "get"),
        ("meetings:minutes_send", "get"),
        ("meetings:occurrence", "post"),
        ("meetings:occurrence_ics", "post"),
    ],
)
def test_the_wrong_method_is_refused(manager_client, meeting, name, method):
    occurrence = first_occurrence(meeting)
    url = reverse(name, args=[meeting.team.slug, occurrence.pk])
    assert getattr(manager_client, method)(url).status_code == 405


def test_list_and_feed_refuse_the_wrong_method(manager_client, meeting):
    feed = services.calendar_feed_get(team=meeting.team)
    assert (
        manager_client.post(reverse("meetings:list", args=[meeting.team.slug])).status_code == 405
    )
    assert manager_client.post(reverse("meetings:feed", args=[feed.token])).status_code == 405
    assert manager_client.get(reverse("meetings:my_feed_regenerate")).status_code == 405


def test_another_teams_occurrence_is_not_found(outsider_client, meeting, outsider):
    other_team = outsider.memberships.get().team
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:occurrence", args=[other_team.slug, occurrence.pk])
    assert outsider_client.get(url).status_code == 404


def test_my_reminders_lists_what_is_coming_and_saves_preferences(
    member_client, member, meeting, django_assert_max_num_queries
):
    url = reverse("meetings:my_reminders")
    with django_assert_max_num_queries(10):
        page = member_client.get(url).content.decode()
    assert "Meeting reminders" in page and "Weekly steering" in page
    response = member_client.post(url, {"enabled": ["minutes", "meeting_update"]}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="preferences"')
    assert set(
        member.reminder_preferences.filter(enabled=False).values_list("kind", flat=True)
    ) == {
        "meeting",
        "measurement_due",
        "measurement_overdue",
        "checkin",
        "gap_summary",
        "coaching_review",
        "charter_published",
        "interview",
    }
    assert "turned off" in member_client.get(url).content.decode()
    assert member_client.post(url, {"enabled": ["nonsense"]}).status_code == 200


def test_the_home_page_shows_my_next_meeting(member_client, meeting):
    body = member_client.get(reverse("home")).content.decode()
    assert "Next steering meetings" in body
    assert (
        reverse("meetings:occurrence", args=[meeting.team.slug, first_occurrence(meeting).pk])
        in body
    )


def test_agenda_sections_from_other_apps_are_rendered(member_client, meeting):
    def provider(occurrence, previous):
        return agenda.AgendaSection(
            key="indicators",
            title="Indicator statuses",
            lines=[
                agenda.AgendaLine(
                    text="First-call resolution", status="bad", status_label="off track"
                )
            ],
        )

    def broken(occurrence, previous):
        raise RuntimeError("bug in another app")

    agenda.register(provider)
    agenda.register(broken)
    try:
        occurrence = first_occurrence(meeting)
        url = reverse("meetings:occurrence", args=[meeting.team.slug, occurrence.pk])
        body = member_client.get(url).content.decode()
    finally:
        agenda.unregister(provider)
        agenda.unregister(broken)
    assert "Indicator statuses" in body and "First-call resolution" in body and "off track" in body
