"""The time box of a facilitated step, shared by every screen of the session.

A model mixes `StepTimer` in and declares the two fields it works on:
`step_ends_at` (a DateTimeField, null) and `paused_remaining` (seconds, a
PositiveIntegerField, null). The timer runs while `step_ends_at` is set, is paused while
`paused_remaining` is, and is stopped when neither is. The methods change the instance;
the service saves TIMER_FIELDS and tells the screens (facilitation.live).
"""

from datetime import datetime, timedelta

from django.utils import timezone

TIMER_FIELDS = ["step_ends_at", "paused_remaining"]


class StepTimer:
    step_ends_at: datetime | None
    paused_remaining: int | None

    def seconds_left(self) -> int | None:
        """Seconds left (0 once the time is up), or None when the timer is stopped."""
        if self.paused_remaining is not None:
            return self.paused_remaining
        if self.step_ends_at is None:
            return None
        return max(0, int((self.step_ends_at - timezone.now()).total_seconds()))

    @property
    def timer_running(self) -> bool:
        return self.step_ends_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_remaining is not None

    @property
    def timer_label(self) -> str:
        """ "4:05", the timer's first paint before the script counts; "" when stopped."""
        left = self.seconds_left()
        return "" if left is None else f"{left // 60}:{left % 60:02d}"

    @property
    def timer_key(self) -> str:
        """Names one countdown, so a screen beeps once for it."""
        ends = int(self.step_ends_at.timestamp()) if self.step_ends_at else ""
        return f"{self._meta.model_name}-{self.pk}-{self.step}-{ends}"

    def timer_run(self, seconds: int) -> None:
        """Runs the timer for `seconds` from now (0 stops it)."""
        self.step_ends_at = timezone.now() + timedelta(seconds=seconds) if seconds else None
        self.paused_remaining = None

    def timer_pause(self) -> None:
        """Keeps the seconds left of a running timer."""
        if self.step_ends_at is not None:
            self.paused_remaining, self.step_ends_at = self.seconds_left(), None

    def timer_add(self, seconds: int) -> None:
        """Gives the step more time, running, paused or already over."""
        if self.paused_remaining is not None:
            self.paused_remaining += seconds
        else:
            now = timezone.now()
            self.step_ends_at = max(self.step_ends_at or now, now) + timedelta(seconds=seconds)
