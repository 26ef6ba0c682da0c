from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.models import OPTIONAL_KINDS
from teams.models import Membership
from teams.selectors import LEADS_AND_MANAGERS, MANAGERS, RoleRequired, membership_get

from . import ical, selectors, services
from .forms import (
    AgendaItemForm,
    MeetingForm,
    MinutesForm,
    OccurrenceMoveForm,
    ReminderPreferencesForm,
)
from .models import Occurrence


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("meetings:feed", args=[token]))


@login_required
@require_GET
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    feed = services.calendar_feed_get(team=team)
    return render(
        request,
        "meetings/list.html",
        {
            "team": team,
            "membership": membership,
            "series": selectors.team_series(team=team),
            "upcoming": selectors.team_upcoming(team=team),
            "history": selectors.team_history(team=team)[:5],
            "feed_url": _feed_url(request, feed.token),
        },
    )


@login_required
@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    page = Paginator(selectors.team_history(team=membership.team), 20).get_page(
        request.GET.get("page")
    )
    template = "meetings/history.html#history" if request.htmx else "meetings/history.html"
    return render(request, template, {"team": membership.team, "page": page})


def _meeting_form_page(request: HttpRequest, membership: Membership, meeting=None) -> HttpResponse:
    team = membership.team
    initial = MeetingForm.initial_for(meeting) if meeting else None
    form = MeetingForm(request.POST or None, team=team, initial=initial)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        if meeting is None:
            meeting = services.meeting_schedule(team=team, created_by=request.user, **data)
            messages.success(request, _("Meeting scheduled. Participants get an invitation."))
        else:
            meeting = services.meeting_update(meeting=meeting, **data)
            messages.success(request, _("Series updated. Participants get the new dates."))
        return redirect("meetings:list", team.slug)
    context = {"team": team, "form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    return _meeting_form_page(request, membership)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    meeting = selectors.meeting_get(team=membership.team, pk=pk)
    if meeting.is_cancelled:
        messages.error(request, _("This series is cancelled."))
        return redirect("meetings:list", slug)
    return _meeting_form_page(request, membership, meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    meeting = selectors.meeting_get(team=team, pk=pk)
    if request.method == "POST":
        services.meeting_cancel(meeting=meeting)
        messages.success(request, _("Every coming meeting of the series is cancelled."))
        return redirect("meetings:list", slug)
    return render(request, "meetings/confirm.html", {"team": team, "meeting": meeting})


def _occurrence_context(
    membership: Membership, occurrence: Occurrence, **forms_
) -> dict[str, object]:
    people = services.meeting_participants(meeting=occurrence.meeting)
    attendee_ids = [p.pk for p in occurrence.attendees.all()]
    minutes_initial = {
        "where_we_stand": occurrence.where_we_stand,
        "what_works": occurrence.what_works,
        "holding_back": occurrence.holding_back,
        "decisions": occurrence.decisions,
        "attendees": attendee_ids,
    }
    return {
        "team": membership.team,
        "membership": membership,
        "occurrence": occurrence,
        "meeting": occurrence.meeting,
        "agenda": selectors.agenda_for(occurrence=occurrence),
        "item_form": forms_.get("item_form") or AgendaItemForm(),
        "minutes_form": forms_.get("minutes_form")
        or MinutesForm(people=people, initial=minutes_initial),
        "people": people,
        "attendee_ids": attendee_ids,
        "can_send_minutes": membership.role in LEADS_AND_MANAGERS,
    }


@login_required
@require_GET
def occurrence_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    occurrence = selectors.occurrence_get(team=membership.team, pk=pk)
    return render(request, "meetings/occurrence.html", _occurrence_context(membership, occurrence))


def _fragment(
    request: HttpRequest, membership: Membership, occurrence: Occurrence, name: str, **forms_
) -> HttpResponse:
    if not request.htmx and not forms_:
        return redirect("meetings:occurrence", membership.team.slug, occurrence.pk)
    template = f"meetings/occurrence.html#{name}" if request.htmx else "meetings/occurrence.html"
    return render(request, template, _occurrence_context(membership, occurrence, **forms_))


@login_required
@require_POST
def item_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    occurrence = selectors.occurrence_get(team=membership.team, pk=pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return _fragment(request, membership, occurrence, "agenda", item_form=form)
    services.agenda_item_add(
        occurrence=occurrence, author=request.user, text=form.cleaned_data["text"]
    )
    return _fragment(request, membership, occurrence, "agenda")


@login_required
@require_POST
def item_delete(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    occurrence = selectors.occurrence_get(team=membership.team, pk=pk)
    item = get_object_or_404(occurrence.items, pk=item_pk)
    if item.author_id != request.user.pk and not membership.is_manager:
        raise RoleRequired(
            needed=MANAGERS,
            held=membership.role,
            reason=_("Only the person who added the item or a manager can remove it."),
        )
    services.agenda_item_delete(item=item)
    return _fragment(request, membership, occurrence, "agenda")


@login_required
@require_POST
def minutes_save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    occurrence = selectors.occurrence_get(team=membership.team, pk=pk)
    people = services.meeting_participants(meeting=occurrence.meeting)
    form = MinutesForm(request.POST, people=people)
    if not form.is_valid():
        return _fragment(request, membership, occurrence, "minutes", minutes_form=form)
    services.minutes_save(occurrence=occurrence, **form.cleaned_data)
    messages.success(request, _("Minutes saved."))
    return _fragment(request, membership, occurrence, "minutes")


@login_required
@require_POST
def minutes_send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=LEADS_AND_MANAGERS)
    occurrence = selectors.occurrence_get(team=membership.team, pk=pk)
    correction = occurrence.minutes_changed_since_sent
    if not occurrence.minutes_to_send:
        messages.info(request, _("The minutes were already sent."))
    elif not occurrence.has_minutes:
        messages.error(request, _("Write the minutes before sending them."))
    else:
        count = services.minutes_send(occurrence=occurrence)
        if correction:
            message = _("Corrected minutes sent to %(n)s participants.")
        else:
            message = _("Minutes sent to %(n)s participants.")
        messages.success(request, message % {"n": count})
    return _fragment(request, membership, occurrence, "minutes")


@login_required
@require_http_methods(["GET", "POST"])
def occurrence_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    occurrence = selectors.occurrence_get(team=team, pk=pk)
    form = OccurrenceMoveForm(request.POST or None, occurrence=occurrence)
    if form.is_valid():
        services.occurrence_move(
            occurrence=occurrence,
            starts_at=form.cleaned_data["starts_at"],
            duration_minutes=form.cleaned_data["duration_minutes"],
        )
        messages.success(request, _("Meeting moved. Participants get the new time."))
        return redirect("meetings:occurrence", slug, occurrence.pk)
    context = {"team": team, "occurrence": occurrence, "form": form}
    return render(request, "meetings/occurrence_move.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def occurrence_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    occurrence = selectors.occurrence_get(team=team, pk=pk)
    if request.method == "POST":
        services.occurrence_cancel(occurrence=occurrence)
        messages.success(request, _("Meeting cancelled. Participants are told."))
        return redirect("meetings:occurrence", slug, occurrence.pk)
    return render(request, "meetings/confirm.html", {"team": team, "occurrence": occurrence})


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def occurrence_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug).team
    occurrence = selectors.occurrence_get(team=team, pk=pk)
    body = ical.calendar([occurrence], name=occurrence.meeting.title)
    return _ics_response(body, f"meeting-{occurrence.pk}.ics")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A team's or a person's calendar: public, the secret token is the credential."""
    calendar_feed = selectors.feed_by_token(token=token)
    name = calendar_feed.team.name if calendar_feed.team_id else _("My steering meetings")
    occurrences = selectors.feed_occurrences(feed=calendar_feed)
    return _ics_response(ical.calendar(occurrences, name=str(name)), "cocharter.ics")


@login_required
@require_POST
def team_feed_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    services.calendar_feed_regenerate(team=team)
    messages.success(request, _("New calendar address created: the old one no longer works."))
    return redirect("meetings:list", slug)


@login_required
@require_http_methods(["GET", "POST"])
def my_reminders(request: HttpRequest) -> HttpResponse:
    disabled = notification_selectors.disabled_kinds(user=request.user)
    initial = {"enabled": [k.value for k in OPTIONAL_KINDS if k not in disabled]}
    form = ReminderPreferencesForm(request.POST or None, initial=initial)
    if form.is_valid():
        notification_services.reminder_preferences_save(
            user=request.user, enabled_kinds=form.cleaned_data["enabled"]
        )
        messages.success(request, _("Your reminder settings are saved."))
        if not request.htmx:
            return redirect("meetings:my_reminders")
        disabled = notification_selectors.disabled_kinds(user=request.user)
    feed = services.calendar_feed_get(user=request.user)
    context = {
        "form": form,
        "reminders": selectors.upcoming_for_user(user=request.user),
        "disabled": disabled,
        "feed_url": _feed_url(request, feed.token),
    }
    template = (
        "meetings/my_reminders.html#preferences" if request.htmx else "meetings/my_reminders.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def my_feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_regenerate(user=request.user)
    messages.success(request, _("New calendar address created: the old one no longer works."))
    return redirect("meetings:my_reminders")
