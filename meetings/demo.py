"""Demo data: the Service Desk's weekly steering meeting, with past minutes and
coming reminders."""

from datetime import time, timedelta

from django.apps import apps
from django.db.models import F
from django.utils import timezone

from notifications.models import Reminder

from . import services

MINUTES = [
    (
        "First reply within 4 hours for 82% of tickets (target 90%).",
        "The shared inbox rota: nobody waits for the one person who knows.",
        "Field technicians still call the personal mobiles of two colleagues.",
        "Publish the technicians' hotline number on the intranet (Luc).",
    ),
    (
        "First reply within 4 hours: 86%. Two complaints about unclear bills.",
        "Reading the client's last message aloud in the huddle.",
        "The billing tool hides the tariff history: we guess.",
        "Ask IT for read access to the tariff history (Claire).",
    ),
    (
        "First reply within 4 hours: 88%. Survey score 3.9 / 5.",
        "Calling back instead of writing long e-mails for outages.",
        "Holidays: the rota has holes on Mondays.",
        "Amina and Tom swap Monday shifts in December.",
    ),
]


def seed(world) -> None:
    now = timezone.now()
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday() - 1 + 7 * 4)  # a Tuesday, 4 weeks ago
    meeting = services.meeting_schedule(
        team=world.team,
        created_by=world.manager,
        title="Weekly steering",
        frequency="weekly",
        start_date=start,
        start_time=time(9, 30),
        duration_minutes=45,
        location="Room 2 · https://meet.example.com/service-desk",
        since=now - timedelta(weeks=5),
    )
    # The invitations of a series that has been running for weeks went out long ago.
    Reminder.objects.filter(meeting=meeting, kind=Reminder.Kind.MEETING_UPDATE).update(
        status=Reminder.Status.SENT, sent_at=now - timedelta(weeks=4)
    )
    past = list(meeting.occurrences.filter(starts_at__lt=now).order_by("starts_at"))
    for occurrence, minutes in zip(past[-len(MINUTES) :], MINUTES, strict=False):
        where, works, holding, decisions = minutes
        services.minutes_save(
            occurrence=occurrence,
            where_we_stand=where,
            what_works=works,
            holding_back=holding,
            decisions=decisions,
            attendees=world.everyone[:-1],
        )
        occurrence.minutes_updated_at = occurrence.starts_at + timedelta(hours=1)
        occurrence.minutes_sent_at = occurrence.starts_at + timedelta(hours=2)
        occurrence.save(update_fields=["minutes_updated_at", "minutes_sent_at"])
    coming = meeting.occurrences.filter(starts_at__gt=now).order_by("starts_at").first()
    if apps.is_installed("indicators"):
        from .indicators import measurement_reminders_plan

        measurement_reminders_plan(now=now)
    for author, text in [
        (world.members[0], "Monday rota for December"),
        (world.lead, "Survey comments about the outage on the 12th"),
    ]:
        services.agenda_item_add(occurrence=coming, author=author, text=text)


def settle(world) -> None:
    """The demo's last step (after every app's data): the reminders the beat would plan
    now are planned, and those already due count as sent when they were due. The demo
    world has a past; its first start sends no mail."""
    now = timezone.now()
    services.meetings_refresh(now=now)
    Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now).update(
        status=Reminder.Status.SENT, sent_at=F("due_at")
    )
