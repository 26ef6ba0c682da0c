"""Reminders: 10,000 due in the same minute, sent exactly once by real Celery workers.

Twenty teams of fifty people with a weekly steering meeting each give about 26,000
planned reminders; 10,000 of them are made due in the same minute. The dispatcher (what
the beat runs every minute) queues them on Redis, Celery worker processes send them,
and a counting e-mail backend records every message. The scenario reports how long
until the last one is sent and checks each was sent exactly once. Environment:
BENCH_REMINDERS (10000), BENCH_CELERY_WORKERS (1 worker) x BENCH_CELERY_CONCURRENCY
(2) with BENCH_CELERY_POOL (prefork): the production worker (Procfile). On this
machine prefork x 2 sent 10,000 in 42 s, prefork x 4 in 40 s, threads x 8 in 55 s
(the threads share one interpreter lock). Run it alone on its Redis database
(BENCH_REDIS_URL): another benchmark clearing the same database drops queued tasks,
which the dispatcher only queues again five minutes later.
"""

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

from bench.harness import memory_report

ROOT = Path(__file__).resolve().parents[2]
TEAMS, PEOPLE = 20, 50


def _people_and_meetings() -> None:
    from django.utils import timezone

    from accounts.models import User
    from meetings import services
    from notifications.models import Reminder
    from teams.models import Membership, Organisation, Role, Team

    organisation = Organisation.objects.create(name="Bench Reminders", slug="bench-reminders")
    users = User.objects.bulk_create(
        [
            User(email=f"r{n}@bench.test", display_name=f"Person {n}", password="!")
            for n in range(TEAMS * PEOPLE)
        ]
    )
    start = timezone.localdate() + timedelta(days=1)
    for t in range(TEAMS):
        team = Team.objects.create(organisation=organisation, name=f"Team {t}", slug=f"rt-{t}")
        members = users[t * PEOPLE : (t + 1) * PEOPLE]
        Membership.objects.bulk_create(
            [
                Membership(team=team, user=u, role=Role.MANAGER if i == 0 else Role.MEMBER)
                for i, u in enumerate(members)
            ]
        )
        services.meeting_schedule(
            team=team,
            created_by=members[0],
            title=f"Steering {t}",
            frequency="weekly",
            start_date=start,
            start_time=clock(9, 30),
        )
    # The invitations are not part of the measure.
    Reminder.objects.filter(kind=Reminder.Kind.MEETING_UPDATE).update(status="sent")


def _start_workers(mailbox: Path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.worker_settings",
        "BENCH_MAILBOX": str(mailbox),
    }
    count = int(os.environ.get("BENCH_CELERY_WORKERS", "1"))
    concurrency = os.environ.get("BENCH_CELERY_CONCURRENCY", "2")
    pool = os.environ.get("BENCH_CELERY_POOL", "prefork")
    return [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency",
                concurrency,
                "--pool",
                pool,
                "--loglevel",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"bench{n}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(count)
    ]


def run(bench) -> None:
    import redis
    from django.conf import settings
    from django.utils import timezone

    from config.celery import app
    from notifications import services as outbox
    from notifications.models import Reminder

    wanted = int(os.environ.get("BENCH_REMINDERS", "10000"))
    app.conf.task_always_eager = False
    prepared = time.perf_counter()
    _people_and_meetings()
    # Scheduling queued dispatches of the invitations: drop them, the measure starts below.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    ids = list(
        Reminder.objects.filter(kind=Reminder.Kind.MEETING, status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)[:wanted]
    )
    minute = timezone.now().replace(second=0, microsecond=0)
    Reminder.objects.filter(pk__in=ids).update(due_at=minute)
    bench.report(
        f"{len(ids)} reminders due at {minute:%H:%M} UTC among "
        f"{Reminder.objects.count()} planned (set up in {time.perf_counter() - prepared:.1f} s)"
    )
    mailbox = Path(tempfile.mkdtemp(prefix="cocharter-bench-")) / "mailbox.txt"
    workers = _start_workers(mailbox)
    try:
        app.send_task("cocharter.ping", ignore_result=False).get(timeout=60)
        started = time.perf_counter()
        dispatched = outbox.reminders_dispatch_due()
        queued = time.perf_counter() - started
        again = outbox.reminders_dispatch_due()  # the next beat finds nothing new
        pending = Reminder.objects.filter(pk__in=ids, status__in=["pending", "sending"])
        deadline = time.monotonic() + 600
        next_beat = time.monotonic() + 60
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.25)
            if time.monotonic() >= next_beat:  # the beat keeps running every minute
                outbox.reminders_dispatch_due()
                next_beat += 60
        elapsed = time.perf_counter() - started
        celery = memory_report({f"celery worker {n + 1}": w.pid for n, w in enumerate(workers)})
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    sent_ids = [int(line) for line in mailbox.read_text().split()] if mailbox.exists() else []
    counts = Counter(sent_ids)
    statuses = Counter(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True))
    twice = sum(1 for n in counts.values() if n > 1)
    missing = len(set(ids) - set(counts))
    bench.report(
        f"dispatcher: {dispatched} queued in {queued:.1f} s ({dispatched / queued:.0f}/s); "
        f"a second run queued {again}"
    )
    bench.report(
        f"last of {len(ids)} reminders sent {elapsed:.1f} s after the dispatcher started "
        f"({len(ids) / elapsed:.0f}/s; target < 60 s)"
    )
    bench.report(
        f"exactly once: {len(counts)} reminders e-mailed, {len(sent_ids)} messages, "
        f"{twice} sent twice, {missing} missing; statuses {dict(statuses)}"
    )
    bench.report(celery)
    bench.report("OK" if (not twice and not missing and len(sent_ids) == len(ids)) else "FAILED")
