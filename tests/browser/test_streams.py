"""Live screens over streams in real browsers, polling switched off: what one person does
reaches the other screens through the stream server alone, and after it restarts."""

import pytest
from playwright.sync_api import expect

from charter.models import Step
from improvement import services as gap_services
from improvement.models import FocusArea, GapMeeting, Question
from teams.models import Role
from tests.charter.conftest import make_workshop, put_keywords
from tests.factories import MembershipFactory
from tests.streams.conftest import StreamServer, free_port

PHONE = {"width": 390, "height": 844}
# Pages' own polling stays off: only the streams may bring changes.
NO_POLLING = (
    "document.addEventListener('DOMContentLoaded', function () {"
    " document.documentElement.dataset.livePoll = 'off'; });"
)


@pytest.fixture
def streams(settings):
    server = StreamServer(free_port(), settings.STREAMS_REDIS_URL)
    server.start()
    settings.STREAMS_URL = server.url
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {
        **policy["DIRECTIVES"],
        "connect-src": ["'self'", f"http://127.0.0.1:{server.port}"],
    }
    settings.CONTENT_SECURITY_POLICY = policy
    yield server
    server.stop()


def _open(login, user, url, viewport=None):
    page = login(user, viewport)
    page.add_init_script(NO_POLLING)
    page.goto(url)
    expect(page.locator("[data-live-stream='open']")).to_have_count(1)
    return page


@pytest.mark.browser
def test_a_vote_and_a_step_reach_the_other_screens_over_the_stream(
    transactional_db, login, streams, team, manager
):
    member = MembershipFactory(team=team, role=Role.MEMBER, user__display_name="Ana").user
    workshop = make_workshop(team, manager, step=Step.VOTE)
    put_keywords(workshop, "Patient", "Honest")
    base = f"/t/{team.slug}/workshops/{workshop.pk}/"
    projector = _open(login, manager, base + "run/")
    phone = _open(login, member, base, PHONE)

    phone.get_by_role("button", name="Join the workshop").click()
    expect(projector.get_by_test_id("joined")).to_have_text("1 joined")
    phone.get_by_role("button", name="Put a dot on Patient").click()
    expect(projector.get_by_text("1 dot cast")).to_be_visible()

    projector.get_by_role("button", name="Next step").click()
    expect(phone.get_by_role("heading", name="Select")).to_be_visible()
    # Nothing polled: the stream stayed open on both screens.
    for page in (projector, phone):
        expect(page.locator("[data-live-stream='open']")).to_have_count(1)


@pytest.mark.browser
def test_a_screen_catches_up_after_the_stream_server_restarts(
    transactional_db, login, streams, team, manager
):
    member = MembershipFactory(team=team, role=Role.MEMBER, user__display_name="Ben").user
    workshop = make_workshop(team, manager, step=Step.VOTE)
    put_keywords(workshop, "Patient")
    base = f"/t/{team.slug}/workshops/{workshop.pk}/"
    projector = _open(login, manager, base + "run/")
    phone = _open(login, member, base, PHONE)
    phone.get_by_role("button", name="Join the workshop").click()
    expect(projector.get_by_test_id("joined")).to_have_text("1 joined")

    streams.stop()
    expect(projector.locator("[data-live-stream='down']")).to_have_count(1)
    phone.get_by_role("button", name="Put a dot on Patient").click()  # while it is down
    expect(phone.get_by_test_id("dots-left")).to_be_visible()
    streams.start()
    expect(projector.get_by_text("1 dot cast")).to_be_visible()
    expect(projector.locator("[data-live-stream='open']")).to_have_count(1)


@pytest.mark.browser
def test_a_gap_meeting_step_reaches_the_members_over_the_stream(
    transactional_db, login, streams, team, manager
):
    member = MembershipFactory(team=team, role=Role.MEMBER, user__display_name="Chloé").user
    meeting = gap_services.gap_meeting_start(
        team=team, facilitator=manager, focus_area=FocusArea.FOLLOW_UP
    )
    base = f"/t/{team.slug}/gap-analysis/{meeting.pk}/"
    host = _open(login, manager, base + "facilitate/")
    phone = _open(login, member, base, PHONE)
    expect(phone.locator(".question-label")).to_have_text(str(Question.BENEFIT.label))
    host.get_by_role("button", name="Next question").click()
    expect(phone.locator(".question-label")).to_have_text(str(Question.OBSTACLES.label))
    assert GapMeeting.objects.get(pk=meeting.pk).step == Question.OBSTACLES


@pytest.mark.browser
def test_a_screen_coming_back_to_the_front_reconnects_at_once(
    transactional_db, login, streams, team, manager
):
    member = MembershipFactory(team=team, role=Role.MEMBER, user__display_name="Dan").user
    workshop = make_workshop(team, manager, step=Step.VOTE)
    put_keywords(workshop, "Patient")
    base = f"/t/{team.slug}/workshops/{workshop.pk}/"
    projector = _open(login, manager, base + "run/")
    phone = _open(login, member, base, PHONE)
    phone.get_by_role("button", name="Join the workshop").click()
    expect(projector.get_by_test_id("joined")).to_have_text("1 joined")

    streams.stop()
    # Long enough down for the extension's next retry to be seconds away.
    projector.wait_for_timeout(8000)
    expect(projector.locator("[data-live-stream='down']")).to_have_count(1)
    streams.start()
    projector.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(projector.locator("[data-live-stream='open']")).to_have_count(1, timeout=2500)
    # The live area listens to the new stream: a vote arrives without polling.
    phone.get_by_role("button", name="Put a dot on Patient").click()
    expect(projector.get_by_text("1 dot cast")).to_be_visible(timeout=3000)


@pytest.mark.browser
def test_the_presenter_screen_follows_votes_over_the_stream(
    transactional_db, login, streams, team, manager
):
    member = MembershipFactory(team=team, role=Role.MEMBER, user__display_name="Cleo").user
    workshop = make_workshop(team, manager, step=Step.VOTE)
    put_keywords(workshop, "Patient", "Honest")
    base = f"/t/{team.slug}/workshops/{workshop.pk}/"
    wall = _open(login, manager, base + "present/", {"width": 1280, "height": 720})
    phone = _open(login, member, base, PHONE)
    phone.get_by_role("button", name="Join the workshop").click()
    expect(wall.get_by_test_id("joined-done")).to_contain_text("of 1 joined")
    phone.get_by_role("button", name="Put a dot on Patient").click()
    expect(wall.get_by_test_id("dots-cast")).to_contain_text("1 of")
    expect(wall.locator("[data-live-stream='open']")).to_have_count(1)
