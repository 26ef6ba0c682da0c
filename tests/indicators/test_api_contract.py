"""The API keeps its contract (issue 25): strict types, every status documented with its
body, values with the indicator's decimals, `created` only on creation, a rate limit."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from openapi_spec_validator import validate

from indicators.models import Indicator, Measurement

from .factories import IndicatorFactory, api_token_for

RAW = "coc_test-token"
# A Wednesday: the current weekly period is the week of Monday 7 December 2026.
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(team):
    api_token_for(team, RAW)
    return Client(headers={"authorization": f"Bearer {RAW}"})


def _put(client, indicator_id, period, payload):
    return client.put(
        f"/api/indicators/{indicator_id}/measurements/{period}",
        json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize("period", ["2199-12-31", "2164-12-31", "2030-01-07", "2026-12-14"])
def test_a_period_that_has_not_begun_is_refused_naming_the_current_one(api, indicator, period):
    response = _put(api, indicator.pk, period, {"value": 50})
    assert response.status_code == 422
    body = response.json()
    assert "Week of Dec. 7, 2026" in body["detail"]
    assert body["errors"] == [
        {"loc": ["path", "period"], "msg": body["errors"][0]["msg"], "type": "rule"}
    ]
    assert not Measurement.objects.exists()


def test_the_current_period_is_accepted(api, indicator):
    assert _put(api, indicator.pk, "2026-12-09", {"value": 50}).status_code == 201
    assert Measurement.objects.get().period_start.isoformat() == "2026-12-07"


@pytest.mark.parametrize("period", ["1900-01-01", "2021-11-29"])
def test_a_period_long_before_the_indicator_is_refused(api, indicator, period):
    response = _put(api, indicator.pk, period, {"value": 50})
    assert response.status_code == 422
    assert "at most 5 years" in response.json()["detail"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("period", ["0", "86400", "1733788800", "20261207", "2026-W50-1"])
def test_a_number_in_the_path_is_not_a_period(api, indicator, period):
    response = _put(api, indicator.pk, period, {"value": 50})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "period"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("value", ["12.5", "12", True, None, [12], {"v": 1}])
def test_the_value_is_a_json_number_and_nothing_else(api, indicator, value):
    response = _put(api, indicator.pk, "2026-12-07", {"value": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "value"]
    assert not Measurement.objects.exists()


def test_the_schema_says_a_period_is_a_date_string_and_a_value_a_number(client, db):
    schema = client.get("/api/openapi.json").json()
    put = schema["paths"]["/api/indicators/{indicator_id}/measurements/{period}"]["put"]
    (period,) = [p for p in put["parameters"] if p["name"] == "period"]
    assert period["schema"]["type"] == "string"
    assert period["schema"]["format"] == "date"
    body = put["requestBody"]["content"]["application/json"]["schema"]
    value = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]["properties"]["value"]
    assert value["type"] == "number"


def test_created_is_true_on_creation_only_and_the_value_reads_the_same_each_time(api, indicator):
    first = _put(api, indicator.pk, "2026-12-07", {"value": 12.5})
    again = _put(api, indicator.pk, "2026-12-07", {"value": 12.50})
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert first.json()["value"] == again.json()["value"] == 12.5
    assert b'"value": 12.5,' in first.content and b'"value": 12.5,' in again.content
    listed = api.get(f"/api/indicators/{indicator.pk}/measurements").json()
    assert listed == [
        {"indicator": indicator.pk, "period_start": "2026-12-07", "value": 12.5, "note": ""}
    ]


def test_a_count_comes_back_as_a_whole_number(api, team):
    count = IndicatorFactory(team=team, unit=Indicator.Unit.COUNT)
    response = _put(api, count.pk, "2026-12-07", {"value": 12.0})
    assert response.status_code == 201
    assert b'"value": 12,' in response.content
    (indicator,) = api.get("/api/indicators").json()
    assert (indicator["unit"], indicator["decimals"]) == ("count", 0)


@pytest.mark.parametrize(
    ("unit", "value", "reason"),
    [
        ("percent", 150, "between 0 and 100"),
        ("percent", -1, "between 0 and 100"),
        ("count", 2.5, "whole number"),
        ("count", -3, "cannot be negative"),
        ("minutes", -5, "cannot be negative"),
        ("hours", 1.234, "at most 2 decimals"),
    ],
)
def test_a_value_its_unit_does_not_allow_is_refused(api, team, unit, value, reason):
    indicator = IndicatorFactory(team=team, unit=unit)
    response = _put(api, indicator.pk, "2026-12-07", {"value": value})
    assert response.status_code == 422
    assert reason in response.json()["detail"]
    assert response.json()["errors"][0]["type"] == "rule"
    assert not Measurement.objects.exists()


def test_every_status_the_api_answers_is_documented_with_its_body(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    expected = {
        ("/api/indicators", "get"): {"200", "401", "429"},
        ("/api/indicators/{indicator_id}/measurements", "get"): {
            "200",
            "401",
            "404",
            "422",
            "429",
        },
        ("/api/indicators/{indicator_id}/measurements/{period}", "put"): {
            "200",
            "201",
            "400",
            "401",
            "404",
            "409",
            "422",
            "429",
        },
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(map(str, responses)), (path, method)
        for status in statuses - {"200", "201"}:
            body = responses[status]["content"]["application/json"]["schema"]
            name = body["$ref"].rsplit("/", 1)[-1]
            assert "detail" in schema["components"]["schemas"][name]["properties"]
        assert "Retry-After" in responses["429"]["headers"]


def test_the_schema_names_the_page_where_tokens_are_made(client, db):
    description = client.get("/api/openapi.json").json()["info"]["description"]
    assert "Connect" not in description
    assert "API and wall screen" in description


def test_the_openapi_document_is_valid(client, db):
    validate(client.get("/api/openapi.json").json())


def test_a_token_past_its_rate_gets_429_with_retry_after(api, indicator, team, settings):
    settings.API_RATE_LIMIT = 3
    statuses = [api.get("/api/indicators").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/indicators")
    assert refused.json() == {"detail": "Too many requests."}
    assert 1 <= int(refused["Retry-After"]) <= 60
    other = Client(headers={"authorization": "Bearer coc_other"})
    api_token_for(team, "coc_other")
    assert other.get("/api/indicators").status_code == 200  # counted per token
    with time_machine.travel(NOW.replace(minute=1), tick=False):
        assert api.get("/api/indicators").status_code == 200  # a new minute
