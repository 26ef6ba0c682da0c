"""Recurrence rules in the team's time zone, turned into UTC instants.

The rule runs on naive wall-clock times (what the team reads on its clocks); each result
is then placed in the zone and converted to UTC. So a 10:00 meeting stays at 10:00 local
time on both sides of a daylight-saving change, and its UTC instant moves instead.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_OCCURRENCES = 400


def rule_for(frequency: str, start_date: date, custom: str = "") -> str:
    """The RRULE (without the "RRULE:" prefix) of a frequency starting on `start_date`."""
    day = WEEKDAYS[start_date.weekday()]
    if frequency == "weekly":
        return f"FREQ=WEEKLY;BYDAY={day}"
    if frequency == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    if frequency == "monthly":
        nth = (start_date.day - 1) // 7 + 1
        return f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{day}"
    return clean_custom_rule(custom)


def clean_custom_rule(text: str) -> str:
    """Validates a custom RRULE typed by a person; raises ValidationError, never crashes."""
    value = (text or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    if not value:
        raise ValidationError(_("Write a recurrence rule, e.g. FREQ=WEEKLY;BYDAY=TU."))
    if "\n" in value or "DTSTART" in value.upper():
        raise ValidationError(_("Give only the rule itself, without DTSTART or other lines."))
    try:
        rule = rrulestr(value, dtstart=datetime(2000, 1, 3, 10, 0))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise ValidationError(
            _("This is not a valid recurrence rule. Example: FREQ=MONTHLY;BYDAY=1TU.")
        ) from None
    if not isinstance(rule, rrule) or rule._interval < 1:
        raise ValidationError(
            _("This is not a valid recurrence rule. Example: FREQ=MONTHLY;BYDAY=1TU.")
        )
    if rule._freq > DAILY:
        raise ValidationError(_("A steering meeting repeats at most once a day."))
    return value


def local_starts(
    *, rule: str, start_date: date, start_time: time, tz_name: str, since: datetime, until: datetime
) -> list[datetime]:
    """UTC starts of the rule's occurrences between `since` and `until` (aware, inclusive)."""
    tz = ZoneInfo(tz_name)
    dtstart = datetime.combine(start_date, start_time)
    recurrence = rrulestr(rule, dtstart=dtstart)
    lo = since.astimezone(tz).replace(tzinfo=None)
    hi = until.astimezone(tz).replace(tzinfo=None)
    starts = []
    for naive in recurrence.xafter(max(lo, dtstart), count=MAX_OCCURRENCES, inc=True):
        if naive > hi:
            break
        starts.append(to_utc(naive, tz))
    return starts


def to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz` as a UTC instant (a time skipped by DST moves forward)."""
    # PEP 495: a time inside the spring-forward gap (fold=0) takes the offset from before
    # the change, so 02:30 becomes 03:30 local time; an ambiguous autumn time takes the
    # first of its two instants.
    return naive.replace(tzinfo=tz).astimezone(UTC)
