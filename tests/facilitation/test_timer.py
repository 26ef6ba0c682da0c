"""The step timer every facilitated session mixes in (facilitation.timer.StepTimer)."""

from datetime import UTC, datetime, timedelta

import time_machine

from facilitation.timer import StepTimer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Session(StepTimer):
    def __init__(self) -> None:
        self.step_ends_at = None
        self.paused_remaining = None


@time_machine.travel(NOW, tick=False)
def test_a_stopped_timer_has_no_seconds_and_no_label():
    timer = Session()
    assert timer.seconds_left() is None and timer.timer_label == ""
    assert not timer.timer_running and not timer.is_paused


def test_a_running_timer_counts_down_and_stops_at_zero():
    timer = Session()
    with time_machine.travel(NOW, tick=False) as clock:
        timer.timer_run(300)
        assert timer.timer_running and timer.timer_label == "5:00"
        clock.shift(65)
        assert timer.seconds_left() == 235 and timer.timer_label == "3:55"
        clock.shift(600)
        assert timer.seconds_left() == 0


def test_a_paused_timer_keeps_its_seconds_and_resumes_from_them():
    timer = Session()
    with time_machine.travel(NOW, tick=False) as clock:
        timer.timer_run(120)
        clock.shift(20)
        timer.timer_pause()
        assert timer.is_paused and not timer.timer_running
        clock.shift(600)
        assert timer.seconds_left() == 100
        timer.timer_run(timer.paused_remaining)
        assert timer.step_ends_at == NOW + timedelta(seconds=720)


def test_added_time_counts_from_now_once_the_time_is_up():
    timer = Session()
    with time_machine.travel(NOW, tick=False) as clock:
        timer.timer_run(60)
        timer.timer_add(60)
        assert timer.seconds_left() == 120
        clock.shift(300)  # over for three minutes
        timer.timer_add(60)
        assert timer.seconds_left() == 60


def test_added_time_goes_to_a_paused_timer_too():
    timer = Session()
    with time_machine.travel(NOW, tick=False):
        timer.timer_run(60)
        timer.timer_pause()
        timer.timer_add(30)
        assert timer.paused_remaining == 90 and not timer.timer_running


def test_running_for_zero_seconds_stops_the_timer():
    timer = Session()
    timer.timer_run(0)
    assert timer.seconds_left() is None
