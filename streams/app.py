"""The stream server: server-sent events for live screens, in a process of its own.

    uvicorn streams.app:app --port 8001

GET /streams/<screen>?t=<token>&v=<version> answers text/event-stream. The token
(facilitation.push.token_for, signed by the web process) names the user, the screen and
the audiences' channel keys; checking it needs no database, and a stream holds none
while it waits. Each process subscribes once to the pub/sub channel and hands every
event to the streams of its keys (`Hub`).

A stream sends `event: changed` with the screen's version (its audiences' counters
joined, as the page's version) whenever one of them moves past what the screen holds:
at once on connect when the page (`v`) or the last event received (Last-Event-ID,
after the browser reconnects by itself) is already behind, and again after the
subscription is back from a Redis restart. Bursts coalesce: one event at most every
EVENT_GAP (a burst of 50 votes costs each screen a few fetches, not 50). A comment every
15 s keeps proxies from closing a quiet stream.
"""

import asyncio
import contextlib
import json
import logging
import os
import re
import time
from urllib.parse import parse_qs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import redis.asyncio as aioredis  # noqa: E402
from django.conf import settings  # noqa: E402
from redis.exceptions import RedisError  # noqa: E402

from facilitation import push  # noqa: E402

logger = logging.getLogger(__name__)

HEARTBEAT = 15.0
# The shortest time between two events of one stream (seconds).
EVENT_GAP = 0.15
# What the browser waits before reconnecting by itself after a dropped stream (ms).
RETRY_MS = 1000
PATH = re.compile(r"^/streams/(?P<screen>[a-z-]+\.\d+\.[a-z]+)$")


class Stream:
    """One open stream: the newest counter known for each of its keys."""

    def __init__(self, keys: list[str], seen: list[int]):
        self.keys = keys
        self.sent = dict(zip(keys, seen, strict=False))
        self.newest = dict(self.sent)
        self.wake = asyncio.Event()

    def hear(self, key: str, counter: int) -> None:
        if counter > self.newest.get(key, 0):
            self.newest[key] = counter
            self.wake.set()

    def due(self) -> bool:
        return any(self.newest[k] > self.sent.get(k, 0) for k in self.keys)

    def version(self) -> str:
        return "-".join(str(self.newest[k]) for k in self.keys)


class Hub:
    """The process's one pub/sub subscription, fanned out to the open streams."""

    def __init__(self, url: str, channel: str):
        self.url = url
        self.channel = channel
        self.streams: dict[str, set[Stream]] = {}
        self.redis = None
        self.task = None
        self.subscribed = asyncio.Event()

    async def start(self) -> None:
        self.redis = aioredis.Redis.from_url(self.url, socket_connect_timeout=2)
        self.task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.redis:
            await self.redis.aclose()

    def add(self, stream: Stream) -> None:
        for key in stream.keys:
            self.streams.setdefault(key, set()).add(stream)

    def remove(self, stream: Stream) -> None:
        for key in stream.keys:
            found = self.streams.get(key)
            if found is not None:
                found.discard(stream)
                if not found:
                    del self.streams[key]

    async def stored(self, keys: list[str]) -> list[int]:
        """The newest counters published for these keys (0 where none is kept)."""
        values = await self.redis.mget([push.counter_key(k) for k in keys])
        return [int(v) if v else 0 for v in values]

    async def _catch_up_all(self) -> None:
        keys = list(self.streams)
        if not keys:
            return
        for key, counter in zip(keys, await self.stored(keys), strict=True):
            for stream in list(self.streams.get(key, ())):
                stream.hear(key, counter)

    async def _listen(self) -> None:
        delay = 0.2
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.subscribed.set()
                delay = 0.2
                # Events published while the subscription was down are lost: each
                # stream compares its screen with the counters stored meanwhile.
                await self._catch_up_all()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    event = json.loads(message["data"])
                    for stream in list(self.streams.get(event["k"], ())):
                        stream.hear(event["k"], int(event["c"]))
            except (RedisError, OSError, ConnectionError):
                self.subscribed.clear()
                logger.warning("Stream subscription lost; retrying in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()


def _counters(version: str, size: int) -> list[int]:
    parts = version.split("-") if version else []
    if len(parts) != size or not all(p.isdigit() for p in parts):
        return [0] * size
    return [int(p) for p in parts]


async def _answer(send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


class StreamApp:
    def __init__(self):
        self.hub: Hub | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if settings.STREAMS_REDIS_URL:
                    self.hub = Hub(settings.STREAMS_REDIS_URL, settings.STREAMS_CHANNEL)
                    await self.hub.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.hub:
                    await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope, receive, send):
        found = PATH.match(scope["path"])
        if not found:
            return await _answer(send, 404, "Not found")
        if scope["method"] != "GET":
            return await _answer(send, 405, "GET only")
        if self.hub is None:
            return await _answer(send, 503, "No streams without Redis")
        query = parse_qs(scope["query_string"].decode())
        token = push.token_read(query.get("t", [""])[0], screen=found["screen"])
        if token is None:
            return await _answer(send, 403, "This stream's token is wrong or expired")
        keys = token["k"]
        headers = dict(scope["headers"])
        # The browser's own reconnection says what it last received; a new page says v.
        seen = headers.get(b"last-event-id", b"").decode() or query.get("v", [""])[0]
        stream = Stream(keys, _counters(seen, len(keys)))
        await self._serve(stream, receive, send)

    async def _serve(self, stream: Stream, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream"),
                    (b"cache-control", b"no-cache"),
                    (b"x-accel-buffering", b"no"),
                    # The token is the credential: any page holding one may read it.
                    (b"access-control-allow-origin", b"*"),
                ],
            }
        )
        self.hub.add(stream)
        gone = asyncio.create_task(_disconnected(receive))
        try:
            await _write(send, f"retry: {RETRY_MS}\n\n")
            with contextlib.suppress(RedisError, OSError):
                stored = await self.hub.stored(stream.keys)
                for key, counter in zip(stream.keys, stored, strict=True):
                    stream.hear(key, counter)
            sent_at = 0.0
            while not gone.done():
                if stream.due():
                    # At most one event per EVENT_GAP: a burst of votes becomes a few
                    # fetches per screen, each showing all the votes so far.
                    pause = sent_at + EVENT_GAP - time.monotonic()
                    if pause > 0:
                        await asyncio.wait({gone}, timeout=pause)
                        continue
                    sent_at = time.monotonic()
                    stream.sent = dict(stream.newest)
                    version = stream.version()
                    body = f"id: {version}\nevent: changed\ndata: {version}\n\n"
                else:
                    body = ": keep-alive\n\n"
                    stream.wake.clear()
                    waiter = asyncio.create_task(stream.wake.wait())
                    await asyncio.wait(
                        {waiter, gone}, timeout=HEARTBEAT, return_when=asyncio.FIRST_COMPLETED
                    )
                    waiter.cancel()
                    if gone.done() or stream.due():
                        continue
                await _write(send, body)
        except OSError:
            pass
        finally:
            self.hub.remove(stream)
            gone.cancel()


async def _write(send, text: str) -> None:
    await send({"type": "http.response.body", "body": text.encode(), "more_body": True})


async def _disconnected(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


app = StreamApp()
