"""Recurrence rules in the team's time zone, turned into UTC instants.

The rule runs on naive wall-clock times (what the team reads on its clocks); each result
is then placed in the zone and converted to UTC. So a 10:00 meeting stays at 10:00 local
time on both sides of a daylight-saving change, and its UTC instant moves instead.
"""

from datetime import MAXYEAR, UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_OCCURRENCES = 400
# Parts that would repeat a meeting within a day (or that only dateutil understands).
REFUSED_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND", "BYEASTER")
# The Gregorian calendar repeats exactly every 400 years (146,097 days, a whole number of
# weeks), which `_bounded` relies on.
CYCLE_YEARS = 400


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
    """Validates a custom RRULE typed by a person; raises ValidationError, never crashes,
    and answers quickly even for a rule that never matches."""
    value = (text or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    if not value:
        raise ValidationError(_("Write a recurrence rule, e.g. FREQ=WEEKLY;BYDAY=TU."))
    if "\n" in value or "DTSTART" in value.upper():
        raise ValidationError(_("Give only the rule itself, without DTSTART or other lines."))
    dtstart = datetime(2000, 1, 3, 10, 0)
    try:
        rule = rrulestr(value, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise ValidationError(
            _("This is not a valid recurrence rule. Example: FREQ=MONTHLY;BYDAY=1TU.")
        ) from None
    if not isinstance(rule, rrule) or rule._interval < 1:
        raise ValidationError(
            _("This is not a valid recurrence rule. Example: FREQ=MONTHLY;BYDAY=1TU.")
        )
    parts = {part.split("=", 1)[0].strip().upper() for part in value.split(";")}
    if rule._freq > DAILY or parts & set(REFUSED_PARTS):
        raise ValidationError(
            _(
                "A steering meeting repeats at most once a day: leave out BYHOUR, "
                "BYMINUTE and BYSECOND."
            )
        )
    # Without those parts every start is at dtstart's time of day: at most one a day.
    # A meeting within a few years (the search itself is bounded, see `_bounded`).
    if not _bounded(rule, dtstart, dtstart, dtstart.replace(year=dtstart.year + 30), limit=1):
        raise ValidationError(
            _("This rule never gives a meeting. Check its BYMONTH and BYMONTHDAY.")
        )
    return value


def _bounded(
    recurrence: rrule, dtstart: datetime, lo: datetime, hi: datetime, *, limit: int
) -> list[datetime]:
    """The rule's naive starts between `lo` and `hi` (inclusive), at most `limit`.

    dateutil looks for the next match until the year 9999, which takes seconds for a
    daily rule that never matches. The search runs instead on the same dates moved by
    whole 400-year cycles to just before 9999 (weekdays, leap days and week numbers are
    the same there), so it gives up after at most one cycle, in a fraction of a second.
    """
    if dtstart > hi:
        return []
    shift = CYCLE_YEARS * ((MAXYEAR - hi.year) // CYCLE_YEARS)
    until = recurrence._until
    if until is not None:
        until = until.replace(year=until.year + shift) if until.year + shift <= MAXYEAR else None
    moved = recurrence.replace(dtstart=dtstart.replace(year=dtstart.year + shift), until=until)
    low = max(lo, dtstart).replace(year=max(lo, dtstart).year + shift)
    high = hi.replace(year=hi.year + shift)
    starts = []
    for naive in moved.xafter(low, count=limit, inc=True):
        if naive > high:
            break
        starts.append(naive.replace(year=naive.year - shift))
    return starts


def local_starts(
    *,
    rule: str,
    start_date: date,
    start_time: time,
    tz_name: str,
    since: datetime,
    until: datetime,
    limit: int = MAX_OCCURRENCES,
) -> list[datetime]:
    """UTC starts of the rule's occurrences between `since` and `until` (aware, inclusive)."""
    tz = ZoneInfo(tz_name)
    dtstart = datetime.combine(start_date, start_time)
    recurrence = rrulestr(rule, dtstart=dtstart)
    lo = since.astimezone(tz).replace(tzinfo=None)
    hi = until.astimezone(tz).replace(tzinfo=None)
    return [to_utc(naive, tz) for naive in _bounded(recurrence, dtstart, lo, hi, limit=limit)]


def series_starts(
    meeting, *, since: datetime, until: datetime, limit: int = MAX_OCCURRENCES
) -> list[datetime]:
    """`local_starts` of a SteeringMeeting's own rule, start and time zone."""
    return local_starts(
        rule=meeting.rrule,
        start_date=meeting.start_date,
        start_time=meeting.start_time,
        tz_name=meeting.time_zone,
        since=since,
        until=until,
        limit=limit,
    )


def to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz` as a UTC instant (a time skipped by DST moves forward)."""
    # PEP 495: a time inside the spring-forward gap (fold=0) takes the offset from before
    # the change, so 02:30 becomes 03:30 local time; an ambiguous autumn time takes the
    # first of its two instants.
    return naive.replace(tzinfo=tz).astimezone(UTC)
