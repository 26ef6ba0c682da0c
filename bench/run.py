"""`make bench`: runs the app under gunicorn on PostgreSQL and measures it.

Prints requests/s and p50/p95 latency per scenario. Results also go to
bench/results/latest.txt. Environment: BENCH_DATABASE (default cocharter_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/6), BENCH_SCENARIOS (comma-separated
module names to run only some), BENCH_WORKERS / BENCH_THREADS / BENCH_WORKER_CLASS for
gunicorn, BENCH_DEBUG=1 for the CPU split of the workshop burst.
"""

import importlib
import os
import platform
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = os.environ.get("BENCH_DATABASE", "cocharter_bench")
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_LOG_LEVEL": "WARNING",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_URL": "dummymail://",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{DB_NAME}"')
    python = sys.executable
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=os.environ, check=True)


def _start_server(port: int) -> subprocess.Popen:
    # The production shape (Procfile, docker-compose.yml): gthread workers with one
    # thread each, so a burst is served first come, first served.
    workers = os.environ.get("BENCH_WORKERS", "3")
    threads = os.environ.get("BENCH_THREADS", "1")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--threads",
            threads,
            "--worker-class",
            os.environ.get("BENCH_WORKER_CLASS", "gthread"),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                print(f"gunicorn: {workers} workers x {threads} threads on port {port}")
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    os.environ.update(ENV)
    os.chdir(ROOT)
    print(
        f"Cocharter benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    _prepare_database()
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()
    from bench.harness import Bench

    only = {s for s in os.environ.get("BENCH_SCENARIOS", "").split(",") if s}
    modules = sorted(p.stem for p in (ROOT / "bench" / "scenarios").glob("[a-z]*.py"))
    port = _free_port()
    server = _start_server(port)
    bench = Bench(f"http://127.0.0.1:{port}")
    try:
        for name in modules:
            if only and name not in only:
                continue
            module = importlib.import_module(f"bench.scenarios.{name}")
            bench.report(f"\n== {name}: {(module.__doc__ or '').strip().splitlines()[0]}")
            module.run(bench)
    finally:
        server.terminate()
        server.wait(timeout=20)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.txt").write_text("\n".join(bench.lines) + "\n")


if __name__ == "__main__":
    main()
