import secrets

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeZoneField
from config.ranges import DayWindow, Range
from teams.models import Team

DEFAULT_REMINDER_OFFSETS = [24 * 60, 60]
# A meeting lasts from five minutes to a day.
DURATION = Range(5, 24 * 60)
# A series starts at most a year ahead (and at most ten years back: an old series is
# edited with its first day); a meeting moves up to a year ahead.
FIRST_MEETING = DayWindow(back=relativedelta(years=10), ahead=relativedelta(years=1))
MOVED_TO = DayWindow(ahead=relativedelta(years=1))


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class SteeringMeeting(models.Model):
    """A recurring steering meeting of a team: the series.

    The start is a wall-clock date and time in `time_zone` (the team's when it was
    scheduled); occurrences are computed in that zone, then stored in UTC, so a daylight
    saving change never shifts the meeting's local time.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month, same weekday (e.g. first Tuesday)")
        CUSTOM = "custom", _("Custom rule (RRULE)")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="steering_meetings")
    title = models.CharField(_("title"), max_length=120)
    frequency = models.CharField(
        _("repeats"), max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    rrule = models.CharField(_("recurrence rule"), max_length=300)
    start_date = models.DateField(_("first meeting on"))
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=60, validators=DURATION.validators()
    )
    time_zone = TimeZoneField(_("time zone"))
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    everyone = models.BooleanField(_("the whole team takes part"), default=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="steering_meetings"
    )
    reminder_offsets = models.JSONField(_("reminders"), default=default_reminder_offsets)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            DURATION.check("duration_minutes", name="meeting_duration_range"),
            models.CheckConstraint(
                condition=Q(frequency__in=["weekly", "biweekly", "monthly", "custom"]),
                name="meeting_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Occurrence(models.Model):
    """One meeting of a series, materialised ahead of time so it can be moved or cancelled
    on its own, carry an agenda and minutes, and keep a stable calendar UID."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        SteeringMeeting, on_delete=models.CASCADE, related_name="occurrences"
    )
    # The start the recurrence rule gave: identifies the occurrence within its series.
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)
    where_we_stand = models.TextField(_("where we stand"), blank=True)
    what_works = models.TextField(_("what is working"), blank=True)
    holding_back = models.TextField(_("what is holding us back"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_meetings"
    )
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    minutes_sent_at = models.DateTimeField(null=True, blank=True)
    # Counts the changes to the minutes: each version goes to the participants once.
    minutes_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "original_start"], name="unique_occurrence_per_series_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="occurrence_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled"]), name="occurrence_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="occurrence_starts_idx")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.original_start

    @property
    def has_minutes(self) -> bool:
        return any((self.where_we_stand, self.what_works, self.holding_back, self.decisions))

    @property
    def minutes_changed_since_sent(self) -> bool:
        return bool(
            self.minutes_sent_at
            and self.minutes_updated_at
            and self.minutes_updated_at > self.minutes_sent_at
        )

    @property
    def minutes_to_send(self) -> bool:
        """Never sent, or changed since: this version has not gone to the participants."""
        return self.minutes_sent_at is None or self.minutes_changed_since_sent


class AgendaItem(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("item"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class CalendarFeed(models.Model):
    """A secret iCalendar URL, of a team or of a person. Regenerating the token revokes
    the old URL."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, user__isnull=True)
                | Q(team__isnull=True, user__isnull=False),
                name="calendar_feed_of_team_or_person",
            )
        ]

    def __str__(self) -> str:
        return f"feed of {self.team or self.user}"
