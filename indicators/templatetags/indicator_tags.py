from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from config import formats
from indicators.metrics import STATUS_LABELS, period_start

register = template.Library()

UNIT_SUFFIX = {"percent": "%", "minutes": _("min"), "hours": _("h"), "count": "", "score": ""}
STATUS_BADGE = {"on_track": "ok", "at_risk": "warning", "off_track": "bad"}


@register.filter
def num(value, indicator=None) -> str:
    """An indicator's value with the indicator's precision, in the current language:
    "64.5" and never "64.50" beside it. Without an indicator, no useless trailing zeros."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    if indicator is not None:
        return formats.number(value, indicator.precision)
    places = (
        0
        if value == value.to_integral()
        else (1 if (value * 10) == (value * 10).to_integral() else 2)
    )
    return number_format(value, places)


@register.filter
def signed(value, indicator=None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + num(value, indicator)


@register.filter
def target(target, indicator) -> str:
    """A target ("80", "40–60") with the indicator's precision."""
    if target is None:
        return ""
    if target.value is None:
        return f"{num(target.low, indicator)}–{num(target.high, indicator)}"
    return num(target.value, indicator)


@register.filter
def unit(indicator) -> str:
    return str(UNIT_SUFFIX.get(indicator.unit, ""))


@register.filter
def period(day, frequency: str = "daily") -> str:
    """The period containing `day`, the way people speak of it: "Week of Nov. 23, 2026",
    "November 2026", "Q4 2026", "Monday, Nov. 23, 2026" (in the current language)."""
    if not day:
        return "–"
    if isinstance(day, str):
        day = date.fromisoformat(day)
    elif isinstance(day, datetime):
        day = day.date()
    return formats.period_label(period_start(day, frequency), frequency)


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, ""))


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "")


def _fast_number(value, separator: str, places: int) -> str:
    if value is None:
        return "–"
    return f"{value:.{places}f}".replace(".", separator)


def _fast_target(target, separator: str, places: int) -> str:
    if target is None:
        return ""
    if target.value is None:
        low, high = (_fast_number(v, separator, places) for v in (target.low, target.high))
        return f" / {low}–{high}"
    return f" / {_fast_number(target.value, separator, places)}"


def lead_chips(cards) -> str:
    """The chips of one team row of the lead dashboard (cached by views._lead_rows).
    Built in Python: the dashboard shows thousands of them, and a template loop would
    dominate the response time."""
    separator = get_format("DECIMAL_SEPARATOR")
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    stale = ", " + str(_("stale"))
    # Compact markup (this page may hold thousands of chips): <b> holds the value and
    # target, <i> the status in words for screen readers (hidden by the stylesheet).
    parts = [
        f'<li class="chip s-{c.status}{" is-stale" if c.stale else ""}">'
        f"{escape(c.indicator.name)} "
        f"<b>{_fast_number(c.latest.value if c.latest else None, separator, c.indicator.precision)}"
        f"{_fast_target(c.target, separator, c.indicator.precision)}</b>"
        f"<i>, {labels[c.status]}{stale if c.stale else ''}</i></li>"
        for c in cards
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic part is escaped or numeric
