"""The calendar feeds and files parse back, carry VTIMEZONE data and stable UIDs."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from meetings import services

from .factories import first_occurrence, weekly_meeting


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_team_feed_is_public_by_token_and_lists_every_occurrence(client, meeting):
    feed = services.calendar_feed_get(team=meeting.team)
    cal = _parse(client.get(reverse("meetings:feed", args=[feed.token])))
    events = cal.walk("VEVENT")
    assert len(events) == meeting.occurrences.count() == 13
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Paris"
    first = events[0]
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert first["DTSTART"].dt.astimezone(ZoneInfo("Europe/Paris")).hour == 10
    assert str(first["UID"]) == f"steering-{first_occurrence(meeting).pk}@localhost"
    assert "METHOD" not in cal


def test_a_moved_occurrence_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_says_so(
    client, meeting
):
    occurrences = list(meeting.occurrences.order_by("starts_at"))
    services.occurrence_move(
        occurrence=occurrences[0], starts_at=occurrences[0].starts_at + timedelta(hours=2)
    )
    services.occurrence_cancel(occurrence=occurrences[1])
    feed = services.calendar_feed_get(team=meeting.team)
    events = {
        str(e["UID"]): e
        for e in _parse(client.get(reverse("meetings:feed", args=[feed.token]))).walk("VEVENT")
    }
    moved = events[f"steering-{occurrences[0].pk}@localhost"]
    cancelled = events[f"steering-{occurrences[1].pk}@localhost"]
    assert (int(moved["SEQUENCE"]), str(moved["STATUS"])) == (1, "CONFIRMED")
    assert moved["DTSTART"].dt == occurrences[0].starts_at + timedelta(hours=2)
    assert (int(cancelled["SEQUENCE"]), str(cancelled["STATUS"])) == (1, "CANCELLED")


def test_regenerating_a_feed_revokes_the_old_address(client, manager_client, meeting):
    old = services.calendar_feed_get(team=meeting.team).token
    url = reverse("meetings:team_feed_regenerate", args=[meeting.team.slug])
    assert manager_client.post(url).status_code == 302
    new = services.calendar_feed_get(team=meeting.team).token
    assert new != old
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200


def test_a_personal_feed_has_the_meetings_of_all_my_teams_and_only_mine(
    client, member_client, member, meeting
):
    from tests.factories import MembershipFactory

    other = MembershipFactory(user=member).team
    weekly_meeting(other, title="Other team steering")
    stranger_team = MembershipFactory().team
    weekly_meeting(stranger_team, title="Not mine")
    page = member_client.get(reverse("meetings:my_reminders")).content.decode()
    token = member.calendar_feed.token
    assert token in page
    summaries = {
        str(e["SUMMARY"])
        for e in _parse(client.get(reverse("meetings:feed", args=[token]))).walk("VEVENT")
    }
    assert summaries == {
        f"Weekly steering · {meeting.team.name}",
        f"Other team steering · {other.name}",
    }
    assert member_client.post(reverse("meetings:my_feed_regenerate")).status_code == 302
    assert client.get(reverse("meetings:feed", args=[token])).status_code == 404


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404


def test_one_occurrence_downloads_as_a_valid_ics_file(member_client, meeting):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:occurrence_ics", args=[meeting.team.slug, occurrence.pk])
    response = member_client.get(url)
    assert "attachment" in response["Content-Disposition"]
    cal = _parse(response)
    [event] = cal.walk("VEVENT")
    assert event["DTSTART"].dt == occurrence.starts_at
    assert str(event["LOCATION"]) == "Room 4"
    assert cal.walk("VTIMEZONE")


def test_a_new_york_team_gets_new_york_times_in_the_feed(client, db):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(team__time_zone="America/New_York")
    meeting = weekly_meeting(membership.team)
    feed = services.calendar_feed_get(team=meeting.team)
    cal = _parse(client.get(reverse("meetings:feed", args=[feed.token])))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert {
        e["DTSTART"].dt.astimezone(ZoneInfo("America/New_York")).hour for e in cal.walk("VEVENT")
    } == {10}


def test_a_feed_runs_the_same_queries_however_many_meetings_it_lists(
    client, meeting, member, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    for n in range(4):
        weekly_meeting(MembershipFactory(user=member).team, title=f"Other {n}")
    for feed in (
        services.calendar_feed_get(team=meeting.team),
        services.calendar_feed_get(user=member),
    ):
        with django_assert_max_num_queries(2):
            cal = _parse(client.get(reverse("meetings:feed", args=[feed.token])))
        assert len(cal.walk("VEVENT")) >= 13


def test_the_ics_of_one_occurrence_in_a_few_queries(
    member_client, meeting, django_assert_max_num_queries
):
    occurrence = first_occurrence(meeting)
    url = reverse("meetings:occurrence_ics", args=[meeting.team.slug, occurrence.pk])
    with django_assert_max_num_queries(4):
        assert member_client.get(url).status_code == 200
