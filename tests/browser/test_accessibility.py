"""axe-core (vendored, test only) finds no serious accessibility problem on the pages."""

from pathlib import Path

import pytest

from teams.models import Invitation
from tests.factories import ClientGroupFactory, InvitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_team_pages_have_no_serious_accessibility_violations(
    login, manager, member, team, viewport
):
    ClientGroupFactory(team=team)
    InvitationFactory(team=team, invited_by=manager)
    page = login(manager, viewport, bypass_csp=True)  # CSP would block the injected axe script
    pages = [
        "/",
        f"/t/{team.slug}/",
        f"/t/{team.slug}/members/",
        f"/t/{team.slug}/settings/",
        f"/t/{team.slug}/client-groups/new/",
        f"/o/{team.organisation.slug}/",
        f"/o/{team.organisation.slug}/teams/new/",
        "/me/profile/",
    ]
    problems = {}
    for path in pages:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert not problems


def test_public_pages_have_no_serious_accessibility_violations(new_page, team):
    invitation = InvitationFactory(team=team, status=Invitation.Status.PENDING)
    page = new_page(bypass_csp=True)
    problems = {}
    for path in [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        f"/invitations/{invitation.token}/",
    ]:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert not problems
