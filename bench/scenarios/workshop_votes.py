"""Workshop vote: 50 members cast their dots at once while their 50 screens poll.

Reports vote and poll latency and requests/s, then checks that the votes stored in the
database equal the vote requests the server accepted, exactly.
"""

import os
import random
import re
import secrets
import threading
import time

from django.db.models import Count

from accounts.models import User
from bench.harness import Client, ClientError, Stats, cpu_by_process, cpu_report
from charter import live
from charter.models import Participant, Step, Vote, Workshop, WorkshopKeyword
from charter.services import keyword_get_or_create, participant_join, workshop_create
from teams import services as team_services
from teams.models import Membership, Role

MEMBERS = 50
DOTS = 6
ATTEMPTS = 8  # per member: two more than the budget, so some are refused by the rules
KEYWORDS = ["Helpful", "Patient", "Honest", "Reliable", "Proactive", "Educational"]
POLL_EVERY = 1.5  # seconds, as the workshop pages do
TAP_PAUSE = (0.5, 1.8)  # seconds between taps: reading; under gunicorn's keep-alive (2 s)
QUIET_SECONDS = 10
CSRF = secrets.token_hex(16)  # 32 characters: a valid CSRF secret for cookie and header
DEBUG = bool(os.environ.get("BENCH_DEBUG"))  # where the time and the CPU went


def _world():
    manager = User.objects.create_user(
        email="bench-facilitator@bench.test", password="x", display_name="Facilitator"
    )
    organisation = team_services.organisation_create(name="Bench votes", admin=manager)
    team = team_services.team_create(organisation=organisation, name="Vote desk", creator=manager)
    members = [
        User.objects.create_user(
            email=f"bench-voter-{n}@bench.test", password="x", display_name=f"Voter {n}"
        )
        for n in range(MEMBERS)
    ]
    Membership.objects.bulk_create(Membership(team=team, user=u, role=Role.MEMBER) for u in members)
    workshop = workshop_create(
        team=team, facilitator=manager, title="Bench", dots_per_person=DOTS, max_dots_per_keyword=3
    )
    items = [
        WorkshopKeyword.objects.create(
            workshop=workshop, keyword=keyword_get_or_create(team=team, text=label)
        )
        for label in KEYWORDS
    ]
    # The members joined at the first step, as in a real workshop; the vote is step 3.
    for user in members:
        participant_join(workshop=workshop, user=user)
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.VOTE)
    return team, workshop, members, items


class Recorder:
    """Latencies and statuses of one kind of request, gathered from many threads."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors = 0
        self.failures: dict[str, int] = {}
        self.lock = threading.Lock()
        self.started = time.perf_counter()

    def send(self, call, ok=lambda r: r.status_code < 400):
        start = time.perf_counter()
        try:
            response = call()
            status, good = response.status_code, ok(response)
        except ClientError as error:
            response, status, good = None, 0, False
            with self.lock:
                self.failures[type(error).__name__] = self.failures.get(type(error).__name__, 0) + 1
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.errors += 0 if good else 1
        return response

    def stats(self) -> Stats:
        seconds = time.perf_counter() - self.started
        return Stats(
            self.name, len(self.latencies), self.errors, seconds, self.latencies, self.statuses
        )


def run(bench) -> None:
    team, workshop, members, items = _world()
    page = f"/t/{team.slug}/workshops/{workshop.pk}/"
    cookies = [{**bench.session_cookie(u), "csrftoken": CSRF} for u in members]
    bench.settle()
    headers = {
        "HX-Request": "true",
        "HX-Target": "live",
        "X-CSRFToken": CSRF,
        "Referer": bench.base_url.replace("http://", "https://") + page,
    }
    outcomes: dict[str, int] = {}
    first_taps: list[float] = []  # each member's first tap, all sent at the same instant
    reconnected: list[bool] = []  # ... on a new connection: the kept-alive one had expired
    lock = threading.Lock()
    stop = threading.Event()
    # The instant the members tap, and the one their last first tap is answered, with the
    # CPU of each gunicorn process: how the first wave was shared between them.
    marks: dict[str, tuple[float, dict[str, float]]] = {}

    def mark(name: str) -> None:
        if DEBUG:  # reading /proc takes a few milliseconds
            marks[name] = (time.perf_counter(), cpu_by_process(workers_apart=True))

    start_line = threading.Barrier(MEMBERS * 2, action=lambda: mark("tap"))

    def page_version(client: Client) -> str:
        """Opens the workshop page as the browser did before: the version it holds."""
        found = re.search(rb"v=([\d-]+)", client.get(page).content)
        return found.group(1).decode() if found else "0"

    def poller(n: int, recorder: Recorder, wait_for_start: bool) -> None:
        """A browser on the workshop page: polls every 1.5 s with the version it saw."""
        with bench.client(cookies[n]) as client:
            version = page_version(client)
            if wait_for_start:
                start_line.wait()
            time.sleep(random.uniform(0, POLL_EVERY))
            while not stop.is_set():
                began = time.perf_counter()
                response = recorder.send(
                    lambda seen=version: client.get(
                        page, params={"v": seen, "step": Step.VOTE}, headers=headers
                    ),
                    ok=lambda r: r.status_code in (200, 204),
                )
                if response is not None and response.status_code == 200:
                    found = re.search(rb"v=([\d-]+)", response.content)
                    version = found.group(1).decode() if found else version
                time.sleep(max(0, POLL_EVERY - (time.perf_counter() - began)))

    def voter(n: int, recorder: Recorder) -> None:
        """A member reading the keywords and tapping "+", more often than the rules allow."""
        with bench.client(cookies[n]) as client:
            page_version(client)  # the phone shows the page before its owner taps
            start_line.wait()
            opened = client.connections_opened
            for attempt in range(ATTEMPTS):
                item = items[(n + attempt) % len(items)] if attempt % 3 else items[n % 6]
                began = time.perf_counter()
                response = recorder.send(
                    lambda item=item: client.post(
                        page + "vote/", data={"keyword": item.pk}, headers=headers
                    ),
                    ok=lambda r: r.status_code == 200,
                )
                key = response.headers.get("X-Vote", "?") if response is not None else "error"
                with lock:
                    outcomes[key] = outcomes.get(key, 0) + 1
                    if attempt == 0:
                        first_taps.append((time.perf_counter() - began) * 1000)
                        if len(first_taps) == MEMBERS:
                            mark("answered")
                        reconnected.append(client.connections_opened > opened)
                time.sleep(random.uniform(*TAP_PAUSE))

    # Phase 1: everybody votes at once while everybody's screen polls.
    votes, polls = Recorder("vote, 50 members at once"), Recorder("poll while voting")
    threads = [threading.Thread(target=voter, args=(n, votes)) for n in range(MEMBERS)]
    pollers = [threading.Thread(target=poller, args=(n, polls, True)) for n in range(MEMBERS)]
    cpu_before = cpu_by_process() if DEBUG else {}
    for t in threads + pollers:
        t.start()
    for t in threads:
        t.join()
    cpu_after = cpu_by_process() if DEBUG else {}
    stop.set()
    for t in pollers:
        t.join()
    vote_stats, poll_stats = votes.stats(), polls.stats()
    if DEBUG:
        slow = sorted(votes.latencies)[-40:]
        bench.report(f"slowest votes: {[round(x) for x in slow]}")
        (tapped, before), (answered, after) = marks["tap"], marks["answered"]
        wave = f"first taps answered in {(answered - tapped) * 1000:.0f} ms, "
        bench.report(wave + cpu_report(before, after, MEMBERS))
        first = Stats("first taps", len(first_taps), 0, 1, first_taps, {})
        bench.report(
            f"first taps: p50 {first.p50:.0f} ms, p95 {first.p95:.0f} ms, "
            f"max {max(first_taps):.0f} ms; {sum(reconnected)} of {len(reconnected)} "
            "on a new connection"
        )
        requests = len(votes.latencies) + len(polls.latencies)
        bench.report("while voting, " + cpu_report(cpu_before, cpu_after, requests))
    bench.report(vote_stats.line())
    bench.report(poll_stats.line())
    bench.report(f"poll statuses while voting: {dict(sorted(poll_stats.statuses.items()))}")
    for recorder in (votes, polls):
        if recorder.failures:
            bench.report(f"{recorder.name}: client-side failures {recorder.failures}")

    # Phase 2: nothing changes any more, the 50 screens keep polling: cheap 204s.
    stop.clear()
    quiet = Recorder("poll, nothing new (204)")
    pollers = [threading.Thread(target=poller, args=(n, quiet, False)) for n in range(MEMBERS)]
    for t in pollers:
        t.start()
    time.sleep(QUIET_SECONDS)
    stop.set()
    for t in pollers:
        t.join()
    quiet_stats = quiet.stats()
    bench.report(quiet_stats.line())
    bench.report(f"poll statuses while quiet: {dict(sorted(quiet_stats.statuses.items()))}")

    # Capacity: how many unchanged polls and votes per second the server can take.
    version = live.WORKSHOP.version(workshop.pk)
    bench.measure(
        "poll, nothing new, back to back (capacity)",
        lambda c, i: c.get(page, params={"v": version, "step": Step.VOTE}, headers=headers),
        count=2000,
        concurrency=4,
        cookies=lambda n: cookies[n],
    )

    stored = Vote.objects.filter(workshop=workshop).count()
    _vote_capacity(bench, workshop, items, cookies, headers)
    accepted = outcomes.get("cast", 0)
    per_member = Vote.objects.filter(workshop=workshop).values("voter").annotate(n=Count("pk"))
    worst = max((row["n"] for row in per_member), default=0)
    bench.report(f"vote outcomes: {dict(sorted(outcomes.items()))}")
    bench.report(
        f"stored votes {stored} == accepted vote requests {accepted}: "
        f"{'OK' if stored == accepted else 'MISMATCH'}; most dots of one member {worst} "
        f"(budget {DOTS})"
    )
    bench.report(
        f"targets: vote p95 {vote_stats.p95:.1f} ms "
        f"(< 100: {'OK' if vote_stats.p95 < 100 else 'MISSED'}), "
        f"unchanged poll p95 {quiet_stats.p95:.1f} ms "
        f"(< 20: {'OK' if quiet_stats.p95 < 20 else 'MISSED'})"
    )
    if stored != accepted or worst > DOTS:
        raise SystemExit("workshop votes: the stored votes do not match the accepted requests")


def _vote_capacity(bench, workshop, items, cookies, headers) -> None:
    """Votes back to back from 8 connections on a copy of the workshop, each request
    from the next of the 50 members (who all joined), so that no one runs out of dots
    however unevenly the connections share the requests."""
    capacity = workshop_create(
        team=workshop.team,
        facilitator=workshop.facilitator,
        title="Capacity",
        dots_per_person=20,
        max_dots_per_keyword=20,
    )
    fresh = [
        WorkshopKeyword.objects.create(workshop=capacity, keyword=item.keyword) for item in items
    ]
    voters = list(workshop.participants.values_list("user_id", flat=True))
    for user_id in voters:
        Participant.objects.create(workshop=capacity, user_id=user_id)
    Workshop.objects.filter(pk=capacity.pk).update(step=Step.VOTE)
    url = f"/t/{workshop.team.slug}/workshops/{capacity.pk}/vote/"
    as_member = ["; ".join(f"{k}={v}" for k, v in jar.items()) for jar in cookies]
    cpu_before = cpu_by_process() if DEBUG else {}
    stats = bench.measure(
        "vote, back to back (capacity)",
        lambda c, i: c.post(
            url,
            data={"keyword": fresh[i % len(fresh)].pk},
            headers={**headers, "Cookie": as_member[i % len(as_member)]},
        ),
        count=400,
        concurrency=8,
        ok=lambda r: r.headers.get("X-Vote") == "cast",
        warmup=0,
    )
    if DEBUG:
        bench.report("back to back, " + cpu_report(cpu_before, cpu_by_process(), stats.count))
