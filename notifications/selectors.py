"""Reads of the outbox: which kinds of message a person turned off."""

from accounts.models import User


def disabled_kinds(*, user: User) -> set[str]:
    return set(user.reminder_preferences.filter(enabled=False).values_list("kind", flat=True))


def kind_enabled(*, user: User, kind: str) -> bool:
    """Whether the person receives this kind of reminder at all (My reminders)."""
    return not user.reminder_preferences.filter(kind=kind, enabled=False).exists()
