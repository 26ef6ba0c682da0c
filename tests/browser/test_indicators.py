"""The indicators journey in a real browser: propose, support, adopt, measure, import,
and a client's survey answer arriving on the dashboard."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from indicators.metrics import previous_period_start
from indicators.models import Indicator, MeasurementRevision
from tests.browser.test_accessibility import serious_violations
from tests.indicators.factories import IndicatorFactory, SurveyFactory, TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The card's form pre-fills the team's last complete week (on the team's calendar:
# TeamFactory's Europe/Paris); the files speak of it and the one before, whatever day
# and hour the suite runs.
LAST_WEEK = previous_period_start(timezone.localdate(timezone=ZoneInfo("Europe/Paris")), "weekly")
WEEK_BEFORE = LAST_WEEK - timedelta(days=7)
BAD_CSV = f"""indicator,period,value
Answered the same day,{LAST_WEEK},87.5
Answered the same day,{LAST_WEEK:%d/%m/%Y},80
Nobody knows this one,{WEEK_BEFORE},3
""".encode()
GOOD_CSV = f"""indicator,period,value,note
Answered the same day,{LAST_WEEK},87.5,
Answered the same day,{WEEK_BEFORE},79,new rota
""".encode()


def _csv(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": data}


def test_a_team_co_defines_measures_and_reviews_an_indicator(
    login, new_page, team, manager, lead, member
):
    # A member proposes an indicator, starting from the client's side.
    page = login(member)
    page.goto(f"/t/{team.slug}/indicators/new/")
    page.get_by_label("Client question").fill("Did someone get back to me the same day?")
    page.get_by_label("Name").fill("Answered the same day")
    page.get_by_label("Unit").select_option("percent")
    page.get_by_label("Higher is better").check()
    page.locator("#id_target").fill("85")
    page.get_by_role("button", name="Share the proposal").click()
    expect(page.get_by_text("Support: 1")).to_be_visible()

    # The lead supports it (htmx swaps the straw poll in place).
    lead_page = login(lead)
    lead_page.goto(page.url.replace(page.url.split("/t/")[0], ""))
    lead_page.get_by_role("button", name="I support it").click()
    expect(lead_page.get_by_text("Support: 2")).to_be_visible()
    expect(lead_page.get_by_text("The team supports it.")).to_be_visible()

    # The manager adopts it.
    boss = login(manager)
    boss.goto(lead_page.url.replace(lead_page.url.split("/t/")[0], ""))
    boss.get_by_role("button", name="Adopt this indicator").click()
    expect(boss.get_by_text("Adopted: it now has a card on the dashboard.")).to_be_visible()
    indicator = Indicator.objects.get(name="Answered the same day")
    assert indicator.status == Indicator.Status.ADOPTED

    # Two clicks from the dashboard: open the card's form, save.
    boss.goto(f"/t/{team.slug}/dashboard/")
    card = boss.locator(f"#card-{indicator.pk}")
    card.get_by_role("link", name="Enter a value").click()
    card.get_by_label("Value").fill("82")
    card.get_by_role("button", name="Save").click()
    # A percentage reads with one decimal unless the indicator says otherwise.
    expect(card.locator(".value")).to_have_text("82.0")
    expect(card.get_by_text("At risk")).to_be_visible()

    # A bad CSV file is refused with its line numbers, then a good one goes in.
    boss.goto(f"/t/{team.slug}/indicators/import/")
    boss.get_by_label("CSV file").set_input_files(_csv("bad.csv", BAD_CSV))
    boss.get_by_role("button", name="Check the file").click()
    expect(boss.get_by_text("Line 3:")).to_be_visible()
    expect(boss.get_by_text("Line 4:")).to_be_visible()
    expect(boss.get_by_role("button", name="Import these values")).to_have_count(0)
    boss.get_by_label("CSV file").set_input_files(_csv("good.csv", GOOD_CSV))
    boss.get_by_role("button", name="Check the file").click()
    boss.get_by_role("button", name="Import these values").click()
    expect(boss.get_by_text("2 values imported.")).to_be_visible()
    # The value typed on the card was last week's; the file corrected it, keeping history.
    assert indicator.measurements.count() == 2
    assert MeasurementRevision.objects.filter(measurement__indicator=indicator).count() == 1

    assert not serious_violations(
        _with_axe(login, manager, f"/t/{team.slug}/indicators/{indicator.pk}/")
    )


def _with_axe(login, user, path):
    page = login(user, bypass_csp=True)
    page.goto(path)
    return page


def test_a_client_answers_a_survey_on_a_phone_and_the_dashboard_changes(
    login, new_page, team, manager
):
    satisfaction = IndicatorFactory(
        team=team, name="Satisfied clients", source=Indicator.Source.SURVEY
    )
    TargetFactory(indicator=satisfaction, value=80)
    survey = SurveyFactory(team=team, indicator=satisfaction)

    boss = login(manager)
    boss.goto(f"/t/{team.slug}/dashboard/")
    card = boss.locator(f"#card-{satisfaction.pk}")
    expect(card.get_by_text("No value yet")).to_be_visible()

    client = new_page(PHONE)  # anonymous, on a phone
    client.goto(f"/s/{survey.token}/")
    client.screenshot(path="/tmp/ind-survey-phone.png", full_page=True)
    client.locator("label.score-5").click()
    client.get_by_label("Anything to tell us?").fill("Quick and kind.")
    client.get_by_role("button", name="Send").click()
    expect(client.get_by_role("heading", name="Thank you!")).to_be_visible()
    client.screenshot(path="/tmp/ind-survey-phone-thanks.png", full_page=True)

    boss.reload()
    expect(card.locator(".value")).to_have_text("100")
    expect(card.get_by_text("On track")).to_be_visible()
    boss.screenshot(path="/tmp/ind-dashboard-desktop.png", full_page=True)
    phone = login(manager, PHONE)
    phone.goto(f"/t/{team.slug}/dashboard/")
    phone.screenshot(path="/tmp/ind-dashboard-phone.png", full_page=True)
    boss.goto(f"/t/{team.slug}/indicators/{satisfaction.pk}/")
    expect(boss.get_by_text(re.compile("Quick and kind"))).to_be_visible()


def test_indicator_pages_have_no_serious_accessibility_violations(login, new_page, team, manager):
    indicator = IndicatorFactory(team=team)
    TargetFactory(indicator=indicator)
    survey = SurveyFactory(team=team)
    page = login(manager, bypass_csp=True)
    problems = {}
    for path in [
        f"/t/{team.slug}/dashboard/",
        f"/t/{team.slug}/indicators/",
        f"/t/{team.slug}/indicators/new/",
        f"/t/{team.slug}/indicators/import/",
        f"/t/{team.slug}/reviews/",
        f"/t/{team.slug}/surveys/",
        f"/t/{team.slug}/connect/",
        "/dashboard/",
    ]:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    anonymous = new_page(PHONE, bypass_csp=True)
    anonymous.goto(f"/s/{survey.token}/")
    if found := serious_violations(anonymous):
        problems["survey"] = found
    assert not problems
