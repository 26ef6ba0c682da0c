from tests.access import (
    EVERY_MEMBER,
    LEADS_AND_MANAGERS,
    MANAGERS_ONLY,
    PUBLIC,
    Case,
    post,
    statuses,
    team_kwargs,
)

from .factories import first_occurrence, weekly_meeting

SIGNED_IN = statuses(outsider=200)
MANAGER_POST = statuses(member=403, lead=403, manager=302)


def _with_meeting(w):
    return {**team_kwargs(w), "pk": weekly_meeting(w.team).pk}


def _with_occurrence(w):
    return {**team_kwargs(w), "pk": first_occurrence(weekly_meeting(w.team)).pk}


def _with_item(w):
    from meetings.services import agenda_item_add

    occurrence = first_occurrence(weekly_meeting(w.team))
    item = agenda_item_add(occurrence=occurrence, author=w.manager, text="Budget")
    return {**team_kwargs(w), "pk": occurrence.pk, "item_pk": item.pk}


def _with_minutes(w):
    from meetings.services import minutes_save

    occurrence = first_occurrence(weekly_meeting(w.team))
    minutes_save(
        occurrence=occurrence,
        where_we_stand="On track",
        what_works="",
        holding_back="",
        decisions="",
        attendees=[],
    )
    return {**team_kwargs(w), "pk": occurrence.pk}


def _feed(w):
    from meetings.services import calendar_feed_get

    return {"token": calendar_feed_get(team=w.team).token}


CASES = {
    "meetings:list": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "meetings:history": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "meetings:create": Case(kwargs=team_kwargs, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)),
    "meetings:edit": Case(kwargs=_with_meeting, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)),
    "meetings:cancel": Case(kwargs=_with_meeting, expected=MANAGERS_ONLY, also=post(MANAGER_POST)),
    "meetings:team_feed_regenerate": Case(kwargs=team_kwargs, method="post", expected=MANAGER_POST),
    "meetings:occurrence": Case(kwargs=_with_occurrence, expected=EVERY_MEMBER),
    "meetings:occurrence_ics": Case(kwargs=_with_occurrence, expected=EVERY_MEMBER),
    "meetings:item_add": Case(
        kwargs=_with_occurrence,
        method="post",
        data=lambda w: {"text": "Our survey results"},
        expected=statuses(member=302, lead=302, manager=302),
    ),
    # Only the author (here the manager) or a manager may remove an item.
    "meetings:item_delete": Case(kwargs=_with_item, method="post", expected=MANAGER_POST),
    "meetings:minutes": Case(
        kwargs=_with_occurrence,
        method="post",
        data=lambda w: {"where_we_stand": "Better"},
        expected=statuses(member=302, lead=302, manager=302),
    ),
    "meetings:minutes_send": Case(
        kwargs=_with_minutes,
        method="post",
        expected={**LEADS_AND_MANAGERS, "lead": 302, "manager": 302},
    ),
    "meetings:move": Case(
        kwargs=_with_occurrence, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)
    ),
    "meetings:occurrence_cancel": Case(
        kwargs=_with_occurrence, expected=MANAGERS_ONLY, also=post(MANAGER_POST)
    ),
    # Public: the unguessable token is the credential (calendar apps cannot log in).
    "meetings:feed": Case(kwargs=_feed, expected=PUBLIC),
    "meetings:my_reminders": Case(expected=SIGNED_IN, also=post(SIGNED_IN)),
    "meetings:my_feed_regenerate": Case(
        method="post", expected=statuses(outsider=302, member=302, lead=302, manager=302)
    ),
}
