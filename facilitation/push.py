"""The push channel of live screens: Redis pub/sub, read by the stream server (streams/).

Each audience of a session has a channel key, `<kind>.<pk>.<audience>` (the audience's
counter in `facilitation.live`). After a change commits, `publish` (a `live.listen`
listener) stores the audience's new counter under that key, never moving it back, and
publishes a small invalidation event (key, counter, what changed) on one pub/sub
channel. The stream server sends it on to the screens that show that audience; their
browsers then fetch the fragment they need, as a poll would.

A page opens its stream with a signed, expiring token naming the user, the screen and
the audiences it shows (`stream_url`), so the stream server checks access without a
database. The token is only handed out on a page the user passed the access check for.

Without STREAMS_REDIS_URL (no Redis) nothing is published and pages render no stream:
they poll, as before.
"""

import json
import logging
from functools import cache as memoize
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing

from .live import Change, Live, listen

logger = logging.getLogger(__name__)

SALT = "facilitation.streams"
# A page's token opens (and reopens) its stream this long after the page was rendered.
TOKEN_MAX_AGE = 12 * 60 * 60
# The stored counters outlive any session; they only serve a catch-up on connect.
COUNTER_TTL = 60 * 60 * 24

# Stores a counter unless a newer one is there already (publishers may race).
_STORE_MAX = """
local old = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > old then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return redis.call('PUBLISH', ARGV[3], ARGV[4])
"""


def enabled() -> bool:
    return bool(settings.STREAMS_REDIS_URL and settings.STREAMS_URL)


def channel() -> str:
    return settings.STREAMS_CHANNEL


def counter_key(key: str) -> str:
    """Where the newest counter of an audience's channel key is kept, for catch-ups."""
    return f"{settings.STREAMS_CHANNEL}:v:{key}"


def audience_key(kind: str, pk: int, audience: str) -> str:
    return f"{kind}.{pk}.{audience}"


def screen_key(live: Live, pk: int, screen: str) -> str:
    return f"{live.kind}.{pk}.{screen}"


def token_for(*, user_id: int, live: Live, pk: int, screen: str) -> str:
    keys = [audience_key(live.kind, pk, a) for a in live.audiences(screen)]
    return signing.dumps(
        {"u": user_id, "s": screen_key(live, pk, screen), "k": keys}, salt=SALT, compress=True
    )


def token_read(token: str, *, screen: str) -> dict | None:
    """The token's content when it is genuine, unexpired and for this screen, else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("s") != screen or not data.get("k"):
        return None
    return data


def stream_url(*, user_id: int, live: Live, pk: int, screen: str, version: str) -> str:
    """The address of a screen's stream for the page just rendered ("" without streams).
    `version` is the page's version, so the stream catches up if it is already stale."""
    if not enabled():
        return ""
    query = urlencode(
        {"t": token_for(user_id=user_id, live=live, pk=pk, screen=screen), "v": version}
    )
    return f"{settings.STREAMS_URL}{screen_key(live, pk, screen)}?{query}"


@memoize
def _client():
    import redis

    # Short timeouts: a Redis that is down costs a request 1 s at most, never a failure.
    return redis.Redis.from_url(
        settings.STREAMS_REDIS_URL, socket_connect_timeout=1, socket_timeout=1
    )


@listen
def publish(change: Change) -> None:
    """Publishes a committed change for the stream servers (nothing without Redis)."""
    if not settings.STREAMS_REDIS_URL:
        return
    key = audience_key(change.kind, change.pk, change.audience)
    event = json.dumps({"k": key, "c": change.counter, "w": change.what})
    try:
        _client().eval(
            _STORE_MAX, 1, counter_key(key), change.counter, COUNTER_TTL, channel(), event
        )
    except Exception:  # the change is saved; polling screens still see it
        logger.warning("Could not publish a live change for %s", key, exc_info=True)
