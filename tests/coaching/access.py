"""The coaching app's URLs in the access matrix. One-to-ones and objectives are private
to their two people (the world's manager and member): the lead gets 404 like an
outsider, and an action that is the other person's gets 403."""

import datetime

from coaching.models import Situation
from tests.access import LEADS_AND_MANAGERS, MANAGERS_ONLY, Case, post, statuses, team_kwargs

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


def _org(w):
    return {"org_slug": w.team.organisation.slug}


def _own_situation(w):
    situation = Situation.objects.create(
        organisation=w.team.organisation, title="Late answers", setting="What now?"
    )
    return {**_org(w), "pk": situation.pk}


ORG_ADMIN_ONLY = statuses(member=403, lead=403)

CASES.update(
    {
        "coaching:practice": Case(kwargs=team_kwargs, expected=LEADS_AND_MANAGERS),
        "coaching:situation": Case(
            kwargs=lambda w: {**team_kwargs(w), "key": "tone"},
            expected=LEADS_AND_MANAGERS,
            also=post(LEADS_AND_MANAGERS, lambda w: {"choice": "3"}),
        ),
        "coaching:situations": Case(
            kwargs=_org, expected=ORG_ADMIN_ONLY, also=post(ORG_ADMIN_ONLY)
        ),
        "coaching:situation_retire": Case(
            kwargs=_own_situation,
            method="post",
            expected=statuses(member=403, lead=403, manager=302),
        ),
    }
)

CASES.update(
    {
        "coaching:log": Case(
            kwargs=team_kwargs, expected=LEADS_AND_MANAGERS, also=post(LEADS_AND_MANAGERS)
        ),
        "coaching:feedback": Case(kwargs=team_kwargs, also=post(statuses())),
        "coaching:leaders": Case(kwargs=_org, expected=ORG_ADMIN_ONLY),
    }
)

CASES["coaching:across"] = Case(expected=statuses(outsider=200))
