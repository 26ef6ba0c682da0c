from indicators.models import Indicator
from tests.access import (
    EVERY_MEMBER,
    LEADS_AND_MANAGERS,
    MANAGERS_ONLY,
    PUBLIC,
    Case,
    post,
    statuses,
    team_kwargs,
)

from .factories import IndicatorFactory, SurveyFactory, WallLinkFactory, api_token_for

SIGNED_IN = statuses(outsider=200)
MEMBERS_REDIRECTED = statuses(member=302, lead=302, manager=302)
MANAGER_REDIRECTED = statuses(member=403, lead=403, manager=302)
EVERYONE_401 = statuses(anonymous=401, outsider=401, member=401, lead=401, manager=401)


def _adopted(w):
    return {**team_kwargs(w), "pk": IndicatorFactory(team=w.team).pk}


def _proposed(w):
    indicator = IndicatorFactory(team=w.team, status=Indicator.Status.PROPOSED)
    return {**team_kwargs(w), "pk": indicator.pk}


def _survey(w):
    return {**team_kwargs(w), "pk": SurveyFactory(team=w.team).pk}


def _token(w):
    return {**team_kwargs(w), "pk": api_token_for(w.team).pk}


def _wall(w):
    return {**team_kwargs(w), "pk": WallLinkFactory(team=w.team).pk}


CASES = {
    "indicators:lead_dashboard": Case(expected=SIGNED_IN),
    "indicators:dashboard": Case(kwargs=team_kwargs),
    "indicators:measure": Case(kwargs=_adopted, also=post(EVERY_MEMBER)),
    "indicators:list": Case(kwargs=team_kwargs),
    "indicators:create": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "indicators:import": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "indicators:import_confirm": Case(
        kwargs=team_kwargs, method="post", expected=MEMBERS_REDIRECTED
    ),
    "indicators:detail": Case(kwargs=_adopted),
    "indicators:edit": Case(kwargs=_proposed, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)),
    "indicators:opinion": Case(
        kwargs=_proposed,
        method="post",
        data=lambda w: {"choice": "support"},
        expected=MEMBERS_REDIRECTED,
    ),
    "indicators:comment": Case(
        kwargs=_proposed,
        method="post",
        data=lambda w: {"body": "Why not?"},
        expected=MEMBERS_REDIRECTED,
    ),
    "indicators:adopt": Case(kwargs=_proposed, method="post", expected=MANAGER_REDIRECTED),
    "indicators:retire": Case(kwargs=_adopted, method="post", expected=MANAGER_REDIRECTED),
    "indicators:target": Case(
        kwargs=_adopted,
        method="post",
        data=lambda w: {"valid_from": "2026-01-05", "value": "90"},
        expected=MANAGER_REDIRECTED,
    ),
    "indicators:export": Case(kwargs=_adopted),
    "indicators:reviews": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "indicators:surveys": Case(kwargs=team_kwargs),
    "indicators:survey_create": Case(kwargs=team_kwargs, method="post", expected=MANAGERS_ONLY),
    "indicators:survey_qr": Case(kwargs=_survey),
    "indicators:survey_close": Case(kwargs=_survey, method="post", expected=MANAGER_REDIRECTED),
    "indicators:integrations": Case(kwargs=team_kwargs, expected=MANAGERS_ONLY),
    "indicators:api_token_create": Case(
        kwargs=team_kwargs,
        method="post",
        data=lambda w: {"name": "help desk"},
        expected=MANAGERS_ONLY,
    ),
    "indicators:api_token_revoke": Case(kwargs=_token, method="post", expected=MANAGER_REDIRECTED),
    "indicators:wall_link_create": Case(
        kwargs=team_kwargs, method="post", expected=MANAGER_REDIRECTED
    ),
    "indicators:wall_link_revoke": Case(kwargs=_wall, method="post", expected=MANAGER_REDIRECTED),
    "indicators:survey_public": Case(
        kwargs=lambda w: {"token": SurveyFactory(team=w.team).token},
        expected=PUBLIC,
        also=post(PUBLIC),
    ),
    "indicators:wall": Case(
        kwargs=lambda w: {"token": WallLinkFactory(team=w.team).token}, expected=PUBLIC
    ),
    # The JSON API answers every session-authenticated request with 401: it only takes
    # team tokens (tests/indicators/test_api.py covers them).
    "api:api-root": Case(
        expected=statuses(anonymous=404, outsider=404, member=404, lead=404, manager=404)
    ),
    "api:openapi-json": Case(expected=PUBLIC),
    "api:openapi-view": Case(expected=PUBLIC),
    "api:list_indicators": Case(expected=EVERYONE_401),
    "api:list_measurements": Case(
        kwargs=lambda w: {"indicator_id": IndicatorFactory(team=w.team).pk}, expected=EVERYONE_401
    ),
    "api:put_measurement": Case(
        kwargs=lambda w: {"indicator_id": IndicatorFactory(team=w.team).pk, "period": "2026-01-05"},
        method="put",
        expected=EVERYONE_401,
    ),
}

__all__ = ["CASES", "EVERY_MEMBER", "LEADS_AND_MANAGERS"]
