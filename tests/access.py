"""Building blocks of the URL access matrix (tests/test_url_access.py).

Every app lists its URL names in `tests/<app>/access.py` as a `CASES` dict: name ->
`Case`. A case says how to build the URL's arguments for a world (a team with a manager,
a lead and a member, plus an outsider), which method to use, and the status each
person gets. The roles are requested in the order of ROLES, so a case whose allowed
role changes something (a POST) still sees the refusals first.
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
class Case:
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})
    expected: dict[str, int] = field(default_factory=lambda: dict(EVERY_MEMBER))
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})


def team_kwargs(w: SimpleNamespace) -> dict:
    return {"slug": w.team.slug}
