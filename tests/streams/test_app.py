"""The stream server for real (uvicorn on a free port): access by token, events as they
are published, catch-up from the page's version, and after a restart."""

import queue
import subprocess
import threading
import time

import httpx
import pytest
import redis
from django.conf import settings

from charter.live import WORKSHOP
from facilitation import push
from facilitation.live import Change
from tests.streams.conftest import StreamServer, free_port


class Reader:
    """Reads a stream in a thread; `events` receives each event's (id, data)."""

    def __init__(self, url: str, headers: dict | None = None):
        self.events: queue.Queue = queue.Queue()
        self.lines: list[str] = []
        self.status = None
        self.opened = threading.Event()
        self._stop = False
        self.thread = threading.Thread(target=self._run, args=(url, headers or {}), daemon=True)
        self.thread.start()
        assert self.opened.wait(5), "the stream did not open"

    def _run(self, url, headers):
        try:
            self._read(url, headers)
        except httpx.HTTPError:  # the server went away (a test stopped it)
            self.opened.set()

    def _read(self, url, headers):
        with httpx.Client(timeout=httpx.Timeout(5, read=30)) as client:
            with client.stream("GET", url, headers=headers) as response:
                self.status = response.status_code
                self.headers = response.headers
                self.opened.set()
                if response.status_code != 200:
                    return
                event = {}
                for line in response.iter_lines():
                    if self._stop:
                        return
                    self.lines.append(line)
                    if line == "" and event:
                        self.events.put((event.get("id"), event.get("data")))
                        event = {}
                    elif line.startswith(("id:", "data:", "event:")):
                        name, _, value = line.partition(":")
                        event[name] = value.strip()

    def next(self, timeout=3.0):
        return self.events.get(timeout=timeout)

    def none_within(self, seconds=0.5) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self):
        self._stop = True


def _url(server, pk, screen="everyone", version="1-1", live=WORKSHOP, user_id=7):
    token = push.token_for(user_id=user_id, live=live, pk=pk, screen=screen)
    return f"{server.url}{live.kind}.{pk}.{screen}?t={token}&v={version}"


def _publish(pk, audience, counter, kind="workshop"):
    push.publish(Change(kind, pk, audience, counter))


def test_a_published_change_reaches_the_open_stream_at_once(stream_server):
    stream = Reader(_url(stream_server, 1, "facilitator", version="100-200"))
    assert stream.status == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.none_within(0.3)  # nothing newer than the page: no event
    started = time.monotonic()
    _publish(1, "everyone", 101)
    assert stream.next() == ("101-200", "101-200")
    assert time.monotonic() - started < 1
    _publish(1, "facilitator", 201)
    assert stream.next() == ("101-201", "101-201")
    _publish(2, "everyone", 999)  # another workshop
    _publish(1, "everyone", 50)  # older than what the screen holds
    assert stream.none_within(0.5)
    stream.close()


def test_a_participant_s_stream_ignores_the_facilitator_s_changes(stream_server):
    stream = Reader(_url(stream_server, 3, "everyone", version="100"))
    _publish(3, "facilitator", 500)
    assert stream.none_within(0.5)
    _publish(3, "everyone", 101)
    assert stream.next() == ("101", "101")
    stream.close()


def test_a_stream_catches_up_at_once_from_an_older_version(stream_server):
    _publish(4, "everyone", 150)  # committed while the page was on its way
    stream = Reader(_url(stream_server, 4, version="140"))
    assert stream.next(timeout=2) == ("150", "150")
    stream.close()
    up_to_date = Reader(_url(stream_server, 4, version="150"))
    assert up_to_date.none_within(0.5)
    up_to_date.close()


def test_the_last_event_id_wins_over_the_page_s_version(stream_server):
    _publish(5, "everyone", 150)
    # The browser reconnects by itself with the same address and the last id it received.
    stream = Reader(_url(stream_server, 5, version="100"), headers={"Last-Event-ID": "150"})
    assert stream.none_within(0.5)
    stream.close()


def test_a_restarted_stream_server_catches_the_screen_up(stream_server):
    stream = Reader(_url(stream_server, 6, version="100"))
    _publish(6, "everyone", 101)
    assert stream.next()[0] == "101"
    stream_server.stop()
    _publish(6, "everyone", 102)  # while no stream server runs
    stream_server.start()
    # What the browser sends when it reconnects: the same address, the last id received.
    again = Reader(_url(stream_server, 6, version="100"), headers={"Last-Event-ID": "101"})
    assert again.next(timeout=2)[0] == "102"
    again.close()


@pytest.mark.parametrize(
    "path, status",
    [
        ("workshop.1.everyone?t=forged&v=1", 403),
        ("workshop.1.everyone?v=1", 403),
        ("nothing-here", 404),
    ],
)
def test_a_stream_without_a_genuine_token_is_refused(stream_server, path, status):
    response = httpx.get(stream_server.url + path)
    assert response.status_code == status


def test_another_screen_s_token_is_refused(stream_server):
    token = push.token_for(user_id=7, live=WORKSHOP, pk=1, screen="everyone")
    response = httpx.get(f"{stream_server.url}workshop.1.facilitator?t={token}")
    assert response.status_code == 403


def test_many_streams_share_one_subscription(stream_server):
    streams = [Reader(_url(stream_server, 8, version="1")) for _ in range(20)]
    _publish(8, "everyone", 2)
    assert all(s.next()[0] == "2" for s in streams)
    client = redis.Redis.from_url(settings.STREAMS_REDIS_URL)
    assert client.pubsub_numsub(settings.STREAMS_CHANNEL) == [
        (settings.STREAMS_CHANNEL.encode(), 1)
    ]
    for s in streams:
        s.close()


def _redis_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def own_redis(settings):
    """A Redis of the test's own, to restart (the shared one is not ours to stop)."""
    port = free_port()
    server = {"process": _redis_server(port)}
    settings.STREAMS_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    push._client.cache_clear()

    def restart():
        server["process"].kill()
        server["process"].wait(10)
        server["process"] = _redis_server(port)

    yield settings.STREAMS_REDIS_URL, restart
    server["process"].kill()
    server["process"].wait(10)
    push._client.cache_clear()


def test_a_stream_catches_up_after_its_redis_restarts(own_redis):
    url, restart = own_redis
    server = StreamServer(free_port(), url)
    server.start()
    try:
        stream = Reader(_url(server, 9, version="100"))
        _publish(9, "everyone", 101)
        assert stream.next()[0] == "101"
        restart()  # empty, as a Redis without persistence comes back
        push._client.cache_clear()
        # Published before the stream server has subscribed again: kept, then caught up.
        _publish(9, "everyone", 102)
        assert stream.next(timeout=8)[0] == "102"
        _publish(9, "everyone", 103)  # and the subscription is back
        assert stream.next()[0] == "103"
        stream.close()
    finally:
        server.stop()
