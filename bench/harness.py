"""What benchmark scenarios share: a running app, sessions, timed load, a report.

`bench/run.py` prepares a PostgreSQL database (`cocharter_bench`), starts the app under
gunicorn with production settings and calls `run(bench)` of every module in
`bench/scenarios/`, in name order. A scenario creates its data with the ORM (Django is set
up against the same database), then measures pages through `bench.measure(...)`.
"""

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx


@dataclass
class Stats:
    name: str
    count: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    statuses: dict[int, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else float("nan")

    def line(self) -> str:
        return (
            f"{self.name:<44} {self.count:>6} req  {self.rps:>8.1f} req/s  "
            f"p50 {self.p50:>7.1f} ms  p95 {self.p95:>7.1f} ms  errors {self.errors}"
        )


class Bench:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.lines: list[str] = []

    # People -------------------------------------------------------------------------
    def session_cookie(self, user) -> dict[str, str]:
        """A logged-in session for `user`, as the cookie a browser would send."""
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.cache import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return {settings.SESSION_COOKIE_NAME: session.session_key}

    def client(self, cookies: dict[str, str] | None = None) -> httpx.Client:
        headers = {"X-Forwarded-Proto": "https"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    # Load ---------------------------------------------------------------------------
    def measure(
        self,
        name: str,
        request: Callable[[httpx.Client, int], httpx.Response],
        *,
        count: int,
        concurrency: int = 4,
        cookies: Callable[[int], dict[str, str]] | dict[str, str] | None = None,
        ok: Callable[[httpx.Response], bool] = lambda r: r.status_code < 400,
        warmup: int = 5,
    ) -> Stats:
        """Sends `count` requests from `concurrency` threads; `request(client, i)` sends one.

        Each thread has its own connection (and its own cookies when `cookies` is a
        function of the thread number), like separate browsers.
        """
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        errors = 0
        lock = threading.Lock()
        counter = iter(range(count))

        def worker(thread_no: int) -> None:
            nonlocal errors
            jar = cookies(thread_no) if callable(cookies) else cookies
            with self.client(jar) as client:
                for i in range(warmup if thread_no == 0 else 0):
                    request(client, -1 - i)
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    start = time.perf_counter()
                    try:
                        response = request(client, i)
                        good = ok(response)
                        status = response.status_code
                    except httpx.HTTPError:
                        good, status = False, 0
                    elapsed = (time.perf_counter() - start) * 1000
                    with lock:
                        latencies.append(elapsed)
                        statuses[status] = statuses.get(status, 0) + 1
                        errors += 0 if good else 1

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stats = Stats(
            name, len(latencies), errors, time.perf_counter() - started, latencies, statuses
        )
        self.report(stats.line())
        return stats

    def report(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)
