"""A real Celery worker, started as a separate process, consumes the Redis queue."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.worker


@pytest.fixture
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    process = subprocess.Popen(
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
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_task_runs_through_a_real_worker_and_redis(worker):
    from config.celery import app

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).ping()
    app.conf.task_always_eager = False
    try:
        result = app.send_task("cocharter.ping", ignore_result=False)
        assert result.get(timeout=30) == "pong"
    finally:
        app.conf.task_always_eager = True
    assert worker.poll() is None, "the worker stopped"


def test_tasks_are_acknowledged_late_and_requeued_if_the_worker_dies():
    from config.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
