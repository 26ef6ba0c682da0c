"""Every page of the demo opens, for each kind of person: a crawler follows the links a
person can see, from the home page, and no page may answer with a server error.

The demo holds every feature with realistic data (team-wide notes, stale indicators,
finished and running workshops...), which the unit tests' small fixtures can miss.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User

LINK = re.compile(rb'href="(/[^"#]*)"')
# Links that log out, change state by GET-less forms only, or leave the app.
SKIP = re.compile(r"^/(accounts/logout|admin/|static/|api/docs|api/openapi)")
MAX_PAGES = 400


@pytest.fixture
def demo(db):
    call_command("seed_demo")


# Signs of an unfinished screen: Django's placeholder choice, and dates in numbers
# ("12/15/2026") where every page writes them in words in the person's language.
UNFINISHED = {
    "a '---------' choice": re.compile(rb"---------"),
    "a date in numbers": re.compile(rb"(?<![\w/.-])\d{1,2}/\d{1,2}/\d{2,4}(?![\w/])"),
}


def _crawl(client: Client, problems: dict | None = None) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or SKIP.match(url):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if problems is not None:
            for sign, pattern in UNFINISHED.items():
                if found := pattern.search(response.content):
                    problems.setdefault(url, []).append(f"{sign}: {found.group(0).decode()}")
        for found in LINK.findall(response.content):
            link = urldefrag(found.decode().replace("&amp;", "&"))[0]
            if urlsplit(link).path and link not in seen:
                queue.append(link)
    return seen


@pytest.mark.parametrize(
    ("email", "language"),
    [
        ("claire@demo.cocharter.test", "en"),  # manager and organisation admin
        ("claire@demo.cocharter.test", "fr"),
        ("luc@demo.cocharter.test", "en"),  # lead
        ("amina@demo.cocharter.test", "en"),  # member
    ],
)
def test_every_demo_page_opens_without_a_server_error(demo, email, language):
    User.objects.filter(email=email).update(language=language)
    client = Client()
    client.force_login(User.objects.get(email=email))
    unfinished: dict[str, list[str]] = {}
    pages = _crawl(client, unfinished)
    assert len(pages) > 40, "the crawler found too few pages to mean anything"
    broken = {url: status for url, status in pages.items() if status >= 500}
    assert not broken
    assert not unfinished
