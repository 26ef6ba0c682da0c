import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from teams.models import Membership
from teams.selectors import LEADS_AND_MANAGERS, MANAGERS, membership_get, org_member_get

from . import selectors, services
from .forms import (
    AcceptForm,
    AnswerForm,
    FactForm,
    FeedbackForm,
    MomentForm,
    NextForm,
    NoteForm,
    ObjectiveForm,
    PracticeForm,
    ProgressForm,
    SituationForm,
    StartForm,
)
from .models import Objective, OneToOne, Situation

# One-to-ones


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    talks = selectors.team_one_to_ones(user=request.user, team_id=membership.team_id)
    people = (
        selectors.team_people_last_met(team=membership.team, manager=request.user)
        if membership.is_manager
        else None
    )
    context = {"team": membership.team, "membership": membership, "talks": talks}
    return render(request, "coaching/home.html", {**context, "people": people})


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    form = StartForm(request.POST or None, team=team, manager=request.user)
    if form.is_valid():
        talk = services.one_to_one_start(team=team, manager=request.user, **form.cleaned_data)
        messages.success(request, _("One-to-one opened. The member answers the first question."))
        return redirect("coaching:one_to_one", team.slug, talk.pk)
    return render(request, "coaching/start.html", {"team": team, "form": form})


def _talk_page(request: HttpRequest, membership: Membership, talk: OneToOne, **forms):
    team, user = membership.team, request.user
    earlier = selectors.earlier_conversations(one_to_one=talk, user=user)
    objectives = selectors.pair_objectives(one_to_one=talk)
    selectors.progress_since(objectives, earlier.previous.held_on if earlier.previous else None)
    is_manager = user.pk == talk.manager_id
    context = {
        "team": team,
        "talk": talk,
        "is_manager": is_manager,
        "other": talk.member if is_manager else talk.manager,
        "facts": talk.facts.select_related("indicator", "observation"),
        "notes": talk.notes.filter(selectors.note_visible(user)).select_related("author"),
        "earlier": earlier,
        "objectives": objectives,
        "answer_form": forms.get("answer_form")
        or AnswerForm(initial={"client_view": talk.client_view}),
        "fact_form": forms.get("fact_form") or FactForm(team=team),
        "note_form": forms.get("note_form") or NoteForm(),
        "next_form": forms.get("next_form") or NextForm(initial={"next_on": talk.next_on}),
    }
    return render(request, "coaching/one_to_one.html", context)


@login_required
@require_GET
def one_to_one(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, talk = selectors.one_to_one_get(user=request.user, team_slug=slug, pk=pk)
    if request.htmx and request.htmx.trigger == "waiting-for-answer":
        # The manager's page waits for the member's answer: nothing new is a cheap 204,
        # the answer reloads the page (the objective can be proposed from then on).
        return HttpResponseClientRefresh() if talk.client_view_at else HttpResponse(status=204)
    return _talk_page(request, membership, talk)


def _party(request: HttpRequest, slug: str, pk: int, role: str | None = None):
    membership, talk = selectors.one_to_one_get(user=request.user, team_slug=slug, pk=pk)
    if role == "member" and request.user.pk != talk.member_id:
        raise PermissionDenied(_("The member answers this question, in their own words."))
    if role == "manager" and request.user.pk != talk.manager_id:
        raise PermissionDenied(_("The manager brings the facts."))
    return membership, talk


@login_required
@require_POST
def answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, talk = _party(request, slug, pk, role="member")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _talk_page(request, membership, talk, answer_form=form)
    services.one_to_one_answer(one_to_one=talk, by=request.user, **form.cleaned_data)
    messages.success(request, _("Your answer is in: now turn it into an objective together."))
    return redirect("coaching:one_to_one", slug, talk.pk)


@login_required
@require_POST
def fact(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, talk = _party(request, slug, pk, role="manager")
    form = FactForm(request.POST, team=membership.team)
    if not form.is_valid():
        return _talk_page(request, membership, talk, fact_form=form)
    services.fact_add(one_to_one=talk, by=request.user, **form.cleaned_data)
    return redirect("coaching:one_to_one", slug, talk.pk)


@login_required
@require_POST
def note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, talk = _party(request, slug, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _talk_page(request, membership, talk, note_form=form)
    services.note_add(one_to_one=talk, author=request.user, **form.cleaned_data)
    return redirect("coaching:one_to_one", slug, talk.pk)


@login_required
@require_POST
def plan_next(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, talk = _party(request, slug, pk)
    form = NextForm(request.POST)
    if not form.is_valid():
        return _talk_page(request, membership, talk, next_form=form)
    services.one_to_one_plan_next(one_to_one=talk, by=request.user, **form.cleaned_data)
    messages.success(request, _("Follow-up conversation planned."))
    return redirect("coaching:one_to_one", slug, talk.pk)


# Objectives


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, talk = _party(request, slug, pk)
    form = ObjectiveForm(request.POST or None, team=membership.team)
    if form.is_valid():
        try:
            objective = services.objective_propose(
                one_to_one=talk, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Objective proposed: the other person accepts it or changes it.")
            )
            return redirect("coaching:objective", slug, objective.pk)
    context = {"team": membership.team, "talk": talk, "form": form}
    return render(request, "coaching/objective_form.html", context)


def _objective_page(request, membership: Membership, objective: Objective, **forms):
    is_manager = request.user.pk == objective.manager_id
    current = objective.current
    context = {
        "team": membership.team,
        "objective": objective,
        "current": current,
        "is_manager": is_manager,
        "other": objective.member if is_manager else objective.manager,
        "i_accepted": bool(
            current.manager_accepted_at if is_manager else current.member_accepted_at
        ),
        "history": selectors.objective_history(objective=objective),
        "progress": objective.progress.select_related("author"),
        "accept_form": AcceptForm(initial={"number": current.number}),
        "progress_form": forms.get("progress_form") or ProgressForm(),
    }
    return render(request, "coaching/objective.html", context)


@login_required
@require_GET
def objective(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.objective_get(user=request.user, team_slug=slug, pk=pk)
    return _objective_page(request, membership, found)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.objective_get(user=request.user, team_slug=slug, pk=pk)
    initial = {name: getattr(found.current, name) for name in services.WORDING_FIELDS}
    form = ObjectiveForm(request.POST or None, team=membership.team, initial=initial)
    if form.is_valid():
        try:
            services.objective_revise(objective=found, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("New wording saved: the other person accepts it or changes it.")
            )
            return redirect("coaching:objective", slug, found.pk)
    context = {"team": membership.team, "objective": found, "form": form}
    return render(request, "coaching/objective_form.html", context)


@login_required
@require_POST
def objective_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _membership, found = selectors.objective_get(user=request.user, team_slug=slug, pk=pk)
    form = AcceptForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Read the wording again, then accept it."))
        found = services.objective_accept(
            objective=found, by=request.user, number=form.cleaned_data["number"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if found.is_agreed:
            messages.success(
                request, _("Agreed by both. The review date is planned for both of you.")
            )
        else:
            messages.success(
                request, _("Accepted. It is agreed once the other person accepts it too.")
            )
    return redirect("coaching:objective", slug, found.pk)


@login_required
@require_POST
def progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, found = selectors.objective_get(user=request.user, team_slug=slug, pk=pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _objective_page(request, membership, found, progress_form=form)
    services.progress_add(objective=found, author=request.user, **form.cleaned_data)
    messages.success(request, _("Progress noted."))
    return redirect("coaching:objective", slug, found.pk)


# Practice


@login_required
@require_GET
def practice(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=LEADS_AND_MANAGERS)
    team = membership.team
    context = {
        "team": team,
        "membership": membership,
        "practices": selectors.practices(organisation_id=team.organisation_id),
        "done": selectors.practice_done(user=request.user),
    }
    return render(request, "coaching/practice.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def situation(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=LEADS_AND_MANAGERS).team
    found = selectors.practice_get(organisation_id=team.organisation_id, key=key)
    form = PracticeForm(request.POST or None, practice=found)
    chosen = None
    if form.is_valid():
        index = form.cleaned_data["choice"]
        chosen = found.responses[index - 1]
        services.practice_attempt_record(
            user=request.user, key=found.key, choice=index, works=chosen.works
        )
    context = {"team": team, "practice": found, "form": form, "chosen": chosen}
    return render(request, "coaching/situation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def situations(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    form = SituationForm(request.POST or None)
    if form.is_valid():
        services.situation_create(
            organisation=organisation,
            by=request.user,
            title=form.cleaned_data["title"],
            setting=form.cleaned_data["setting"],
            responses=form.responses(),
        )
        messages.success(request, _("Situation added: your managers can practise it now."))
        return redirect("coaching:situations", organisation.slug)
    context = {
        "organisation": organisation,
        "form": form,
        "situations": selectors.organisation_situations(organisation_id=organisation.pk),
    }
    return render(request, "coaching/situations.html", context)


@login_required
@require_POST
def situation_retire(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    found = get_object_or_404(Situation, organisation=organisation, pk=pk)
    services.situation_retire(situation=found)
    messages.success(request, _("Situation retired."))
    return redirect("coaching:situations", organisation.slug)


# Leaders coach and model


@login_required
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=LEADS_AND_MANAGERS)
    team = membership.team
    form = MomentForm(request.POST or None, team=team, coach=request.user)
    if form.is_valid():
        services.coaching_moment_log(team=team, coach=request.user, **form.cleaned_data)
        messages.success(request, _("Coaching moment logged."))
        return redirect("coaching:log", team.slug)
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "moments": selectors.my_moments(user=request.user, team=team),
        "weeks": selectors.weekly_minutes(user=request.user, today=timezone.localdate()),
    }
    return render(request, "coaching/log.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    form = FeedbackForm(request.POST or None, team=team, author=request.user)
    if form.is_valid():
        services.modelling_feedback_give(team=team, author=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you: your feedback is with the leader."))
        return redirect("coaching:feedback", team.slug)
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "about_me": selectors.feedback_about(leader=request.user),
    }
    return render(request, "coaching/feedback.html", context)


@login_required
@require_GET
def leaders(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    context = {
        "organisation": organisation,
        "summaries": selectors.organisation_leaders(organisation_id=organisation.pk),
        "min_answers": selectors.MIN_ANSWERS,
    }
    return render(request, "coaching/leaders.html", context)


LEAD_SECTION_SECONDS = 60


def lead_section(request: HttpRequest, *, teams: list) -> str:
    """The coaching section of the lead dashboard (indicators/hooks.py): the same table
    as the page of its own, for the dashboard's teams, in a fixed number of queries.
    Kept a minute per person and set of teams: counts a minute old are fine on a
    dashboard, and the lead dashboard stays within its target (`make bench`)."""
    if not teams:
        return ""
    ids = ",".join(str(team.pk) for team in teams)
    key = (
        "coaching-lead:"
        + hashlib.sha1(
            f"{request.user.pk}:{ids}:{translation.get_language()}:{timezone.localdate()}".encode()
        ).hexdigest()
    )

    def render_section() -> str:
        rows = selectors.across_teams(teams=teams, today=timezone.localdate())
        context = {"coaching_rows": rows, "weeks": selectors.TIME_WEEKS}
        return render_to_string("coaching/_lead_section.html", context, request=request)

    return cache.get_or_set(key, render_section, LEAD_SECTION_SECONDS)


@login_required
@require_GET
def across(request: HttpRequest) -> HttpResponse:
    from indicators.selectors import lead_teams

    teams = list(lead_teams(user=request.user))
    rows = selectors.across_teams(teams=teams, today=timezone.localdate())
    return render(request, "coaching/across.html", {"rows": rows, "weeks": selectors.TIME_WEEKS})
