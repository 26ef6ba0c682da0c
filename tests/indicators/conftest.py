from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import Indicator

from .factories import IndicatorFactory, TargetFactory


@pytest.fixture(autouse=True)
def _back_to_english():
    # A request by someone who prefers French activates French for the whole thread;
    # later tests that call services directly must not inherit it.
    yield
    translation.deactivate()


@pytest.fixture
def indicator(team):
    indicator = IndicatorFactory(team=team, name="Answered within 4 hours")
    TargetFactory(indicator=indicator, value=Decimal(80))
    return indicator


@pytest.fixture
def proposal(team, member):
    return IndicatorFactory(
        team=team, name="Callbacks kept", status=Indicator.Status.PROPOSED, proposed_by=member
    )
