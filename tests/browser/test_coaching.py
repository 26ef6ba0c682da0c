"""A one-to-one in two browser contexts: the manager on a laptop, the member on a phone
(360 px). The member answers first, an objective is agreed by both, the follow-up is
planned. Then a manager works through a practice situation."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import Objective, OneToOne
from notifications.models import Reminder
from teams.models import Role
from tests.factories import MembershipFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
SHOTS = os.environ.get("COACHING_SCREENSHOTS")  # a folder, to look at the screens


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_one_to_one_from_the_member_answer_to_an_agreed_objective(login):
    team = TeamFactory(name="Service Desk", slug="service-desk")
    claire = MembershipFactory(team=team, role=Role.MANAGER, user__display_name="Claire").user
    amina = MembershipFactory(team=team, user__display_name="Amina").user

    # Claire opens the one-to-one on her laptop.
    laptop = login(claire)
    laptop.goto("/t/service-desk/coaching/")
    laptop.get_by_role("link", name="Open a one-to-one").first.click()
    laptop.get_by_label("With").select_option(label="Amina")
    laptop.get_by_label("Day of the conversation").fill(timezone.localdate().isoformat())
    laptop.get_by_role("button", name="Open the one-to-one").click()
    expect(laptop.get_by_text("Waiting for Amina's answer")).to_be_visible()
    expect(laptop.get_by_role("link", name="Propose an objective")).to_have_count(0)
    laptop.get_by_text("Attach a fact").click()
    laptop.get_by_label("What was observed").fill("Billing waited three days for an answer")
    laptop.get_by_role("button", name="Attach", exact=True).click()
    _shot(laptop, "one-to-one-manager-1280")

    # Amina answers first, on her phone, from her home page.
    phone = login(amina, PHONE)
    phone.get_by_role("link", name="Claire").click()
    expect(phone.get_by_text("Billing waited three days for an answer")).to_be_visible()
    phone.get_by_label("Concretely, what would make").fill("A first answer the same day")
    phone.get_by_role("button", name="Answer").click()
    expect(phone.get_by_role("blockquote")).to_have_text("A first answer the same day")
    _shot(phone, "one-to-one-member-360")

    # Claire's page shows Amina's answer by itself; she proposes an objective from it.
    expect(laptop.get_by_role("blockquote")).to_have_text("A first answer the same day")
    laptop.get_by_role("link", name="Propose an objective").click()
    laptop.get_by_label("What is observed").fill("Every internal request answered the same day")
    laptop.get_by_label("A personal indicator").check()
    laptop.get_by_label("Unit").select_option("percent")
    laptop.get_by_label("Direction").select_option("higher")
    laptop.get_by_label("Target").fill("90")
    laptop.get_by_label("Frequency").select_option("weekly")
    review_on = timezone.localdate() + datetime.timedelta(days=30)
    laptop.get_by_label("Review date").fill(review_on.isoformat())
    laptop.get_by_role("button", name="Propose").click()
    expect(laptop.get_by_text("Amina has not accepted yet")).to_be_visible()

    # Amina changes the target; Claire's acceptance no longer counts.
    phone.goto(f"/t/service-desk/coaching/objectives/{Objective.objects.get().pk}/")
    phone.get_by_role("link", name="Change the wording").click()
    phone.get_by_label("Target").fill("80")
    phone.get_by_role("button", name="Save the new wording").click()
    expect(phone.get_by_text("Claire has not accepted yet")).to_be_visible()
    _shot(phone, "objective-member-360")

    # Claire accepts the new wording: agreed by both, review planned for both.
    laptop.goto(phone.url.replace(phone.url.split("/t/")[0], ""))
    laptop.get_by_role("button", name="I accept this wording").click()
    expect(laptop.get_by_text("Agreed by both.")).to_be_visible()
    objective = Objective.objects.get()
    assert objective.is_agreed and objective.current.target == 80
    assert Reminder.objects.filter(kind="coaching_review").count() == 2
    _shot(laptop, "objective-manager-1280")

    # Amina plans the follow-up conversation.
    phone.get_by_role("link", name="The one-to-one").click()
    phone.get_by_label("Next conversation").fill(
        (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    )
    phone.get_by_role("button", name="Plan the follow-up").click()
    expect(phone.get_by_text("Follow-up conversation planned.")).to_be_visible()
    assert OneToOne.objects.get().next_on is not None
    # Nothing of the page is wider than the phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_a_manager_works_through_a_practice_situation(login):
    team = TeamFactory(name="Service Desk", slug="service-desk")
    claire = MembershipFactory(team=team, role=Role.MANAGER, user__display_name="Claire").user
    page = login(claire, PHONE)
    page.goto("/t/service-desk/coaching/practice/")
    page.get_by_role("link", name="The first question of the one-to-one").click()
    page.get_by_label("“Which objective do you set yourself?”").check()
    page.get_by_role("button", name="See if it works").click()
    expect(page.get_by_role("heading", name="This does not work")).to_be_visible()
    page.get_by_role("link", name="Try again").click()
    page.get_by_label("“Concretely, what would make").check()
    page.get_by_role("button", name="See if it works").click()
    expect(page.get_by_role("heading", name="This works")).to_be_visible()
    _shot(page, "practice-360")
    page.get_by_role("link", name="Other situations").click()
    card = page.locator(".card", has_text="The first question of the one-to-one")
    expect(card.get_by_text("Done")).to_be_visible()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_coaching_pages_have_no_serious_accessibility_violations(login, viewport):
    from coaching import services
    from coaching.models import Situation
    from tests.browser.test_accessibility import serious_violations
    from tests.coaching.factories import OneToOneFactory, answered, make_objective

    team = TeamFactory(name="Service Desk", slug="service-desk")
    claire = MembershipFactory(team=team, role=Role.MANAGER, user__display_name="Claire").user
    amina = MembershipFactory(team=team, user__display_name="Amina").user
    MembershipFactory(team=team, role=Role.LEAD, user__display_name="Luc")
    talk = answered(OneToOneFactory(team=team, manager=claire, member=amina))
    objective = make_objective(talk)
    services.progress_add(objective=objective, author=amina, status="on_track", body="Better")
    Situation.objects.create(organisation=team.organisation, title="Own", setting="What now?")
    base = "/t/service-desk/coaching"
    pages = {
        claire: [
            f"{base}/",
            f"{base}/one-to-ones/new/",
            f"{base}/one-to-ones/{talk.pk}/",
            f"{base}/one-to-ones/{talk.pk}/objective/",
            f"{base}/objectives/{objective.pk}/",
            f"{base}/practice/",
            f"{base}/practice/tone/",
            f"{base}/log/",
            f"{base}/feedback/",
            "/coaching/across-teams/",
            f"/o/{team.organisation.slug}/coaching/situations/",
            f"/o/{team.organisation.slug}/coaching/leaders/",
        ],
        amina: ["/", f"{base}/one-to-ones/{talk.pk}/", f"{base}/objectives/{objective.pk}/"],
    }
    problems = {}
    for person, paths in pages.items():
        page = login(person, viewport, bypass_csp=True)  # CSP would block the axe script
        for path in paths:
            page.goto(path)
            found = serious_violations(page)
            if found:
                problems[f"{person} {path}"] = found
    assert not problems
