"""A whole workshop in real browsers: a facilitator on a projector and three members on
their phones, each in a separate browser context."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from charter.models import CharterVersion, Endorsement, Vote
from teams.models import Role
from tests.factories import MembershipFactory

PHONE = {"width": 390, "height": 844}


def _settled(page) -> None:
    """Waits until htmx has finished a swap, new content wired up included: a key
    pressed a few milliseconds after the swap would otherwise submit the new form
    natively (a full page load, which a person's hand is far too slow to cause)."""
    expect(page.locator(".htmx-swapping, .htmx-settling")).to_have_count(0)


@pytest.mark.browser
def test_a_team_runs_a_whole_workshop_live(transactional_db, login, team, manager):
    members = [
        MembershipFactory(team=team, role=Role.MEMBER, user__display_name=name).user
        for name in ("Ana", "Ben", "Chloé")
    ]
    host = login(manager)
    host.goto(f"/t/{team.slug}/workshops/new/")
    host.get_by_label("Title").fill("Our first charter")
    host.get_by_label("Dots per person").fill("3")
    host.get_by_label("Maximum dots on one keyword").fill("2")
    host.get_by_role("button", name="Create the workshop").click()
    expect(host.get_by_role("heading", name="Review observations")).to_be_visible()
    run_url = host.url
    join_url = run_url.removesuffix("run/")

    phones = [login(user, PHONE) for user in members]
    for phone in phones:
        phone.goto(join_url)
        phone.get_by_role("button", name="Join the workshop").click()
    expect(host.get_by_test_id("joined")).to_have_text("3 joined")  # live, no reload

    # Propose: the step follows the facilitator; duplicates are merged and counted.
    host.get_by_role("button", name="Next step").click()
    for phone, word in zip(phones, ("Helpful", " helpful ", "Patient"), strict=True):
        expect(phone.get_by_role("heading", name="Propose keywords")).to_be_visible()
        phone.get_by_label("A keyword").fill(word)
        phone.get_by_role("button", name="Propose", exact=True).click()
    expect(phones[2].locator(".chip", has_text="Patient")).to_be_visible()
    phones[2].get_by_label("A keyword").fill("Honest")
    phones[2].get_by_role("button", name="Propose", exact=True).click()
    expect(host.locator(".chip", has_text="Helpful")).to_contain_text("×2")
    expect(host.locator(".chip")).to_have_count(3)
    host.screenshot(path="/tmp/charter-facilitator-propose.png")
    phones[2].screenshot(path="/tmp/charter-participant-propose.png", full_page=True)

    # Vote: each phone sees its own remaining dots; totals stay hidden until revealed.
    host.get_by_role("button", name="Next step").click()
    for phone, picks in zip(
        phones, (["Helpful", "Patient"], ["Helpful"], ["Helpful", "Honest"]), strict=True
    ):
        expect(phone.get_by_role("heading", name="Vote")).to_be_visible()
        for label in picks:
            phone.get_by_role("button", name=f"Put a dot on {label}").click()
            expect(phone.locator(".vote-row", has_text=label).locator(".dot")).not_to_have_count(0)
    expect(phones[0].get_by_test_id("dots-left")).to_contain_text("You have 1 dot left")
    phones[0].get_by_role("button", name="Take a dot back from Patient").click()
    expect(phones[0].get_by_test_id("dots-left")).to_contain_text("You have 2 dots left")
    phones[0].get_by_role("button", name="Put a dot on Patient").click()
    expect(phones[0].get_by_test_id("dots-left")).to_contain_text("You have 1 dot left")
    phones[0].screenshot(path="/tmp/charter-participant-vote.png", full_page=True)
    expect(host.get_by_text("5 dots cast")).to_be_visible()
    expect(phones[1].locator(".badge.total")).to_have_count(0)
    host.get_by_role("button", name="Reveal the totals").click()
    expect(phones[1].locator(".vote-row", has_text="Helpful").locator(".badge.total")).to_have_text(
        "3 dots"
    )
    assert Vote.objects.count() == 5

    # Select: ranked by dots, the facilitator confirms.
    host.get_by_role("button", name="Next step").click()
    expect(host.locator(".ranking li").first).to_contain_text("Helpful")
    for label in ("Helpful", "Patient", "Honest"):
        host.get_by_label(re.compile(label)).check()
    host.get_by_role("button", name="Confirm the selection").click()
    # Three is fewer than the method suggests: the facilitator confirms it.
    expect(host.locator(".confirm-fewer")).to_contain_text("confirm with fewer?")
    host.get_by_role("button", name="Yes, confirm with fewer").click()
    expect(phones[0].locator(".ranking li.selected")).to_have_count(3)
    phones[0].screenshot(path="/tmp/charter-participant-select.png", full_page=True)
    host.screenshot(path="/tmp/charter-facilitator-select.png", full_page=True)

    # Draft: a bare word is refused with guidance; a behaviour is accepted and endorsed.
    host.get_by_role("button", name="Next step").click()
    ana = phones[0]
    expect(ana.get_by_role("heading", name="Draft charter points")).to_be_visible()
    ana.get_by_label("Keyword").select_option(label="Helpful")
    ana.get_by_label("Charter point").fill("Helpful")
    ana.get_by_role("button", name="Propose", exact=True).click()
    expect(ana.locator(".error")).to_contain_text("behaviour someone could observe")
    ana.get_by_label("Charter point").fill(
        "Take every chance to give our clients advice that helps them"
    )
    ana.get_by_role("button", name="Propose", exact=True).click()
    expect(phones[1].locator(".draft-keyword", has_text="Take every chance")).to_be_visible()
    phones[1].locator(".draft-keyword", has_text="Take every chance").get_by_role(
        "button", name="Support · 1"
    ).click()
    expect(host.locator(".draft-keyword", has_text="Take every chance")).to_contain_text(
        "2 supporters"
    )
    phones[1].screenshot(path="/tmp/charter-participant-draft.png", full_page=True)
    host.get_by_role("button", name="Use this wording").click()
    expect(
        host.locator(".point-form", has_text="Helpful").get_by_label("Coaching question")
    ).to_have_value("Did you take a chance to be helpful today?")
    host.screenshot(path="/tmp/charter-facilitator-draft.png", full_page=True)

    # Publish: an immutable version, the team e-mailed, members commit to it.
    host.get_by_role("button", name="Next step").click()
    host.get_by_role("button", name="Publish the charter and e-mail the team").click()
    expect(host.get_by_role("heading", name="Our Customer Experience Charter")).to_be_visible()
    expect(ana.get_by_role("link", name="Open the charter")).to_be_visible()
    ana.get_by_role("link", name="Open the charter").click()
    ana.get_by_role("button", name="I commit to this charter").click()
    expect(ana.get_by_text("You committed to this charter.")).to_be_visible()
    ana.screenshot(path="/tmp/charter-participant-charter.png", full_page=True)
    version = CharterVersion.objects.get()
    assert [p.statement for p in version.points.all()] == [
        "Take every chance to give our clients advice that helps them"
    ]
    assert Endorsement.objects.filter(version=version).count() == 1
    assert len(mail.outbox) == 4


@pytest.mark.browser
def test_the_charter_prints_on_one_a4_page(transactional_db, login, team, manager):
    from tests.charter.conftest import make_published

    points = [
        (f"Keyword {n}", f"Take every chance number {n} to give our clients advice that helps")
        for n in range(6)
    ]
    version = make_published(team, manager, points)
    for _ in range(12):
        Endorsement.objects.create(version=version, user=MembershipFactory(team=team).user)
    page = login(manager)
    page.goto(f"/t/{team.slug}/charter/")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.browser
def test_the_keyword_field_suggests_each_word_on_a_phone(transactional_db, login, team, member):
    from charter import services
    from charter.models import Observation

    for words in (["Patient", "Honest"], ["Patient", "Helpful"], ["Honnête"]):
        services.observation_create(
            team=team, author=member, reaction="Glad", behaviour="Called back", keywords=words
        )
    phone = login(member, PHONE)
    phone.goto(f"/t/{team.slug}/observations/new/")
    field = phone.get_by_role("combobox", name="Behaviour keywords")
    field.press_sequentially("patient, hon")
    options = phone.locator(".suggest-list").get_by_role("option")
    # The last word is completed, accents aside; the first one is not offered again.
    expect(options).to_have_text(["Honest", "Honnête"])
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", re.compile(".+"))
    field.press("Enter")
    expect(field).to_have_value("patient, Honest, ")
    expect(options).to_have_count(0)
    field.press_sequentially("he")
    options.filter(has_text="Helpful").click()
    expect(field).to_have_value("patient, Honest, Helpful, ")
    # The team's most used words are one tap away, and a second tap takes one back.
    picks = phone.locator("[data-keyword-add]")
    expect(phone.get_by_role("button", name="Patient")).to_have_attribute("aria-pressed", "true")
    phone.get_by_role("button", name="Honnête").click()
    expect(field).to_have_value("patient, Honest, Helpful, Honnête, ")
    phone.get_by_role("button", name="Honest").click()
    expect(field).to_have_value("patient, Helpful, Honnête, ")
    expect(picks).to_have_count(4)
    phone.get_by_label("Client reaction").fill("Reassured")
    phone.get_by_label("What we did that caused it").fill("Explained the delay")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("your observation is recorded")).to_be_visible()
    latest = Observation.objects.latest("created_at")
    assert sorted(k.normalised for k in latest.keywords.all()) == ["helpful", "honnete", "patient"]


@pytest.mark.browser
def test_the_keyword_field_still_works_without_javascript(transactional_db, login, team, member):
    from charter.models import Observation

    phone = login(member, PHONE, java_script_enabled=False)
    phone.goto(f"/t/{team.slug}/observations/new/")
    phone.get_by_label("Client reaction").fill("Reassured")
    phone.get_by_label("What we did that caused it").fill("Explained the delay")
    phone.get_by_label("Behaviour keywords").fill("patient, honest")
    expect(phone.locator("[data-keyword-picks]")).to_be_hidden()
    phone.get_by_role("button", name="Save").click()
    assert Observation.objects.get().keywords.count() == 2


@pytest.mark.browser
def test_voting_with_the_keyboard_keeps_the_focus_on_the_button(
    transactional_db, login, team, manager, member
):
    from charter.models import Step
    from charter.services import participant_join
    from tests.charter.conftest import make_workshop, put_keywords

    workshop = make_workshop(team, manager, step=Step.VOTE, max_dots_per_keyword=1)
    put_keywords(workshop, "Helpful", "Patient")
    participant_join(workshop=workshop, user=member)
    phone = login(member, PHONE)
    phone.goto(f"/t/{team.slug}/workshops/{workshop.pk}/")
    plus = phone.get_by_role("button", name="Put a dot on Helpful")
    plus.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".vote-row", has_text="Helpful").locator(".dot")).to_have_count(1)
    # The ballot was replaced; the focus is still on the same button, now at its cap.
    expect(plus).to_be_focused()
    expect(plus).to_have_attribute("aria-disabled", "true")
    phone.keyboard.press("Enter")  # one more: refused with a reason, nothing lost
    expect(phone.get_by_text("At most 1 dot can go on one keyword.")).to_be_visible()
    _settled(phone)  # the whole ballot came back with the reason, its form new
    minus = phone.get_by_role("button", name="Take a dot back from Helpful")
    minus.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".vote-row", has_text="Helpful").locator(".dot")).to_have_count(0)
    expect(minus).to_be_focused()
    # Only the tapped row came back; the refusal went with it.
    expect(phone.get_by_text("At most 1 dot can go on one keyword.")).to_have_count(0)
    expect(phone.get_by_test_id("dots-left")).to_contain_text("You have 6 dots left")
