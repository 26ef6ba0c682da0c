"""Presenter screens: what the room sees on the projector, apart from the facilitator's
controls. The workshop's screen follows the facilitator's screen (it polls the same
live version); its keyboard shortcuts post to the facilitator's endpoints, so only the
facilitator's role can drive it. "Present the charter" shows one published point per
screen.
"""

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from facilitation.push import stream_url
from facilitation.views import poll
from teams.selectors import EVERYONE, MANAGERS, membership_get

from . import live, selectors
from .models import Step, Workshop

PRESENT_PAGE = "charter/present.html"
CHARTER_PAGE = "charter/present_charter.html"


def _join(request: HttpRequest, workshop: Workshop) -> dict:
    """The short join link (what people type) and its QR code (what phones scan)."""
    url = request.build_absolute_uri(reverse("charter:workshop_short", args=[workshop.pk]))
    short = url.split("://", 1)[-1]
    qr = segno.make(url, error="m").svg_inline(omitsize=True, title=url, dark="#111", light="#fff")
    return {"join_url": url, "join_short": short, "join_qr": qr}


def _context(request: HttpRequest, workshop: Workshop, version: str) -> dict:
    stage = selectors.stage_get(workshop=workshop, user=request.user, facilitator=True)
    # Bars are <progress> elements (no inline style under the strict CSP): a keyword's
    # bar is measured against the keyword with the most dots.
    return {
        "team": workshop.team,
        "workshop": workshop,
        "stage": stage,
        "steps": Step.choices,
        "Step": Step,
        "version": version,
        "dots_available": stage.joined * workshop.dots_per_person,
        "most_dots": max((item.dots for item in stage.keywords), default=0),
        **_join(request, workshop),
    }


@login_required
@require_GET
def workshop_present(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The projector's page, or for a poll (htmx with the version seen) 204 when nothing
    changed. It follows the facilitator's version: joined, done and dots cast count."""
    polling = bool(request.htmx and request.GET.get("v"))
    workshop, version = poll(
        request,
        live=live.WORKSHOP,
        pk=pk,
        screen=live.FACILITATOR,
        check=lambda: selectors.workshop_get_for_user(
            user=request.user, team_slug=slug, pk=pk, roles=MANAGERS
        ),
    )
    if workshop is None:
        return HttpResponse(status=204)
    context = _context(request, workshop, version)
    if not polling:  # the whole page opens the facilitator screen's stream (push)
        context["stream"] = stream_url(
            user_id=request.user.pk,
            live=live.WORKSHOP,
            pk=pk,
            screen=live.FACILITATOR,
            version=version,
        )
    return render(request, f"{PRESENT_PAGE}#screen" if polling else PRESENT_PAGE, context)


@login_required
@require_GET
def workshop_short(request: HttpRequest, pk: int) -> HttpResponse:
    """The short join link shown on the projector: a member of the team lands on the
    workshop's page; anyone else learns nothing (404)."""
    workshop = Workshop.objects.select_related("team").filter(pk=pk).first()
    if workshop is None:
        raise Http404
    selectors.workshop_get_for_user(
        user=request.user, team_slug=workshop.team.slug, pk=pk, roles=EVERYONE
    )
    return redirect("charter:workshop", workshop.team.slug, pk)


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def charter_present(request: HttpRequest, slug: str) -> HttpResponse:
    """The published charter, one point per screen with its coaching question."""
    team = membership_get(user=request.user, team_slug=slug).team
    charter = selectors.charter_for_team(team=team)
    number = _number(request.GET.get("version"))
    version = charter and selectors.charter_version_get(charter=charter, number=number)
    points = list(version.points.all()) if version else []
    index = _number(request.GET.get("p")) or 1
    index = min(max(index, 1), len(points) or 1)
    context = {
        "team": team,
        "version": version,
        "points": points,
        "point": points[index - 1] if points else None,
        "index": index,
        "previous": index - 1 if index > 1 else None,
        "next": index + 1 if index < len(points) else None,
    }
    return render(request, CHARTER_PAGE, context)
