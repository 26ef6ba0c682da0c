from charter.models import Step
from tests.access import EVERY_MEMBER, MANAGERS_ONLY, PUBLIC, Case, post, statuses, team_kwargs

from .conftest import make_published, make_workshop, put_keywords

MEMBERS_POST = statuses(member=302, lead=302, manager=302)
MANAGER_POST = statuses(member=403, lead=403, manager=302)


def _at(step):
    def kwargs(w):
        workshop = make_workshop(w.team, w.manager, step=step)
        w.items = put_keywords(workshop, "Patient", "Honest")
        w.workshop = workshop
        return {**team_kwargs(w), "pk": workshop.pk}

    return kwargs


def _published(w):
    w.version = make_published(w.team, w.manager)
    return team_kwargs(w)


def _token(w):
    from charter import services

    make_published(w.team, w.manager)
    return {"token": services.charter_share(team=w.team, enable=True).share_token}


def _item(w):
    return {"keyword": w.items[0].pk}


CASES = {
    "charter:observations": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "charter:observation_create": Case(
        kwargs=team_kwargs, expected=EVERY_MEMBER, also=post(EVERY_MEMBER)
    ),
    "charter:workshops": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "charter:workshop_create": Case(
        kwargs=team_kwargs, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)
    ),
    "charter:workshop": Case(kwargs=_at(Step.VOTE), expected=EVERY_MEMBER),
    "charter:workshop_run": Case(kwargs=_at(Step.VOTE), expected=MANAGERS_ONLY),
    "charter:workshop_present": Case(kwargs=_at(Step.VOTE), expected=MANAGERS_ONLY),
    "charter:workshop_short": Case(
        kwargs=lambda w: {"pk": _at(Step.OBSERVE)(w)["pk"]},
        expected=statuses(member=302, lead=302, manager=302),
    ),
    "charter:workshop_join": Case(kwargs=_at(Step.OBSERVE), method="post", expected=MEMBERS_POST),
    "charter:workshop_done": Case(
        kwargs=_at(Step.OBSERVE), method="post", data=lambda w: {"done": "1"}, expected=MEMBERS_POST
    ),
    "charter:keyword_propose": Case(
        kwargs=_at(Step.PROPOSE),
        method="post",
        data=lambda w: {"text": "Friendly"},
        expected=MEMBERS_POST,
    ),
    "charter:vote": Case(kwargs=_at(Step.VOTE), method="post", data=_item, expected=MEMBERS_POST),
    "charter:statement_propose": Case(
        kwargs=_at(Step.DRAFT),
        method="post",
        data=lambda w: {"keyword": w.items[0].pk, "text": "x"},
        # Invalid (nothing selected): the form comes back with its errors.
        expected=statuses(member=200, lead=200, manager=200),
    ),
    "charter:statement_endorse": Case(
        kwargs=_at(Step.DRAFT),
        method="post",
        data=lambda w: {"proposal": 0},
        # An unknown proposal is refused with a message on the page.
        expected=statuses(member=200, lead=200, manager=200),
    ),
    "charter:workshop_step": Case(
        kwargs=_at(Step.OBSERVE),
        method="post",
        data=lambda w: {"from": 1, "to": 2},
        expected=MANAGER_POST,
    ),
    "charter:workshop_timer": Case(
        kwargs=_at(Step.VOTE),
        method="post",
        data=lambda w: {"action": "start"},
        expected=MANAGER_POST,
    ),
    "charter:workshop_rules": Case(
        kwargs=_at(Step.VOTE),
        method="post",
        data=lambda w: {"dots_per_person": 5, "max_dots_per_keyword": 2},
        expected=MANAGER_POST,
    ),
    "charter:workshop_reveal": Case(kwargs=_at(Step.VOTE), method="post", expected=MANAGER_POST),
    "charter:keyword_merge": Case(
        kwargs=_at(Step.PROPOSE),
        method="post",
        data=lambda w: {"source": w.items[0].pk, "target": w.items[1].pk},
        expected=MANAGER_POST,
    ),
    "charter:keywords_select": Case(
        kwargs=_at(Step.SELECT),
        method="post",
        # One keyword is fewer than the method suggests: confirmed, so it goes through.
        data=lambda w: {**_item(w), "confirm": "fewer"},
        expected=MANAGER_POST,
    ),
    "charter:point_set": Case(
        kwargs=_at(Step.DRAFT),
        method="post",
        data=lambda w: {"keyword": w.items[0].pk, "statement": "", "coaching_question": ""},
        expected=statuses(member=403, lead=403, manager=200),
    ),
    "charter:point_move": Case(
        kwargs=_at(Step.DRAFT),
        method="post",
        # The keyword is not selected: refused with a message on the facilitator's page.
        data=lambda w: {**_item(w), "direction": "up"},
        expected=statuses(member=403, lead=403, manager=200),
    ),
    "charter:publish": Case(kwargs=_at(Step.PUBLISH), method="post", expected=MANAGER_POST),
    "charter:workshop_export": Case(
        kwargs=lambda w: {**_at(Step.VOTE)(w), "fmt": "csv"}, expected=EVERY_MEMBER
    ),
    "charter:charter": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "charter:charter_diff": Case(kwargs=_published, expected=EVERY_MEMBER),
    "charter:charter_present": Case(kwargs=_published, expected=EVERY_MEMBER),
    "charter:charter_share": Case(kwargs=team_kwargs, method="post", expected=MANAGER_POST),
    "charter:charter_endorse": Case(
        kwargs=lambda w: {**_published(w), "number": w.version.number},
        method="post",
        expected=MEMBERS_POST,
    ),
    "charter:public": Case(kwargs=_token, expected=PUBLIC),
}
