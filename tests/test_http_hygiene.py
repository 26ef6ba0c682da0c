"""HTTP hygiene (issue 25), on every page of the access matrix: a meta description,
heading levels in order (h1, then never a level skipped going down), and
`Cache-Control: private` on what a signed-in person gets. Public pages describe
themselves in their own words."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from tests.test_url_access import CASES

DEFAULT_DESCRIPTION = "Cocharter: a team writes its Customer Experience Charter together"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.description: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.description = attributes.get("content")


def heading_problems(headings: list[int]) -> list[str]:
    problems = []
    if headings and headings[0] != 1:
        problems.append(f"starts with h{headings[0]}")
    for before, after in zip(headings, headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"h{before} then h{after}")
    return problems


def test_the_heading_check_finds_a_skipped_level():
    assert heading_problems([1, 2, 3, 2, 3]) == []
    assert heading_problems([1, 3]) == ["h1 then h3"]
    assert heading_problems([2, 3]) == ["starts with h2"]


# django-ninja's /api/docs page is its own (Swagger UI, with an inline JSON block that
# tests/test_security.py would refuse in a template of ours): not one of the app's pages.
THIRD_PARTY = {"api:openapi-view"}


def _pages():
    for name, case in sorted(CASES.items()):
        if case.method == "get" and name not in THIRD_PARTY:
            yield name


@pytest.fixture
def world(team, manager, lead, member, outsider):
    from types import SimpleNamespace

    return SimpleNamespace(team=team, manager=manager, lead=lead, member=member, outsider=outsider)


@pytest.mark.parametrize("name", list(_pages()))
def test_every_page_has_a_description_ordered_headings_and_private_caching(name, world, people):
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(world))
    role = next(
        (
            r
            for r in ("manager", "lead", "member", "outsider", "anonymous")
            if case.expected[r] == 200
        ),
        None,
    )
    if role is None:
        pytest.skip("no one gets a page here")
    response = people[role].get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return
    page = Page()
    page.feed(response.content.decode())
    assert page.description, f"{url}: no meta description"
    assert not heading_problems(page.headings), (url, page.headings)
    if role != "anonymous":
        assert "private" in response.get("Cache-Control", ""), url


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
)
def test_public_pages_describe_themselves(client, db, url):
    response = client.get(url)
    page = Page()
    page.feed(response.content.decode())
    assert page.description and DEFAULT_DESCRIPTION not in page.description, url
    assert not heading_problems(page.headings), (url, page.headings)


def test_a_signed_in_persons_page_is_private_to_their_browser(member_client, team):
    response = member_client.get(reverse("teams:team", args=[team.slug]))
    assert "private" in response["Cache-Control"]


def test_static_files_are_stored_compressed_for_production(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = staticfiles_storage.stored_name("css/app.css")
    assert (tmp_path / f"{hashed}.gz").exists()
    client = Client()
    with override_settings(
        STORAGES=storages, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=True
    ):
        response = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
