"""What a value of an indicator may be: one rule for every way a value comes in.

The form on the dashboard, the CSV import, the JSON API, the client surveys and the
demo data all ask this module, so a value refused in one place is refused everywhere:

- its **period** is a date, snapped to the start of its period (metrics.period_start);
  a period that has not begun yet is refused (the message names the current one), and
  so is a period more than HISTORY_YEARS before the indicator was created (a history
  can be imported, a typing error like 1926 cannot);
- its **value** respects the unit: a percentage lies between 0 and 100, a count is a
  whole number >= 0, a duration (minutes, hours) is >= 0, a score is any number; and
  every value fits the column (at most 2 decimals, below 10 billion in size).

Targets and baselines are values of the indicator too: they follow the same unit rule.
`manage.py check_values` lists the rows stored before these rules that break them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from config import formats

from . import metrics

HISTORY_YEARS = 5
# Measurement.value and the targets are DECIMAL(12, 2).
DECIMALS = 2
LIMIT = Decimal("1e10")


@dataclass(frozen=True)
class UnitRule:
    minimum: Decimal | None
    maximum: Decimal | None
    decimals: int


UNIT_RULES = {
    "percent": UnitRule(Decimal(0), Decimal(100), DECIMALS),
    "count": UnitRule(Decimal(0), None, 0),
    "minutes": UnitRule(Decimal(0), None, DECIMALS),
    "hours": UnitRule(Decimal(0), None, DECIMALS),
    "score": UnitRule(None, None, DECIMALS),
}


def decimals(unit: str) -> int:
    """How many decimals a value of this unit has: every answer shows this many."""
    return UNIT_RULES[unit].decimals


def value_refusal(value: Decimal, unit: str) -> str | None:
    """Why `value` cannot be a value (or a target, or a baseline) of an indicator
    measured in `unit`, or None when it can."""
    if not value.is_finite() or abs(value) >= LIMIT:
        return _("Enter a number below 10 billion.")
    rule = UNIT_RULES[unit]
    places = -value.normalize().as_tuple().exponent
    if rule.decimals == 0 and places > 0:
        return _("A count is a whole number: enter it without decimals.")
    if places > rule.decimals:
        return _("Enter at most %(n)d decimals.") % {"n": rule.decimals}
    if unit == "percent" and not rule.minimum <= value <= rule.maximum:
        return _("A percentage lies between 0 and 100.")
    if rule.minimum is not None and value < rule.minimum:
        if unit == "count":
            return _("A count cannot be negative.")
        return _("A duration cannot be negative.")
    return None


def history_floor(created: date) -> date:
    """The earliest day a value may be for, for an indicator created on `created`."""
    return created - relativedelta(years=HISTORY_YEARS)


def period_refusal(*, day: date, frequency: str, created: date, today: date) -> str | None:
    """Why a value cannot be for the period containing `day`, or None when it can.
    `created` is the day the indicator was created and `today` the team's today."""
    current = metrics.period_start(today, frequency)
    if metrics.period_start(day, frequency) > current:
        return _("This period has not begun yet: the current period is %(current)s.") % {
            "current": formats.period_label(current, frequency)
        }
    floor = history_floor(created)
    if day < floor:
        return _(
            "That is too long ago: values go back at most %(years)d years before the "
            "indicator was created, so to %(day)s."
        ) % {"years": HISTORY_YEARS, "day": formats.day(floor)}
    return None


def measurement_refusals(
    *, indicator, day: date | None, value: Decimal | None, today: date
) -> dict[str, str]:
    """The rule for one value of `indicator`: {"period": why, "value": why} for what is
    wrong, empty when the value may be stored. A part given as None is not checked."""
    refusals = {}
    if day is not None:
        why = period_refusal(
            day=day,
            frequency=indicator.frequency,
            created=created_day(indicator),
            today=today,
        )
        if why:
            refusals["period"] = why
    if value is not None:
        why = value_refusal(value, indicator.unit)
        if why:
            refusals["value"] = why
    return refusals


def created_day(indicator) -> date:
    """The day the indicator was created (today for one not saved yet)."""
    from django.utils import timezone

    if indicator.created_at is None:
        return timezone.localdate()
    return timezone.localdate(indicator.created_at)


def quantize(value: Decimal, unit: str) -> Decimal:
    """The value with exactly the unit's decimals, the way every answer shows it."""
    return value.quantize(Decimal(1).scaleb(-decimals(unit)))


TARGET_YEARS_AHEAD = 5


def target_refusals(*, unit: str, **values: Decimal | None) -> dict[str, str]:
    """The unit rule for a baseline or target values given by name (value, low, high...):
    {name: why} for each value the unit does not allow."""
    return {
        name: why
        for name, value in values.items()
        if value is not None and (why := value_refusal(value, unit))
    }


def target_start_refusal(*, day: date, created: date, today: date) -> str | None:
    """Why a target cannot start in the period of `day`: the history floor of the
    indicator's values, and at most TARGET_YEARS_AHEAD years ahead."""
    floor = history_floor(created)
    if day < floor:
        return _("Choose a day from %(day)s on: values go back no further.") % {
            "day": floor.isoformat()
        }
    last = today + relativedelta(years=TARGET_YEARS_AHEAD)
    if day > last:
        return _("Choose a day before %(day)s: targets are set at most %(n)d years ahead.") % {
            "day": last.isoformat(),
            "n": TARGET_YEARS_AHEAD,
        }
    return None
