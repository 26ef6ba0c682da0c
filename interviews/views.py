import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charter.selectors import keyword_vocabulary
from improvement.models import ChangeIdea
from improvement.selectors import current_points
from teams.selectors import MANAGERS, membership_get

from . import selectors, services
from . import synthesis as synthesis_reads
from .forms import (
    BeliefForm,
    CriterionForm,
    FollowUpForm,
    GuideForm,
    HighlightTagForm,
    InterviewPlanForm,
    NoteForm,
    QuoteForm,
    StakeholderForm,
    VoiceSettingsForm,
)
from .guides import LISTENING_RULES
from .ical import interview_calendar
from .models import FollowUp, Interview
from .story import point_story


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    interviews = list(selectors.interviews_list(team=team))
    context = {
        "team": team,
        "membership": membership,
        "planned": [i for i in reversed(interviews) if i.status == Interview.Status.PLANNED],
        "done": [i for i in interviews if i.status == Interview.Status.DONE],
        "stakeholders": selectors.stakeholders_list(team=team),
        "has_groups": team.client_groups.exists(),
    }
    return render(request, "interviews/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    form = StakeholderForm(request.POST or None, team=team)
    if form.is_valid():
        try:
            stakeholder = services.stakeholder_create(
                team=team, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": stakeholder.name})
            return redirect(
                reverse("interviews:plan", args=[team.slug]) + f"?stakeholder={stakeholder.pk}"
            )
    return render(request, "interviews/stakeholder_form.html", {"team": team, "form": form})


@login_required
@require_GET
def stakeholder(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, person = selectors.stakeholder_get_for_user(
        user=request.user, team_slug=slug, pk=pk
    )
    context = {
        "team": membership.team,
        "membership": membership,
        "stakeholder": person,
        "history": selectors.stakeholder_history(stakeholder=person),
    }
    return render(request, "interviews/stakeholder.html", context)


@login_required
@require_GET
def stakeholder_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _membership, person = selectors.stakeholder_get_for_user(
        user=request.user, team_slug=slug, pk=pk, roles=MANAGERS
    )
    data = json.dumps(
        selectors.stakeholder_export(stakeholder=person), ensure_ascii=False, indent=2
    )
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stakeholder-{person.pk}.json"'
    return response


@login_required
@require_POST
def stakeholder_erase(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, person = selectors.stakeholder_get_for_user(
        user=request.user, team_slug=slug, pk=pk, roles=MANAGERS
    )
    services.stakeholder_erase(stakeholder=person)
    messages.success(request, _("The stakeholder's data is erased; anonymous tag counts remain."))
    return redirect("interviews:home", membership.team.slug)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    initial = {"interviewer": request.user, "stakeholder": _int(request.GET.get("stakeholder"))}
    form = InterviewPlanForm(request.POST or None, team=team, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            interview = services.interview_plan(
                team=team,
                by=request.user,
                stakeholder=data["stakeholder"],
                interviewer=data["interviewer"],
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                guide=data["guide"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The interview is planned; the interviewer gets a reminder.")
            )
            return redirect("interviews:interview", team.slug, interview.pk)
    context = {"team": team, "form": form, "has_stakeholders": team.stakeholders.exists()}
    return render(request, "interviews/plan.html", context)


def _after_context(membership, interview: Interview) -> dict:
    team = membership.team
    points = list(current_points(team=team))
    highlights = selectors.interview_highlights(interview=interview)
    for h in highlights:
        h.form = HighlightTagForm(
            points=points,
            prefix=f"h{h.pk}",
            initial={
                "keywords_text": ", ".join(k.label for k in h.keywords.all()),
                "tone": h.tone,
                "point": str(h.point_lineage or ""),
            },
        )
    return {
        "team": team,
        "membership": membership,
        "interview": interview,
        "notes": list(interview.notes.all()),
        "highlights": highlights,
        "criteria": list(interview.criteria.all()),
        "criterion_form": CriterionForm(),
        "vocabulary": keyword_vocabulary(team=team),
    }


@login_required
@require_GET
def interview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    return render(request, "interviews/interview.html", _after_context(membership, found))


@login_required
@require_GET
def interview_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    response = HttpResponse(interview_calendar(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{found.pk}.ics"'
    return response


@login_required
@require_GET
def run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    context = _run_context(membership, found, _int(request.GET.get("q")))
    return render(request, "interviews/run.html", context)


def _run_context(membership, found: Interview, position: int | None, **forms) -> dict:
    """Interview mode at one question (free notes last); `forms` are bound forms to
    show again with their errors."""
    questions = selectors.guide_questions(interview=found)
    positions = [q.position for q in questions] + [0]
    position = position if position in positions else positions[0]
    index = positions.index(position)
    note = found.notes.filter(position=position).first()
    elapsed = None
    if found.started_at:
        elapsed = max(0, int((timezone.now() - found.started_at).total_seconds()))
    return {
        "team": membership.team,
        "interview": found,
        "question": next((q for q in questions if q.position == position), None),
        "position": position,
        "number": index + 1,
        "total": len(positions),
        "previous": positions[index - 1] if index > 0 else None,
        "next": positions[index + 1] if index + 1 < len(positions) else None,
        "note_form": NoteForm(initial={"position": position, "body": note.body if note else ""}),
        "quote_form": QuoteForm(initial={"position": position}),
        "quotes": [h for h in found.highlights.all() if h.position == position],
        "rules": LISTENING_RULES,
        "elapsed": elapsed,
        "elapsed_label": f"{(elapsed or 0) // 60}:{(elapsed or 0) % 60:02d}",
        "can_write": found.stakeholder.consent_notes and not found.stakeholder.is_erased,
        **forms,
    }


def _run_url(interview: Interview, position: int) -> str:
    return reverse("interviews:run", args=[interview.team.slug, interview.pk]) + f"?q={position}"


@login_required
@require_POST
def start(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    services.interview_start(interview=found)
    return redirect(_run_url(found, _int(request.POST.get("position")) or 1))


@login_required
@require_POST
def note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Saves one question's notes: the page's script posts as the interviewer types
    (JSON answer), a plain form post comes back to the question."""
    membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            saved = services.note_save(
                interview=found,
                position=form.cleaned_data["position"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as refusal:
            form.add_error("body", refusal)
    wants_json = request.headers.get("Accept") == "application/json"
    if form.errors:
        if wants_json:
            error = " ".join(e for errors in form.errors.values() for e in errors)
            return JsonResponse({"error": error}, status=400)
        position = _int(request.POST.get("position"))
        context = _run_context(membership, found, position, note_form=form)
        return render(request, "interviews/run.html", context)
    if wants_json:
        return JsonResponse({"saved": saved.updated_at.isoformat()})
    messages.success(request, _("Saved."))
    return redirect(_run_url(found, form.cleaned_data["position"]))


@login_required
@require_POST
def quote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    form = QuoteForm(request.POST)
    position = _int(request.POST.get("position")) or 0
    if form.is_valid():
        try:
            services.highlight_add(
                interview=found,
                position=form.cleaned_data["position"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as refusal:
            form.add_error("text", refusal)
    if form.errors:
        context = _run_context(membership, found, position, quote_form=form)
        return render(
            request,
            "interviews/run.html#quotes" if request.htmx else "interviews/run.html",
            context,
        )
    if request.htmx:
        context = _run_context(membership, found, position)
        return render(request, "interviews/run.html#quotes", context)
    return redirect(_run_url(found, position))


@login_required
@require_POST
def finish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    services.interview_finish(interview=found)
    messages.success(request, _("Interview done. Now tag the client's words."))
    return redirect("interviews:interview", found.team.slug, found.pk)


@login_required
@require_POST
def highlight_tag(request: HttpRequest, slug: str, pk: int, highlight_pk: int) -> HttpResponse:
    membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    highlight = found.highlights.filter(pk=highlight_pk).first()
    if highlight is None:
        raise Http404
    points = list(current_points(team=found.team))
    form = HighlightTagForm(request.POST, points=points, prefix=f"h{highlight.pk}")
    if form.is_valid():
        data = form.cleaned_data
        services.highlight_tag(
            highlight=highlight,
            keywords=data["keywords_text"],
            tone=data["tone"],
            point_lineage=data["point"] or None,
        )
        if not request.htmx:
            messages.success(request, _("Tagged."))
            return redirect("interviews:interview", found.team.slug, found.pk)
        highlight.saved = True
    highlight.form = form
    if request.htmx:
        context = {"team": found.team, "interview": found, "h": highlight}
        return render(request, "interviews/_highlight.html", context)
    context = _after_context(membership, found)
    context["highlights"] = [
        highlight if h.pk == highlight.pk else h for h in context["highlights"]
    ]
    return render(request, "interviews/interview.html", context)


@login_required
@require_POST
def criterion_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.interview_get_for_user(user=request.user, team_slug=slug, pk=pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            services.criterion_add(interview=found, text=form.cleaned_data["text"])
        except ValidationError as refusal:
            form.add_error("text", refusal)
        else:
            return redirect(
                reverse("interviews:interview", args=[found.team.slug, found.pk]) + "#criteria"
            )
    context = _after_context(membership, found)
    context["criterion_form"] = form
    return render(request, "interviews/interview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def guides(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    if request.method == "POST":
        services.guides_default_create(team=team)
        messages.success(request, _("The two starter guides are added."))
        return redirect("interviews:guides", team.slug)
    context = {"team": team, "guides": selectors.guides_list(team=team), "rules": LISTENING_RULES}
    return render(request, "interviews/guides.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def guide_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    form = GuideForm(request.POST or None)
    if form.is_valid():
        services.guide_create(team=team, **form.cleaned_data)
        messages.success(request, _("The guide is saved."))
        return redirect("interviews:guides", team.slug)
    return render(request, "interviews/guide_form.html", {"team": team, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def beliefs(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    form = BeliefForm(request.POST or None)
    if form.is_valid():
        services.belief_create(team=team, author=request.user, **form.cleaned_data)
        messages.success(request, _("Noted. You will compare it with what clients say."))
        return redirect("interviews:beliefs", team.slug)
    context = {
        "team": team,
        "form": form,
        "beliefs": selectors.beliefs_list(team=team),
        "vocabulary": keyword_vocabulary(team=team),
    }
    return render(request, "interviews/beliefs.html", context)


@login_required
@require_GET
def synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    days = synthesis_reads.evidence_days(team=team)
    context = _synthesis_context(membership, VoiceSettingsForm(initial={"evidence_days": days}))
    return render(request, "interviews/synthesis.html", context)


def _synthesis_context(membership, settings_form: VoiceSettingsForm) -> dict:
    team = membership.team
    evidence = synthesis_reads.keyword_evidence(team=team, shared=False)
    days = synthesis_reads.evidence_days(team=team)
    return {
        "team": team,
        "membership": membership,
        "evidence": evidence,
        "groups": synthesis_reads.group_counts(evidence=evidence),
        "criteria": synthesis_reads.criteria_grouped(team=team),
        "coordination": synthesis_reads.coordination_diagnosis(team=team),
        "gap": synthesis_reads.perception_gap(team=team, evidence=evidence),
        "stale": synthesis_reads.stale_evidence(team=team, evidence=evidence, days=days),
        "days": days,
        "settings_form": settings_form,
    }


@login_required
@require_POST
def voice_settings(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    form = VoiceSettingsForm(request.POST)
    if form.is_valid():
        services.voice_settings_save(team=membership.team, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("interviews:synthesis", membership.team.slug)
    context = _synthesis_context(membership, form)
    return render(request, "interviews/synthesis.html", context)


@login_required
@require_GET
def point(request: HttpRequest, slug: str, lineage: uuid.UUID) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    story = point_story(team=membership.team, lineage=lineage)
    context = {"team": membership.team, "membership": membership, "story": story}
    return render(request, "interviews/point.html", context)


def _followup_form(team, data=None) -> FollowUpForm:
    ideas = ChangeIdea.objects.filter(team=team).exclude(phase="dropped")
    return FollowUpForm(
        data,
        points=list(current_points(team=team)),
        ideas=list(ideas.order_by("-pk").values_list("title", flat=True)[:50]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, person = selectors.stakeholder_get_for_user(
        user=request.user, team_slug=slug, pk=pk
    )
    form = _followup_form(membership.team, request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.followup_send(
                stakeholder=person,
                by=request.user,
                message=data["message"],
                point=form.points.get(data["point"]),
                idea_title=data["idea"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Sent. They will not get another one."))
            return redirect("interviews:stakeholder", membership.team.slug, person.pk)
    sent = FollowUp.objects.filter(stakeholder=person).first()
    context = {"team": membership.team, "stakeholder": person, "form": form, "sent": sent}
    return render(request, "interviews/followup.html", context)
