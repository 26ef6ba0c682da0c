"""Every URL of the project, requested by every kind of person.

A URL pattern without an entry in one of the `tests/<app>/access.py` tables fails
`test_every_url_is_in_the_access_matrix`, so a new view cannot ship unchecked.
"""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import ROLES
from tests.charter.access import CASES as CHARTER_CASES
from tests.coaching.access import CASES as COACHING_CASES
from tests.improvement.access import CASES as IMPROVEMENT_CASES
from tests.indicators.access import CASES as INDICATOR_CASES
from tests.interviews.access import CASES as INTERVIEW_CASES
from tests.meetings.access import CASES as MEETING_CASES
from tests.teams.access import CASES as TEAM_CASES

CASES = {
    **TEAM_CASES,
    **CHARTER_CASES,
    **INDICATOR_CASES,
    **MEETING_CASES,
    **IMPROVEMENT_CASES,
    **COACHING_CASES,
    **INTERVIEW_CASES,
}

# Third-party URL sets, covered elsewhere: the admin (staff only, tests/test_security.py)
# and allauth's account pages (tests/accounts/).
EXEMPT_MODULES = ("django.contrib.admin", "allauth", "django.contrib.staticfiles")


def _walk(patterns, namespace: str | None, exempt: bool):
    for p in patterns:
        if isinstance(p, URLResolver):
            module = getattr(p.urlconf_module, "__name__", "") or ""
            inner_exempt = exempt or module.startswith(EXEMPT_MODULES) or (p.app_name == "admin")
            ns = p.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, full, inner_exempt)
        elif isinstance(p, URLPattern) and not exempt:
            if p.name is None:
                raise AssertionError(f"URL pattern {p.pattern} has no name")
            yield f"{namespace}:{p.name}" if namespace else p.name


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns, None, False))


def test_every_url_is_in_the_access_matrix():
    missing = project_url_names() - CASES.keys()
    assert not missing, f"add these URL names to a tests/<app>/access.py table: {sorted(missing)}"


def test_the_access_matrix_has_no_stale_entries():
    stale = CASES.keys() - project_url_names()
    assert not stale, f"these access cases name no URL: {sorted(stale)}"


@pytest.fixture
def world(team, manager, lead, member, outsider):
    return SimpleNamespace(team=team, manager=manager, lead=lead, member=member, outsider=outsider)


CHECKS = sorted((name, method) for name, case in CASES.items() for method in case.requests())


@pytest.mark.parametrize(("name", "method"), CHECKS)
def test_access(name, method, world, people):
    case = CASES[name]
    request = case.requests()[method]
    url = reverse(name, kwargs=case.kwargs(world))
    got = {}
    for role in ROLES:
        response = getattr(people[role], method)(url, request.data(world))
        got[role] = response.status_code
    assert got == request.expected


def _methods_taken(client, url: str) -> set[str] | None:
    # Django's require_http_methods answers a method it does not take with 405 and the
    # list of those it takes, which is all this needs to know.
    response = client.generic("PROPFIND", url)
    if response.status_code != 405 or "Allow" not in response.headers:
        return None
    return {m.strip().lower() for m in response.headers["Allow"].split(",")} - {"head", "options"}


def test_the_method_probe_sees_what_a_view_takes(world, people):
    url = reverse("teams:settings", kwargs={"slug": world.team.slug})
    assert _methods_taken(people["manager"], url) == {"get", "post"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_method_a_view_takes_is_in_the_access_matrix(name, world, people):
    url = reverse(name, kwargs=CASES[name].kwargs(world))
    missing = (_methods_taken(people["manager"], url) or set()) - CASES[name].requests().keys()
    assert not missing, f"add {sorted(missing)} to the access case of {name} (Case.also)"
