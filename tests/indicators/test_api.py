import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from indicators import services
from indicators.models import Measurement, MeasurementRevision

from .factories import IndicatorFactory, api_token_for

RAW = "coc_test-token"


@pytest.fixture
def api(team):
    token = api_token_for(team, RAW)
    client = Client(headers={"authorization": f"Bearer {RAW}"})
    client.token = token
    return client


def _put(client, indicator_id, period, payload):
    return client.put(
        f"/api/indicators/{indicator_id}/measurements/{period}",
        json.dumps(payload),
        content_type="application/json",
    )


def test_a_valid_token_upserts_a_value(api, indicator):
    response = _put(api, indicator.pk, "2026-11-25", {"value": 87.5, "note": "export"})
    assert response.status_code == 201
    assert response.json() == {
        "indicator": indicator.pk,
        "period_start": "2026-11-23",
        "value": 87.5,
        "note": "export",
        "created": True,
    }
    measurement = Measurement.objects.get()
    assert measurement.source == "api"
    api.token.refresh_from_db()
    assert api.token.last_used_at is not None


def test_the_upsert_is_idempotent(api, indicator):
    for _ in range(3):
        response = _put(api, indicator.pk, "2026-11-23", {"value": 87.5})
    assert response.json()["created"] is False
    assert Measurement.objects.count() == 1
    assert not MeasurementRevision.objects.exists()
    _put(api, indicator.pk, "2026-11-23", {"value": 90})
    assert Measurement.objects.get().value == Decimal(90)
    assert MeasurementRevision.objects.get().old_value == Decimal("87.5")


def test_the_token_lists_its_team_indicators_only(api, indicator):
    IndicatorFactory(name="Elsewhere")
    response = api.get("/api/indicators")
    assert [i["name"] for i in response.json()] == [indicator.name]


def test_another_team_indicator_is_not_found(api):
    other = IndicatorFactory()
    response = _put(api, other.pk, "2026-11-23", {"value": 1})
    assert response.status_code == 404
    assert "No such indicator" in response.json()["detail"]
    assert api.get(f"/api/indicators/{other.pk}/measurements").status_code == 404
    assert not Measurement.objects.exists()


def test_a_revoked_token_is_refused(api, indicator):
    services.api_token_revoke(token=api.token)
    assert _put(api, indicator.pk, "2026-11-23", {"value": 1}).status_code == 401
    assert api.get("/api/indicators").status_code == 401


@pytest.mark.parametrize(
    "headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": f"Token {RAW}"}]
)
def test_a_missing_or_unknown_token_is_refused(headers, indicator, db):
    client = Client(headers=headers)
    assert client.get("/api/indicators").status_code == 401


@pytest.mark.parametrize(
    ("period", "payload"),
    [
        ("2026-11-23", {"value": "lots"}),
        ("2026-11-23", {"value": "12.5"}),
        ("2026-11-23", {"value": True}),
        ("2026-11-23", {}),
        ("2026-11-23", {"value": 1.234}),
        ("2026-11-23", {"value": "NaN"}),
        ("2026-11-23", {"value": 1e12}),
        ("2026-11-23", {"value": 1, "note": "x" * 301}),
        ("23-11-2026", {"value": 1}),
        ("2026-02-30", {"value": 1}),
    ],
)
def test_bad_input_gets_a_4xx_with_a_reason(api, indicator, period, payload):
    response = _put(api, indicator.pk, period, payload)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert not Measurement.objects.exists()


def test_a_body_that_is_not_json_gets_a_4xx(api, indicator):
    response = api.put(
        f"/api/indicators/{indicator.pk}/measurements/2026-11-23",
        "not json",
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500


def test_measurements_are_listed_newest_first(api, indicator):
    for day, value in [(date(2026, 11, 9), 1), (date(2026, 11, 16), 2)]:
        services.measurement_record(
            indicator=indicator, day=day, value=Decimal(value), by=None, source="api"
        )
    response = api.get(f"/api/indicators/{indicator.pk}/measurements")
    assert [m["period_start"] for m in response.json()] == ["2026-11-16", "2026-11-09"]


def test_the_schema_and_docs_are_published(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/indicators/{indicator_id}/measurements/{period}" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_an_implausible_period_gets_a_422(api, indicator):
    response = _put(api, indicator.pk, "0001-01-01", {"value": 1})
    assert response.status_code == 422
    assert "period" in response.json()["detail"]


def test_a_note_with_a_nul_character_gets_a_422_with_a_reason(api, indicator):
    response = _put(api, indicator.pk, "2026-11-23", {"value": 1, "note": "a\u0000b"})
    assert response.status_code == 422
    assert "NUL" in json.dumps(response.json()["detail"])
    assert not Measurement.objects.exists()


def test_an_unchanged_value_leaves_the_cached_dashboards_alone(
    api, indicator, team, django_capture_on_commit_callbacks
):
    from indicators import selectors

    with django_capture_on_commit_callbacks(execute=True) as first:
        _put(api, indicator.pk, "2026-11-23", {"value": 87.5})
    version = selectors.dashboards_version(teams=[team])
    with django_capture_on_commit_callbacks(execute=True) as again:
        _put(api, indicator.pk, "2026-11-23", {"value": 87.5})
    assert len(first) == 1
    assert again == []
    assert selectors.dashboards_version(teams=[team]) == version


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"status": "proposed"}, "still a proposal"), ({"source": "survey"}, "client survey")],
)
def test_values_for_a_proposal_or_a_survey_fed_indicator_get_a_409(api, team, fields, reason):
    indicator = IndicatorFactory(team=team, **fields)
    response = _put(api, indicator.pk, "2026-11-23", {"value": 1})
    assert response.status_code == 409
    assert reason in response.json()["detail"]
    assert not Measurement.objects.exists()
