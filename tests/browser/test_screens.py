"""Every main page, with the demo's data, at the widths people use (a phone, a tablet, a
laptop, a wide screen): nothing wider than the window, no serious accessibility problem
(axe), and a screenshot at 360 and 1280 px under test-results/screens/ to look at."""

from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from charter.models import Workshop
from improvement.models import ChangeIdea, GapMeeting
from indicators.models import Indicator
from meetings.models import Occurrence
from teams.demo import DEMO_PASSWORD
from tests.browser.test_accessibility import serious_violations
from tests.indicators.factories import WallLinkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
WIDTHS = [360, 768, 1280, 1920]
SHOT_WIDTHS = (360, 1280)
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _main_pages() -> list[str]:
    team = "/t/service-desk"
    workshop = Workshop.objects.filter(published_at=None).first()
    idea = ChangeIdea.objects.order_by("pk").first()
    gap = GapMeeting.objects.first()
    indicator = Indicator.objects.filter(status="adopted").order_by("pk").first()
    occurrence = Occurrence.objects.filter(minutes_updated_at__isnull=False).first()
    return [
        ("home", "/"),
        ("team-overview", f"{team}/"),
        ("observations", f"{team}/observations/"),
        ("observation-new", f"{team}/observations/new/"),
        ("workshops", f"{team}/workshops/"),
        ("workshop-phone", f"{team}/workshops/{workshop.pk}/"),
        ("workshop-projector", f"{team}/workshops/{workshop.pk}/run/"),
        ("charter", f"{team}/charter/"),
        ("check-in", f"{team}/check-in/"),
        ("check-in-trend", f"{team}/check-in/team/"),
        ("dashboard", f"{team}/dashboard/"),
        ("indicators", f"{team}/indicators/"),
        ("indicator", f"{team}/indicators/{indicator.pk}/"),
        ("indicator-new", f"{team}/indicators/new/"),
        ("meetings", f"{team}/meetings/"),
        ("meeting", f"{team}/meetings/{occurrence.pk}/"),
        ("ideas", f"{team}/ideas/"),
        ("idea", f"{team}/ideas/{idea.pk}/"),
        ("follow-up", f"{team}/ideas/follow-up/"),
        ("gap-analysis", f"{team}/gap-analysis/"),
        ("gap-summary", f"{team}/gap-analysis/{gap.pk}/summary/"),
        ("people", f"{team}/members/"),
        ("lead-dashboard", "/dashboard/"),
        ("profile", "/me/profile/"),
    ]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return User.objects.get(email="claire@demo.cocharter.test")


def _sign_in(new_page, user, width: int):
    page = new_page({"width": width, "height": 900}, bypass_csp=True)
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_no_main_page_is_wider_than_the_window(new_page, demo, width):
    page = _sign_in(new_page, demo, width)
    SCREENS.mkdir(parents=True, exist_ok=True)
    too_wide, problems = {}, {}
    for name, path in _main_pages():
        page.goto(path)
        page.wait_for_load_state("load")
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide[path] = overflow
        if width in SHOT_WIDTHS:
            page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
            found = serious_violations(page)
            if found:
                problems[path] = found
    assert not too_wide, f"wider than {width} px by: {too_wide}"
    assert not problems


@pytest.mark.parametrize("width", SHOT_WIDTHS)
def test_the_public_pages_fit_and_read_well(new_page, demo, width):
    from charter import services as charter_services
    from indicators.models import Survey
    from teams.models import Team

    team = Team.objects.get(slug="service-desk")
    token = charter_services.charter_share(team=team, enable=True).share_token
    survey = Survey.objects.filter(is_open=True).first()
    wall = WallLinkFactory(team=team)
    page = new_page({"width": width, "height": 900}, bypass_csp=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    too_wide, problems = {}, {}
    for name, path in [
        ("sign-in", "/accounts/login/"),
        ("sign-up", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
        ("public-charter", f"/c/{token}/"),
        ("survey", f"/s/{survey.token}/"),
        ("wall", f"/wall/{wall.token}/"),
    ]:
        page.goto(path)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide[path] = overflow
        page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert not too_wide
    assert not problems
