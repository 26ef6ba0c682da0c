"""The presenter screens on a projector: every step at 1920x1080 and 1280x720, with the
computed text sizes checked (body text >= 32 px and the headline >= 64 px at 1920x1080,
in proportion on a smaller screen) and nothing overflowing; the keyboard shortcuts and a
clicker's keys; axe on every screen."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from charter import services
from charter.models import Step, Workshop, WorkshopKeyword
from teams.models import Role
from tests.charter.conftest import make_published, make_workshop, put_keywords
from tests.factories import MembershipFactory

from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_HD = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1280, "height": 720}
UHD = {"width": 3840, "height": 2160}
# The screens the user guide shows (1920x1080); every other one goes to /tmp.
DOCS = {"1-observe", "3-vote-blind", "4-select", "charter-point", "gap-2-revealed"}

KEYWORDS = ["Patient", "Honest", "Helpful", "Reliable", "Courteous", "Clear", "Proactive"]


def _workshop(team, manager) -> Workshop:
    """A workshop with four people joined, seven keywords and some dots cast."""
    for words in (["Patient", "Clear"], ["Patient"], ["Honest", "Proactive"], ["Patient"]):
        services.observation_create(
            team=team,
            author=manager,
            reaction="The client thanked us twice",
            behaviour="We called back when we said we would",
            keywords=words,
        )
    workshop = make_workshop(team, manager, dots_per_person=3)
    items = put_keywords(workshop, *KEYWORDS)
    people = [manager] + [
        MembershipFactory(team=team, role=Role.MEMBER, user__display_name=name).user
        for name in ("Ana", "Ben", "Chloé")
    ]
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.VOTE)
    workshop.refresh_from_db()
    for n, user in enumerate(people):
        services.participant_join(workshop=workshop, user=user)
        for item in (items[0], items[1 + n % 3], items[5]):
            services.vote_cast(workshop=workshop, user=user, keyword_id=item.pk)
    services.participant_set_done(workshop=workshop, user=people[1], done=True)
    Workshop.objects.filter(pk=workshop.pk).update(
        step=Step.OBSERVE, step_ends_at=timezone.now() + datetime.timedelta(minutes=9)
    )
    workshop.items = items
    return workshop


def _set(workshop, **fields) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(**fields)


def _check_screen(page, viewport) -> None:
    """Text large enough for the back of the room, and nothing spilling off the screen."""
    scale = min(viewport["width"] / 1920, viewport["height"] / 1080)
    found = page.evaluate(
        """() => {
          const small = [], outside = [];
          const w = window.innerWidth, h = window.innerHeight;
          for (const el of document.querySelectorAll('#screen *')) {
            const box = el.getBoundingClientRect();
            if (!box.width || !box.height) continue;
            if (box.right > w + 1 || box.bottom > h + 1 || box.left < -1 || box.top < -1) {
              outside.push([el.tagName, el.getAttribute('class'), box.right, box.bottom]);
            }
            const text = Array.from(el.childNodes).some(
              n => n.nodeType === 3 && n.textContent.trim());
            if (text) small.push([el.tagName + '.' + el.getAttribute('class'),
                                  parseFloat(getComputedStyle(el).fontSize)]);
          }
          const heading = document.querySelector('.screen-title');
          const title = parseFloat(getComputedStyle(heading).fontSize);
          const body = document.querySelector('.screen-body');
          return {
            sizes: small, outside, title,
            clipped: body.scrollHeight > body.clientHeight + 1,
            scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
          };
        }"""
    )
    assert found["title"] >= 64 * scale - 0.5
    too_small = [(name, size) for name, size in found["sizes"] if size < 32 * scale - 0.5]
    assert not too_small
    assert not found["outside"]
    assert not found["clipped"]
    assert found["scroll"][0] <= viewport["width"] and found["scroll"][1] <= viewport["height"]


def _shoot(page, name: str, viewport) -> None:
    """With SCREENSHOTS=<folder> (docs/screenshots for the user guide), keeps the
    screens the guide shows at 1920x1080; every screen also goes to /tmp to look at."""
    size = f"{viewport['width']}x{viewport['height']}"
    page.screenshot(path=f"/tmp/presenter-{name}-{size}.png")
    folder = os.environ.get("SCREENSHOTS")
    if folder and name in DOCS and viewport == FULL_HD:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"presenter-{name}.png"))


@pytest.mark.parametrize(
    "viewport", [FULL_HD, LAPTOP, UHD], ids=["1920x1080", "1280x720", "3840x2160"]
)
def test_every_step_reads_from_the_back_of_the_room(login, team, manager, viewport):
    workshop = _workshop(team, manager)
    page = login(manager, viewport, reduced_motion="reduce")
    url = f"/t/{team.slug}/workshops/{workshop.pk}/present/"
    states = [
        ("1-observe", {}),
        ("2-propose", {"step": Step.PROPOSE}),
        ("3-vote-blind", {"step": Step.VOTE}),
        ("3-vote-revealed", {"revealed": True}),
        ("4-select", {"step": Step.SELECT}),
        ("5-draft", {"step": Step.DRAFT}),
        ("6-publish", {"step": Step.PUBLISH}),
    ]
    for name, fields in states:
        if fields:
            _set(workshop, **fields)
        if name == "4-select":
            chosen = ("Patient", "Clear", "Honest", "Helpful", "Reliable")
            WorkshopKeyword.objects.filter(workshop=workshop, keyword__label__in=chosen).update(
                selected=True
            )
        if name == "6-publish":
            for item in WorkshopKeyword.objects.filter(workshop=workshop, selected=True):
                WorkshopKeyword.objects.filter(pk=item.pk).update(
                    statement=f"We keep our word and say so when we cannot ({item.keyword.label})",
                    coaching_question=f"When were you {item.keyword.label.lower()} today?",
                )
        page.goto(url)
        expect(page.locator(".screen-title")).to_be_visible()
        _shoot(page, name, viewport)
        _check_screen(page, viewport)
    expect(page.locator(".join-corner")).to_be_visible()


def test_the_keyboard_and_a_clicker_drive_the_workshop(login, team, manager):
    workshop = _workshop(team, manager)
    _set(workshop, step_ends_at=None)
    page = login(manager, FULL_HD)
    page.goto(f"/t/{team.slug}/workshops/{workshop.pk}/present/")
    title = page.locator(".screen-title")
    expect(title).to_have_text("Review observations")

    page.keyboard.press("ArrowRight")
    expect(title).to_have_text("Propose keywords")
    page.keyboard.press("PageDown")  # a clicker's "next"
    expect(title).to_have_text("Vote")
    # Going forward from the first step cleared the dots; one comes in, live.
    expect(page.get_by_test_id("dots-cast")).to_have_text("0 of 12 dots cast")
    services.vote_cast(workshop=workshop, user=manager, keyword_id=workshop.items[0].pk)
    expect(page.get_by_test_id("dots-cast")).to_have_text("1 of 12 dots cast")

    page.keyboard.press("t")
    expect(page.locator("#screen")).to_have_attribute("data-running", "1")
    page.keyboard.press("+")
    page.keyboard.press("t")
    expect(page.locator("#screen")).to_have_attribute("data-running", "0")
    workshop.refresh_from_db()
    assert workshop.paused_remaining is not None and workshop.paused_remaining > 60

    page.keyboard.press("r")
    expect(page.locator(".bar-row")).to_have_count(len(KEYWORDS))
    expect(page.locator(".bar-row").first).to_contain_text("Patient")

    # Back would throw the dots away: that needs the facilitator's confirmation.
    page.keyboard.press("PageUp")  # a clicker's "back"
    expect(page.locator("#present-notice")).to_contain_text("facilitator")
    expect(title).to_have_text("Vote")

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    page.keyboard.press("ArrowRight")  # the overlay holds the keys while it is open
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(title).to_have_text("Vote")
    workshop.refresh_from_db()
    assert workshop.step == Step.VOTE


def test_the_timer_ends_visibly(login, team, manager):
    workshop = _workshop(team, manager)
    _set(workshop, step_ends_at=timezone.now() + datetime.timedelta(seconds=2))
    page = login(manager, FULL_HD, reduced_motion="reduce")
    page.goto(f"/t/{team.slug}/workshops/{workshop.pk}/present/")
    timer = page.locator(".screen-timer")
    expect(timer).to_have_text("Time is up", timeout=6000)
    expect(timer).to_have_class("screen-timer ended")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.screen-timer')).animationName")
        == "none"
    )  # reduced motion: no flashing


def test_present_the_charter_one_point_per_screen(login, team, manager):
    make_published(team, manager)
    for viewport in (FULL_HD, LAPTOP):
        page = login(manager, viewport)
        page.goto(f"/t/{team.slug}/charter/present/")
        expect(page.locator(".screen-title")).to_have_text("Helpful")
        _check_screen(page, viewport)
        _shoot(page, "charter-point", viewport)
        page.keyboard.press("PageDown")
        expect(page.locator(".screen-title")).to_have_text("Patient")
        page.keyboard.press("ArrowLeft")
        expect(page.locator(".screen-title")).to_have_text("Helpful")
        page.keyboard.press("?")
        expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_contain_text("Next point")


def test_presenter_screens_have_no_serious_accessibility_violations(login, team, manager):
    workshop = _workshop(team, manager)
    make_published(team, manager)
    page = login(manager, FULL_HD, bypass_csp=True)  # CSP would block the injected axe
    url = f"/t/{team.slug}/workshops/{workshop.pk}/present/"
    problems = {}
    for step, revealed in [(1, False), (2, False), (3, False), (3, True), (4, True), (6, True)]:
        _set(workshop, step=step, revealed=revealed)
        page.goto(url)
        found = serious_violations(page)
        if found:
            problems[(step, revealed)] = found
    page.goto(f"/t/{team.slug}/charter/present/")
    problems["charter"] = serious_violations(page)
    assert not any(problems.values()), problems


def _gap_meeting(team, manager):
    from improvement.models import Question
    from tests.improvement.factories import GapAnswerFactory, GapMeetingFactory

    meeting = GapMeetingFactory(
        team=team, step_ends_at=timezone.now() + datetime.timedelta(minutes=7)
    )
    words = [
        ("Clients trust our answers", "Trust", True),
        ("They stop calling twice for the same thing", "Trust", False),
        ("We spend less time on complaints", "Time", False),
        ("Calmer days on the desk", "", False),
        ("Our advice is followed", "", False),
    ]
    for body, group, highlighted in words:
        GapAnswerFactory(
            meeting=meeting,
            author=manager,
            body=body,
            group_label=group,
            highlighted=highlighted,
            question=Question.BENEFIT,
        )
    return meeting


@pytest.mark.parametrize("viewport", [FULL_HD, LAPTOP], ids=["1920x1080", "1280x720"])
def test_the_gap_analysis_meeting_reads_from_the_back_of_the_room(login, team, manager, viewport):
    from improvement.models import GapMeeting
    from improvement.models import Step as GapStep

    meeting = _gap_meeting(team, manager)
    page = login(manager, viewport, reduced_motion="reduce")
    url = f"/t/{team.slug}/gap-analysis/{meeting.pk}/present/"
    for name, fields in [
        ("gap-1-answers-face-down", {}),
        ("gap-2-revealed", {"revealed_benefit": True}),
        ("gap-3-wrap-up", {"step": GapStep.WRAPUP}),
    ]:
        if fields:
            GapMeeting.objects.filter(pk=meeting.pk).update(**fields)
        page.goto(url)
        expect(page.locator(".screen-title")).to_be_visible()
        _shoot(page, name, viewport)
        _check_screen(page, viewport)


def test_the_keyboard_drives_the_gap_analysis_meeting(login, team, manager):
    meeting = _gap_meeting(team, manager)
    page = login(manager, FULL_HD)
    page.goto(f"/t/{team.slug}/gap-analysis/{meeting.pk}/present/")
    expect(page.locator(".answer-card.face-down")).to_have_count(5)
    page.keyboard.press("r")
    expect(page.locator(".answer-card.highlighted")).to_contain_text("Clients trust our answers")
    page.keyboard.press("t")
    expect(page.locator("#screen")).to_have_attribute("data-running", "0")
    page.keyboard.press("PageDown")
    expect(page.locator(".screen-title")).to_have_text("What stops us today?")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def test_the_gap_presenter_has_no_serious_accessibility_violations(login, team, manager):
    from improvement.models import GapMeeting

    meeting = _gap_meeting(team, manager)
    page = login(manager, FULL_HD, bypass_csp=True)
    url = f"/t/{team.slug}/gap-analysis/{meeting.pk}/present/"
    problems = {}
    for revealed in (False, True):
        GapMeeting.objects.filter(pk=meeting.pk).update(revealed_benefit=revealed)
        page.goto(url)
        problems[revealed] = serious_violations(page)
    assert not any(problems.values()), problems


@pytest.mark.parametrize("viewport", [FULL_HD, LAPTOP], ids=["1920x1080", "1280x720"])
def test_the_longest_content_still_fits(login, team, manager, viewport):
    """The most the screens hold: 30 keywords of 30 letters, 20 ranked, six points of
    240 characters (the model's limit)."""
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    items = put_keywords(workshop, *(f"{'Considerate' * 2}{i:02d}word" for i in range(30)))
    page = login(manager, viewport)
    url = f"/t/{team.slug}/workshops/{workshop.pk}/present/"
    page.goto(url)
    _check_screen(page, viewport)
    _set(workshop, step=Step.SELECT)
    page.goto(url)
    _check_screen(page, viewport)
    statement = ("We listen to the whole story before we answer, and say what we will do. " * 4)[
        :240
    ]
    for item in items[:6]:
        WorkshopKeyword.objects.filter(pk=item.pk).update(
            selected=True, statement=statement, coaching_question="When did you listen today?"
        )
    _set(workshop, step=Step.PUBLISH)
    page.goto(url)
    _shoot(page, "longest-publish", viewport)
    _check_screen(page, viewport)


def test_the_screens_also_fit_in_french(login, team, manager):
    """French sentences run longer: the vote, the ranking and a gap question still fit."""
    manager.language = "fr"
    manager.save(update_fields=["language"])
    workshop = _workshop(team, manager)
    meeting = _gap_meeting(team, manager)
    page = login(manager, LAPTOP)
    url = f"/t/{team.slug}/workshops/{workshop.pk}/present/"
    for fields in ({"step": Step.VOTE}, {"revealed": True}):
        _set(workshop, **fields)
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        _check_screen(page, LAPTOP)
    page.goto(f"/t/{team.slug}/gap-analysis/{meeting.pk}/present/")
    _shoot(page, "gap-fr", LAPTOP)
    _check_screen(page, LAPTOP)
