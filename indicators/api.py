"""The JSON API for other systems (a help-desk export, a script), with django-ninja.

Every call carries a team token: `Authorization: Bearer coc_...`. A token opens its own
team's indicators only; the schema and the docs live at /api/openapi.json and /api/docs.

The contract is strict, and the schema says all of it: a period is an ISO date string
(YYYY-MM-DD, never a number), a value a JSON number (never a string), every status the
API can answer is documented with its body, values come back with the unit's decimals,
and each token may make API_RATE_LIMIT calls a minute (then 429 with Retry-After).
"""

import json
import math
import time
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, NinjaAPI, Path, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

from . import metrics, rules, selectors, services
from .models import ApiToken, Indicator, Measurement

MAX_ID = 2**63 - 1  # ids are PostgreSQL bigints


class TeamToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = selectors.api_token_authenticate(raw=token)
        if api_token is not None:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        return api_token


class ExactJson(Parser):
    """JSON bodies with their numbers kept exact: 87.53 is read as Decimal("87.53"), not
    as the float nearest to it, and NaN or Infinity (which JSON does not have) refused."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_float=Decimal, parse_constant=_no_constant)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


class TokenRate(BaseThrottle):
    """API_RATE_LIMIT calls per token and per minute, counted in the cache (one atomic
    increment per call, shared by every web process). Past it: 429 with Retry-After,
    the seconds until the minute ends."""

    window = 60

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        now = time.time()
        minute = int(now // self.window)
        self.retry_after = (minute + 1) * self.window - now
        key = f"api-rate:{token.pk}:{minute}"
        count = services.counter_increment(key=key, timeout=self.window + 5)
        return count <= settings.API_RATE_LIMIT

    def wait(self) -> float:
        return max(1, math.ceil(self.retry_after))


api = NinjaAPI(
    title="Cocharter API",
    version="1",
    description=(
        "Feed your team's indicators from other systems. A manager creates a token under "
        "the team's *Indicators → API and wall screen*; send it as a Bearer token. "
        "Each token may make a limited number of calls a minute (429 with Retry-After "
        "beyond). Every error answers a JSON body with a `detail` sentence; 400 and 422 "
        "add `errors`, one per part refused."
    ),
    auth=TeamToken(),
    throttle=TokenRate(),
    parser=ExactJson(),
    urls_namespace="api",
)


# What the API answers ------------------------------------------------------------


class FieldError(Schema):
    loc: list[str | int] = Field(
        ..., description='Where: ["path", "period"], ["body", "payload", "value"]...'
    )
    msg: str = Field(..., description="Why, in a sentence.")
    type: str = Field(
        ...,
        description="`rule` when the indicator's rule refuses a well-formed value (a "
        "period not begun, a percentage above 100...); otherwise what the schema expects.",
    )


class Error(Schema):
    detail: str = Field(..., description="What happened, in a sentence.")


class Invalid(Schema):
    detail: str = Field(..., description="What happened, in a sentence.")
    errors: list[FieldError]


def _json_number(value: Decimal) -> int | float:
    """A count (no decimals) as a JSON integer, any other value as a JSON number."""
    if value.as_tuple().exponent >= 0:
        return int(value)
    return float(value)


Number = Annotated[
    Decimal,
    PlainSerializer(_json_number, return_type=float),
    WithJsonSchema({"type": "number"}),
]


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str = Field(..., description="minutes, hours, percent, count or score")
    decimals: int = Field(..., description="Decimals of its values: 0 for a count, else 2")
    direction: str
    frequency: str = Field(..., description="daily, weekly, monthly or quarterly")
    status: str


class MeasurementOut(Schema):
    indicator: int
    period_start: date = Field(..., description="The first day of the period")
    value: Number = Field(..., description="With the indicator's decimals")
    note: str


class MeasurementPut(MeasurementOut):
    created: bool = Field(..., description="True when this call created the value (201)")


# What the API takes ---------------------------------------------------------------


def _iso_day(raw: object) -> date:
    day = metrics.parse_iso_day(raw) if isinstance(raw, str) else None
    if day is None:
        raise ValueError("period must be a date written YYYY-MM-DD, e.g. 2026-11-23")
    return day


IsoDay = Annotated[
    date,
    BeforeValidator(_iso_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "example": "2026-11-23",
        }
    ),
]


def _number_only(raw: object) -> Decimal:
    # bool is an int in Python, and a string that looks like a number is still a string.
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | float):
        raise ValueError("value must be a JSON number, e.g. 87.5 (not a string)")
    value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
    if not value.is_finite() or abs(value) >= rules.LIMIT:
        raise ValueError("value must be a number below 10 billion in size")
    return value


JsonNumber = Annotated[
    Decimal,
    BeforeValidator(_number_only),
    WithJsonSchema(
        {
            "type": "number",
            "exclusiveMinimum": -1e10,
            "exclusiveMaximum": 1e10,
            "description": "A JSON number. The indicator's unit bounds it: a percent lies "
            "within 0-100, a count is a whole number >= 0, minutes and hours are >= 0; at "
            "most 2 decimals.",
        }
    ),
]


def _no_nul(note: str) -> str:
    # PostgreSQL text cannot hold U+0000: refuse it here rather than fail on save.
    if "\x00" in note:
        raise ValueError("note must not contain NUL characters (\\u0000).")
    return note


class MeasurementIn(Schema):
    value: JsonNumber
    note: Annotated[
        str,
        AfterValidator(_no_nul),
        Field(max_length=300),
        WithJsonSchema(
            {
                "type": "string",
                "maxLength": 300,
                "pattern": "^[^\\u0000]*$",
                "description": "At most 300 characters, no NUL character",
            }
        ),
    ] = ""


IndicatorId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="The indicator's id")]


# Errors ------------------------------------------------------------------------------

ERRORS = {401: Error, 404: Error, 429: Error}
RATE_LIMITED = {
    "responses": {
        429: {
            "description": "Too many calls with this token: wait Retry-After seconds.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before the next call",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
        },
        401: {"description": "No token, or a token that is unknown or revoked."},
        404: {"description": "No such indicator in this token's team (or it is retired)."},
    }
}


def _loc(error: dict) -> list[str | int]:
    return [part for part in error.get("loc", ()) if isinstance(part, str | int)]


def _message(error: dict) -> str:
    return str(error.get("msg", "")).removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    errors = [
        {
            "loc": _loc(e),
            "msg": str(e.get("msg", "")).removeprefix("Value error, "),
            "type": "schema",
        }
        for e in exc.errors
        if isinstance(e, dict)
    ]
    detail = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    body: dict = {"detail": str(exc)}
    if exc.status_code == 400:
        body["errors"] = [{"loc": ["body"], "msg": str(exc), "type": "json"}]
    return api.create_response(request, body, status=exc.status_code)


def _refused(refused: services.ValueRefused) -> dict:
    where = {"period": ["path", "period"], "value": ["body", "payload", "value"]}
    errors = [
        {"loc": where[part], "msg": why, "type": "rule"}
        for part, messages in refused.message_dict.items()
        for why in messages
    ]
    detail = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors)
    return {"detail": detail, "errors": errors}


# Operations ----------------------------------------------------------------------------


def _indicators(request: HttpRequest):
    return Indicator.objects.filter(team=request.auth.team).exclude(status=Indicator.Status.RETIRED)


def _indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    indicator = _indicators(request).select_related("team").filter(pk=indicator_id).first()
    if indicator is None:
        raise HttpError(404, "No such indicator in this token's team (or it is retired).")
    return indicator


def _out(indicator: Indicator, m: Measurement) -> dict:
    return {
        "indicator": indicator.pk,
        "period_start": m.period_start,
        "value": rules.quantize(m.value, indicator.unit),
        "note": m.note,
    }


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], **ERRORS},
    summary="The team's indicators",
    openapi_extra=RATE_LIMITED,
)
def list_indicators(request: HttpRequest):
    return [
        {
            "id": i.pk,
            "name": i.name,
            "unit": i.unit,
            "decimals": rules.decimals(i.unit),
            "direction": i.direction,
            "frequency": i.frequency,
            "status": i.status,
        }
        for i in _indicators(request).order_by("name")
    ]


@api.get(
    "/indicators/{indicator_id}/measurements",
    response={200: list[MeasurementOut], 422: Invalid, **ERRORS},
    summary="The latest values of an indicator (newest first, at most 100)",
    openapi_extra=RATE_LIMITED,
)
def list_measurements(request: HttpRequest, indicator_id: IndicatorId):
    indicator = _indicator(request, indicator_id)
    rows = Measurement.objects.filter(indicator=indicator).order_by("-period_start")[:100]
    return [_out(indicator, m) for m in rows]


@api.put(
    "/indicators/{indicator_id}/measurements/{period}",
    response={
        200: MeasurementPut,
        201: MeasurementPut,
        400: Invalid,
        409: Error,
        422: Invalid,
        **ERRORS,
    },
    summary="Set the value of a period (idempotent upsert)",
    description="`period` is any day of the period (YYYY-MM-DD); the value is stored for "
    "the period's first day. The first value of a period answers 201 (`created`: true); "
    "sending the same value again changes nothing and a different value corrects it, "
    "keeping the previous one in the history (200). A period that has not begun yet, or "
    "more than five years before the indicator was created, and a value its unit does "
    "not allow answer 422 with `type` `rule`. An indicator that is not adopted, or that "
    "computes itself (client surveys, check-ins), answers 409.",
    openapi_extra={
        "responses": {
            **RATE_LIMITED["responses"],
            400: {"description": "The body is not JSON."},
            409: {"description": "The indicator takes no values from the API."},
            422: {"description": "A part of the request is refused: `errors` says which."},
        }
    },
)
def put_measurement(
    request: HttpRequest, indicator_id: IndicatorId, period: IsoDay, payload: MeasurementIn
):
    indicator = _indicator(request, indicator_id)
    # The team's language is not known here: reasons are in English, like the schema.
    with translation.override("en"):
        try:
            measurement, created = services.measurement_enter(
                indicator=indicator,
                day=period,
                value=payload.value,
                note=payload.note,
                by=None,
                source=Indicator.Source.API,
            )
        except services.ValueRefused as refused:
            return Status(422, _refused(refused))
        except services.MeasurementRefused as refused:
            raise HttpError(409, refused.messages[0]) from None
    return Status(201 if created else 200, {**_out(indicator, measurement), "created": created})
