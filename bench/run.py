"""`make bench`: runs the app under gunicorn on PostgreSQL and measures it.

Prints requests/s and p50/p95 latency per scenario, and after each the memory of the
web processes (gunicorn, nginx). Results also go to
bench/results/latest.txt. Environment: BENCH_DATABASE (default cocharter_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/6), BENCH_SCENARIOS (comma-separated
module names to run only some), WEB_CONCURRENCY / WEB_WORKER_CLASS / WEB_THREADS for
gunicorn (config/gunicorn.py), BENCH_DEBUG=1 for the CPU split of the workshop burst.
nginx, when installed, runs in front of gunicorn as in docker-compose.yml (BENCH_NO_NGINX=1
to measure gunicorn alone).
"""

import importlib
import os
import platform
import runpy
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import proxy  # noqa: E402 (the project's root on the path first)

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


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{DB_NAME}"')
    python = sys.executable
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=os.environ, check=True)


def _start_server(port: int) -> subprocess.Popen:
    """gunicorn with the production settings of config/gunicorn.py (WEB_CONCURRENCY,
    WEB_WORKER_CLASS and WEB_THREADS change them, as they do in production)."""
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    proxy.wait_until_up(port, server, "gunicorn")
    return server


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
    from bench.harness import Bench, memory_report

    only = {s for s in os.environ.get("BENCH_SCENARIOS", "").split(",") if s}
    modules = sorted(p.stem for p in (ROOT / "bench" / "scenarios").glob("[a-z]*.py"))
    port = proxy.free_port()
    servers = {"gunicorn": _start_server(port)}
    folder = tempfile.TemporaryDirectory(prefix="cocharter-bench-")
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    shape = f"gunicorn: {conf['workers']} {conf['worker_class']} workers"
    # As in docker-compose.yml, browsers talk to nginx; BENCH_NO_NGINX=1 skips it.
    if not proxy.nginx():
        shape += ", no nginx in front (not installed)"
    elif os.environ.get("BENCH_NO_NGINX"):
        shape += ", no nginx in front"
    else:
        front = proxy.free_port()
        servers["nginx"] = proxy.start(front, f"127.0.0.1:{port}", Path(folder.name))
        port, shape = front, shape + " behind nginx"
    bench = Bench(f"http://127.0.0.1:{port}")
    bench.report(shape)
    try:
        for name in modules:
            if only and name not in only:
                continue
            module = importlib.import_module(f"bench.scenarios.{name}")
            bench.report(f"\n== {name}: {(module.__doc__ or '').strip().splitlines()[0]}")
            module.run(bench)
            bench.report(memory_report({role: server.pid for role, server in servers.items()}))
    finally:
        for server in reversed(servers.values()):  # the proxy first
            server.terminate()
            server.wait(timeout=20)
        folder.cleanup()
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.txt").write_text("\n".join(bench.lines) + "\n")


if __name__ == "__main__":
    main()
