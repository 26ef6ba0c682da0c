"""What the indicators app brings to steering meetings: the indicator statuses on the
agenda, and reminders to an indicator's owner when a value is due, then overdue.

Registered from `MeetingsConfig.ready()` when the indicators app is installed; the
meetings app works without it.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators import metrics
from indicators.models import Indicator, Measurement
from indicators.selectors import dashboard_cards
from indicators.templatetags import indicator_tags
from notifications import emails
from notifications.models import Reminder

from .agenda import AgendaLine, AgendaSection
from .models import Occurrence

BADGES = {
    metrics.OFF_TRACK: "bad",
    metrics.AT_RISK: "warning",
    metrics.ON_TRACK: "ok",
}
# Sources whose values someone enters: the others (survey, API) arrive by themselves.
REMINDED_SOURCES = (Indicator.Source.MANUAL, Indicator.Source.CSV)
# How long after a value is due it becomes overdue, per frequency.
GRACE = {
    "daily": timedelta(days=1),
    "weekly": timedelta(days=2),
    "monthly": timedelta(days=5),
    "quarterly": timedelta(days=10),
}
DUE_AT = time(9, 0)


def indicator_statuses(occurrence: Occurrence, previous: Occurrence | None) -> AgendaSection:
    """Agenda section: each adopted indicator's status, stale and off track first, with
    how many values arrived since the previous meeting.

    It states what the dashboard states: for a meeting still to come, the indicators
    as they stand today (not as they would if nothing arrived until the meeting day);
    a meeting that took place is judged on its day. A value counts as new when it
    was entered (or corrected) since the previous meeting, whatever its period: last
    week's value entered this morning is news to the meeting."""
    team = occurrence.meeting.team
    tz = ZoneInfo(occurrence.meeting.time_zone)
    now = timezone.now()
    moment = min(occurrence.starts_at, now)
    day = moment.astimezone(tz).date()
    cards = sorted(dashboard_cards(team=team, today=day), key=lambda c: c.sort_key)
    since = previous.starts_at if previous else None
    new_values = {}
    if since and cards:
        new_values = dict(
            Measurement.objects.filter(
                indicator_id__in=[c.indicator.pk for c in cards],
                updated_at__gte=since,
                updated_at__lte=moment,
            )
            .values_list("indicator_id")
            .annotate(n=Count("pk"))
        )
    lines = []
    for card in cards:
        notes = []
        if card.latest:
            # As the dashboard reads: the indicator's precision, its period in words.
            notes.append(
                _("latest %(value)s (%(period)s)")
                % {
                    "value": indicator_tags.num(card.latest.value, card.indicator),
                    "period": indicator_tags.period(
                        card.latest.period_start, card.indicator.frequency
                    ),
                }
            )
        if card.target:
            value = indicator_tags.target(card.target, card.indicator)
            notes.append(_("target %(target)s") % {"target": value})
        if since:
            n = new_values.get(card.indicator.pk, 0)
            notes.append(
                ngettext(
                    "%(n)s new value since the last meeting",
                    "%(n)s new values since the last meeting",
                    n,
                )
                % {"n": n}
            )
        if card.stale:
            notes.append(_("no recent value"))
        lines.append(
            AgendaLine(
                text=card.indicator.name,
                note=" · ".join(str(n) for n in notes),
                status=BADGES.get(card.status, "warning" if card.stale else ""),
                status_label=str(metrics.STATUS_LABELS[card.status]),
                url=reverse("indicators:detail", args=[team.slug, card.indicator.pk]),
            )
        )
    return AgendaSection(
        key="indicators",
        title=_("Indicator statuses"),
        lines=lines,
        empty=_("No adopted indicator yet."),
        order=10,
    )


# Measurement reminders ----------------------------------------------------------------


def _local_instant(day: date, tz_name: str) -> datetime:
    return datetime.combine(day, DUE_AT, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def measurement_reminders_plan(*, now: datetime | None = None) -> int:
    """Plans a "due" and an "overdue" reminder to the owner of each adopted indicator
    whose value for the last complete period is missing: due at 09:00 (team time) on
    the first day of the next period, overdue a grace period later (only the overdue
    one once that time has passed). Unique per (indicator and period, owner, kind), so
    running this every hour plans each once."""
    now = now or timezone.now()
    indicators = list(
        Indicator.objects.filter(
            status=Indicator.Status.ADOPTED, owner__isnull=False, source__in=REMINDED_SOURCES
        ).select_related("team")
    )
    periods = {}
    for indicator in indicators:
        today = now.astimezone(ZoneInfo(indicator.team.time_zone)).date()
        periods[indicator.pk] = metrics.previous_period_start(today, indicator.frequency)
    if not indicators:
        return 0
    entered = Q()
    for pk, period in periods.items():
        entered |= Q(indicator_id=pk, period_start=period)
    done = set(Measurement.objects.filter(entered).values_list("indicator_id", flat=True))
    rows = []
    for indicator in indicators:
        if indicator.pk in done:
            continue
        period = periods[indicator.pk]
        current = metrics.period_start(
            now.astimezone(ZoneInfo(indicator.team.time_zone)).date(), indicator.frequency
        )
        due = _local_instant(current, indicator.team.time_zone)
        overdue = due + GRACE[indicator.frequency]
        subject = f"indicator:{indicator.pk}:{period.isoformat()}"
        kinds = [(Reminder.Kind.MEASUREMENT_OVERDUE, overdue)]
        if now < overdue:  # planned late, "due" and "overdue" would arrive together
            kinds.insert(0, (Reminder.Kind.MEASUREMENT_DUE, due))
        for kind, when in kinds:
            rows.append(
                Reminder(user_id=indicator.owner_id, kind=kind, subject=subject, due_at=when)
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _parse_subject(subject: str) -> tuple[int, date] | None:
    try:
        _kind, pk, period = subject.split(":")
        return int(pk), date.fromisoformat(period)
    except ValueError:
        return None


def measurement_message(reminder: Reminder):
    """The e-mail of a measurement reminder, or None when it is no longer needed (the
    value arrived, the indicator was retired or changed owner, or a "due" reminder
    goes out so late that the value is already overdue)."""
    parsed = _parse_subject(reminder.subject)
    if parsed is None:
        return None
    pk, period = parsed
    indicator = Indicator.objects.select_related("team").filter(pk=pk).first()
    if (
        indicator is None
        or indicator.status != Indicator.Status.ADOPTED
        or indicator.owner_id != reminder.user_id
        or indicator.measurements.filter(period_start=period).exists()
    ):
        return None
    overdue = reminder.kind == Reminder.Kind.MEASUREMENT_OVERDUE
    if not overdue and timezone.now() >= reminder.due_at + GRACE[indicator.frequency]:
        return None  # sent late: the overdue reminder says it instead
    values = {
        "name": indicator.name,
        "period": formats.date_format(period, "DATE_FORMAT"),
    }
    if overdue:
        subject = _("Overdue: the value of %(name)s for %(period)s") % values
    else:
        subject = _("Due: the value of %(name)s for %(period)s") % values
    url = settings.SITE_URL + reverse("indicators:dashboard", args=[indicator.team.slug])
    context = {
        "user": reminder.user,
        "indicator": indicator,
        "period": period,
        "overdue": overdue,
        "url": url,
        "preferences_url": settings.SITE_URL + reverse("meetings:my_reminders"),
    }
    return subject, emails.render_text("meetings/email/measurement.txt", context), []


def register() -> None:
    from . import agenda

    agenda.register(indicator_statuses)
    emails.register_builder(Reminder.Kind.MEASUREMENT_DUE, measurement_message)
    emails.register_builder(Reminder.Kind.MEASUREMENT_OVERDUE, measurement_message)
