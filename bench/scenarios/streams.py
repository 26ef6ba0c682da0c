"""Streams: 500 open live screens over 10 workshops; 50 members of each vote at once.

A stream server (uvicorn running streams.app, as in production) holds 500 streams: per
workshop, the projector and 49 phones. Every member of every workshop casts a dot at
the same moment (vote_cast, committed in this process; totals shown, so each vote
reaches every screen of its workshop). For each vote and each stream of its workshop:
the time from the vote's commit to the arrival of an event carrying its version (p50,
p95, max), and how many never arrived. Then the stream server's memory per open stream,
its CPU at rest with the 500 streams open, and the requests per second the same screens
cost polling every 2 s and with push.
"""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections

from accounts.models import User
from charter import live
from charter.models import Participant, Step, Workshop, WorkshopKeyword
from charter.services import keyword_get_or_create, vote_cast, workshop_create
from facilitation import live as toolkit
from facilitation import push
from teams import services as team_services
from teams.models import Membership, Role

ROOT = Path(__file__).resolve().parents[2]
WORKSHOPS = 10
MEMBERS = 50  # per workshop; the facilitator's projector plus 49 phones are its streams
VOTERS = 25  # threads casting the 500 dots
REST_SECONDS = 10
POLL_EVERY = 2.0


def _world():
    workshops = []
    for w in range(WORKSHOPS):
        manager = User.objects.create_user(
            email=f"bench-streams-{w}@bench.test", password="x", display_name=f"Host {w}"
        )
        organisation = team_services.organisation_create(name=f"Streams {w}", admin=manager)
        team = team_services.team_create(organisation=organisation, name="Desk", creator=manager)
        members = [
            User.objects.create_user(
                email=f"bench-streams-{w}-{n}@bench.test", password="x", display_name=f"M{n}"
            )
            for n in range(MEMBERS)
        ]
        Membership.objects.bulk_create(
            Membership(team=team, user=u, role=Role.MEMBER) for u in members
        )
        workshop = workshop_create(
            team=team, facilitator=manager, title="Bench", dots_per_person=3, results_hidden=False
        )
        item = WorkshopKeyword.objects.create(
            workshop=workshop, keyword=keyword_get_or_create(team=team, text="Helpful")
        )
        Participant.objects.bulk_create(Participant(workshop=workshop, user=u) for u in members)
        Workshop.objects.filter(pk=workshop.pk).update(step=Step.VOTE)
        workshop.refresh_from_db()
        workshops.append((workshop, manager, members, item))
    return workshops


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_streams(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "streams.app:app", "--port", str(port)]
        + ["--log-level", "warning", "--no-access-log"],
        cwd=ROOT,
        env=os.environ,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the stream server did not start")


def _kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Screen:
    """One open stream: the newest counter it has received, and when each arrived."""

    def __init__(self, path: str):
        self.path = path
        self.arrivals: list[tuple[float, int]] = []  # (time, counter)
        self.opened = False


async def _read(port: int, screen: Screen, ready: asyncio.Event, stop: asyncio.Event):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**16)
    writer.write(f"GET {screen.path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    screen.opened = b" 200 " in head.split(b"\r\n", 1)[0]
    ready.set()
    while not stop.is_set():
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=0.5)
        except TimeoutError:
            continue
        if not line:
            return
        # Chunked framing aside, the event's data line is "data: <counter>".
        text = line.decode(errors="replace").strip()
        if text.startswith("data: "):
            screen.arrivals.append((time.perf_counter(), int(text[6:].split("-")[-1])))
    writer.close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(bench) -> None:
    settings.STREAMS_CHANNEL = os.environ["STREAMS_CHANNEL"] = "cocharter-bench:streams"
    workshops = _world()
    port = _free_port()
    server = _start_streams(port)
    rss_empty = _kb(server.pid, "VmRSS:")

    # The commit time of each vote's change, per workshop and counter (first listener,
    # so before it is published).
    committed: dict[tuple[int, int], float] = {}

    def record(change: toolkit.Change) -> None:
        committed[(change.pk, change.counter)] = time.perf_counter()

    toolkit._listeners.insert(0, record)

    screens: dict[int, list[Screen]] = {}
    for workshop, manager, members, _item in workshops:
        version = live.WORKSHOP.version(workshop.pk, live.EVERYONE)
        paths = [
            push.stream_url(
                user_id=manager.pk,
                live=live.WORKSHOP,
                pk=workshop.pk,
                screen=live.EVERYONE,
                version=version,
            )
        ] + [
            push.stream_url(
                user_id=u.pk,
                live=live.WORKSHOP,
                pk=workshop.pk,
                screen=live.EVERYONE,
                version=version,
            )
            for u in members[1:]
        ]
        screens[workshop.pk] = [Screen(p) for p in paths]
    everyone = [s for group in screens.values() for s in group]

    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    opened = threading.Event()

    async def hold_open():
        readies = []
        tasks = []
        for screen in everyone:
            ready = asyncio.Event()
            readies.append(ready)
            tasks.append(asyncio.create_task(_read(port, screen, ready, stop)))
        await asyncio.gather(*(r.wait() for r in readies))
        opened.set()
        await asyncio.gather(*tasks, return_exceptions=True)

    thread = threading.Thread(target=lambda: loop.run_until_complete(hold_open()), daemon=True)
    thread.start()
    try:
        if not opened.wait(60):
            bench.report("streams did not all open within 60 s")
            return
        bad = sum(not s.opened for s in everyone)
        time.sleep(1)
        rss_open = _kb(server.pid, "VmRSS:")
        cpu_before = _cpu_seconds(server.pid)
        time.sleep(REST_SECONDS)
        cpu_rest = (_cpu_seconds(server.pid) - cpu_before) / REST_SECONDS
        bench.report(
            f"{len(everyone)} streams open ({bad} refused); stream server memory "
            f"{rss_empty / 1024:.0f} MB empty, {rss_open / 1024:.0f} MB with them: "
            f"{(rss_open - rss_empty) / len(everyone):.1f} KB per stream; "
            f"CPU at rest {cpu_rest * 100:.1f}% of a core"
        )

        bench.settle()
        votes = [
            (workshop, user, item) for workshop, _m, members, item in workshops for user in members
        ]
        start_gate = threading.Barrier(VOTERS)

        def cast(chunk):
            close_old_connections()
            start_gate.wait()
            for workshop, user, item in chunk:
                vote_cast(workshop=workshop, user=user, keyword_id=item.pk)
            connections.close_all()

        chunks = [votes[i::VOTERS] for i in range(VOTERS)]
        started = time.perf_counter()
        with ThreadPoolExecutor(VOTERS) as pool:
            list(pool.map(cast, chunks))
        burst = time.perf_counter() - started
        time.sleep(3)  # the last events on their way
    finally:
        toolkit._listeners.remove(record)
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        server.terminate()
        server.wait(20)

    latencies, missed, events = [], 0, 0
    for pk, group in screens.items():
        counters = sorted(c for (wpk, c) in committed if wpk == pk)
        for screen in group:
            events += len(screen.arrivals)
            for counter in counters:
                arrival = next((t for t, c in screen.arrivals if c >= counter), None)
                if arrival is None:
                    missed += 1
                else:
                    latencies.append(arrival - committed[(pk, counter)])
    expected = len(latencies) + missed
    ms = [x * 1000 for x in latencies]
    bench.report(
        f"{len(votes)} votes committed in {burst:.2f} s by {VOTERS} threads; "
        f"{expected} (vote, screen) deliveries expected, {missed} missed; "
        f"{events} events sent (bursts coalesce)"
    )
    if ms:
        bench.report(
            f"commit to arrival: p50 {_percentile(ms, 50):.0f} ms, "
            f"p95 {_percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms"
        )
    screens_n = len(everyone)
    bench.report(
        f"requests/s of {screens_n} screens: polling every {POLL_EVERY:.0f} s "
        f"{screens_n / POLL_EVERY:.0f}/s at rest and during the vote; push 0/s at rest "
        f"(a comment per stream every 15 s on the stream server), during the vote "
        f"{events / max(burst, 1):.0f}/s (one fetch per event received)"
    )
