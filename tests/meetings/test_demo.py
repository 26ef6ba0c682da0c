"""The demo team has a weekly steering meeting with past minutes and coming reminders."""

from django.core.management import call_command
from django.utils import timezone

from meetings.models import Occurrence, SteeringMeeting
from notifications.models import Reminder


def test_the_demo_team_has_a_weekly_series_past_minutes_and_coming_reminders(db):
    call_command("seed_demo")
    now = timezone.now()
    [meeting] = SteeringMeeting.objects.all()
    assert (meeting.frequency, meeting.rrule.startswith("FREQ=WEEKLY")) == ("weekly", True)
    assert meeting.team.memberships.count() >= 4
    past = Occurrence.objects.filter(meeting=meeting, starts_at__lt=now)
    with_minutes = [o for o in past if o.has_minutes]
    assert len(with_minutes) == 3
    # Sent long ago, and not edited since.
    assert all(o.minutes_sent_at and not o.minutes_changed_since_sent for o in with_minutes)
    assert all(o.attendees.exists() for o in with_minutes)
    coming = Reminder.objects.filter(
        meeting=meeting, kind=Reminder.Kind.MEETING, status="pending", due_at__gt=now
    )
    assert coming.values("user").distinct().count() == meeting.team.memberships.count()
    assert set(coming.values_list("offset_minutes", flat=True)) == {60, 24 * 60}
    next_one = meeting.occurrences.filter(starts_at__gt=now).order_by("starts_at").first()
    assert next_one.items.count() == 2
    # The invitations of a series running for weeks are not waiting to go out.
    assert not Reminder.objects.filter(kind=Reminder.Kind.MEETING_UPDATE, status="pending")
