"""Ceiling vs. real page: a bare page of the app against a signed-in team page."""

from teams import demo
from teams.models import Team


def run(bench) -> None:
    world = demo.seed()
    manager = world.manager
    team: Team = world.team
    cookies = bench.session_cookie(manager)

    bare = bench.measure(
        "bare page (/healthz)", lambda c, i: c.get("/healthz"), count=2000, concurrency=4
    )
    home = bench.measure(
        "home page (signed in, my teams)",
        lambda c, i: c.get("/"),
        count=1000,
        concurrency=4,
        cookies=cookies,
    )
    page = bench.measure(
        "team page (signed in)",
        lambda c, i: c.get(f"/t/{team.slug}/"),
        count=1000,
        concurrency=4,
        cookies=cookies,
    )
    for stats in (home, page):
        bench.report(
            f"{stats.name}: {stats.rps / bare.rps:.0%} of the bare page's requests/s, "
            f"p95 {stats.p95 / bare.p95:.1f}x the bare page's"
        )
