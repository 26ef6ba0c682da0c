import secrets
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from config import once
from config.exports import SafeCsvWriter
from facilitation.push import stream_url
from facilitation.views import poll
from teams.models import Membership
from teams.selectors import MANAGERS, membership_get

from . import live, selectors, services
from .forms import (
    AnswerForm,
    AnswerToIdeaForm,
    ArrangeForm,
    ChangeIdeaForm,
    CheckinForm,
    CheckinSettingsForm,
    CommentForm,
    ControlForm,
    FollowUpForm,
    GapMeetingForm,
    MoveForm,
    SummaryEmailsForm,
    WantedForm,
)
from .models import ChangeIdea, CheckinIndicator, GapMeeting, Phase, Question, Step
from .prompts import PROMPTS

# Implementation tracker


def _board_context(membership: Membership) -> dict:
    columns = selectors.ideas_board(team=membership.team)
    return {
        "team": membership.team,
        "membership": membership,
        "columns": [(phase, label, columns[phase]) for phase, label in Phase.choices],
        "idea_count": sum(len(ideas) for ideas in columns.values()),
        "phase_choices": Phase.choices,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def board(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    template = "improvement/board.html#board" if request.htmx else "improvement/board.html"
    return render(request, template, _board_context(membership))


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    # A client's words arrive prefilled (interviews: "make it an idea").
    initial = {"owner": request.user}
    initial.update({k: request.GET[k][:300] for k in ("title", "next_step") if k in request.GET})
    form = ChangeIdeaForm(request.POST or None, team=team, initial=initial)
    if form.is_valid():
        if once.is_repeat(request, form):
            messages.info(request, _("This idea was already added: it is on the board."))
        else:
            services.change_idea_create(team=team, created_by=request.user, **form.cleaned_data)
            messages.success(request, _("Idea added to the board."))
        return redirect("improvement:board", team.slug)
    return render(request, "improvement/idea_form.html", {"form": form, "team": team})


def _idea_context(membership: Membership, idea: ChangeIdea, **extra) -> dict:
    return {
        "team": membership.team,
        "membership": membership,
        "idea": idea,
        "history": selectors.idea_history(idea=idea),
        "comments": selectors.idea_comments(idea=idea),
        "comment_form": CommentForm(),
        "phase_choices": Phase.choices,
        **extra,
    }


@login_required
@require_GET
def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    idea = selectors.idea_get(team=membership.team, pk=pk)
    return render(request, "improvement/idea.html", _idea_context(membership, idea))


@login_required
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    idea = selectors.idea_get(team=team, pk=pk)
    form = ChangeIdeaForm(request.POST or None, team=team, instance=idea)
    if form.is_valid():
        services.change_idea_update(idea=idea, **form.cleaned_data)
        messages.success(request, _("Idea saved."))
        return redirect("improvement:idea", team.slug, idea.pk)
    return render(request, "improvement/idea_form.html", {"form": form, "team": team, "idea": idea})


@login_required
@require_POST
def idea_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    idea = selectors.idea_get(team=membership.team, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.change_idea_move(
                idea=idea,
                to_phase=form.cleaned_data["phase"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors and not request.htmx and request.POST.get("from") == "idea":
        # The idea's page again, with the reason typed and why the move was refused.
        context = _idea_context(membership, idea, move_form=form)
        return render(request, "improvement/idea.html", context)
    if form.errors:
        messages.error(request, next(iter(form.errors.values()))[0])
    else:
        label = Phase(form.cleaned_data["phase"]).label
        messages.success(
            request, _("“%(idea)s” moved to %(phase)s.") % {"idea": idea, "phase": label}
        )
    if request.htmx:
        context = {**_board_context(membership), "moved": idea.pk}
        return render(request, "improvement/board.html#board", context)
    if request.POST.get("from") == "idea":
        return redirect("improvement:idea", slug, idea.pk)
    return redirect("improvement:board", slug)


@login_required
@require_POST
def idea_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    idea = selectors.idea_get(team=membership.team, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.idea_comment_add(idea=idea, author=request.user, body=form.cleaned_data["body"])
        if not request.htmx:
            return redirect("improvement:idea", slug, idea.pk)
        form = CommentForm()
    context = _idea_context(membership, idea, comment_form=form)
    template = "improvement/idea.html#comments" if request.htmx else "improvement/idea.html"
    return render(request, template, context)


@login_required
@require_GET
def follow_up(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    form = FollowUpForm(request.GET or None)
    since = None
    stale = selectors.STALE_AFTER_DAYS
    if form.is_valid():
        if form.cleaned_data["since"]:
            # The day starts at midnight where the team is, like the meetings it follows.
            zone = ZoneInfo(team.time_zone)
            since = datetime.combine(form.cleaned_data["since"], time.min, tzinfo=zone)
        stale = form.cleaned_data["stale"] or stale
    since = since or selectors.follow_up_since(team=team)
    owners = selectors.follow_up(team=team, since=since, stale_days=stale)
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "owners": owners,
        "since": since,
        "stale": stale,
    }
    template = (
        "improvement/follow_up.html#follow-up" if request.htmx else "improvement/follow_up.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.follow_up_record(team=team, by=request.user)
    messages.success(request, _("Follow-up noted: next time starts from here."))
    return redirect("improvement:follow_up", slug)


# Gap-analysis meetings


@login_required
@require_GET
def gap_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    context = {
        "team": team,
        "membership": membership,
        "meetings": selectors.gap_meetings(team=team),
        "wants_emails": selectors.wants_summary_emails(team=team, user=request.user),
        "off_everywhere": not selectors.kind_enabled(user=request.user, kind="gap_summary"),
    }
    return render(request, "improvement/gap_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def gap_start(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    form = GapMeetingForm(request.POST or None)
    if form.is_valid():
        meeting = services.gap_meeting_start(
            team=team, facilitator=request.user, **form.cleaned_data
        )
        return redirect("improvement:gap_facilitate", team.slug, meeting.pk)
    return render(request, "improvement/gap_start.html", {"form": form, "team": team})


def _stream(request: HttpRequest, pk: int, screen: str, version: str) -> str:
    """Where the full page opens its stream ("" without streams: it polls)."""
    return stream_url(
        user_id=request.user.pk, live=live.GAP_MEETING, pk=pk, screen=screen, version=version
    )


def _version_before_data(pk: int) -> str:
    """The meeting's live version, read before its data: a change committed in between
    bumps the version past the one this page will hold, so the next poll fetches again
    instead of keeping stale data under the newer number."""
    return live.GAP_MEETING.version(pk)


def _facilitating(request: HttpRequest, slug: str, pk: int) -> tuple[Membership, str, GapMeeting]:
    """The facilitator's membership (a manager's), the meeting's live version, read
    before the meeting, and the meeting: what every facilitator's action starts from."""
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    version = _version_before_data(pk)
    return membership, version, selectors.gap_meeting_get(team=membership.team, pk=pk)


def _participant_context(
    request: HttpRequest,
    membership: Membership,
    meeting: GapMeeting,
    version: str,
    form: AnswerForm | None = None,
) -> dict:
    question = meeting.step if meeting.step in Question.values else None
    sections = selectors.answers_for_participant(meeting=meeting, user=request.user)
    mine = sum(
        1
        for q, _label, answers in sections
        if q == question
        for a in answers
        if a.author_id == request.user.pk
    )
    return {
        "team": membership.team,
        "membership": membership,
        "meeting": meeting,
        "version": version,
        "question": question,
        "question_label": Question(question).label if question else "",
        "sections": sections,
        # A new id after each of my answers gives me an empty box, and an "anonymous" box
        # back to my default; polls keep what I type and tick.
        "box_id": f"answer-{question}-{mine}",
        "form": form,
        # The box's token (config/once.py): kept across polls with the box (hx-preserve).
        "once_token": (form.data.get(once.FIELD) if form else "") or secrets.token_urlsafe(16),
    }


@login_required
@require_GET
def gap_meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, version = poll(
        request,
        live=live.GAP_MEETING,
        pk=pk,
        screen=live.EVERYONE,
        check=lambda: membership_get(user=request.user, team_slug=slug),
    )
    if membership is None:
        return HttpResponse(status=204)
    meeting = selectors.gap_meeting_get(team=membership.team, pk=pk)
    if not meeting.is_open and not request.htmx:
        return redirect("improvement:gap_summary", slug, pk)
    context = _participant_context(request, membership, meeting, version)
    if request.htmx:
        return render(request, "improvement/gap_meeting.html#live", context)
    context["stream"] = _stream(request, pk, live.EVERYONE, version)
    return render(request, "improvement/gap_meeting.html", context)


@login_required
@require_POST
def gap_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    version = _version_before_data(pk)
    meeting = selectors.gap_meeting_get(team=membership.team, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid() and once.is_repeat(request, form):
        form = None  # sent twice (a double tap): the first one is on the screen
    elif form.is_valid():
        try:
            services.gap_answer_post(meeting=meeting, author=request.user, **form.cleaned_data)
            form = None
        except ValidationError as error:
            once.forget(form)
            form.add_error("body", error)
    if not request.htmx:
        if form is not None:
            messages.error(
                request,
                _("Your answer was not saved: %(error)s")
                % {"error": " ".join(form.errors.get("body", []))},
            )
        return redirect("improvement:gap_meeting", slug, pk)
    return render(
        request,
        "improvement/gap_meeting.html#live",
        _participant_context(request, membership, meeting, version, form),
    )


def _facilitator_context(
    membership: Membership, meeting: GapMeeting, version: str, **extra
) -> dict:
    question = meeting.step if meeting.step in Question.values else None
    team = membership.team
    return {
        "team": team,
        "membership": membership,
        "meeting": meeting,
        "version": version,
        "question": question,
        "question_label": Question(question).label if question else "",
        "prompts": PROMPTS.get(meeting.step, []),
        "counts": selectors.answer_counts(meeting=meeting),
        "answers": selectors.answers_for_facilitator(meeting=meeting, question=question)
        if question
        else [],
        "sections": selectors.meeting_summary(meeting=meeting)
        if meeting.step == Step.WRAPUP
        else [],
        "people": AnswerToIdeaForm(team=team).fields["owner"].queryset,
        "refused_idea": None,
        **extra,
    }


def _facilitator_response(
    request: HttpRequest, membership: Membership, meeting: GapMeeting, version: str, **extra
) -> HttpResponse:
    if not request.htmx:
        return redirect("improvement:gap_facilitate", membership.team.slug, meeting.pk)
    context = _facilitator_context(membership, meeting, version, **extra)
    return render(request, "improvement/gap_facilitate.html#live", context)


@login_required
@require_GET
def gap_facilitate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, version = poll(
        request,
        live=live.GAP_MEETING,
        pk=pk,
        screen=live.FACILITATOR,
        check=lambda: membership_get(user=request.user, team_slug=slug, roles=MANAGERS),
    )
    if membership is None:
        return HttpResponse(status=204)
    meeting = selectors.gap_meeting_get(team=membership.team, pk=pk)
    if not meeting.is_open and not request.htmx:
        return redirect("improvement:gap_summary", slug, pk)
    context = _facilitator_context(membership, meeting, version)
    if request.htmx:
        return render(request, "improvement/gap_facilitate.html#live", context)
    context["stream"] = _stream(request, pk, live.FACILITATOR, version)
    return render(request, "improvement/gap_facilitate.html", context)


CONTROLS = {
    "next": lambda meeting, question: services.gap_meeting_next_step(meeting=meeting),
    "add_time": lambda meeting, question: services.gap_meeting_add_time(meeting=meeting),
    "pause": lambda meeting, question: services.gap_meeting_pause(meeting=meeting),
    "reveal": lambda meeting, question: services.gap_meeting_reveal(
        meeting=meeting, question=question
    ),
    "close": lambda meeting, question: services.gap_meeting_close(meeting=meeting),
}


@login_required
@require_POST
def gap_control(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, version, meeting = _facilitating(request, slug, pk)
    form = ControlForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return _facilitator_response(request, membership, meeting, version)
    try:
        meeting = CONTROLS[form.cleaned_data["action"]](meeting, form.cleaned_data["question"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    if not meeting.is_open:
        messages.success(request, _("Meeting closed. The summary goes to the participants."))
        url = reverse("improvement:gap_summary", args=[slug, pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _facilitator_response(request, membership, meeting, version)


@login_required
@require_POST
def gap_arrange(request: HttpRequest, slug: str, pk: int, answer_pk: int) -> HttpResponse:
    membership, version, meeting = _facilitating(request, slug, pk)
    answer = selectors.gap_answer_get(meeting=meeting, pk=answer_pk)
    form = ArrangeForm(request.POST)
    if not form.is_valid():  # the label typed comes back with why it was refused
        return _facilitator_response(
            request, membership, meeting, version, refused_label=(answer.pk, form)
        )
    group = form.cleaned_data["group_label"] if "group_label" in request.POST else None
    services.gap_answer_arrange(
        answer=answer,
        group_label=group,
        highlighted=form.cleaned_data["highlighted"],
        hidden=form.cleaned_data["hidden"],
    )
    return _facilitator_response(request, membership, meeting, version)


@login_required
@require_POST
def gap_answer_idea(request: HttpRequest, slug: str, pk: int, answer_pk: int) -> HttpResponse:
    membership, version, meeting = _facilitating(request, slug, pk)
    answer = selectors.gap_answer_get(meeting=meeting, pk=answer_pk)
    form = AnswerToIdeaForm(request.POST, team=membership.team)
    if form.is_valid():
        try:
            services.gap_answer_to_idea(answer=answer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    # A refused idea comes back with what was typed and each field's reason.
    refused = (answer.pk, form) if form.errors else None
    return _facilitator_response(request, membership, meeting, version, refused_idea=refused)


@login_required
@require_GET
def gap_summary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    meeting = selectors.gap_meeting_get(team=membership.team, pk=pk)
    context = {
        "team": membership.team,
        "membership": membership,
        "meeting": meeting,
        "sections": selectors.meeting_summary(meeting=meeting, revealed_only=True),
        "ideas": meeting.ideas.select_related("owner"),
        "scope": selectors.summary_scope(meeting=meeting),
    }
    return render(request, "improvement/gap_summary.html", context)


def _author(answer) -> str:
    if answer.anonymous or answer.author is None:
        return _("Anonymous")
    return str(answer.author)


@login_required
@require_GET
def gap_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    meeting = selectors.gap_meeting_get(team=membership.team, pk=pk)
    # What the summary page shows: while the meeting is open, revealed answers only.
    sections = selectors.meeting_summary(meeting=meeting, revealed_only=True)
    scope = selectors.summary_scope(meeting=meeting)
    filename = f"gap-analysis-{meeting.created_at:%Y-%m-%d}-{meeting.pk}.{fmt}"
    if fmt == "md":
        body = render_to_string(
            "improvement/gap_summary.md",
            {
                "meeting": meeting,
                "sections": sections,
                "ideas": meeting.ideas.select_related("owner"),
                "scope": scope,
            },
        )
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = SafeCsvWriter(response)
        # The header says what the export holds: the summary page's answers.
        writer.writerow(
            [meeting.focus_label, formats.date_format(timezone.localtime(meeting.created_at))]
        )
        writer.writerow([scope])
        writer.writerow([])
        writer.writerow(
            [_("Question"), _("Group"), _("Highlighted"), _("Answer"), _("Author"), _("Idea")]
        )
        for _question, label, answers in sections:
            for a in answers:
                idea = getattr(a, "idea", None)
                writer.writerow(
                    [
                        label,
                        a.group_label,
                        "x" if a.highlighted else "",
                        a.body,
                        _author(a),
                        idea.title if idea else "",
                    ]
                )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def summary_emails(request: HttpRequest, slug: str) -> HttpResponse:
    wanted = _wanted(request, slug, SummaryEmailsForm, services.summary_emails_set)
    if wanted:
        messages.success(request, _("You will receive meeting summaries by e-mail."))
    else:
        messages.success(request, _("You will no longer receive meeting summaries by e-mail."))
    return redirect("improvement:gap_list", slug)


def _wanted(request: HttpRequest, slug: str, form_class, choose: Callable[..., object]) -> bool:
    """A member's "I want these e-mails" box for one team: records and returns the
    choice (an unreadable form counts as "no")."""
    team = membership_get(user=request.user, team_slug=slug).team
    form = form_class(request.POST)
    wanted = form.is_valid() and form.cleaned_data["wanted"]
    choose(team=team, user=request.user, wanted=wanted)
    return wanted


# Weekly check-ins


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    week = selectors.team_week(team=team)
    points = list(selectors.current_points(team=team))
    current = selectors.my_checkins(team=team, user=request.user, week=week)
    data = request.POST if request.method == "POST" else None
    form = CheckinForm(data, points=points, current=current)
    if form.is_valid():
        try:
            services.checkin_submit(team=team, user=request.user, week=week, answers=form.answers())
            messages.success(request, _("Thank you: your check-in is saved."))
            return redirect("improvement:checkin", slug)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "week": week,
        "answered": len(current),
        "wants_reminders": selectors.wants_checkin_reminders(team=team, user=request.user),
        "off_everywhere": not selectors.kind_enabled(user=request.user, kind="checkin"),
        "schedule": selectors.checkin_settings_get(team=team),
    }
    template = (
        "improvement/checkin.html#checkin-form" if request.htmx else "improvement/checkin.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def checkin_history(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    context = {
        "team": team,
        "membership": membership,
        "history": selectors.my_history(team=team, user=request.user),
    }
    return render(request, "improvement/checkin_history.html", context)


@login_required
@require_GET
def checkin_team(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    weeks, trends, people = selectors.team_trends(team=team)
    context = {
        "team": team,
        "membership": membership,
        "weeks": weeks,
        "trends": trends,
        "people": people,
        "members": team.memberships.count(),
        "examples": selectors.shared_examples(team=team),
        "min_answers": selectors.MIN_ANSWERS_SHOWN,
        "checkin_indicators": CheckinIndicator.objects.filter(team=team).select_related(
            "indicator"
        ),
    }
    return render(request, "improvement/checkin_team.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_settings(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    form = CheckinSettingsForm(
        request.POST or None, instance=selectors.checkin_settings_get(team=team)
    )
    if form.is_valid():
        services.checkin_settings_save(team=team, **form.cleaned_data)
        messages.success(request, _("Check-in day saved."))
        return redirect("improvement:checkin_team", slug)
    return render(request, "improvement/checkin_settings.html", {"form": form, "team": team})


@login_required
@require_POST
def checkin_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.checkin_indicators_enable(team=team, by=request.user)
    messages.success(
        request, _("Two indicators are proposed to the team; the check-ins feed them every week.")
    )
    return redirect("improvement:checkin_team", slug)


@login_required
@require_POST
def checkin_reminders(request: HttpRequest, slug: str) -> HttpResponse:
    if _wanted(request, slug, WantedForm, services.checkin_reminders_set):
        messages.success(request, _("You will get the weekly check-in e-mail."))
    else:
        messages.success(request, _("You will no longer get the weekly check-in e-mail."))
    return redirect("improvement:checkin", slug)
