"""A gap-analysis meeting with a facilitator and two participants on their phones; an
answer becomes an idea, which then moves through the phases on the board; a participant
answers her weekly check-in on the charter."""

import re

import pytest
from playwright.sync_api import expect

from charter.models import Charter, CharterPoint, CharterVersion
from improvement.models import ChangeIdea, Checkin, CheckinSettings, GapAnswer, Phase
from teams.models import Role
from tests.factories import MembershipFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_team_runs_a_gap_analysis_meeting_and_follows_an_idea_through(login):
    team = TeamFactory(name="Service Desk", slug="service-desk")
    claire = MembershipFactory(team=team, role=Role.MANAGER, user__display_name="Claire").user
    amina = MembershipFactory(team=team, user__display_name="Amina").user
    tom = MembershipFactory(team=team, user__display_name="Tom").user

    # Claire starts a meeting on follow-up, with a shorter first question.
    facilitator = login(claire)
    facilitator.goto("/t/service-desk/gap-analysis/")
    facilitator.get_by_role("link", name="Start a meeting").first.click()
    facilitator.get_by_label("Follow-up").check()
    facilitator.get_by_label("Minutes for question 1").fill("5")
    facilitator.get_by_role("button", name="Start the meeting").click()
    expect(facilitator.get_by_text("Questions to ask the team")).to_be_visible()
    expect(facilitator.locator("[data-timer-clock]")).to_have_text(re.compile(r"^[45]:\d\d$"))

    # Amina and Tom join from their phones and answer; Tom stays anonymous.
    phones = []
    for person in (amina, tom):
        page = login(person, PHONE)
        page.goto("/t/service-desk/gap-analysis/")
        page.get_by_role("link", name="Join").click()
        expect(page.get_by_role("textbox", name="What is the major benefit")).to_be_visible()
        phones.append(page)
    amina_page, tom_page = phones
    amina_page.get_by_role("textbox", name="What is the major benefit").fill(
        "Clients stop chasing us"
    )
    amina_page.get_by_role("button", name="Send my answer").click()
    expect(amina_page.get_by_text("Clients stop chasing us")).to_be_visible()
    expect(amina_page.get_by_role("textbox", name="What is the major benefit")).to_have_value("")
    tom_page.get_by_role("textbox", name="What is the major benefit").fill("Fewer repeat calls")
    tom_page.get_by_label("Post anonymously").check()
    tom_page.get_by_role("button", name="Send my answer").click()
    expect(tom_page.get_by_text("Fewer repeat calls")).to_be_visible()
    # Hidden from each other until the facilitator reveals them.
    expect(amina_page.get_by_text("Fewer repeat calls")).to_have_count(0)

    # The facilitator sees both answers arrive (polling), groups one and reveals them.
    expect(facilitator.get_by_text("Fewer repeat calls")).to_be_visible()
    expect(facilitator.get_by_text("Clients stop chasing us")).to_be_visible()
    facilitator.screenshot(path="/tmp/imp-facilitator-desktop.png", full_page=True)
    facilitator.get_by_role("button", name="Reveal the answers").click()
    expect(amina_page.get_by_text("Fewer repeat calls")).to_be_visible()
    expect(amina_page.get_by_text("anonymous").first).to_be_visible()
    amina_page.screenshot(path="/tmp/imp-participant-phone.png", full_page=True)

    # Shared timer: pause shows on the phones.
    facilitator.get_by_role("button", name="Pause").click()
    expect(tom_page.get_by_text("paused")).to_be_visible()
    facilitator.get_by_role("button", name="Resume").click()

    # On to "what can we do": Amina types slowly while others post; her text survives.
    facilitator.get_by_role("button", name="Next question").click()
    expect(facilitator.get_by_role("heading", name="Question 2: what stops us")).to_be_visible()
    facilitator.get_by_role("button", name="Next question").click()
    expect(facilitator.get_by_role("heading", name="Question 3: what we can do")).to_be_visible()
    expect(
        amina_page.get_by_role("textbox", name="What can we, as a team, do about it?")
    ).to_be_visible()
    amina_page.get_by_role("textbox", name="What can we, as a team, do about it?").fill(
        "Call back the same day"
    )
    tom_page.get_by_role("textbox", name="What can we, as a team, do about it?").fill(
        "Shared inbox labels"
    )
    tom_page.get_by_role("button", name="Send my answer").click()
    amina_page.wait_for_timeout(2500)  # at least one poll re-rendered her fragment
    amina_box = amina_page.get_by_role("textbox", name="What can we, as a team, do about it?")
    expect(amina_box).to_have_value("Call back the same day")
    amina_page.get_by_role("button", name="Send my answer").click()
    expect(facilitator.get_by_text("Call back the same day")).to_be_visible()

    # Wrap-up: the answer becomes an idea owned by Amina.
    facilitator.get_by_role("button", name="Go to the wrap-up").click()
    answer = GapAnswer.objects.get(body="Call back the same day")
    item = facilitator.locator("li.answer", has_text="Call back the same day")
    item.get_by_text("Turn into an idea").click()
    item.get_by_label("Owner").select_option(label="Amina")
    item.get_by_role("button", name="Create the idea").click()
    expect(item.get_by_text("Idea, owned by Amina")).to_be_visible()
    idea = ChangeIdea.objects.get(source_answer=answer)
    facilitator.once("dialog", lambda dialog: dialog.accept())
    facilitator.get_by_role("button", name="Close the meeting").click()
    expect(facilitator.get_by_role("heading", name="Ideas we will try")).to_be_visible()
    expect(amina_page.get_by_text("The meeting is over")).to_be_visible()

    # Amina moves her idea through the phases on the board, from her phone.
    amina_page.goto("/t/service-desk/ideas/")
    for label, phase in (("Move to test", Phase.TEST), ("Move to adapted", Phase.ADAPTED)):
        amina_page.get_by_role("button", name=re.compile(f"^{label}.*Call back")).click()
        expect(
            amina_page.locator(f"#phase-{phase}").get_by_role("link", name="Call back the same day")
        ).to_be_visible()
    amina_page.screenshot(path="/tmp/imp-board-phone.png", full_page=True)
    amina_page.get_by_role("button", name=re.compile("^Move to live.*Call back")).click()
    expect(
        amina_page.locator("#phase-live").get_by_role("link", name="Call back the same day")
    ).to_be_visible()
    idea.refresh_from_db()
    assert idea.phase == Phase.LIVE and idea.phase_changes.count() == 3

    # The facilitator's board on a desktop, and the follow-up slot.
    facilitator.goto("/t/service-desk/ideas/")
    facilitator.screenshot(path="/tmp/imp-board-desktop.png", full_page=True)
    facilitator.get_by_role("link", name="Follow-up slot").click()
    expect(facilitator.get_by_role("heading", name="Amina")).to_be_visible()

    # With a published charter, Amina answers her weekly check-in from the home page.
    charter = Charter.objects.create(team=team)
    version = CharterVersion.objects.create(charter=charter, number=1, published_by=claire)
    CharterPoint.objects.create(
        version=version,
        position=1,
        keyword="Responsive",
        statement="Call every client back the same day.",
        coaching_question="Did you call every client back the same day this week?",
    )
    CheckinSettings.objects.create(team=team, weekday=0)  # asked from Monday on
    amina_page.goto("/")
    amina_page.get_by_role("link", name="Answer").click()
    question = amina_page.get_by_role("group", name="Did you call every client back")
    question.get_by_label("Yes").check()
    question.get_by_label("A short example").fill("Called Mr Petit back before noon")
    question.get_by_label("Share this example with the team").check()
    amina_page.screenshot(path="/tmp/imp-checkin-phone.png", full_page=True)
    amina_page.get_by_role("button", name="Save my check-in").click()
    expect(amina_page.get_by_text("Thank you: your check-in is saved.")).to_be_visible()
    checkin = Checkin.objects.get(user=amina)
    assert (checkin.answer, checkin.share_example) == ("yes", True)
    facilitator.goto("/t/service-desk/check-in/team/")
    expect(facilitator.get_by_text("Called Mr Petit back before noon")).to_be_visible()
