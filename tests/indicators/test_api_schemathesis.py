"""Schemathesis throws generated requests at the live API, in process (WSGI), with all of
its checks: no server error, every status and body as the schema says, valid data
accepted, invalid data refused, auth not ignored, wrong methods answered 405...

The seed is fixed and the examples bounded, so the run is the same each time and takes
well under a minute. One indicator of each unit exists, and generated ids that are even
are pointed at one of them, so the upsert itself is exercised, not only its 404.
"""

from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from indicators.api import MAX_ID
from indicators.models import Indicator

from .factories import IndicatorFactory, TargetFactory, api_token_for

RAW = "coc_schemathesis-token"

CONFIG = """
seed = 25
[checks.positive_data_acceptance]
# A well-formed value can still break its indicator's rule, which no schema can say: a
# period that has not begun, a percentage above 100. Those answer 422 with `type` `rule`,
# and test_a_schema_refusal_is_never_given_for_data_the_schema_allows checks that no
# other 422 answers data the schema allows.
expected-statuses = ["2xx", "401", "404", "409", "422", "429"]
"""


# Loaded once, from the app itself: serving the schema reads no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", get_wsgi_application(), config=SchemathesisConfig.from_str(CONFIG)
)
INDICATORS: list[int] = []


@schema.hook
def map_path_parameters(context, path_parameters):
    """Points two ids in three that the schema allows at one of the test's indicators (a
    negative case's id outside the schema is left alone, to be refused)."""
    number = (path_parameters or {}).get("indicator_id")
    if type(number) is int and 1 <= number <= MAX_ID and number % 3 and INDICATORS:
        path_parameters["indicator_id"] = INDICATORS[number % len(INDICATORS)]
    return path_parameters


@pytest.fixture
def world(team, settings):
    settings.API_RATE_LIMIT = 10_000
    indicators = [IndicatorFactory(team=team, unit=unit) for unit in Indicator.Unit.values]
    indicators.append(IndicatorFactory(team=team, status=Indicator.Status.PROPOSED))
    for indicator in indicators:
        TargetFactory(indicator=indicator, value=Decimal(1))
    api_token_for(team, RAW)
    INDICATORS[:] = [i.pk for i in indicators]
    # As Django's test client does: the request signals would close the connection
    # that holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    INDICATORS.clear()


@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, world):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {RAW}"})
    if case.meta is not None and case.meta.generation.mode.is_positive:
        if response.status_code == 422:
            kinds = {error["type"] for error in response.json()["errors"]}
            assert kinds == {"rule"}, response.json()
