"""Every message once, whatever fails (issue 25): the charter-published e-mail, one outbox
row per member, with the broker down at publish, Redis restarted with work queued, a
worker SIGKILLed in the middle of the batch. Messages are counted per recipient (a row
is one recipient) across processes (tests/meetings/mailbox.py)."""

import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from charter.models import Step
from notifications import services as outbox
from notifications.models import Reminder
from tests.charter.conftest import make_published, make_workshop, put_keywords
from tests.factories import MembershipFactory
from tests.meetings import mailbox
from tests.meetings.test_crashes import _dispatch_in_a_process, _redis_server
from tests.meetings.test_reliability import (
    ROOT,
    _env,
    all_done,
    broker,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
__all__ = ["broker"]

MEMBERS = 30


@pytest.fixture
def crowd(team, manager):
    """A team of MEMBERS people (the manager among them)."""
    MembershipFactory.create_batch(MEMBERS - 1, team=team)
    return team


def _charter_rows():
    return Reminder.objects.filter(kind=Reminder.Kind.CHARTER_PUBLISHED)


def _per_recipient(box: Path) -> Counter:
    ids = set(_charter_rows().values_list("pk", flat=True))
    return Counter(pk for pk in mailbox.read(box) if pk in ids)


def _publish_in_a_process(env: dict[str, str], workshop_id: int, by_id: int):
    code = (
        "import django; django.setup()\n"
        "from accounts.models import User\n"
        "from charter import services\n"
        "from charter.models import Workshop\n"
        f"workshop = Workshop.objects.get(pk={workshop_id})\n"
        f"version = services.charter_publish(workshop=workshop, by=User.objects.get(pk={by_id}))\n"
        "print(version.number)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_published_with_the_broker_down_then_redis_restarted_each_member_mailed_once(
    tmp_path, crowd, manager
):
    port = int(__import__("os").environ.get("MEETINGS_TEST_REDIS_PORT", "6390"))
    url = f"redis://127.0.0.1:{port}/0"
    box = tmp_path / "mailbox.txt"
    env = _env(box, url)
    env["REDIS_URL"] = settings.REDIS_URL  # the cache stays up: only the broker fails
    workshop = make_workshop(crowd, manager, step=Step.PUBLISH)
    (item,) = put_keywords(workshop, "Helpful")
    item.selected, item.statement, item.coaching_question = True, "We help.", "Did you?"
    item.save()
    # No broker at all: publishing still succeeds, and the rows wait in the outbox.
    published = _publish_in_a_process(env, workshop.pk, manager.pk)
    assert published.returncode == 0, published.stderr
    assert published.stdout.strip() == "1"
    rows = _charter_rows()
    assert rows.count() == MEMBERS and set(rows.values_list("status", flat=True)) == {"pending"}
    server = _redis_server(port)
    try:
        # The beat queues them; then Redis restarts without persistence: the queue is gone.
        assert _dispatch_in_a_process(env, 0).stdout.strip() == str(MEMBERS)
        stop(server)
        server = _redis_server(port)
        worker = start_worker(env, "charter-after-restart")
        try:
            # Rows still pending a while after their dispatch are queued again.
            assert _dispatch_in_a_process(env, 6).stdout.strip() == str(MEMBERS)
            ids = list(rows.values_list("pk", flat=True))
            wait_for(lambda: all_done(ids), message="charter e-mails were lost")
        finally:
            stop(worker)
    finally:
        stop(server)
    counts = _per_recipient(box)
    assert len(counts) == MEMBERS and set(counts.values()) == {1}


def test_a_worker_killed_in_the_middle_of_the_batch_mails_no_one_twice(
    tmp_path, broker, crowd, manager
):
    box, block = tmp_path / "mailbox.txt", tmp_path / "block"
    make_published(crowd, manager)  # eager here: the rows are written, nothing sent yet
    rows = _charter_rows()
    ids = list(rows.values_list("pk", flat=True))
    assert len(ids) == MEMBERS
    # A few go out, then the next send blocks and the worker is killed in the middle of it.
    first = start_worker(_env(box, MEETINGS_TEST_BLOCK=str(block)), "charter-doomed")
    try:
        assert outbox.reminders_dispatch_due() == MEMBERS
        wait_for(lambda: len(mailbox.read(box)) >= 5, message="nothing was sent")
        block.touch()
        wait_for(lambda: Path(f"{block}.started").exists(), message="no send started")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    block.unlink()
    assert rows.filter(status="sending").exists()  # the one killed mid-send
    second = start_worker(_env(box), "charter-restarted")
    try:
        later = timezone.now() + outbox.reminder_lease() + timedelta(seconds=1)
        outbox.reminders_dispatch_due(now=later)
        wait_for(lambda: all_done(ids), message="charter e-mails were lost")
    finally:
        stop(second)
    counts = _per_recipient(box)
    assert len(counts) == MEMBERS and set(counts.values()) == {1}
