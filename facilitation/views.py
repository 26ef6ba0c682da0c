"""The live screen's poll, for the views of every facilitated session."""

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest

from .live import Live

T = TypeVar("T")


def poll(
    request: HttpRequest, *, live: Live, pk: int, screen: str, check: Callable[[], T]
) -> tuple[T | None, str]:
    """Reads a live screen: (what `check` returns, the screen's version), or (None, the
    version) when the browser's poll (htmx, `?v=`) already holds that version: the view
    then answers 204 without rendering.

    `check` is the access check (Http404 for an outsider, PermissionDenied for a wrong
    role). A repeated unchanged poll skips it when the same person passed it for this
    screen a moment ago. The version is read before `check` reads any data: a change
    committed in between moves the version past the one the page holds, so the next poll
    fetches again instead of keeping stale data under the newer number."""
    seen = request.GET.get("v") if request.htmx else None
    current, known = live.poll(pk, screen, request.user.pk)
    if seen and seen == current and known:
        return None, current
    found = check()
    current = current or live.version(pk, screen)
    if seen and seen == current:
        live.access_remember(pk, screen, request.user.pk)
        return None, current
    return found, current
