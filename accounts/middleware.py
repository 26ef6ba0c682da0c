import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from config import formats


class UserPreferencesMiddleware:
    """Applies a signed-in person's preferred language and time zone to the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A team's pages switch to the team's time zone (config.formats.team_time).
        formats.reset()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            timezone.activate(user.time_zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessionTouchMiddleware:
    """Keeps a signed-in session alive while it is used, writing it at most every
    SESSION_TOUCH_SECONDS (and at least four times per idle timeout) instead of on every
    request: the idle timeout holds to within that interval."""

    TOUCHED = "_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            interval = min(settings.SESSION_TOUCH_SECONDS, settings.SESSION_COOKIE_AGE // 4)
            if now - session.get(self.TOUCHED, 0) >= interval:
                session[self.TOUCHED] = now  # marks it modified: saved with a new expiry
        return self.get_response(request)


SECOND_FACTOR_DUE = "second_factor_due"


class SecondFactorRequired:
    """Sends a manager or admin whose organisation requires a second factor to set one up
    before anything else. Decided when they sign in (accounts.apps: a session flag), so
    that no request pays a query for it; adding an authenticator lifts it."""

    ALLOWED = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(SECOND_FACTOR_DUE) and not request.path.startswith(self.ALLOWED):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            messages.info(
                request,
                _(
                    "Your organisation asks its managers and admins to use a second factor. "
                    "Set up an authenticator app (or a security key) to go on."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
