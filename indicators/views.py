import functools
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.exports import SafeCsvWriter
from teams.models import Team
from teams.selectors import EVERYONE, MANAGERS, RoleRequired, membership_get, team_time_activate

from . import hooks, imports, selectors, services
from .forms import (
    ApiTokenForm,
    CommentForm,
    CsvImportForm,
    IndicatorForm,
    MeasurementForm,
    OpinionForm,
    ReviewNoteForm,
    SurveyAnswerForm,
    SurveyForm,
    TargetForm,
)
from .models import ApiToken, Indicator, Survey, WallLink
from .templatetags.indicator_tags import lead_chips

WALL_REFRESH_SECONDS = 60
# Answers per client address and survey, per hour: a shop's Wi-Fi or an office's
# connection carries many clients behind one address.
SURVEY_RATE_LIMIT = (30, 60 * 60)


def _team_indicator(request: HttpRequest, slug: str, pk: int, roles=EVERYONE):
    membership = membership_get(user=request.user, team_slug=slug, roles=roles)
    return membership, selectors.indicator_get(team=membership.team, pk=pk)


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    return render(
        request,
        "indicators/dashboard.html",
        {
            "team": team,
            "membership": membership,
            # Called by the template only when its cached cards are missing or out of date.
            "cards": functools.partial(selectors.dashboard_cards, team=team),
            "cache_version": selectors.dashboards_version(teams=[team]),
            "notes": selectors.team_review_notes(team=team, limit=3),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The card's inline form: entering (or correcting) the value of a period."""
    membership, indicator = _team_indicator(request, slug, pk)
    if indicator.status != Indicator.Status.ADOPTED:
        raise Http404  # values are entered for adopted indicators only
    form = None  # a computed indicator's card says where its values come from
    if not services.measurement_entry_refusal(indicator=indicator):
        form = MeasurementForm(request.POST or None, indicator=indicator)
    if form is not None and form.is_valid():
        try:
            services.measurement_enter(
                indicator=indicator,
                by=request.user,
                source=Indicator.Source.MANUAL,
                **form.cleaned_data,
            )
        except services.MeasurementRefused as refused:  # retired in the meantime
            messages.error(request, refused.messages[0])
            url = reverse("indicators:detail", args=[slug, pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        if not request.htmx:
            messages.success(request, _("Value saved."))
            return redirect("indicators:dashboard", slug)
        form = None
    card = selectors.dashboard_cards(team=membership.team, indicator_ids=[indicator.pk])[0]
    context = {"team": membership.team, "card": card, "form": form, "membership": membership}
    template = "indicators/dashboard.html#card" if request.htmx else "indicators/measure.html"
    return render(request, template, context)


@login_required
@require_GET
def indicator_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    indicators = selectors.indicators_for_team(team=team)
    return render(
        request,
        "indicators/indicator_list.html",
        {"team": team, "membership": membership, "indicators": indicators},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    # A client's satisfaction criterion arrives prefilled (interviews: "propose an indicator").
    prefill = {k: request.GET[k][:300] for k in ("name", "client_question") if k in request.GET}
    form = IndicatorForm(request.POST or None, team=team, initial=prefill)
    if form.is_valid():
        indicator = services.indicator_propose(
            team=team, proposer=request.user, **form.cleaned_data
        )
        messages.success(request, _("Proposal shared: ask your colleagues what they think."))
        return redirect("indicators:detail", slug, indicator.pk)
    return render(request, "indicators/indicator_form.html", {"team": team, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The proposer or a manager rewrites a proposal during the discussion."""
    membership, indicator = _team_indicator(request, slug, pk)
    if not (membership.is_manager or indicator.proposed_by_id == request.user.pk):
        raise RoleRequired(
            needed=MANAGERS,
            held=membership.role,
            reason=_("Only the person who proposed it or a manager can rewrite a proposal."),
        )
    if indicator.status != Indicator.Status.PROPOSED:
        raise Http404
    target = indicator.targets.first()
    initial = {}
    if target is not None:
        initial = {"target": target.value, "target_low": target.low, "target_high": target.high}
    form = IndicatorForm(
        request.POST or None, instance=indicator, team=membership.team, initial=initial
    )
    if form.is_valid():
        services.indicator_update(indicator=indicator, by=request.user, **form.cleaned_data)
        messages.success(request, _("Proposal updated."))
        return redirect("indicators:detail", slug, pk)
    context = {"team": membership.team, "form": form, "indicator": indicator}
    return render(request, "indicators/indicator_form.html", context)


def _detail_context(request: HttpRequest, membership, indicator: Indicator) -> dict:
    poll = mine = None
    if indicator.status == Indicator.Status.PROPOSED:  # the straw poll shows on proposals
        poll = selectors.poll_result(indicator=indicator)
        mine = indicator.opinions.filter(user=request.user).values_list("choice", flat=True)
        mine = mine.first()
    return {
        "team": membership.team,
        "membership": membership,
        "indicator": indicator,
        "poll": poll,
        "my_choice": mine,
        "min_supporters": selectors.MIN_SUPPORTERS,
        "opinions": indicator.opinions.select_related("user").order_by("choice"),
        "comments": indicator.comments.select_related("author"),
        "comment_form": CommentForm(),
        "target_form": TargetForm(indicator=indicator),
        **selectors.indicator_detail(indicator=indicator),
    }


@login_required
@require_GET
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, indicator = _team_indicator(request, slug, pk)
    context = _detail_context(request, membership, indicator)
    return render(request, "indicators/indicator_detail.html", context)


@login_required
@require_POST
def indicator_opinion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, indicator = _team_indicator(request, slug, pk)
    form = OpinionForm(request.POST)
    try:
        if form.is_valid():
            services.indicator_opinion_set(
                indicator=indicator, user=request.user, choice=form.cleaned_data["choice"]
            )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    if not request.htmx:
        return redirect("indicators:detail", slug, pk)
    context = _detail_context(request, membership, indicator)
    return render(request, "indicators/indicator_detail.html#poll", context)


@login_required
@require_POST
def indicator_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, indicator = _team_indicator(request, slug, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(indicator=indicator, author=request.user, **form.cleaned_data)
        form = CommentForm()
    if not request.htmx:
        return redirect("indicators:detail", slug, pk)
    context = {**_detail_context(request, membership, indicator), "comment_form": form}
    return render(request, "indicators/indicator_detail.html#comments", context)


def _status_change(
    request: HttpRequest, slug: str, pk: int, change: Callable[..., object], done: str
) -> HttpResponse:
    """A manager moves the indicator on (adopt, retire): the outcome, or the refusal, as
    a message on its page."""
    _membership, indicator = _team_indicator(request, slug, pk, roles=MANAGERS)
    try:
        change(indicator=indicator)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("indicators:detail", slug, pk)


@login_required
@require_POST
def indicator_adopt(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    done = _("Adopted: it now has a card on the dashboard.")
    return _status_change(request, slug, pk, services.indicator_adopt, done)


@login_required
@require_POST
def indicator_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    done = _("Retired: its values stay, its card leaves the dashboard.")
    return _status_change(request, slug, pk, services.indicator_retire, done)


@login_required
@require_POST
def indicator_target(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership, indicator = _team_indicator(request, slug, pk, roles=MANAGERS)
    form = TargetForm(request.POST, indicator=indicator)
    if form.is_valid():
        try:
            services.indicator_target_set(indicator=indicator, by=request.user, **form.cleaned_data)
            messages.success(request, _("Target saved."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("indicators:detail", slug, pk)
    context = {**_detail_context(request, membership, indicator), "target_form": form}
    return render(request, "indicators/indicator_detail.html", context)


@login_required
@require_GET
def indicator_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _membership, indicator = _team_indicator(request, slug, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indicator-{indicator.pk}.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(["indicator", "period", "value", "note", "answers", "source"])
    for row in selectors.indicator_export_rows(indicator=indicator):
        cells = [indicator.name, *("" if v is None else v for v in row)]
        writer.writerow(cells)
    return response


def _import_key(team) -> str:
    return f"indicators-import-{team.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: upload and preview. The validated rows wait in the session for step 2."""
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    form = CsvImportForm(request.POST or None, request.FILES or None)
    result = digest = None
    if form.is_valid():
        data = form.cleaned_data["file"].read(imports.MAX_BYTES + 1)
        result = imports.parse_csv(team=team, data=data)
        digest = imports.digest(result.rows) if result.is_valid else None
        stored = {"digest": digest, "rows": result.rows} if digest else None
        request.session[_import_key(team)] = stored
    context = {
        "team": team,
        "form": form,
        "result": result,
        "digest": digest,
        "preview": selectors.import_preview(rows=result.rows) if result else [],
    }
    return render(request, "indicators/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 2: writes the rows of the preview whose digest the form carries."""
    team = membership_get(user=request.user, team_slug=slug).team
    stored = request.session.get(_import_key(team))
    if not isinstance(stored, dict) or not stored.get("rows"):
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("indicators:import", slug)
    if request.POST.get("digest") != stored["digest"]:  # e.g. another file checked in a tab
        messages.error(
            request,
            _("Another file was checked since this preview. Check the file again, then import it."),
        )
        return redirect("indicators:import", slug)
    del request.session[_import_key(team)]
    try:
        count = services.measurements_import(team=team, rows=stored["rows"], by=request.user)
    except services.ImportRefused as refused:
        result = imports.ImportResult(errors=refused.errors)
        context = {"team": team, "form": CsvImportForm(), "result": result, "preview": []}
        return render(request, "indicators/import.html", context)
    messages.success(request, _("%(n)d values imported.") % {"n": count})
    return redirect("indicators:dashboard", slug)


@login_required
@require_http_methods(["GET", "POST"])
def review_notes(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    form = ReviewNoteForm(request.POST or None, team=team)
    if form.is_valid():
        services.review_note_add(team=team, author=request.user, **form.cleaned_data)
        messages.success(request, _("Review note saved."))
        return redirect("indicators:reviews", slug)
    notes = selectors.team_review_notes(team=team, limit=50)
    context = {"team": team, "form": form, "notes": notes, "membership": membership}
    return render(request, "indicators/reviews.html", context)


@login_required
@require_GET
def surveys(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    context = {
        "team": team,
        "membership": membership,
        "surveys": selectors.team_surveys(team=team),
        "form": SurveyForm(team=team),
    }
    return render(request, "indicators/surveys.html", context)


@login_required
@require_POST
def survey_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    team = membership.team
    form = SurveyForm(request.POST, team=team)
    if form.is_valid():
        services.survey_create(team=team, by=request.user, **form.cleaned_data)
        messages.success(request, _("Survey link created. Share it or print its QR code."))
        return redirect("indicators:surveys", slug)
    context = {
        "team": team,
        "membership": membership,
        "surveys": selectors.team_surveys(team=team),
        "form": form,
    }
    return render(request, "indicators/surveys.html", context)


@login_required
@require_GET
def survey_qr(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    survey = get_object_or_404(Survey, team=team, pk=pk)
    url = request.build_absolute_uri(reverse("indicators:survey_public", args=[survey.token]))
    svg = segno.make(url, error="m").svg_inline(scale=6, title=url)
    context = {"team": team, "survey": survey, "svg": svg, "url": url}
    return render(request, "indicators/survey_qr.html", context)


@login_required
@require_POST
def survey_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.survey_close(survey=get_object_or_404(Survey, team=team, pk=pk))
    messages.success(request, _("Survey closed: the link no longer accepts answers."))
    return redirect("indicators:surveys", slug)


def _client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of ours
    (a load balancer), the address the outermost one saw. The rest of X-Forwarded-For
    is the client's to write, so it is never read without that setting."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [address.strip() for address in header.split(",") if address.strip()]
    if trusted <= 0 or not forwarded:
        return remote
    candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _rate_limited(request: HttpRequest, survey: Survey) -> bool:
    limit, window = SURVEY_RATE_LIMIT
    key = f"survey-rate:{survey.pk}:{_client_ip(request)}"
    return services.counter_increment(key=key, timeout=window) > limit


# A respondent's visit: the nonce of their form lives in a cookie of the survey's page
# for a few hours, so a form they come back to (Back, a reload) is the same form, and
# sending it again is recognised as already received.
VISIT_COOKIE = "survey_visit"
VISIT_SECONDS = 6 * 60 * 60


def _visit_salt(token: str) -> str:
    return f"indicators.survey-visit:{token}"


@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """The page a client opens from the link or QR code: no login, no personal data."""
    survey = selectors.survey_get_public(token=token)
    if request.method == "GET" and request.GET.get("again"):
        # Another answer on purpose (another contact, a shared tablet): a new visit.
        response = redirect("indicators:survey_public", token)
        response.delete_cookie(VISIT_COOKIE, path=request.path)
        return response
    visit = request.get_signed_cookie(
        VISIT_COOKIE, default=None, salt=_visit_salt(token), max_age=VISIT_SECONDS
    )
    points = selectors.charter_points_for_linking(team=survey.team) or ()
    form = SurveyAnswerForm(request.POST or None, survey_token=token, points=points, nonce=visit)
    context = {"survey": survey, "form": form}
    if not survey.is_open or survey.indicator.status != Indicator.Status.ADOPTED:
        return render(request, "indicators/survey_public.html", {**context, "closed": True})
    if request.method == "GET":
        if visit and selectors.survey_answer_received(nonce=visit):
            context["duplicate"] = True
        response = render(request, "indicators/survey_public.html", context)
        response.set_signed_cookie(
            VISIT_COOKIE,
            form.initial["nonce"],
            salt=_visit_salt(token),
            max_age=VISIT_SECONDS,
            path=request.path,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    if _rate_limited(request, survey):
        context["error"] = _("Too many answers from this connection. Please try later.")
        return render(request, "indicators/survey_public.html", context, status=429)
    if form.is_valid():
        try:
            services.survey_answer_submit(
                survey=survey,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                nonce=form.cleaned_data["nonce"],
                point_scores=form.point_scores(),
            )
        except services.DuplicateAnswer:
            context["duplicate"] = True
        except services.SurveyClosed:  # retired while the client was answering
            context["closed"] = True
        else:
            context["thanks"] = True
    return render(request, "indicators/survey_public.html", context)


@login_required
@require_GET
def integrations(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    return render(request, "indicators/integrations.html", _integrations_context(membership))


def _integrations_context(membership, **extra) -> dict:
    team = membership.team
    return {
        "team": team,
        "membership": membership,
        "tokens": team.api_tokens.select_related("created_by"),
        "walls": team.wall_links.filter(revoked_at__isnull=True),
        "token_form": ApiTokenForm(),
        **extra,
    }


@login_required
@require_POST
def api_token_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    form = ApiTokenForm(request.POST)
    extra = {"token_form": form}
    if form.is_valid():
        _token, raw = services.api_token_create(
            team=membership.team, name=form.cleaned_data["name"], by=request.user
        )
        extra = {"new_token": raw}  # shown once, never stored in clear
    context = _integrations_context(membership, **extra)
    return render(request, "indicators/integrations.html", context)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.api_token_revoke(token=get_object_or_404(ApiToken, team=team, pk=pk))
    messages.success(request, _("Token revoked: it no longer opens the API."))
    return redirect("indicators:integrations", slug)


@login_required
@require_POST
def wall_link_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.wall_link_create(team=team, by=request.user)
    messages.success(request, _("Wall-screen link created."))
    return redirect("indicators:integrations", slug)


@login_required
@require_POST
def wall_link_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.wall_link_revoke(link=get_object_or_404(WallLink, team=team, pk=pk))
    messages.success(request, _("Wall-screen link revoked."))
    return redirect("indicators:integrations", slug)


@require_GET
def wall(request: HttpRequest, token: str) -> HttpResponse:
    """Read-only dashboard for a wall screen; it reloads itself (by script, js/wall.js)."""
    team = selectors.wall_link_get(token=token).team
    team_time_activate(team=team)  # the team's clock, not the server's
    context = {
        "team": team,
        "now": timezone.now(),
        "cards": selectors.dashboard_cards(team=team),
        "refresh": WALL_REFRESH_SECONDS,
        "read_only": True,
    }
    return render(request, "indicators/wall.html", context)


def _id_param(request: HttpRequest, name: str) -> int | None:
    """A database id from the query string, or None for anything else: "²" is a digit
    for str.isdigit() but not for int(), and ids are positive 64-bit integers."""
    raw = request.GET.get(name, "")
    if not (raw.isascii() and raw.isdecimal()):
        return None
    value = int(raw)
    return value if 0 < value < 2**63 else None


@dataclass
class LeadRowView:
    team: Team
    stale_count: int
    worst: int
    chips: str


LEAD_ROW_SECONDS = 60 * 60 * 24


def _lead_row_key(team_id: int, state: tuple[int, date], language: str) -> str:
    version, day = state
    return f"lead-row:{team_id}:{version}:{day}:{language}"


def _lead_rows(*, teams: list[Team], states: dict[int, tuple[int, date]]) -> list[LeadRowView]:
    """The rows of the lead dashboard, each team's chips cached on their own under the
    team's state (selectors.team_states): after a value arrives in one team, only that
    team's row is computed again, not the thousands of chips of the others."""
    language = translation.get_language()
    keys = {t.pk: _lead_row_key(t.pk, states[t.pk], language) for t in teams}
    found = cache.get_many(list(keys.values()))
    missing = [t for t in teams if keys[t.pk] not in found]
    if missing:
        days = {team_id: day for team_id, (_version, day) in states.items()}
        fresh = {
            # Not the team's name (part of the order): it may change without the team's
            # data changing.
            keys[row.team.pk]: (row.stale_count, row.worst, str(lead_chips(row.cards)))
            for row in selectors.lead_dashboard(teams=missing, days=days)
        }
        cache.set_many(fresh, timeout=LEAD_ROW_SECONDS)
        found.update(fresh)
    rows = []
    for team in teams:
        stale_count, worst, chips = found[keys[team.pk]]
        rows.append(LeadRowView(team, stale_count, worst, mark_safe(chips)))  # noqa: S308
    return sorted(rows, key=selectors.lead_row_order)


@login_required
@require_GET
def lead_dashboard(request: HttpRequest) -> HttpResponse:
    department_id = _id_param(request, "department")
    teams = list(selectors.lead_teams(user=request.user, department_id=department_id))
    states = selectors.team_states(teams=teams)  # read once for the table and its rows
    context = {
        # Called by the template only when its cached table is missing or out of date.
        "rows": functools.partial(_lead_rows, teams=teams, states=states),
        "cache_version": selectors.dashboards_version(teams=teams, states=states),
        "departments": selectors.lead_departments(user=request.user),
        "department_id": department_id,
        # What the apps above add (coaching across teams): indicators/hooks.py.
        "sections": [section(request, teams=teams) for section in hooks.lead_sections()],
    }
    return render(request, "indicators/lead_dashboard.html", context)
