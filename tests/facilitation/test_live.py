"""The facilitation toolkit's live versions: one API for a screen's version and for what
changed, shared by workshops and gap-analysis meetings."""

import pytest
from django.core.cache import cache

from facilitation import live
from facilitation.live import EVERYONE, FACILITATOR, Change, Live

SESSIONS = Live("test-session")
PUBLIC_ONLY = Live("test-public", private=False)


@pytest.fixture
def heard(monkeypatch):
    changes: list[Change] = []
    monkeypatch.setattr(live, "_listeners", [])
    live.listen(changes.append)
    return changes


def test_a_change_moves_the_version_of_the_screens_that_show_it(
    db, django_capture_on_commit_callbacks
):
    phone, projector = SESSIONS.version(1, EVERYONE), SESSIONS.version(1, FACILITATOR)
    with django_capture_on_commit_callbacks(execute=True):
        SESSIONS.changed(1, audience=FACILITATOR)
    assert SESSIONS.version(1, EVERYONE) == phone
    assert SESSIONS.version(1, FACILITATOR) != projector
    with django_capture_on_commit_callbacks(execute=True):
        SESSIONS.changed(1)
    assert SESSIONS.version(1, EVERYONE) != phone


def test_listeners_hear_what_changed_after_the_commit(
    db, heard, django_capture_on_commit_callbacks
):
    before = SESSIONS.version(7, EVERYONE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        SESSIONS.changed(7, what=live.STEP)
        assert heard == []  # nothing before the commit
    assert len(callbacks) == 1
    assert heard == [Change("test-session", 7, EVERYONE, int(before) + 1, live.STEP)]
    assert SESSIONS.version(7, EVERYONE) == str(int(before) + 1)


def test_a_lost_counter_starts_again_from_the_time_not_from_zero(
    db, heard, django_capture_on_commit_callbacks
):
    seen = SESSIONS.version(3, EVERYONE)
    cache.delete(SESSIONS._key(3, EVERYONE))  # evicted, or Redis restarted
    with django_capture_on_commit_callbacks(execute=True):
        SESSIONS.changed(3)
    assert int(SESSIONS.version(3, EVERYONE)) > int(seen)
    assert heard[0].counter == int(SESSIONS.version(3, EVERYONE))


def test_a_session_without_private_changes_shows_one_version_on_every_screen(db):
    assert PUBLIC_ONLY.version(2, FACILITATOR) == PUBLIC_ONLY.version(2, EVERYONE)
    assert "-" not in PUBLIC_ONLY.version(2, FACILITATOR)


def test_a_poll_creates_no_counter_and_remembers_no_access_by_itself(db):
    assert SESSIONS.poll(5, EVERYONE, user_id=9) == (None, False)
    assert cache.get(SESSIONS._key(5, EVERYONE)) is None
    version = SESSIONS.version(5, EVERYONE)
    SESSIONS.access_remember(5, EVERYONE, user_id=9)
    assert SESSIONS.poll(5, EVERYONE, user_id=9) == (version, True)
    assert SESSIONS.poll(5, FACILITATOR, user_id=9)[1] is False  # per screen


def test_a_failing_listener_neither_fails_the_change_nor_silences_the_others(
    db, heard, django_capture_on_commit_callbacks
):
    def broken(change):
        raise ConnectionError("push server down")

    live._listeners.insert(0, broken)
    with django_capture_on_commit_callbacks(execute=True):
        SESSIONS.changed(4)
    assert [change.pk for change in heard] == [4]
