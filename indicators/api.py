"""The JSON API for other systems (a help-desk export, a script), with django-ninja.

Every call carries a team token: `Authorization: Bearer coc_...`. A token opens its own
team's indicators only; the schema and the docs live at /api/openapi.json and /api/docs.
"""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import field_validator

from . import metrics, selectors, services
from .models import ApiToken, Indicator, Measurement


class TeamToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = selectors.api_token_authenticate(raw=token)
        if api_token is not None:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        return api_token


api = NinjaAPI(
    title="Cocharter API",
    version="1",
    description="Feed your team's indicators from other systems. Create a token on the "
    "team's “Connect” page (managers), then send it as a Bearer token.",
    auth=TeamToken(),
    urls_namespace="api",
)


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    direction: str
    frequency: str
    status: str


class MeasurementIn(Schema):
    value: Decimal = Field(..., max_digits=12, decimal_places=2, description="The value")
    note: str = Field("", max_length=300)

    @field_validator("note")
    @classmethod
    def note_has_no_nul(cls, note: str) -> str:
        # PostgreSQL text cannot hold U+0000: refuse it here rather than fail on save.
        if "\x00" in note:
            raise ValueError("note must not contain NUL characters (\\u0000).")
        return note


class MeasurementOut(Schema):
    indicator: int
    period_start: date
    value: Decimal
    note: str
    created: bool = False


def _indicators(request: HttpRequest) -> QuerySet[Indicator]:
    return Indicator.objects.filter(team=request.auth.team).exclude(status=Indicator.Status.RETIRED)


def _indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    indicator = _indicators(request).filter(pk=indicator_id).first()
    if indicator is None:
        raise HttpError(404, "No such indicator in this token's team (or it is retired).")
    return indicator


@api.get("/indicators", response=list[IndicatorOut], summary="The team's indicators")
def list_indicators(request: HttpRequest):
    return _indicators(request).order_by("name")


@api.get(
    "/indicators/{indicator_id}/measurements",
    response=list[MeasurementOut],
    summary="The latest values of an indicator (newest first, at most 100)",
)
def list_measurements(request: HttpRequest, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    rows = Measurement.objects.filter(indicator=indicator).order_by("-period_start")[:100]
    return [
        MeasurementOut(
            indicator=indicator.pk, period_start=m.period_start, value=m.value, note=m.note
        )
        for m in rows
    ]


@api.put(
    "/indicators/{indicator_id}/measurements/{period}",
    response=MeasurementOut,
    summary="Set the value of a period (idempotent upsert)",
    description="`period` is any day of the period (YYYY-MM-DD); the value is stored for "
    "the period's first day. Sending the same value twice changes nothing; a different "
    "value corrects it and keeps the previous one in the history.",
)
def put_measurement(request: HttpRequest, indicator_id: int, period: date, payload: MeasurementIn):
    indicator = _indicator(request, indicator_id)
    if not metrics.is_plausible_day(period):
        raise HttpError(422, "period must be a date between 1900-01-01 and 2199-12-31.")
    if not payload.value.is_finite() or abs(payload.value) >= Decimal("1e10"):
        raise HttpError(422, "value must be a finite number below 10 billion.")
    try:
        measurement, created = services.measurement_enter(
            indicator=indicator,
            day=period,
            value=payload.value,
            note=payload.note,
            by=None,
            source=Indicator.Source.API,
        )
    except services.MeasurementRefused as refused:
        raise HttpError(409, refused.messages[0]) from None
    return MeasurementOut(
        indicator=indicator.pk,
        period_start=measurement.period_start,
        value=measurement.value,
        note=measurement.note,
        created=created,
    )
