"""Exactly once when things break: a worker killed mid-send, Redis restarting.

These tests start their own worker processes (and Redis server), so no healthy worker
from another module may consume their queue.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from notifications import services as outbox
from notifications.models import Reminder

from . import mailbox
from .test_reliability import ROOT, _env, all_done, broker, due, start_worker, stop, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
__all__ = ["broker", "due"]


def test_sent_once_when_the_worker_is_killed_mid_send_and_restarted(tmp_path, broker, due):
    box, block = tmp_path / "mailbox.txt", tmp_path / "block"
    block.touch()
    [pk] = due[:1]
    Reminder.objects.filter(pk__in=due[1:]).update(status="cancelled")
    first = start_worker(_env(box, MEETINGS_TEST_BLOCK=str(block)), "doomed")
    try:
        assert outbox.reminders_dispatch_due() == 1
        wait_for(lambda: Path(f"{block}.started").exists(), message="the send never started")
        assert Reminder.objects.get(pk=pk).status == "sending"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    block.unlink()
    assert mailbox.read(box) == []
    second = start_worker(_env(box), "restarted")
    try:
        # The beat keeps running; once the claim's lease has expired the row is queued again.
        later = timezone.now() + outbox.reminder_lease() + timedelta(seconds=1)
        assert outbox.reminders_dispatch_due(now=later) == 1
        wait_for(lambda: all_done([pk]), message="the reminder was lost")
    finally:
        stop(second)
    assert mailbox.read(box) == [pk]
    assert Reminder.objects.get(pk=pk).attempts == 2


def _dispatch_in_a_process(env: dict[str, str], minutes_later: int) -> subprocess.CompletedProcess:
    """Runs the dispatcher as the beat would, in its own process, `minutes_later`."""
    code = (
        "import django; django.setup()\n"
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from notifications.services import reminders_dispatch_due\n"
        f"now = timezone.now() + timedelta(minutes={minutes_later})\n"
        "print(reminders_dispatch_due(now=now))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _redis_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)

    def up() -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    wait_for(up, timeout=10, message="redis-server did not start")
    return process


def test_nothing_is_lost_when_redis_restarts(tmp_path, due):
    port = int(os.environ.get("MEETINGS_TEST_REDIS_PORT", "6390"))
    url = f"redis://127.0.0.1:{port}/0"
    box = tmp_path / "mailbox.txt"
    env = _env(box, url)
    server = _redis_server(port)
    try:
        # Queued while no worker runs, then Redis restarts without persistence: the
        # queued messages are gone.
        assert _dispatch_in_a_process(env, 0).stdout.strip() == "6"
        server.terminate()
        server.wait(timeout=10)
        # While Redis is down, the beat runs: it cannot queue, and does not crash.
        down = _dispatch_in_a_process(env, 6)
        assert down.returncode == 0, down.stderr
        server = _redis_server(port)
        worker = start_worker(env, "after-restart")
        try:
            # Rows still pending a while after dispatch are queued again.
            assert _dispatch_in_a_process(env, 12).stdout.strip() == "6"
            wait_for(lambda: all_done(due), message="reminders were lost with Redis")
        finally:
            stop(worker)
    finally:
        stop(server)
    assert Counter(mailbox.read(box)) == {pk: 1 for pk in due}
