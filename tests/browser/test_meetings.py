"""A manager schedules a steering series, moves one meeting, writes the minutes and
downloads the meeting as a valid .ics file."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Occurrence, SteeringMeeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_manager_schedules_moves_writes_minutes_and_downloads_the_ics(
    login, live_server, settings, team, manager, lead, member
):
    settings.SITE_URL = live_server.url
    paris = ZoneInfo("Europe/Paris")
    page = login(manager)

    # Schedule a weekly series from the team's meeting page.
    page.goto(f"/t/{team.slug}/meetings/")
    page.get_by_text("No meeting planned.").wait_for()
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Weekly steering")
    page.get_by_label("Every two weeks").check()
    assert not page.get_by_label("Custom rule", exact=True).is_visible()
    page.get_by_label("Every week").check()
    start = timezone.localdate() + timedelta(days=2)
    page.get_by_label("First meeting on").fill(start.isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Place or video link").fill("Room 4")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Meeting scheduled.").wait_for()
    page.screenshot(path="/tmp/meet-list-desktop.png", full_page=True)
    meeting = SteeringMeeting.objects.get()
    first = meeting.occurrences.order_by("starts_at").first()
    assert first.starts_at.astimezone(paris).hour == 10

    # Move the first meeting to 14:30 the next day.
    page.locator(".occurrence-list a").first.click()
    page.get_by_role("link", name="Move").click()
    new_day = start + timedelta(days=1)
    page.get_by_label("New date").fill(new_day.isoformat())
    page.get_by_label("New time").fill("14:30")
    page.get_by_role("button", name="Move").click()
    page.get_by_text("Meeting moved.").wait_for()
    page.locator(".when .badge", has_text="moved").wait_for()
    first.refresh_from_db()
    local = first.starts_at.astimezone(paris)
    assert (local.date(), local.hour, local.minute, first.sequence) == (new_day, 14, 30, 1)

    # An agenda item, then the minutes and attendance, saved through htmx.
    page.get_by_label("Add an item to the agenda").fill("Survey results")
    page.get_by_role("button", name="Add", exact=True).click()
    page.locator("#agenda").get_by_text("Survey results").wait_for()
    page.get_by_label("Where we stand").fill("First reply within 4 hours: 88%.")
    page.get_by_label("What is working").fill("The shared inbox rota.")
    page.get_by_label("What is holding us back").fill("Holes in the Monday rota.")
    page.get_by_label("Decisions").fill("Swap Monday shifts.")
    page.get_by_label(manager.display_name).check()
    page.get_by_label(member.display_name).check()
    page.get_by_role("button", name="Save the minutes").click()
    page.locator("#minutes").get_by_text("Minutes saved.").wait_for()
    page.get_by_role("button", name="Send the minutes to 3 participants").wait_for()
    occurrence = Occurrence.objects.get(pk=first.pk)
    assert occurrence.decisions == "Swap Monday shifts."
    assert set(occurrence.attendees.all()) == {manager, member}
    page.screenshot(path="/tmp/meet-occurrence-desktop.png", full_page=True)

    # The .ics file parses and says where the meeting now is.
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == first.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert int(event["SEQUENCE"]) == 1
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]

    # The same pages on a phone.
    phone = login(member, viewport=PHONE)
    phone.goto(f"/t/{team.slug}/meetings/")
    phone.screenshot(path="/tmp/meet-list-phone.png", full_page=True)
    phone.goto(f"/t/{team.slug}/meetings/{first.pk}/")
    phone.get_by_text("Survey results").wait_for()
    phone.screenshot(path="/tmp/meet-occurrence-phone.png", full_page=True)
