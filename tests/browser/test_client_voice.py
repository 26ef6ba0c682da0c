"""Client voice, for real: plan an interview, take notes on a 360 px phone while the
network drops for a moment (nothing lost), keep and tag a quote, then find it on the
workshop's projector and on the charter point's story page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from charter.models import Step
from interviews.models import Highlight, Note
from teams.models import ClientGroup, Role
from tests.charter.conftest import make_published, make_workshop
from tests.factories import ClientGroupFactory, MembershipFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WORDS = "I never know who owns my request"


def test_an_interview_from_planning_to_the_workshop(login):
    team = TeamFactory(name="Service Desk", slug="service-desk")
    claire = MembershipFactory(team=team, role=Role.MANAGER, user__display_name="Claire").user
    ClientGroupFactory(team=team, name="Retail shops", kind=ClientGroup.Kind.EXTERNAL)
    version = make_published(team, claire)

    # Claire adds the person and plans the interview.
    desk = login(claire)
    desk.goto("/t/service-desk/voice/")
    desk.get_by_role("link", name="Add a stakeholder").first.click()
    desk.get_by_label("Name", exact=True).fill("Paula Shop")
    desk.get_by_label("Client group").select_option(label="Retail shops")
    desk.get_by_label("Agreed that we keep notes of the interview").check()
    desk.get_by_role("button", name="Add and plan the interview").click()
    day = timezone.localdate() + datetime.timedelta(days=2)
    desk.get_by_label("Day").fill(day.isoformat())
    desk.get_by_label("Time").fill("10:30")
    desk.get_by_role("button", name="Plan the interview").click()
    expect(desk.get_by_text("The interview is planned")).to_be_visible()
    interview_url = desk.url

    # On her phone, she takes notes; the network drops in the middle.
    phone = login(claire, PHONE)
    phone.goto(interview_url + "run/")
    phone.get_by_role("button", name="Start the timer").click()
    notes = phone.locator("form[data-autosave] textarea")
    notes.fill("Three calls about one order.")
    expect(phone.locator("[data-save-state]")).to_have_text("Saved")
    phone.context.set_offline(True)
    notes.press("End")
    notes.type(" Nobody called back.")
    expect(phone.locator("[data-save-state]")).to_contain_text("Not saved yet")
    phone.context.set_offline(False)
    expect(phone.locator("[data-save-state]")).to_have_text("Saved", timeout=15_000)
    assert Note.objects.get().body == "Three calls about one order. Nobody called back."
    phone.reload()
    expect(phone.locator("form[data-autosave] textarea")).to_have_value(
        "Three calls about one order. Nobody called back."
    )

    # Her exact words become a quote; the interview ends.
    phone.get_by_label("Their exact words").fill(WORDS)
    phone.get_by_role("button", name="Keep as a quote").click()
    expect(phone.locator("#quotes blockquote")).to_have_text(WORDS)
    phone.screenshot(path="var/screenshots/client-voice-360.png", full_page=True)
    phone.get_by_role("link", name="Next question").click()
    while phone.get_by_role("link", name="Next question").count():
        phone.get_by_role("link", name="Next question").click()
    phone.get_by_role("button", name="End the interview").click()

    # Tagging the quote after the interview.
    highlight = Highlight.objects.get()
    item = phone.locator(f"#highlight-{highlight.pk}")
    item.get_by_label("Behaviour keywords").fill("Helpful, clear")
    item.get_by_label("Complaint").check()
    item.get_by_label("Charter point").select_option(index=1)
    item.get_by_role("button", name="Save the tags").click()
    expect(phone.locator(f"#highlight-{highlight.pk} .saved")).to_be_visible()

    # In the workshop, on the projector: the quote beside the observations, no name.
    workshop = make_workshop(team, claire, step=Step.OBSERVE)
    desk.goto(f"/t/service-desk/workshops/{workshop.pk}/run/")
    evidence = desk.locator(".client-evidence")
    expect(evidence).to_contain_text(WORDS)
    expect(evidence).to_contain_text("A client of Retail shops")
    expect(evidence).not_to_contain_text("Paula")

    # And on the charter point's story.
    point = version.points.get(lineage=Highlight.objects.get().point_lineage)
    desk.goto("/t/service-desk/charter/")
    desk.locator(f"a[href$='{point.lineage}/']").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(point.keyword)
    expect(desk.get_by_text(WORDS)).to_be_visible()
    desk.set_viewport_size({"width": 1280, "height": 900})
    desk.screenshot(path="var/screenshots/client-voice-point-1280.png", full_page=True)
