from collections.abc import Callable, Collection

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from config import once
from config.exports import SafeCsvWriter
from facilitation.push import stream_url
from facilitation.views import poll
from teams.selectors import EVERYONE, MANAGERS, membership_get, team_time_activate

from . import live, selectors, services
from .forms import (
    KeywordForm,
    MergeForm,
    ObservationFilterForm,
    ObservationForm,
    PointForm,
    RulesForm,
    StatementForm,
    WorkshopForm,
)
from .models import Observation, Step, Workshop, coaching_question_default
from .questions import FACILITATOR_QUESTIONS

PARTICIPANT_PAGE = "charter/workshop.html"
FACILITATOR_PAGE = "charter/workshop_run.html"
OBSERVATIONS_PER_PAGE = 25


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# Observations ------------------------------------------------------------------------------


@login_required
@require_GET
def observations(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    form = ObservationFilterForm(request.GET or None, team=team)
    filters = _observation_filters(form)
    if filters is None:  # a word nobody used: nothing matches
        found, top = Observation.objects.none(), []
    else:
        found = selectors.observations_list(team=team, **filters)
        top = selectors.keywords_top(team=team, **filters)
    # A page number out of range or not a number gives the last or the first page.
    page = Paginator(found, OBSERVATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "page": page,
        "observations": page.object_list,
        "top_keywords": top,
        "vocabulary": selectors.keyword_vocabulary(team=team),
    }
    template = "charter/observations.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def _observation_filters(form: ObservationFilterForm) -> dict | None:
    if not form.is_valid():
        return {}
    days = int(form.cleaned_data["period"] or 0)
    group = form.cleaned_data["client_group"]
    keyword = form.keyword_obj()
    if keyword is False:
        return None
    return {
        "since": selectors.today_minus(days) if days else None,
        "client_group_id": group.pk if group else None,
        "keyword": keyword,
    }


@login_required
@require_http_methods(["GET", "POST"])
def observation_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    form = ObservationForm(
        request.POST or None, team=team, initial={"hide_author": request.user.anonymous_by_default}
    )
    if form.is_valid() and once.is_repeat(request, form):
        messages.info(request, _("This observation was already recorded: it is in the list."))
        return redirect("charter:observations", team.slug)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.observation_create(
                team=team, author=request.user, keywords=data.pop("keywords_text"), **data
            )
        except ValidationError as error:
            once.forget(form)
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your observation is recorded."))
            return redirect("charter:observations", team.slug)
    context = {
        "team": team,
        "form": form,
        "vocabulary": selectors.keyword_vocabulary(team=team),
        "common_keywords": selectors.keywords_most_used(team=team),
    }
    return render(request, "charter/observation_form.html", context)


# Workshops --------------------------------------------------------------------------------


@login_required
@require_GET
def workshops(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    context = {
        "team": membership.team,
        "membership": membership,
        "workshops": selectors.workshops_list(team=membership.team),
    }
    return render(request, "charter/workshops.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    form = WorkshopForm(request.POST or None)
    if form.is_valid():
        workshop = services.workshop_create(
            team=team, facilitator=request.user, **form.cleaned_data
        )
        return redirect("charter:workshop_run", team.slug, workshop.pk)
    return render(request, "charter/workshop_form.html", {"team": team, "form": form})


def _workshop(
    request: HttpRequest, slug: str, pk: int, roles: Collection[str] = EVERYONE
) -> Workshop:
    return selectors.workshop_get_for_user(user=request.user, team_slug=slug, pk=pk, roles=roles)


def _stage_context(
    request: HttpRequest, workshop: Workshop, template: str, version: str | None = None, **forms
) -> dict:
    screen = live.FACILITATOR if template == FACILITATOR_PAGE else live.EVERYONE
    # The version is read before the data (a poll reads it before the workshop row): a
    # change committed meanwhile bumps it past what this screen holds, so the next poll
    # fetches again instead of missing the change.
    version = version or live.WORKSHOP.version(workshop.pk, screen)
    stage = selectors.stage_get(
        workshop=workshop, user=request.user, facilitator=screen == live.FACILITATOR
    )
    step = workshop.step
    context = {
        "team": workshop.team,
        "workshop": workshop,
        "stage": stage,
        "steps": Step.choices,
        "Step": Step,
        "version": version,
        "questions": FACILITATOR_QUESTIONS.get(step, []),
        # Where "I'm done" goes and what its answer replaces: after the form to write
        # in when one follows the live part (propose, draft), else last in that part.
        "done_target": "#workshop" if step in (Step.PROPOSE, Step.DRAFT) else "#live",
    }
    # Only the forms the current step shows: polls render this often.
    if step == Step.PROPOSE:
        context["keyword_form"] = KeywordForm()
    elif step == Step.VOTE:
        context["rules_form"] = RulesForm(instance=workshop)
    elif step >= Step.DRAFT:
        context["statement_form"] = StatementForm(keywords=stage.selected)
        refused = forms.pop("refused_point", None)  # what was typed, and why it was refused
        context["point_forms"] = [
            (item, refused if refused and refused.prefix == f"p{item.pk}" else _point_form(item))
            for item in stage.selected
        ]
        if step == Step.PUBLISH:
            context["preview"] = selectors.publish_preview(workshop=workshop, items=stage.selected)
    context.update(forms)
    return context


def _point_form(item) -> PointForm:
    proposals = list(item.proposals_made.all())
    statement = item.statement or (proposals[0].text if proposals else "")
    question = item.coaching_question or coaching_question_default(item.keyword.label)
    return PointForm(
        initial={"keyword": item.pk, "statement": statement, "coaching_question": question},
        prefix=f"p{item.pk}",
    )


def _stage(request: HttpRequest, workshop: Workshop, template: str, **forms) -> HttpResponse:
    """The whole page, or for htmx the fragment the request targets (`live` or `workshop`)."""
    if not request.htmx:
        context = _stage_context(request, workshop, template, **forms)
        context["stream"] = stream_url(
            user_id=request.user.pk,
            live=live.WORKSHOP,
            pk=workshop.pk,
            screen=live.FACILITATOR if template == FACILITATOR_PAGE else live.EVERYONE,
            version=context["version"],
        )
        return render(request, template, context)
    part = "live" if request.htmx.target == "live" else "workshop"
    return render(
        request, f"{template}#{part}", _stage_context(request, workshop, template, **forms)
    )


def _poll(
    request: HttpRequest, slug: str, pk: int, template: str, roles: Collection[str]
) -> HttpResponse:
    """The page, or for a poll (htmx with the version seen) 204 when nothing changed."""
    if not request.htmx or not request.GET.get("v"):
        return _stage(request, _workshop(request, slug, pk, roles), template)
    screen = live.FACILITATOR if template == FACILITATOR_PAGE else live.EVERYONE
    workshop, current = poll(
        request,
        live=live.WORKSHOP,
        pk=pk,
        screen=screen,
        check=lambda: _workshop(request, slug, pk, roles),
    )
    if workshop is None:
        return HttpResponse(status=204)
    context = _stage_context(request, workshop, template, version=current)
    if str(workshop.step) != request.GET.get("step"):
        # The step changed: the forms around the live part change too.
        response = render(request, f"{template}#workshop", context)
        return reswap(retarget(response, "#workshop"), "outerHTML")
    return render(request, f"{template}#live", context)


@login_required
@require_GET
def workshop(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _poll(request, slug, pk, PARTICIPANT_PAGE, EVERYONE)


@login_required
@require_GET
def workshop_run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _poll(request, slug, pk, FACILITATOR_PAGE, MANAGERS)


def _participant_action(
    request: HttpRequest, workshop: Workshop, action: Callable[[], object], **forms
) -> HttpResponse:
    """Runs a participant's change, turning a refusal into a message, and answers with the
    participant's fragment (or a redirect without htmx)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        forms = forms or {"refused": True}
    if not request.htmx and not forms:
        return redirect("charter:workshop", workshop.team.slug, workshop.pk)
    return _stage(request, workshop, PARTICIPANT_PAGE, **forms)


@login_required
@require_POST
def workshop_join(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk)
    services.participant_join(workshop=workshop, user=request.user)
    return redirect("charter:workshop", slug, pk)


@login_required
@require_POST
def workshop_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk)
    done = request.POST.get("done") == "1"
    return _participant_action(
        request,
        workshop,
        lambda: services.participant_set_done(workshop=workshop, user=request.user, done=done),
    )


@login_required
@require_POST
def keyword_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk)
    form = KeywordForm(request.POST)
    if not form.is_valid():
        return _participant_action(request, workshop, lambda: None, keyword_form=form)
    text = form.cleaned_data["text"]
    return _participant_action(
        request,
        workshop,
        lambda: services.keyword_propose(workshop=workshop, user=request.user, text=text),
    )


def _ballot_after_tap(
    request: HttpRequest,
    workshop: Workshop,
    keyword_id: int | None,
    mine: list[tuple[int, int]] | None,
    label: str | None,
    refusal: str,
) -> HttpResponse:
    """The tapped keyword's row, swapped in place with the dots left beside it (a fifth
    of the whole ballot to render and to send). The whole ballot after a refusal, or
    when the "+" of every row changes: the last dot spent, or one taken back from none
    left (`mine` is None after a take-back)."""
    context = {"team": workshop.team, "workshop": workshop, "refusal": refusal}
    if keyword_id and not refusal:
        taken_back = mine is None
        if taken_back:  # read once, for the row or the whole ballot
            mine = selectors.my_dots_get(workshop=workshop, user=request.user)
        every_plus_changes = selectors.dots_left(workshop, mine) == (1 if taken_back else 0)
        if not every_plus_changes:
            ballot = selectors.ballot_row_get(
                workshop=workshop, keyword_id=keyword_id, mine=mine, label=label
            )
            if ballot.items:
                context.update(ballot=ballot, item=ballot.items[0], oob=True)
                response = render(request, f"{PARTICIPANT_PAGE}#vote-tap", context)
                return reswap(retarget(response, f"#vote-row-{keyword_id}"), "outerHTML")
    context["ballot"] = selectors.ballot_get(workshop=workshop, user=request.user, mine=mine)
    return render(request, f"{PARTICIPANT_PAGE}#vote", context)


@login_required
@require_POST
def vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A "+" (the keyword) or "−" (`remove`) tap. htmx gets back only the voter's ballot,
    or the tapped row of it: the rest of the screen follows through the poll."""
    remove = _int(request.POST.get("remove"))
    keyword_id = remove or _int(request.POST.get("keyword"))
    refusal, mine, label = "", None, None
    if remove:
        workshop = _workshop(request, slug, pk)
        try:
            taken = services.vote_remove(
                workshop=workshop, user=request.user, keyword_id=keyword_id
            )
            result = "removed" if taken else "none"
        except ValidationError as error:
            refusal, result = error.messages[0], "refused"
    else:
        # The access check and the vote in one round trip (the "+" is the tap of the
        # burst when a whole team votes at once).
        workshop, outcome = services.vote_cast_as_member(
            user=request.user,
            team_slug=slug,
            pk=pk,
            keyword_id=keyword_id,
            dot=_int(request.POST.get("dot")),
        )
        if isinstance(outcome, services.VoteRefused):
            refusal, result = outcome.messages[0], "refused"
        else:
            result = "cast" if outcome.created else "replayed"
            mine, label = outcome.votes, outcome.label
    if request.htmx:
        response = _ballot_after_tap(request, workshop, keyword_id, mine, label, refusal)
    else:
        if refusal:
            messages.error(request, refusal)
        response = redirect("charter:workshop", workshop.team.slug, workshop.pk)
    # What happened to this request, for scripts and load tests (the page shows it too).
    response["X-Vote"] = result
    return response


@login_required
@require_POST
def statement_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk)
    selected = workshop.keywords.filter(selected=True).select_related("keyword")
    form = StatementForm(request.POST, keywords=selected)
    if not form.is_valid():
        return _participant_action(request, workshop, lambda: None, statement_form=form)
    return _participant_action(
        request,
        workshop,
        lambda: services.statement_propose(
            workshop=workshop,
            author=request.user,
            keyword_id=form.cleaned_data["keyword"],
            text=form.cleaned_data["text"],
        ),
    )


@login_required
@require_POST
def statement_endorse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk)
    proposal_id = _int(request.POST.get("proposal"))
    return _participant_action(
        request,
        workshop,
        lambda: services.statement_endorse(
            workshop=workshop, user=request.user, proposal_id=proposal_id
        ),
    )


# Facilitator actions ---------------------------------------------------------------------


def _facilitator_action(
    request: HttpRequest, workshop: Workshop, action: Callable[[], object], **forms
) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        forms = forms or {"refused": True}
    if not request.htmx and not forms:
        return redirect("charter:workshop_run", workshop.team.slug, workshop.pk)
    workshop.refresh_from_db()
    return _stage(request, workshop, FACILITATOR_PAGE, **forms)


@login_required
@require_POST
def workshop_step(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    from_step, to_step = _int(request.POST.get("from")), _int(request.POST.get("to"))
    if from_step is None or to_step not in Step.values:
        raise Http404
    lost = services.step_discards(workshop=workshop, to_step=to_step)
    if to_step < workshop.step and lost and not request.POST.get("confirm"):
        context = {"team": workshop.team, "workshop": workshop, "lost": lost}
        context.update(to_step=to_step, to_label=Step(to_step).label, from_step=from_step)
        return render(request, "charter/step_confirm.html", context)
    return _facilitator_action(
        request,
        workshop,
        lambda: services.workshop_step_set(workshop=workshop, from_step=from_step, to_step=to_step),
    )


@login_required
@require_POST
def workshop_timer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    action = request.POST.get("action", "")
    return _facilitator_action(
        request, workshop, lambda: services.workshop_timer(workshop=workshop, action=action)
    )


@login_required
@require_POST
def workshop_rules(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    form = RulesForm(request.POST, instance=Workshop.objects.get(pk=workshop.pk))
    if not form.is_valid():
        return _facilitator_action(request, workshop, lambda: None, rules_form=form)
    return _facilitator_action(
        request,
        workshop,
        lambda: services.workshop_rules_update(workshop=workshop, **_rules(form)),
    )


def _rules(form: RulesForm) -> dict:
    return {k: form.cleaned_data[k] for k in RulesForm.Meta.fields}


@login_required
@require_POST
def workshop_reveal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    return _facilitator_action(
        request, workshop, lambda: services.workshop_reveal(workshop=workshop)
    )


@login_required
@require_POST
def keyword_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    form = MergeForm(request.POST)
    source = form.cleaned_data["source"] if form.is_valid() else 0
    target = form.cleaned_data["target"] if form.is_valid() else 0
    return _facilitator_action(
        request,
        workshop,
        lambda: services.keyword_merge(workshop=workshop, source_id=source, target_id=target),
    )


@login_required
@require_POST
def keywords_select(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    ids = [i for i in map(_int, request.POST.getlist("keyword")) if i is not None]
    confirmed = request.POST.get("confirm") == "fewer"
    try:
        services.keywords_select(workshop=workshop, keyword_ids=ids, fewer_confirmed=confirmed)
    except services.SelectionToConfirm:
        # The form comes back with the same choice and a button to confirm it.
        return _stage(request, workshop, FACILITATOR_PAGE, select_pending=ids)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _facilitator_action(request, workshop, lambda: None, refused=True)
    return _facilitator_action(request, workshop, lambda: None)


@login_required
@require_POST
def point_set(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    form = PointForm(request.POST, prefix=request.POST.get("prefix") or None)
    if not form.is_valid():
        messages.error(request, _("Write an actionable statement and its coaching question."))
        return _facilitator_action(request, workshop, lambda: None, refused_point=form)
    return _facilitator_action(
        request,
        workshop,
        lambda: services.point_set(
            workshop=workshop,
            keyword_id=form.cleaned_data["keyword"],
            statement=form.cleaned_data["statement"],
            coaching_question=form.cleaned_data["coaching_question"],
        ),
    )


@login_required
@require_POST
def point_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    keyword_id = _int(request.POST.get("keyword"))
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if keyword_id is None or offset is None:
        raise Http404
    return _facilitator_action(
        request,
        workshop,
        lambda: services.point_move(workshop=workshop, keyword_id=keyword_id, offset=offset),
    )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workshop = _workshop(request, slug, pk, roles=MANAGERS)
    try:
        services.charter_publish(workshop=workshop, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("charter:workshop_run", slug, pk)
    messages.success(request, _("The charter is published. The team has been e-mailed."))
    url = reverse("charter:charter", args=[slug])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_GET
def workshop_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "md"):
        raise Http404
    workshop = _workshop(request, slug, pk)
    with_dots = selectors.workshop_totals_visible_to(workshop=workshop, user=request.user)
    items = selectors.workshop_results(workshop=workshop, with_dots=with_dots)
    if fmt == "csv":
        response = _results_csv(items, with_dots=with_dots)
    else:
        context = {"workshop": workshop, "items": items, "with_dots": with_dots}
        response = render(
            request, "charter/export.md", context, content_type="text/markdown; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.{fmt}"'
    return response


def _results_csv(items, *, with_dots: bool) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = SafeCsvWriter(response)
    tally = [_("Rank"), _("Keyword"), _("Dots")] if with_dots else [_("Keyword")]
    writer.writerow([*tally, _("Selected"), _("Statement"), _("Coaching question")])
    for item in items:
        label = item.keyword.label
        tally = [item.rank, label, item.dots] if with_dots else [label]
        selected = _("yes") if item.selected else ""
        texts = [item.statement, item.coaching_question]
        writer.writerow([*tally, selected, *texts])
    return response


# The charter ---------------------------------------------------------------------------------


@login_required
@require_GET
def charter(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    charter = selectors.charter_for_team(team=team)
    number = _int(request.GET.get("version"))
    version = charter and selectors.charter_version_get(charter=charter, number=number)
    endorsed = version and any(e.user_id == request.user.pk for e in version.endorsements.all())
    context = {
        "team": team,
        "membership": membership,
        "charter": charter,
        "version": version,
        "versions": selectors.charter_versions(charter=charter) if charter else [],
        "endorsed": endorsed,
        "share_url": charter
        and charter.share_token
        and request.build_absolute_uri(reverse("charter:public", args=[charter.share_token])),
    }
    template = "charter/charter.html"
    return render(request, f"{template}#endorsements" if request.htmx else template, context)


@login_required
@require_POST
def charter_endorse(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    version = selectors.charter_version_for_team(team=team, number=number)
    services.charter_endorse(version=version, user=request.user)
    if request.htmx:
        version = selectors.charter_version_for_team(team=team, number=number)
        context = {"team": team, "version": version, "endorsed": True}
        return render(request, "charter/charter.html#endorsements", context)
    messages.success(request, _("Thank you for your commitment."))
    return redirect(reverse("charter:charter", args=[slug]) + f"?version={number}")


@login_required
@require_GET
def charter_diff(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    charter = selectors.charter_for_team(team=team)
    if charter is None:
        raise Http404
    versions = selectors.charter_versions(charter=charter)
    newest = versions[0].number if versions else 1
    new_number = _int(request.GET.get("to")) or newest
    old_number = _int(request.GET.get("from")) or max(1, new_number - 1)
    old = selectors.charter_version_get(charter=charter, number=old_number)
    new = selectors.charter_version_get(charter=charter, number=new_number)
    context = {
        "team": team,
        "versions": versions,
        "old": old,
        "new": new,
        "changes": selectors.charter_diff(old=old, new=new),
    }
    return render(request, "charter/charter_diff.html", context)


@login_required
@require_POST
def charter_share(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    action = request.POST.get("action")
    if action == "options":
        wanted = bool(request.POST.get("public_questions"))
        services.charter_public_options(team=team, public_questions=wanted)
        messages.success(request, _("The public page settings are saved."))
        return redirect("charter:charter", slug)
    enable = action != "revoke"
    services.charter_share(team=team, enable=enable)
    if enable:
        messages.success(request, _("A new public link is ready. Any older link stopped working."))
    else:
        messages.success(request, _("The public link no longer works."))
    return redirect("charter:charter", slug)


@require_GET
def public(request: HttpRequest, token: str) -> HttpResponse:
    charter, version = selectors.charter_public_get(token=token)
    team_time_activate(team=charter.team, spans_zones=False)
    context = {"team": charter.team, "charter": charter, "version": version, "public": True}
    return render(request, "charter/public.html", context)
