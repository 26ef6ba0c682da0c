"""Live-update versions of workshops, kept in the shared cache (Redis in production).

A poll sends the version it last saw; when the cached version is the same, the view
answers 204 without rendering. Every change that other browsers must see bumps the
version after its transaction commits.
"""

import time

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 60 * 60 * 24

# Two counters per workshop: changes every screen shows, and changes only the
# facilitator's screen shows (who joined, who is done, dots cast while totals are hidden).
# Phones then keep answering 204 while their colleagues vote in secret.
EVERYONE = "everyone"
FACILITATOR = "facilitator"


def _key(workshop_id: int, audience: str) -> str:
    return f"charter:workshop:{workshop_id}:v:{audience}"


def _screen_keys(workshop_id: int, screen: str) -> list[str]:
    """The counters a screen shows: the facilitator's includes both."""
    audiences = [EVERYONE, FACILITATOR] if screen == FACILITATOR else [EVERYONE]
    return [_key(workshop_id, audience) for audience in audiences]


def _seed() -> int:
    # A time-based seed differs from any version handed out before the cache was emptied,
    # so no browser mistakes a fresh counter for what it has already seen.
    return time.time_ns() // 1000


def version_get(workshop_id: int, screen: str = EVERYONE) -> str:
    """The version a screen has to compare: the facilitator's includes both counters.
    A missing counter is created (poll_get, before the access check, creates none)."""
    keys = _screen_keys(workshop_id, screen)
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _seed(), TIMEOUT)
            found[key] = cache.get(key)
    return "-".join(str(found[key]) for key in keys)


def _bump(workshop_id: int, audience: str) -> None:
    try:
        cache.incr(_key(workshop_id, audience))
    except ValueError:
        cache.add(_key(workshop_id, audience), _seed(), TIMEOUT)


def version_bump(workshop_id: int, audience: str = EVERYONE) -> None:
    """Tells the open browsers of the workshop to fetch again, once the change is saved."""
    transaction.on_commit(lambda: _bump(workshop_id, audience))


# A poll that finds nothing new skips the membership query when the same person passed
# the full check for the same screen a moment ago. It only ever learns "nothing changed".
ACCESS_TIMEOUT = 60


def _access_key(user_id: int, workshop_id: int, screen: str) -> str:
    return f"charter:workshop:{workshop_id}:seen:{screen}:{user_id}"


def access_remember(user_id: int, workshop_id: int, screen: str) -> None:
    cache.set(_access_key(user_id, workshop_id, screen), 1, ACCESS_TIMEOUT)


def poll_get(workshop_id: int, screen: str, user_id: int) -> tuple[str | None, bool]:
    """What a poll compares, in one round trip to the cache: the screen's version (None
    while a counter is missing: a poll before its access check must not create keys for
    a workshop it may not see), and whether the user passed the access check for this
    screen a moment ago (access_remember)."""
    keys = _screen_keys(workshop_id, screen)
    access = _access_key(user_id, workshop_id, screen)
    found = cache.get_many([*keys, access])
    version = "-".join(str(found[key]) for key in keys) if all(k in found for k in keys) else None
    return version, access in found
