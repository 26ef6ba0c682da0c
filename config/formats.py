"""How every date, time and number reads, in one place: the active language's formats
(Django's `en` and `fr` locales), times in the team's time zone, and the indicator's own
precision for its values. Built into every template (TEMPLATES' `builtins`), so pages
never write a format by hand.

- `day`: a date ("Dec. 4, 2026" / "4 décembre 2026");
- `day_short`: a date without its year, where space is tight ("December 4" / "4 décembre");
- `weekday`: a date with its day of the week ("Friday, Dec. 4, 2026" / "vendredi 4 décembre 2026");
- `clock`: a time ("2:30 p.m." / "14:30");
- `moment`: a date and time ("Dec. 4, 2026, 2:30 p.m." / "4 décembre 2026 14:30");
- `ago`: how long ago, where people scan a list ("3 days ago"), with the moment in full
  for whoever hovers it or reads it with a screen reader;
- `number`: a number with a given number of decimals, in the language's format.

Times are shown in the active time zone: the team's on a team's pages (`team_time`),
named after the time ("2:30 p.m. Paris time") when the team's people span time zones.
"""

from datetime import date, datetime
from decimal import Decimal

from asgiref.local import Local
from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

register = template.Library()

_state = Local()


def team_time(*, time_zone: str, name_zone: bool) -> None:
    """Shows the times of this request in the team's time zone, named after each time
    when `name_zone` (the team's people are not all in that zone)."""
    timezone.activate(time_zone)
    _state.name_zone = name_zone


def reset() -> None:
    """Back to the person's own time zone and unnamed times (each request starts so)."""
    _state.name_zone = False


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def zone_name(value: datetime | None = None) -> str:
    """The active zone as people say it: "Paris time", "New York time"."""
    key = getattr(timezone.get_current_timezone(), "key", "UTC")
    if key == "UTC":
        return "UTC"
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return pgettext("a time zone, after a time", "%(city)s time") % {"city": city}


def _with_zone(text: str) -> str:
    if getattr(_state, "name_zone", False):
        return f"{text} {zone_name()}"
    return text


@register.filter
def day(value) -> str:
    if not value:
        return ""
    value = _local(value)
    return formats.date_format(value.date() if isinstance(value, datetime) else value)


@register.filter
def day_short(value) -> str:
    if not value:
        return ""
    return formats.date_format(_local(value), "MONTH_DAY_FORMAT")


@register.filter
def weekday(value) -> str:
    if not value:
        return ""
    # A format per language: Django's locales have no "date with its weekday".
    return formats.date_format(
        _local(value), pgettext("a date with its weekday, PHP date format", "l, N j, Y")
    )


@register.filter
def clock(value) -> str:
    """A time; an instant (a datetime) names its zone when people span zones, a time of
    day on its own (a meeting's usual time, with its zone beside it) does not."""
    if not value:
        return ""
    text = formats.time_format(_local(value))
    return _with_zone(text) if isinstance(value, datetime) else text


@register.filter
def clock_range(start, end) -> str:
    """From one time to another: "2 p.m.–3 p.m. Paris time"."""
    if not start:
        return ""
    text = f"{formats.time_format(_local(start))}–{formats.time_format(_local(end))}"
    return _with_zone(text)


@register.filter
def when(value) -> str:
    """An appointment: its day of the week, date and time ("Friday, Dec. 4, 2026, 2 p.m.")."""
    if not value:
        return ""
    return gettext("%(day)s, %(time)s") % {"day": weekday(value), "time": clock(value)}


@register.filter
def moment(value) -> str:
    if not value:
        return ""
    return _with_zone(formats.date_format(_local(value), "DATETIME_FORMAT"))


@register.filter
def ago(value) -> str:
    """ "3 days ago", marked up as a <time> with the full moment as its title."""
    if not value:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return day(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        moment(value),
        naturaltime(value),
    )


@register.filter
def number(value, places=0) -> str:
    """A number with `places` decimals in the language's format: 64.5 -> "64.50" with
    2, "64,5" in French with 1; "–" for no value."""
    if value is None or value == "":
        return "–"
    return formats.number_format(Decimal(value), int(places), use_l10n=True)


def number_text(value: Decimal | None, places: int) -> str:
    """`number` for Python code (agenda lines, e-mails, exports read by people)."""
    return number(value, places)


def period_label(value: date, frequency: str) -> str:
    """The period of an indicator that starts on `value`, the way people speak of it:
    "Week of Nov. 23, 2026", "November 2026", "Q4 2026", "Monday, Nov. 23, 2026"."""
    if frequency == "weekly":
        return gettext("Week of %(day)s") % {"day": day(value)}
    if frequency == "monthly":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if frequency == "quarterly":
        return gettext("Q%(quarter)d %(year)d") % {
            "quarter": (value.month - 1) // 3 + 1,
            "year": value.year,
        }
    return weekday(value)
