"""Every range a number is kept in (config/ranges.py) is one rule: the database's
CheckConstraint, evaluated by PostgreSQL itself, and Range.refusal in Python agree at each
bound and one step beyond it."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from config.ranges import RangeCheck


def _range_checks():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, RangeCheck):
                yield pytest.param(model, constraint, id=f"{model.__name__}.{constraint.field}")


def _probes(rule) -> list:
    values = []
    for bound in (rule.low, rule.high):
        if bound is not None:
            values += [bound - 1, bound, bound + 1]
    return values


def test_the_project_keeps_its_numbers_in_ranges():
    assert len(list(_range_checks())) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), list(_range_checks()))
def test_the_database_and_python_agree_on_the_range(model, constraint):
    for value in _probes(constraint.range):
        if value < 0 and model._meta.get_field(constraint.field).get_internal_type().startswith(
            "Positive"
        ):
            continue  # a positive column refuses it anyway
        instance = model(**{constraint.field: value})
        try:
            constraint.validate(model, instance)
            database_accepts = True
        except ValidationError:
            database_accepts = False
        python_accepts = constraint.range.refusal(value) is None
        assert database_accepts == python_accepts, (constraint.name, value)
        field_errors = []
        for validator in model._meta.get_field(constraint.field).validators:
            try:
                validator(value)
            except ValidationError as error:
                field_errors += error.messages
        assert (not field_errors) == python_accepts, (constraint.name, value, field_errors)
