"""Every refusal page in a real browser, at 360 and 1280 px, in English and French:
in the layout, nothing wider than the screen, no serious accessibility problem, the way
on visible. With SCREENSHOTS=<folder> it also keeps a screenshot of each."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from charter.services import workshop_create
from tests.browser.test_accessibility import serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.test_refusals"),  # the project's URLs, and /boom/ for a 500
]

WIDTHS = (360, 1280)
LANGUAGES = ("en", "fr")
HEADINGS = {
    ("400", "en"): "We could not read that request",
    ("400", "fr"): "Nous n’avons pas pu lire cette requête",
    ("403", "en"): "This page is for the team's managers.",
    ("403", "fr"): "Cette page est réservée aux managers de l’équipe.",
    ("403_csrf", "en"): "This form has expired",
    ("403_csrf", "fr"): "Ce formulaire a expiré",
    ("404", "en"): "There is nothing at this address",
    ("404", "fr"): "Il n’y a rien à cette adresse",
    ("405", "en"): "This address does not work that way",
    ("405", "fr"): "Cette adresse ne s’utilise pas ainsi",
    ("429", "en"): "Too many attempts: please wait a little",
    ("429", "fr"): "Trop de tentatives : patientez un peu",
    ("500", "en"): "Something went wrong on our side",
    ("500", "fr"): "Un problème est survenu de notre côté",
}


def _keep(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _check(page, code: str, language: str, width: int) -> None:
    expect(page.locator("h1")).to_have_text(HEADINGS[code, language])
    expect(page.locator(".site-header .brand")).to_be_visible()
    expect(page.locator(".refusal-ways a").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("html").get_attribute("lang") == language
    assert not serious_violations(page), (code, language, width)
    _keep(page, f"{code}-{language}-{width}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusal_pages_of_a_signed_in_member(login, member, manager, team, language):
    member.language = language
    member.save()
    workshop = workshop_create(team=team, facilitator=manager, title="Our charter")
    for width in WIDTHS:
        page = login(member, {"width": width, "height": 800}, bypass_csp=True)
        for code, path in [
            ("403", f"/t/{team.slug}/workshops/{workshop.pk}/run/"),
            ("404", "/no/such/page/"),
            ("405", f"/t/{team.slug}/surveys/new/"),
            ("400", "/dashboard/?" + "&".join(f"f{n}=1" for n in range(1001))),
        ]:
            page.goto(path)
            _check(page, code, language, width)
        page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusal_pages_of_a_visitor(new_page, member, language):
    for width in WIDTHS:
        page = new_page({"width": width, "height": 800}, bypass_csp=True, locale=language)
        page.goto("/boom/")
        _check(page, "500", language, width)
        expect(page.locator(".refusal-id strong")).to_have_text(re.compile(r"^[0-9a-f]{8}$"))

        page.goto("/accounts/login/")
        page.context.clear_cookies()  # the form's CSRF cookie is gone, as after a long wait
        page.locator("input[name=login]").fill(member.email)
        page.locator("input[name=password]").fill("whatever")
        page.locator("main button[type=submit]").first.click()
        _check(page, "403_csrf", language, width)

        for _ in range(4):  # allauth: three password resets an hour per address
            page.goto("/accounts/password/reset/")
            page.locator("input[name=email]").fill(member.email)
            page.locator("main form button[type=submit]").first.click()
        _check(page, "429", language, width)
        page.context.clear_cookies()
