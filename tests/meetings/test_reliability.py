"""Exactly once, for real: PostgreSQL, Redis and Celery worker processes.

Each worker runs `tests.meetings.worker_settings` against the test database, and records
what it sends in a file (tests/meetings/mailbox.py), so messages are counted across
processes.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from meetings import services
from notifications import services as outbox
from notifications import tasks
from notifications.models import Reminder

from . import mailbox
from .conftest import make_due
from .factories import first_occurrence, weekly_meeting

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _env(mailbox_path: Path, redis_url: str | None = None, **extra) -> dict[str, str]:
    url = redis_url or settings.CELERY_BROKER_URL
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.meetings.worker_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "REDIS_URL": url,
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "MEETINGS_TEST_MAILBOX": str(mailbox_path),
        **extra,
    }


def start_worker(env: dict[str, str], name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"{name}-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        # Cold shutdown: the tests wait for their own results, nothing is left running.
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, timeout: float = 90, message: str = "timed out") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def all_done(ids) -> bool:
    return not Reminder.objects.filter(pk__in=ids, status__in=["pending", "sending"]).exists()


@pytest.fixture
def broker():
    """Publishing goes to Redis for real (the suite otherwise runs tasks eagerly)."""
    from config.celery import app

    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


@pytest.fixture(scope="module")
def shared_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker for the tests below that need a healthy one (it starts in seconds)."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    box = tmp_path_factory.mktemp("meetings") / "mailbox.txt"
    with django_db_blocker.unblock():
        process = start_worker(_env(box), "meetings")
    yield box
    stop(process)


@pytest.fixture
def worker(shared_worker, broker):
    return shared_worker


def sent(box: Path, ids) -> Counter:
    """How many messages the worker sent for each of these reminders."""
    ids = set(ids)
    return Counter(pk for pk in mailbox.read(box) if pk in ids)


@pytest.fixture
def due(team, manager, lead, member):
    """Six reminders due now (three people, two offsets of the next meeting)."""
    from config.celery import app

    # Scheduling queues a dispatch of the invitations: run it here, not in a worker that
    # would then also dispatch the reminders the test is about to make due.
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        meeting = weekly_meeting(team, created_by=manager)
    finally:
        app.conf.task_always_eager = eager
    return make_due(kind=Reminder.Kind.MEETING, occurrence=first_occurrence(meeting))


def test_sent_once_when_the_dispatcher_runs_twice_and_tasks_are_delivered_twice(
    worker, broker, due
):
    assert outbox.reminders_dispatch_due() == len(due) == 6
    assert outbox.reminders_dispatch_due() == 0
    for pk in due:  # the broker delivers every task a second time
        tasks.send_reminder.apply_async((pk,))
    wait_for(lambda: all_done(due), message="the worker did not send the reminders")
    # The duplicates are queued behind the originals: a ping sent last comes back after
    # the worker has handled them all.
    broker.send_task("cocharter.ping", ignore_result=False).get(timeout=90)
    assert sent(worker, due) == {pk: 1 for pk in due}
    assert set(Reminder.objects.filter(pk__in=due).values_list("status", flat=True)) == {"sent"}


def test_sent_once_when_two_dispatchers_run_at_the_same_moment(worker, due):
    barrier = threading.Barrier(2)
    counts = []

    def dispatcher():
        try:
            barrier.wait()
            counts.append(outbox.reminders_dispatch_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(due), "SKIP LOCKED shares the rows between the dispatchers"
    wait_for(lambda: all_done(due))
    assert sent(worker, due) == {pk: 1 for pk in due}


def test_a_reminder_of_a_cancelled_occurrence_is_not_sent_by_the_worker(worker, broker, due):
    occurrence = Reminder.objects.get(pk=due[0]).occurrence
    # The cancellation queues a dispatch of its updates; the worker running it could
    # take them before the dispatch below counts them. This test dispatches itself.
    with mock.patch.object(outbox, "dispatch_soon"):
        services.occurrence_cancel(occurrence=occurrence)
    assert outbox.reminders_dispatch_due() == 3  # the updates, not the reminders
    for pk in due:  # as if their tasks had been queued just before the cancellation
        tasks.send_reminder.apply_async((pk,))
    broker.send_task("cocharter.ping", ignore_result=False).get(timeout=90)
    assert sent(worker, due) == {}
    assert set(Reminder.objects.filter(pk__in=due).values_list("status", flat=True)) == {
        "cancelled"
    }
    # The participants are told instead, once each.
    updates = list(
        Reminder.objects.filter(
            kind=Reminder.Kind.MEETING_UPDATE, occurrence=occurrence
        ).values_list("pk", flat=True)
    )
    assert len(updates) == 3
    wait_for(lambda: all_done(updates), message="the update was not sent")
    assert sent(worker, updates) == {pk: 1 for pk in updates}


def _worker_backends() -> set[int]:
    """The database sessions of other processes (the worker's) on the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return {pid for (pid,) in cursor.fetchall()}


def test_the_worker_keeps_its_database_session_from_one_reminder_to_the_next(worker, broker, due):
    """Celery would close it around every task; each reminder would pay a new session."""
    first, rest = due[:2], due[2:]
    Reminder.objects.filter(pk__in=rest).update(due_at=timezone.now() + timedelta(days=1))
    outbox.reminders_dispatch_due()
    wait_for(lambda: all_done(first))
    sessions = _worker_backends()
    assert sessions, "the worker closed its database session after its task"
    Reminder.objects.filter(pk__in=rest).update(due_at=timezone.now() - timedelta(minutes=1))
    outbox.reminders_dispatch_due()
    wait_for(lambda: all_done(rest))
    assert _worker_backends() == sessions
