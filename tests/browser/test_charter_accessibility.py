"""axe-core finds no serious accessibility problem on the charter pages, desktop and phone."""

import pytest

from charter import services
from charter.models import Step
from tests.browser.test_accessibility import serious_violations
from tests.charter.conftest import make_published, make_workshop, put_keywords

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_charter_pages_have_no_serious_accessibility_violations(login, manager, team, viewport):
    make_published(team, manager)
    make_published(team, manager, [("Honest", "Say plainly what we know and what we don't")])
    token = services.charter_share(team=team, enable=True).share_token
    drafting = make_workshop(team, manager, step=Step.DRAFT)
    (item,) = put_keywords(drafting, "Helpful")
    item.selected = True
    item.save()
    services.statement_propose(
        workshop=drafting, author=manager, keyword_id=item.pk, text="Take every chance to help"
    )
    voting = make_workshop(team, manager, step=Step.VOTE)
    put_keywords(voting, "Patient", "Honest")
    proposing = make_workshop(team, manager, step=Step.PROPOSE)
    page = login(manager, viewport, bypass_csp=True)
    pages = [
        f"/t/{team.slug}/observations/",
        f"/t/{team.slug}/observations/new/",
        f"/t/{team.slug}/workshops/",
        f"/t/{team.slug}/workshops/new/",
        f"/t/{team.slug}/workshops/{voting.pk}/",
        f"/t/{team.slug}/workshops/{voting.pk}/run/",
        f"/t/{team.slug}/workshops/{proposing.pk}/",
        f"/t/{team.slug}/workshops/{proposing.pk}/run/",
        f"/t/{team.slug}/workshops/{drafting.pk}/",
        f"/t/{team.slug}/workshops/{drafting.pk}/run/",
        f"/t/{team.slug}/charter/",
        f"/t/{team.slug}/charter/diff/",
        f"/c/{token}/",
    ]
    problems = {}
    for path in pages:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert not problems
