"""Live-update versions of gap-analysis meetings, kept in the shared cache (Redis).

Every change to a meeting bumps its version after commit; a browser polls with the
version it last saw and gets 204 (nothing rendered) while the number is unchanged.
"""

from django.core.cache import cache
from django.db import transaction

TTL = 60 * 60 * 24


def _key(meeting_id: int) -> str:
    return f"gap-meeting:{meeting_id}:version"


def version_get(*, meeting_id: int) -> int:
    return int(cache.get(_key(meeting_id)) or 0)


def _bump(meeting_id: int) -> None:
    key = _key(meeting_id)
    cache.add(key, 0, TTL)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, TTL)


def version_bump(*, meeting_id: int) -> None:
    """Bumps the version once the current transaction commits (now, outside of one)."""
    transaction.on_commit(lambda: _bump(meeting_id))
