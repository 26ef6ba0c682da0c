"""The coaching app's URLs in the access matrix. One-to-ones and objectives are private
to their two people (the world's manager and member): the lead gets 404 like an
outsider, and an action that is the other person's gets 403."""

import datetime

from tests.access import MANAGERS_ONLY, Case, post, statuses, team_kwargs

from .factories import OneToOneFactory, answered, make_objective

PARTIES = statuses(lead=404)
PARTIES_REDIRECTED = statuses(member=302, lead=404, manager=302)
MEMBER_REDIRECTED = statuses(member=302, lead=404, manager=403)
MANAGER_REDIRECTED = statuses(member=403, lead=404, manager=302)


def _talk(w):
    talk = answered(OneToOneFactory(team=w.team, manager=w.manager, member=w.member))
    return {**team_kwargs(w), "pk": talk.pk}


def _objective(w):
    talk = answered(OneToOneFactory(team=w.team, manager=w.manager, member=w.member))
    return {**team_kwargs(w), "pk": make_objective(talk).pk}


def _soon() -> str:
    return (datetime.date.today() + datetime.timedelta(days=14)).isoformat()


CASES = {
    "coaching:home": Case(kwargs=team_kwargs),
    "coaching:start": Case(kwargs=team_kwargs, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)),
    "coaching:one_to_one": Case(kwargs=_talk, expected=PARTIES),
    "coaching:answer": Case(
        kwargs=_talk,
        method="post",
        data=lambda w: {"client_view": "Answered the same day"},
        expected=MEMBER_REDIRECTED,
    ),
    "coaching:fact": Case(
        kwargs=_talk,
        method="post",
        data=lambda w: {"text": "Two complaints about tone"},
        expected=MANAGER_REDIRECTED,
    ),
    "coaching:note": Case(
        kwargs=_talk,
        method="post",
        data=lambda w: {"body": "Good talk"},
        expected=PARTIES_REDIRECTED,
    ),
    "coaching:next": Case(
        kwargs=_talk,
        method="post",
        data=lambda w: {"next_on": _soon()},
        expected=PARTIES_REDIRECTED,
    ),
    "coaching:objective_new": Case(kwargs=_talk, expected=PARTIES, also=post(PARTIES)),
    "coaching:objective": Case(kwargs=_objective, expected=PARTIES),
    "coaching:objective_edit": Case(kwargs=_objective, expected=PARTIES, also=post(PARTIES)),
    "coaching:objective_accept": Case(
        kwargs=_objective,
        method="post",
        data=lambda w: {"number": "1"},
        expected=PARTIES_REDIRECTED,
    ),
    "coaching:progress": Case(
        kwargs=_objective,
        method="post",
        data=lambda w: {"status": "on_track", "body": "Better"},
        expected=PARTIES_REDIRECTED,
    ),
}
