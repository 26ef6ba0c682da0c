"""Designed refusals: every "no" the app says is a page in its layout that says what
happened and offers the way on (sign in, the team's home, go back).

- 400, 403, 404 and 500 are Django's handlers (config/urls.py), the CSRF failure is
  CSRF_FAILURE_VIEW, 429 is the template allauth renders for its rate limits, and 405 is
  RefusalPages, a middleware: Django answers a wrong method with an empty body.
- A 403 inside a team says which role the page needs (teams.selectors.RoleRequired).
- The 500 page renders from the template alone: no database, no context processor.
- Expected refusals are not errors: config/logfilters.py logs 4xx answers at INFO,
  without a traceback; a 500 is logged at ERROR with the id its page shows.
"""

import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from teams.models import Membership, Role
from teams.selectors import LEADS_AND_MANAGERS, MANAGERS, RoleRequired


def _team_membership(request: HttpRequest) -> Membership | None:
    """The person's membership of the team in the URL, if any: a team page offers the way
    back to the team's home, never revealing a team the person is not in."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match else None
    user = getattr(request, "user", None)
    if not slug or user is None or not user.is_authenticated:
        return None
    return Membership.objects.select_related("team").filter(user=user, team__slug=slug).first()


def _needed_words(needed: frozenset) -> str:
    if needed == MANAGERS:
        return _("the team's managers")
    if needed == LEADS_AND_MANAGERS:
        return _("the team's leads and managers")
    return _("other roles of the team")


def _page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    membership = _team_membership(request) if hasattr(request, "user") else None
    context.setdefault("membership", membership)
    context.setdefault("team", membership.team if membership else None)
    context.setdefault("status", status)
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {}
    if isinstance(exception, RoleRequired):
        if exception.org_admin:
            context["reason"] = _("This page is for the organisation's admins.")
        else:
            context["reason"] = exception.reason or _("This page is for %(who)s.") % {
                "who": _needed_words(exception.needed)
            }
            if exception.held:
                context["held"] = Role(exception.held).label
    return _page(request, "403.html", 403, **context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered from the template alone (no request context): the database or the cache
    may be what failed. The id is logged with the traceback (logfilters.ErrorId)."""
    error_id = secrets.token_hex(4)
    request.error_id = error_id
    html = loader.get_template("500.html").render({"error_id": error_id, "status": 500})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, "403_csrf.html", 403)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = _page(request, "405.html", 405, allowed=allowed)
    response["Allow"] = allowed
    return response


class RefusalPages:
    """Gives Django's empty 405 (require_http_methods) the designed page, for people:
    the JSON API, htmx requests and answers that already have a body keep theirs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith("/api/")
            and not request.headers.get("HX-Request")
        ):
            return method_not_allowed(request, response.get("Allow", ""))
        return response
