from tests.access import EVERY_MEMBER, MANAGERS_ONLY, Case, post, statuses, team_kwargs
from tests.charter.conftest import make_published

from .factories import GuideQuestionFactory, HighlightFactory, InterviewFactory, StakeholderFactory

EVERYONE_REDIRECTED = statuses(member=302, lead=302, manager=302)
MANAGERS_REDIRECTED = statuses(member=403, lead=403, manager=302)


def _interview(w):
    interview = InterviewFactory(team=w.team, interviewer=w.member)
    GuideQuestionFactory(guide=interview.guide, position=1)
    return {**team_kwargs(w), "pk": interview.pk}


def _stakeholder(w):
    return {**team_kwargs(w), "pk": StakeholderFactory(team=w.team).pk}


def _highlight(w):
    highlight = HighlightFactory(interview__team=w.team)
    return {**team_kwargs(w), "pk": highlight.interview_id, "highlight_pk": highlight.pk}


def _point(w):
    version = make_published(w.team, w.manager)
    return {**team_kwargs(w), "lineage": version.points.first().lineage}


CASES = {
    "interviews:home": Case(kwargs=team_kwargs),
    "interviews:stakeholder_create": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "interviews:stakeholder": Case(kwargs=_stakeholder),
    # Personal data leaves the team, or is erased, at a manager's hand only.
    "interviews:stakeholder_export": Case(kwargs=_stakeholder, expected=MANAGERS_ONLY),
    "interviews:stakeholder_erase": Case(
        kwargs=_stakeholder, method="post", expected=MANAGERS_REDIRECTED
    ),
    "interviews:followup": Case(kwargs=_stakeholder, also=post(EVERY_MEMBER)),
    "interviews:plan": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "interviews:interview": Case(kwargs=_interview),
    "interviews:interview_ics": Case(kwargs=_interview),
    "interviews:run": Case(kwargs=_interview),
    "interviews:start": Case(kwargs=_interview, method="post", expected=EVERYONE_REDIRECTED),
    "interviews:note": Case(
        kwargs=_interview,
        method="post",
        data=lambda w: {"position": 1, "body": "Called twice"},
        expected=EVERYONE_REDIRECTED,
    ),
    "interviews:quote": Case(
        kwargs=_interview,
        method="post",
        data=lambda w: {"position": 1, "text": "Nobody told me"},
        expected=EVERYONE_REDIRECTED,
    ),
    "interviews:finish": Case(kwargs=_interview, method="post", expected=EVERYONE_REDIRECTED),
    "interviews:highlight_tag": Case(
        kwargs=_highlight,
        method="post",
        data=lambda w: {"h-tone": "need"},
        expected=EVERY_MEMBER,
    ),
    "interviews:criterion_add": Case(
        kwargs=_interview,
        method="post",
        data=lambda w: {"text": "Answers within the day"},
        expected=EVERYONE_REDIRECTED,
    ),
    "interviews:guides": Case(kwargs=team_kwargs, also=post(EVERYONE_REDIRECTED)),
    "interviews:guide_create": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "interviews:beliefs": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "interviews:synthesis": Case(kwargs=team_kwargs),
    "interviews:point": Case(kwargs=_point),
    "interviews:settings": Case(
        kwargs=team_kwargs,
        method="post",
        data=lambda w: {"evidence_days": 60},
        expected=MANAGERS_REDIRECTED,
    ),
}
