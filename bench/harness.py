"""What benchmark scenarios share: a running app, sessions, timed load, a report.

`bench/run.py` prepares a PostgreSQL database (`cocharter_bench`), starts the app under
gunicorn with production settings and calls `run(bench)` of every module in
`bench/scenarios/`, in name order. A scenario creates its data with the ORM (Django is set
up against the same database), then measures pages through `bench.measure(...)`.
"""

import http.client
import os
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

# What a request can fail with: the socket's errors and the HTTP library's.
ClientError = (OSError, http.client.HTTPException)


class Headers(dict):
    """An answer's headers, looked up whatever their case, as a browser does."""

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default=None):
        return super().get(name.lower(), default)


class Response:
    """What a scenario looks at in an answer."""

    def __init__(self, status_code: int, headers: Headers, content: bytes):
        self.status_code = status_code
        self.headers = headers
        self.content = content


class Client:
    """One browser connection, kept alive between requests: HTTP/1.1 written and read
    straight off a socket. The load runs on the same two cores as the server, and every
    millisecond of CPU it takes is one the server does not get: the standard library's
    http.client cost four times this client's CPU per request through the proxy (190
    against 45 µs), httpx took over a third of the machine during the workshop burst.
    It speaks what the proxy answers: Content-Length or chunked bodies, kept-alive
    connections or closed ones."""

    def __init__(self, base_url: str, headers: dict[str, str], timeout: float = 30) -> None:
        url = urlsplit(base_url)
        self.host, self.port, self.timeout = url.hostname, url.port, timeout
        self.headers = {"Host": f"{self.host}:{self.port}", **headers}
        self._fixed = self._lines(self.headers)
        self._socket: socket.socket | None = None
        self._reader = None
        self.connections_opened = 0

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._socket is not None:
            self._reader.close()
            self._socket.close()
            self._socket = self._reader = None

    def get(self, path: str, *, params: dict | None = None, headers: dict | None = None):
        if params:
            path = f"{path}?{urlencode(params)}"
        return self.request("GET", path, None, headers)

    def post(self, path: str, *, data: dict | None = None, headers: dict | None = None):
        body = urlencode(data or {}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, {**form, **(headers or {})})

    def request(self, method: str, path: str, body: bytes | None, headers: dict | None):
        fixed, extra = self._fixed, headers or {}
        if extra.keys() & self.headers.keys():  # a header of the request's own replaces ours
            fixed, extra = self._lines({**self.headers, **extra}), {}
        head = [f"{method} {path} HTTP/1.1\r\n", fixed, self._lines(extra)]
        if body is not None:
            head.append(f"Content-Length: {len(body)}\r\n")
        message = "".join(head).encode("latin-1") + b"\r\n" + (body or b"")
        for attempt in (1, 2):
            reused = self._socket is not None
            if not reused:
                self.connections_opened += 1
                self._socket = socket.create_connection((self.host, self.port), self.timeout)
                self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._reader = self._socket.makefile("rb")
            try:
                self._socket.sendall(message)
                return self._read(method)
            except ConnectionError:
                # The server closed an idle kept-alive connection before this request
                # reached it: open a new one and send it again, as browsers do.
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            except BaseException:
                self.close()
                raise
        raise AssertionError("unreachable")

    @staticmethod
    def _lines(headers: dict[str, str]) -> str:
        return "".join(f"{name}: {value}\r\n" for name, value in headers.items())

    def _read(self, method: str) -> Response:
        reader = self._reader
        status_line = reader.readline(65537)
        if not status_line:
            raise http.client.RemoteDisconnected("the server closed the connection")
        version, _, rest = status_line.decode("latin-1").partition(" ")
        if not version.startswith("HTTP/"):
            raise http.client.BadStatusLine(status_line)
        status = int(rest[:3])
        headers = Headers()
        while (line := reader.readline(65537)) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        will_close = connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive")
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            content = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            content = self._read_chunks(reader)
        elif "content-length" in headers:
            content = self._read_exactly(reader, int(headers["content-length"]))
        else:
            content, will_close = reader.read(), True
        if will_close:
            self.close()
        return Response(status, headers, content)

    @staticmethod
    def _read_exactly(reader, size: int) -> bytes:
        content = reader.read(size)
        if len(content) < size:
            raise http.client.IncompleteRead(content, size - len(content))
        return content

    def _read_chunks(self, reader) -> bytes:
        chunks = []
        while size := int(reader.readline(65537).split(b";")[0].strip() or b"0", 16):
            chunks.append(self._read_exactly(reader, size))
            reader.readline(65537)
        while reader.readline(65537) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)


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

    # Machine ------------------------------------------------------------------------
    def settle(self) -> None:
        """Writes out what setting up a scenario left dirty (the new database, its rows,
        collected static files) before the timing starts: otherwise the kernel flushes it
        in the middle of a measurement, and its ext4 workers take CPU from the server."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        os.sync()

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

    def client(self, cookies: dict[str, str] | None = None) -> Client:
        headers = {"X-Forwarded-Proto": "https"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return Client(self.base_url, headers, timeout=30)

    # Load ---------------------------------------------------------------------------
    def measure(
        self,
        name: str,
        request: Callable[[Client, int], Response],
        *,
        count: int,
        concurrency: int = 4,
        cookies: Callable[[int], dict[str, str]] | dict[str, str] | None = None,
        ok: Callable[[Response], bool] = lambda r: r.status_code < 400,
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
                    except ClientError:
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


def cpu_by_process(workers_apart: bool = False) -> dict[str, float]:
    """CPU seconds used so far, by kind of process (gunicorn, postgres, redis-server,
    this load generator...), plus the time the hypervisor stole and the whole machine's
    busy time. Compare two readings to see where a run spent the machine.
    `workers_apart`: each gunicorn process on its own, to see how a burst was shared."""
    ticks = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    used: dict[str, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                data = stat.read()
            with open(f"/proc/{pid}/cmdline") as cmdline:
                command = cmdline.read()
        except OSError:  # the process ended while we looked
            continue
        name = data[data.index("(") + 1 : data.rindex(")")]
        if int(pid) == me:
            name = "load generator"
        elif "gunicorn" in command:
            name = f"gunicorn {pid}" if workers_apart else "gunicorn"
        elif name.startswith("kworker"):  # renamed after the work item at hand
            name = "kernel workers"
        fields = data[data.rindex(")") + 2 :].split()
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    with open("/proc/stat") as stat:
        total = [int(f) for f in stat.readline().split()[1:]]
    used["(stolen)"] = total[7] / ticks
    used["(machine)"] = (sum(total[:8]) - total[3] - total[4]) / ticks  # minus idle, iowait
    return used


def cpu_report(before: dict[str, float], after: dict[str, float], requests: int) -> str:
    """Where the CPU went between two readings, in ms per request, biggest first."""
    spent = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    parts = sorted(
        ((k, v) for k, v in spent.items() if v >= 0.05 and not k.startswith("(m")),
        key=lambda kv: -kv[1],
    )
    per = max(requests, 1)
    listed = ", ".join(f"{k} {v * 1000 / per:.2f}" for k, v in parts)
    return f"CPU ms per request: machine {spent['(machine)'] * 1000 / per:.2f} = {listed}"


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(p) for p in listing.read().split()]
    except OSError:
        return []


def _kilobytes(path: str, field: str) -> int:
    try:
        with open(path) as data:
            for line in data:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:  # the process ended while we looked
        pass
    return 0


def memory_report(groups: dict[str, int]) -> str:
    """The memory of each group of processes (a server's master and its workers, by the
    master's pid): proportional set size in all (shared pages counted once, split
    between the processes sharing them, so the sum is what the group costs the machine)
    and the peak resident size of its largest process since it started."""
    parts = []
    for name, master in groups.items():
        pids = [master, *_children(master)]
        pss = sum(_kilobytes(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
        peak = max(_kilobytes(f"/proc/{p}/status", "VmHWM:") for p in pids)
        parts.append(
            f"{name} {len(pids)} processes {pss / 1024:.0f} MB (PSS), "
            f"largest peak {peak / 1024:.0f} MB (RSS)"
        )
    return "memory: " + "; ".join(parts)
