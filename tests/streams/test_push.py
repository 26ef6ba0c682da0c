"""Publishing a live change: after its commit, never without Redis; the stream token."""

import json
import time
from unittest import mock

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import transaction

from charter.live import WORKSHOP
from facilitation import push
from improvement.live import GAP_MEETING
from tests.charter.conftest import make_workshop


@pytest.fixture
def listener():
    client = redis.Redis.from_url(settings.STREAMS_REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(settings.STREAMS_CHANNEL)
    yield pubsub
    pubsub.close()
    client.close()


def _events(pubsub, wait=0.5) -> list[dict]:
    found, deadline = [], time.monotonic() + wait
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.05)
        if message:
            found.append(json.loads(message["data"]))
    return found


def test_a_change_is_published_after_its_commit_only(
    db, listener, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            WORKSHOP.changed(41, what="step")
            assert _events(listener, wait=0.2) == []
    [event] = _events(listener)
    assert event["k"] == "workshop.41.everyone"
    assert event["w"] == "step"
    # The counter is the one the pages compare, kept for a stream that connects later.
    assert WORKSHOP.version(41) == str(event["c"])
    stored = redis.Redis.from_url(settings.STREAMS_REDIS_URL).get(
        push.counter_key("workshop.41.everyone")
    )
    assert int(stored) == event["c"]


def test_a_rolled_back_change_is_not_published(db, listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            WORKSHOP.changed(42)
            raise RuntimeError
    assert _events(listener, wait=0.3) == []


def test_nothing_is_published_without_redis(db, settings, listener):
    settings.STREAMS_REDIS_URL = ""
    with mock.patch.object(push, "_client") as client:
        WORKSHOP.changed(43)  # outside a transaction: at once
    client.assert_not_called()
    assert _events(listener, wait=0.3) == []


def test_an_unreachable_redis_costs_the_change_nothing(db, settings):
    push._client.cache_clear()
    settings.STREAMS_REDIS_URL = "redis://127.0.0.1:1/0"
    try:
        WORKSHOP.changed(44)  # logged, not raised
    finally:
        push._client.cache_clear()
    assert WORKSHOP.version(44)


def test_a_stored_counter_never_moves_back(db):
    client = redis.Redis.from_url(settings.STREAMS_REDIS_URL)
    key = push.counter_key("workshop.45.everyone")
    for counter in (10, 12, 11):
        client.eval(push._STORE_MAX, 1, key, counter, 60, settings.STREAMS_CHANNEL, "{}")
    assert int(client.get(key)) == 12


def test_the_token_names_the_user_the_screen_and_its_audiences():
    token = push.token_for(user_id=7, live=WORKSHOP, pk=3, screen="facilitator")
    data = push.token_read(token, screen="workshop.3.facilitator")
    assert data["u"] == 7
    assert data["k"] == ["workshop.3.everyone", "workshop.3.facilitator"]
    # A meeting's screens all show one audience.
    token = push.token_for(user_id=7, live=GAP_MEETING, pk=3, screen="facilitator")
    assert push.token_read(token, screen="gap-meeting.3.facilitator")["k"] == [
        "gap-meeting.3.everyone"
    ]


def test_a_token_opens_no_other_screen_and_cannot_be_forged():
    token = push.token_for(user_id=7, live=WORKSHOP, pk=3, screen="everyone")
    assert push.token_read(token, screen="workshop.3.facilitator") is None
    assert push.token_read(token, screen="workshop.4.everyone") is None
    assert push.token_read(token[:-2] + "xx", screen="workshop.3.everyone") is None
    assert push.token_read("", screen="workshop.3.everyone") is None


def test_a_token_expires():
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        token = push.token_for(user_id=7, live=WORKSHOP, pk=3, screen="everyone")
    with time_machine.travel("2026-12-01 20:59Z", tick=False):
        assert push.token_read(token, screen="workshop.3.everyone")
    with time_machine.travel("2026-12-01 21:01Z", tick=False):
        assert push.token_read(token, screen="workshop.3.everyone") is None


def test_pages_open_no_stream_without_streams(client, team, manager):
    workshop = make_workshop(team, manager)
    client.force_login(manager)
    response = client.get(f"/t/{team.slug}/workshops/{workshop.pk}/run/")
    assert b"sse-connect" not in response.content
    assert b"data-live-poll" in response.content


def test_a_page_opens_its_screen_s_stream_with_its_version(client, settings, team, manager):
    settings.STREAMS_URL = "/streams/"
    workshop = make_workshop(team, manager)
    client.force_login(manager)
    response = client.get(f"/t/{team.slug}/workshops/{workshop.pk}/run/")
    html = response.content.decode()
    assert f'sse-connect="/streams/workshop.{workshop.pk}.facilitator?t=' in html
    version = response.context["version"]
    assert f"v={version}" in html.replace("%2D", "-")
    # A poll's fragment holds no stream: the page's stays open.
    response = client.get(
        f"/t/{team.slug}/workshops/{workshop.pk}/run/", headers={"HX-Request": "true"}
    )
    assert b"sse-connect" not in response.content


def test_the_presenter_screens_follow_their_stream_too(client, settings, team, manager):
    from tests.improvement.factories import GapMeetingFactory

    settings.STREAMS_URL = "/streams/"
    workshop = make_workshop(team, manager)
    meeting = GapMeetingFactory(team=team, facilitator=manager)
    client.force_login(manager)
    html = client.get(f"/t/{team.slug}/workshops/{workshop.pk}/present/").content.decode()
    assert f'sse-connect="/streams/workshop.{workshop.pk}.facilitator?t=' in html
    assert 'hx-trigger="sse:changed, live:poll' in html
    html = client.get(f"/t/{team.slug}/gap-analysis/{meeting.pk}/present/").content.decode()
    assert f'sse-connect="/streams/gap-meeting.{meeting.pk}.' in html
