"""The gap-analysis meeting on the projector: the question, the timer, the answers
arriving as cards (their text once the facilitator reveals them), grouped, the
highlighted ones standing out. It follows the facilitator's screen (same live version);
its keyboard shortcuts post to the facilitator's control endpoint."""

from itertools import groupby

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from facilitation.push import stream_url
from teams.selectors import MANAGERS, membership_get

from . import live, selectors
from .models import Question, Step

PRESENT_PAGE = "improvement/present.html"


@login_required
@require_GET
def gap_present(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    version = live.GAP_MEETING.version(pk)  # before the data: see views._version_before_data
    poll = bool(request.htmx and request.GET.get("v"))
    if poll and request.GET.get("v") == str(version):
        return HttpResponse(status=204)
    meeting = selectors.gap_meeting_get(team=membership.team, pk=pk)
    question = meeting.step if meeting.step in Question.values else None
    answers = []
    if question:
        found = selectors.answers_for_facilitator(meeting=meeting, question=question)
        answers = list(found.filter(hidden=False))
    url = request.build_absolute_uri(reverse("improvement:gap_meeting", args=[slug, pk]))
    context = {
        "team": membership.team,
        "meeting": meeting,
        "version": version,
        "question": question,
        "question_label": Question(question).label if question else "",
        "revealed": bool(question) and meeting.is_revealed(question),
        "groups": [
            (label, list(items)) for label, items in groupby(answers, key=lambda a: a.group_label)
        ],
        "answer_count": len(answers),
        "sections": selectors.meeting_summary(meeting=meeting)
        if meeting.step == Step.WRAPUP
        else [],
        "join_url": url,
        "join_qr": segno.make(url, error="m").svg_inline(omitsize=True, title=url),
    }
    if not poll:  # the whole page opens the meeting's stream (push)
        context["stream"] = stream_url(
            user_id=request.user.pk,
            live=live.GAP_MEETING,
            pk=pk,
            screen=live.FACILITATOR,
            version=version,
        )
    return render(request, f"{PRESENT_PAGE}#screen" if poll else PRESENT_PAGE, context)
