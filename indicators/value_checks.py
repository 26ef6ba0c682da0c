"""Rows of the indicators app that break indicators/rules.py (`manage.py check_values`)."""

from datetime import timedelta

from django.db.models import F, Q
from django.db.models.functions import Mod, TruncDate
from django.utils import timezone

from config.ranges import Finding, stored_check

from . import rules, selectors
from .models import Indicator, IndicatorTarget, Measurement, ReviewNote

DURATIONS = ("minutes", "hours")


def _unit_breaks(prefix: str, field: str) -> Q:
    """Rows whose `field` the unit (read through `prefix`) does not allow: a filter
    that finds the candidates, each confirmed by rules.value_refusal."""
    unit = f"{prefix}unit"
    return (
        Q(**{unit: "percent"}) & (Q(**{f"{field}__lt": 0}) | Q(**{f"{field}__gt": 100}))
        | Q(**{unit: "count"}) & (Q(**{f"{field}__lt": 0}) | ~Q(**{f"{field}_mod": 0}))
        | Q(**{f"{unit}__in": DURATIONS, f"{field}__lt": 0})
    )


@stored_check
def measurements():
    today = timezone.localdate()
    floor = timedelta(days=366 * rules.HISTORY_YEARS)
    candidates = (
        Measurement.objects.annotate(value_mod=Mod("value", 1))
        .filter(
            _unit_breaks("indicator__", "value")
            # A day of slack each way: the exact rule (the team's time zone) decides.
            | Q(period_start__gt=today + timedelta(days=1))
            | Q(period_start__lt=TruncDate(F("indicator__created_at") - floor))
        )
        .select_related("indicator__team")
    )
    for m in candidates:
        refusals = rules.measurement_refusals(
            indicator=m.indicator,
            day=m.period_start,
            value=m.value,
            today=selectors.team_today(m.indicator.team),
        )
        for why in refusals.values():
            yield Finding(
                "indicators.Measurement",
                m.pk,
                f"{m.indicator.name} ({m.indicator_id}), {m.period_start}: {m.value}",
                why,
            )


@stored_check
def baselines():
    found = Indicator.objects.annotate(baseline_mod=Mod("baseline", 1)).filter(
        _unit_breaks("", "baseline")
    )
    for indicator in found:
        why = rules.value_refusal(indicator.baseline, indicator.unit)
        if why:
            yield Finding(
                "indicators.Indicator", indicator.pk, f"baseline {indicator.baseline}", why
            )


@stored_check
def targets():
    for target in IndicatorTarget.objects.select_related("indicator"):
        values = {"value": target.value, "low": target.low, "high": target.high}
        for name, why in rules.target_refusals(unit=target.indicator.unit, **values).items():
            yield Finding(
                "indicators.IndicatorTarget",
                target.pk,
                f"{target.indicator.name} ({target.indicator_id}), {name} {values[name]}",
                why,
            )


@stored_check
def review_notes():
    late = ReviewNote.objects.annotate(day=TruncDate("created_at")).filter(
        period_start__gt=F("day") + timedelta(days=1)
    )
    for note in late:
        yield Finding(
            "indicators.ReviewNote",
            note.pk,
            f"period {note.period_start}, written {note.created_at:%Y-%m-%d}",
            "reviews a period that had not begun when it was written",
        )
