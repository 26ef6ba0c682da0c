"""Building blocks of the URL access matrix (tests/test_url_access.py).

Every app lists its URL names in `tests/<app>/access.py` as a `CASES` dict: name ->
`Case`. A case says how to build the URL's arguments for a world (a team with a manager,
a lead and a member, plus an outsider), which method to use, and the status each
person gets; `also` adds the view's other methods (usually the POST of a form page).
The roles are requested in the order of ROLES, so a case whose allowed role changes
something (a POST) still sees the refusals first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = ("anonymous", "outsider", "member", "lead", "manager")


def statuses(anonymous=302, outsider=404, member=200, lead=200, manager=200) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "outsider": outsider,
        "member": member,
        "lead": lead,
        "manager": manager,
    }


# Typical expectations. Anonymous people are sent to the login page (302).
EVERY_MEMBER = statuses()
LEADS_AND_MANAGERS = statuses(member=403)
MANAGERS_ONLY = statuses(member=403, lead=403)
PUBLIC = statuses(anonymous=200, outsider=200)


@dataclass
class Request:
    """One more method a view takes, with the status each person gets for it."""

    method: str
    expected: dict[str, int]
    data: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})


@dataclass
class Case:
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})
    expected: dict[str, int] = field(default_factory=lambda: dict(EVERY_MEMBER))
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})
    # A view answering GET and POST lists the POST here: each method is checked for
    # every person, and tests/test_url_access.py fails when a method is left out.
    also: tuple[Request, ...] = ()

    def requests(self) -> dict[str, Request]:
        first = Request(method=self.method, expected=self.expected, data=self.data)
        return {r.method: r for r in (first, *self.also)}


def post(expected: dict[str, int], data: Callable[[SimpleNamespace], dict] | None = None):
    """The POST side of a GET + POST view, for `Case.also`."""
    return (Request(method="post", expected=expected, data=data or (lambda w: {})),)


def team_kwargs(w: SimpleNamespace) -> dict:
    return {"slug": w.team.slug}
