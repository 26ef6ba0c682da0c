"""Reads for steering meetings, with permission-checked getters for team-scoped views."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Reminder
from teams.models import Team

from . import agenda
from .models import AgendaItem, CalendarFeed, Occurrence, SteeringMeeting


def meeting_get(*, team: Team, pk: int) -> SteeringMeeting:
    try:
        return team.steering_meetings.get(pk=pk)
    except SteeringMeeting.DoesNotExist:
        raise Http404 from None


def occurrence_get(*, team: Team, pk: int) -> Occurrence:
    """An occurrence of one of the team's series (404 for another team's)."""
    try:
        return Occurrence.objects.select_related("meeting__team").get(pk=pk, meeting__team=team)
    except Occurrence.DoesNotExist:
        raise Http404 from None


def team_series(*, team: Team) -> QuerySet[SteeringMeeting]:
    now = timezone.now()
    return (
        team.steering_meetings.filter(cancelled_at__isnull=True)
        .annotate(
            upcoming_count=Count(
                "occurrences",
                filter=Q(occurrences__starts_at__gt=now, occurrences__status="scheduled"),
            )
        )
        .prefetch_related("participants")
        .order_by("title", "pk")
    )


def team_upcoming(*, team: Team, limit: int = 6) -> QuerySet[Occurrence]:
    return (
        Occurrence.objects.filter(
            meeting__team=team, meeting__cancelled_at__isnull=True, ends_at__gt=timezone.now()
        )
        .select_related("meeting")
        .annotate(item_count=Count("items"))
        .order_by("starts_at")[:limit]
    )


def team_history(*, team: Team) -> QuerySet[Occurrence]:
    """Past occurrences that took place, newest first, with their attendance count."""
    return (
        Occurrence.objects.filter(
            meeting__team=team, status=Occurrence.Status.SCHEDULED, starts_at__lte=timezone.now()
        )
        .select_related("meeting")
        .annotate(attendee_count=Count("attendees", distinct=True))
        .order_by("-starts_at")
    )


def previous_occurrence(*, occurrence: Occurrence) -> Occurrence | None:
    return (
        Occurrence.objects.filter(
            meeting_id=occurrence.meeting_id,
            status=Occurrence.Status.SCHEDULED,
            starts_at__lt=occurrence.starts_at,
        )
        .order_by("-starts_at")
        .first()
    )


def current_or_next_occurrence(*, team: Team) -> Occurrence | None:
    """The team's steering meeting going on now, or else its next one."""
    return (
        Occurrence.objects.filter(
            meeting__team=team,
            meeting__cancelled_at__isnull=True,
            status=Occurrence.Status.SCHEDULED,
            ends_at__gt=timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )


def last_held_occurrence(*, team: Team) -> Occurrence | None:
    return (
        Occurrence.objects.filter(
            meeting__team=team,
            status=Occurrence.Status.SCHEDULED,
            starts_at__lte=timezone.now(),
        )
        .order_by("-starts_at")
        .first()
    )


@dataclass
class Agenda:
    items: list[AgendaItem]
    sections: list[agenda.AgendaSection]
    previous: Occurrence | None


def agenda_for(*, occurrence: Occurrence) -> Agenda:
    previous = previous_occurrence(occurrence=occurrence)
    items = list(occurrence.items.select_related("author"))
    return Agenda(
        items=items, sections=agenda.sections_for(occurrence, previous), previous=previous
    )


def next_meetings_for_user(*, user: User, limit: int = 3) -> list[Occurrence]:
    """The next scheduled meetings of the person's teams (one query)."""
    return list(
        Occurrence.objects.filter(
            meeting__team__memberships__user=user,
            meeting__cancelled_at__isnull=True,
            status=Occurrence.Status.SCHEDULED,
            ends_at__gt=timezone.now(),
        )
        .filter(Q(meeting__everyone=True) | Q(meeting__participants=user))
        .select_related("meeting__team")
        .distinct()
        .order_by("starts_at")[:limit]
    )


def upcoming_reminders_for_user(*, user: User, limit: int = 12) -> QuerySet[Reminder]:
    return (
        Reminder.objects.filter(user=user, status=Reminder.Status.PENDING)
        .select_related("occurrence__meeting__team", "meeting__team")
        .order_by("due_at", "pk")[:limit]
    )


@dataclass
class Upcoming:
    """One e-mail coming to a person, for the My reminders page."""

    kind: str
    due_at: datetime
    title: str = ""
    url: str = ""
    # The meeting's start, for the reminders of an occurrence.
    starts_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return str(Reminder.Kind(self.kind).label) if self.kind in Reminder.Kind.values else ""


# Other apps tell what e-mails are coming that have no row yet (the weekly check-in is
# planned when it is due): a provider takes the person and now, returns Upcoming items.
_UPCOMING: list[Callable[[User, datetime], list[Upcoming]]] = []


def register_upcoming(provider: Callable[[User, datetime], list[Upcoming]]) -> None:
    if provider not in _UPCOMING:
        _UPCOMING.append(provider)


def _upcoming_row(reminder: Reminder) -> Upcoming:
    item = Upcoming(kind=reminder.kind, due_at=reminder.due_at)
    if reminder.occurrence_id:
        occurrence = reminder.occurrence
        item.title = occurrence.meeting.title
        item.starts_at = occurrence.starts_at
        item.url = reverse(
            "meetings:occurrence", args=[occurrence.meeting.team.slug, occurrence.pk]
        )
    elif reminder.meeting_id:
        item.title = reminder.meeting.title
        item.url = reverse("meetings:list", args=[reminder.meeting.team.slug])
    return item


def upcoming_for_user(*, user: User, limit: int = 12) -> list[Upcoming]:
    """The next e-mails coming to the person, of every kind, soonest first."""
    now = timezone.now()
    items = [_upcoming_row(r) for r in upcoming_reminders_for_user(user=user, limit=limit)]
    for provider in _UPCOMING:
        items.extend(provider(user, now))
    return sorted(items, key=lambda item: item.due_at)[:limit]


def feed_by_token(*, token: str) -> CalendarFeed:
    try:
        return CalendarFeed.objects.select_related("team", "user").get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None


def feed_occurrences(*, feed: CalendarFeed, since: datetime | None = None) -> list[Occurrence]:
    """What a feed publishes: the team's (or the person's) meetings from 90 days back,
    cancelled ones included so calendars remove them."""
    since = since or timezone.now() - timedelta(days=90)
    occurrences = Occurrence.objects.filter(starts_at__gte=since).select_related("meeting__team")
    if feed.team_id:
        occurrences = occurrences.filter(meeting__team_id=feed.team_id)
    else:
        occurrences = occurrences.filter(meeting__team__memberships__user_id=feed.user_id).filter(
            Q(meeting__everyone=True) | Q(meeting__participants=feed.user_id)
        )
    return list(occurrences.distinct().order_by("starts_at"))


def occurrence_with_people(*, occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_related("meeting__team")
        .prefetch_related(Prefetch("attendees"))
        .get(pk=occurrence.pk)
    )
