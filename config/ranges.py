"""One range, written once, for a number a person enters and the database keeps.

A `Range` gives the model field its validators (so every ModelForm and the admin refuse a
value out of range next to the field), a plain form field its min/max, the widget its
`min`/`max` attributes, and the table its CheckConstraint. tests/test_ranges.py asks the
database to evaluate every such constraint at and around the bounds and checks that it
agrees with `Range.refusal` in Python.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Range:
    low: Any = None
    high: Any = None

    def refusal(self, value) -> str | None:
        """Why `value` is out of range (in the active language), or None."""
        if value is None:
            return None
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            if self.low is None:
                return _("At most %(high)s.") % {"high": self.high}
            if self.high is None:
                return _("At least %(low)s.") % {"low": self.low}
            return _("Between %(low)s and %(high)s.") % {"low": self.low, "high": self.high}
        return None

    def validators(self) -> list:
        found = []
        if self.low is not None:
            found.append(MinValueValidator(self.low))
        if self.high is not None:
            found.append(MaxValueValidator(self.high))
        return found

    def form_kwargs(self) -> dict:
        return {"min_value": self.low, "max_value": self.high}

    def attrs(self) -> dict:
        return {k: v for k, v in (("min", self.low), ("max", self.high)) if v is not None}

    def q(self, field: str) -> Q:
        bounds = {}
        if self.low is not None:
            bounds[f"{field}__gte"] = self.low
        if self.high is not None:
            bounds[f"{field}__lte"] = self.high
        return Q(**bounds)

    def check(self, field: str, name: str) -> "RangeCheck":
        return RangeCheck(condition=self.q(field), name=name, field=field, range=self)


class RangeCheck(models.CheckConstraint):
    """A CheckConstraint made from a Range, which remembers it (for the agreement test).
    Migrations see a plain CheckConstraint."""

    def __init__(self, *args, field: str | None = None, range: Range | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.field, self.range = field, range

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def clone(self):
        _path, args, kwargs = super().deconstruct()
        return RangeCheck(*args, field=self.field, range=self.range, **kwargs)


def apply(field, rule: Range) -> None:
    """Gives a form field the range: its min/max validation and its widget's attributes."""
    field.validators.extend(rule.validators())
    if hasattr(field, "min_value"):
        field.min_value, field.max_value = rule.low, rule.high
    field.widget.attrs.update(rule.attrs())


@dataclass(frozen=True)
class DayWindow:
    """Which days a person may give, counted from a reference day (today, or the day
    the row was created): `back` and `ahead` are relativedelta or None (no bound)."""

    back: Any = None
    ahead: Any = None

    def bounds(self, reference: date) -> tuple[date | None, date | None]:
        first = reference - self.back if self.back is not None else None
        last = reference + self.ahead if self.ahead is not None else None
        return first, last

    def refusal(self, day: date | None, reference: date) -> str | None:
        if day is None:
            return None
        first, last = self.bounds(reference)
        if first is not None and day < first:
            return _("Choose a day from %(day)s on.") % {"day": date_format(first)}
        if last is not None and day > last:
            if self.ahead == relativedelta():
                return _("Choose a day that is not in the future.")
            return _("Choose a day up to %(day)s.") % {"day": date_format(last)}
        return None


@dataclass(frozen=True)
class Finding:
    """A stored row that breaks a rule: written before the rule, or around it."""

    label: str
    pk: int
    what: str
    why: str


STORED_CHECKS: list = []


def stored_check(function):
    """Registers a function yielding Findings for `manage.py check_values`. Each app
    keeps its own in `<app>/value_checks.py`, imported by the command."""
    STORED_CHECKS.append(function)
    return function


def range_findings():
    """Rows outside the ranges the database enforces (RangeCheck): none, unless a
    constraint was dropped or added NOT VALID by hand."""
    from django.apps import apps

    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, RangeCheck):
                for pk, value in model.objects.exclude(constraint.condition).values_list(
                    "pk", constraint.field
                ):
                    yield Finding(
                        model._meta.label,
                        pk,
                        f"{constraint.field} = {value}",
                        constraint.range.refusal(value) or "",
                    )


def loose_days(delta) -> timedelta:
    """A relativedelta as a timedelta at least as long plus a day, for a database filter
    that finds candidates (the exact DayWindow.refusal then decides)."""
    return timedelta(days=366 * delta.years + 31 * delta.months + delta.days + 1)
