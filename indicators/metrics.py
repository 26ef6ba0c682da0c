"""Pure computations on periods, targets and statuses (no database access).

Status of an indicator for its latest value, against the target valid for that period:
- higher is better: on track when value >= target; at risk when it is short of the
  target by at most AT_RISK_MARGIN (10 %) of the target; off track below that;
- lower is better: the mirror image (on track when value <= target);
- within a range: on track inside [low, high]; at risk when outside by at most 10 % of
  the range's width; off track further away.
An indicator is *stale* when no value arrived for the last complete period (for a
weekly indicator: nothing for last week or this week).
"""

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

AT_RISK_MARGIN = Decimal("0.10")

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_TARGET = "no_target"
NO_DATA = "no_data"

STATUS_LABELS = {
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    OFF_TRACK: _("Off track"),
    NO_TARGET: _("No target"),
    NO_DATA: _("No value yet"),
}

# Order used by the lead dashboard: what needs attention first.
SEVERITY = {OFF_TRACK: 0, AT_RISK: 1, NO_DATA: 2, NO_TARGET: 3, ON_TRACK: 4}

STEP = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
}


def period_start(day: date, frequency: str) -> date:
    """The first day of the period (of this frequency) that contains `day`."""
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    if frequency == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_iso_day(raw: str) -> date | None:
    """A day written YYYY-MM-DD, or None. date.fromisoformat alone would also take
    "20261123" and "2026-W48-1"; a number is never a day here (no Unix timestamps)."""
    raw = raw.strip()
    if not ISO_DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@functools.lru_cache(maxsize=64)
def previous_period_start(day: date, frequency: str) -> date:
    return period_start(day, frequency) - STEP[frequency]


def is_stale(latest_period: date | None, frequency: str, today: date) -> bool:
    return latest_period is None or latest_period < previous_period_start(today, frequency)


@dataclass(frozen=True)
class Target:
    valid_from: date
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None

    def __str__(self) -> str:
        if self.value is None:
            return f"{_fmt(self.low)}–{_fmt(self.high)}"
        return _fmt(self.value)


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def _valid_from(target: Target) -> date:
    return target.valid_from


def target_for(targets: Sequence[Target], day: date) -> Target | None:
    """The target valid on `day`: the latest one that started on or before it. Periods
    before the first target use the first target (it was set for the whole history)."""
    chosen = None
    for target in sorted(targets, key=_valid_from):
        if target.valid_from <= day or chosen is None:
            chosen = target
        else:
            break
    return chosen


def status(value: Decimal | None, direction: str, target: Target | None) -> str:
    if value is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    if direction == "range":
        if target.low is None or target.high is None:
            return NO_TARGET
        if target.low <= value <= target.high:
            return ON_TRACK
        margin = (target.high - target.low) * AT_RISK_MARGIN
        gap = target.low - value if value < target.low else value - target.high
        return AT_RISK if gap <= margin else OFF_TRACK
    if target.value is None:
        return NO_TARGET
    margin = abs(target.value) * AT_RISK_MARGIN
    gap = target.value - value if direction == "higher" else value - target.value
    if gap <= 0:
        return ON_TRACK
    return AT_RISK if gap <= margin else OFF_TRACK


SATISFIED_SCORE = 4  # a client who answers 4 or 5 out of 5 is satisfied


def satisfaction_share(satisfied: int, total: int) -> Decimal | None:
    """Share (in %) of satisfied answers among all answers."""
    if not total:
        return None
    return (Decimal(100) * satisfied / total).quantize(Decimal("0.1"))


def satisfaction(scores: Sequence[int]) -> Decimal | None:
    """Share (in %) of answers scoring 4 or 5 among all answers."""
    return satisfaction_share(sum(1 for s in scores if s >= SATISFIED_SCORE), len(scores))


def parse_decimal(raw: str) -> Decimal | None:
    """A number as people type it: "12.5", "12,5", " 1 200 "; None when it is not one."""
    cleaned = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        return None
    # Not rounded: indicators/rules.py refuses more decimals than the unit has, rather
    # than storing something else than what was typed.
    return value
