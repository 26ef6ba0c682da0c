"""A real stream server (uvicorn running streams.app) on a free port, for the tests of
streams and of live screens that listen to them."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from facilitation import push

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamServer:
    def __init__(self, port: int, redis_url: str):
        self.port = port
        self.redis_url = redis_url
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/streams/"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "STREAMS_REDIS_URL": self.redis_url,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "streams.app:app", "--port", str(self.port)]
            + ["--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the stream server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def stream_server():
    server = StreamServer(free_port(), settings.STREAMS_REDIS_URL)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def streams_on(settings, stream_server):
    """Pages open their streams on the test's stream server (another origin)."""
    settings.STREAMS_URL = stream_server.url
    policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    policy["DIRECTIVES"]["connect-src"].append(f"http://127.0.0.1:{stream_server.port}")
    settings.CONTENT_SECURITY_POLICY = policy
    return stream_server


@pytest.fixture(autouse=True)
def _forget_counters():
    client = redis.Redis.from_url(settings.STREAMS_REDIS_URL)
    for key in client.scan_iter(push.counter_key("*")):
        client.delete(key)
    yield
    client.close()
