"""Live versions of facilitated sessions, kept in the shared cache (Redis in production).

Each kind of session has one `Live` (workshops, gap-analysis meetings). A screen shows
the changes of one or more audiences: everyone's (the step, revealed totals, answers)
and, on the facilitator's screen, also the facilitator's own (who joined, dots cast
while totals are hidden). Each audience has a counter; a screen's version is its
counters joined, so phones keep answering 204 while colleagues vote in secret.

A change calls `changed()` once: after its transaction commits, the audience's counter
moves on and every listener (`listen`) hears a `Change` saying what changed, for whom,
and the new counter. Polling browsers see the new version on their next poll; a push
channel registers a listener and tells them at once.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60 * 24

EVERYONE = "everyone"
FACILITATOR = "facilitator"

# What changed, for a listener that wants to fetch only the part concerned. "" is
# anything on the screen.
STEP = "step"
TIMER = "timer"

# A poll that finds nothing new skips the access check when the same person passed the
# full check for the same screen a moment ago. It only ever learns "nothing changed".
ACCESS_TIMEOUT = 60


@dataclass(frozen=True)
class Change:
    kind: str  # the Live's kind: "workshop", "gap-meeting"
    pk: int
    audience: str  # EVERYONE or FACILITATOR
    counter: int  # the audience's counter after the change
    what: str = ""


_listeners: list[Callable[[Change], None]] = []


def listen(listener: Callable[[Change], None]) -> Callable[[Change], None]:
    """Registers a function told of every change, after its commit (usable as decorator)."""
    _listeners.append(listener)
    return listener


def _seed() -> int:
    # A time-based seed differs from any version handed out before the cache was emptied,
    # so no browser mistakes a fresh counter for what it has already seen.
    return time.time_ns() // 1000


@dataclass(frozen=True)
class Live:
    """The live versions of one kind of session. Without `private` changes (for the
    facilitator's screen only), every screen shows the EVERYONE audience alone."""

    kind: str
    private: bool = True

    def audiences(self, screen: str) -> list[str]:
        """The audiences a screen shows: the facilitator's shows everyone's changes too."""
        return [EVERYONE, FACILITATOR] if self.private and screen == FACILITATOR else [EVERYONE]

    def _key(self, pk: int, audience: str) -> str:
        return f"live:{self.kind}:{pk}:v:{audience}"

    def _keys(self, pk: int, screen: str) -> list[str]:
        return [self._key(pk, audience) for audience in self.audiences(screen)]

    def _access_key(self, pk: int, screen: str, user_id: int) -> str:
        return f"live:{self.kind}:{pk}:seen:{screen}:{user_id}"

    def version(self, pk: int, screen: str = EVERYONE) -> str:
        """The version a screen compares. A missing counter is created (`poll`, which
        runs before the access check, creates none)."""
        keys = self._keys(pk, screen)
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, _seed(), TIMEOUT)
                found[key] = cache.get(key)
        return "-".join(str(found[key]) for key in keys)

    def poll(self, pk: int, screen: str, user_id: int) -> tuple[str | None, bool]:
        """What a poll compares, in one round trip to the cache: the screen's version
        (None while a counter is missing: a poll before its access check must not create
        keys for a session it may not see), and whether the user passed the access check
        for this screen a moment ago (`access_remember`)."""
        keys = self._keys(pk, screen)
        access = self._access_key(pk, screen, user_id)
        found = cache.get_many([*keys, access])
        known = all(key in found for key in keys)
        version = "-".join(str(found[key]) for key in keys) if known else None
        return version, access in found

    def access_remember(self, pk: int, screen: str, user_id: int) -> None:
        cache.set(self._access_key(pk, screen, user_id), 1, ACCESS_TIMEOUT)

    def changed(self, pk: int, *, audience: str = EVERYONE, what: str = "") -> None:
        """Tells the open screens of the session that something changed, once the change
        is saved (at once outside a transaction)."""
        transaction.on_commit(lambda: self._bump(pk, audience, what))

    def _bump(self, pk: int, audience: str, what: str) -> None:
        key = self._key(pk, audience)
        try:
            counter = cache.incr(key)
        except ValueError:  # never read, or evicted: start again from the time
            cache.add(key, _seed(), TIMEOUT)
            counter = cache.get(key)
        change = Change(self.kind, pk, audience, counter, what)
        for listener in _listeners:
            try:
                listener(change)
            except Exception:  # a push that fails leaves the polls working: never the change
                logger.exception("A live listener failed on %s", change)
