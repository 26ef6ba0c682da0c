"""Pages that show a form only in some state (a workshop at a given step, a proposal, a
gap-analysis meeting with answers): tests/test_form_fuzz.py opens them too. Each scene
takes the test world, sets the state up and returns (role, url)."""

from django.urls import reverse

from charter.models import Step
from improvement.models import Question
from improvement.models import Step as GapStep
from indicators.models import Indicator
from tests.charter.conftest import make_workshop, put_keywords
from tests.coaching.factories import OneToOneFactory, answered, make_objective
from tests.improvement.factories import GapAnswerFactory, GapMeetingFactory
from tests.indicators.factories import IndicatorFactory
from tests.interviews.factories import HighlightFactory


def _workshop(w, step, page: str, role: str = "manager"):
    workshop = make_workshop(w.team, w.manager, step=step)
    items = put_keywords(workshop, "Patient", "Honest", "Helpful")
    for item in items[:2]:
        item.selected = True
        item.save()
    return role, reverse(f"charter:{page}", args=[w.team.slug, workshop.pk])


def _gap(w, step, page: str):
    meeting = GapMeetingFactory(team=w.team, facilitator=w.manager, step=step)
    for question in (Question.BENEFIT, Question.ACTIONS):
        GapAnswerFactory(meeting=meeting, question=question, author=w.member)
    return "manager", reverse(f"improvement:{page}", args=[w.team.slug, meeting.pk])


def _proposal(w):
    proposal = IndicatorFactory(team=w.team, status=Indicator.Status.PROPOSED, proposed_by=w.member)
    return "member", reverse("indicators:detail", args=[w.team.slug, proposal.pk])


def _one_to_one_for_the_member(w):
    talk = OneToOneFactory(team=w.team, manager=w.manager, member=w.member)
    return "member", reverse("coaching:one_to_one", args=[w.team.slug, talk.pk])


def _objective_for_the_member(w):
    talk = answered(OneToOneFactory(team=w.team, manager=w.manager, member=w.member))
    objective = make_objective(talk)
    return "member", reverse("coaching:objective", args=[w.team.slug, objective.pk])


def _quote(w):
    highlight = HighlightFactory(interview__team=w.team, interview__interviewer=w.member)
    return "member", reverse("interviews:interview", args=[w.team.slug, highlight.interview_id])


SCENES = {
    "workshop at its propose step": lambda w: _workshop(w, Step.PROPOSE, "workshop", "member"),
    "workshop run at its propose step": lambda w: _workshop(w, Step.PROPOSE, "workshop_run"),
    "workshop run at its select step": lambda w: _workshop(w, Step.SELECT, "workshop_run"),
    "workshop at its draft step": lambda w: _workshop(w, Step.DRAFT, "workshop", "member"),
    "workshop run at its draft step": lambda w: _workshop(w, Step.DRAFT, "workshop_run"),
    "gap meeting facilitated at its actions": lambda w: _gap(w, GapStep.ACTIONS, "gap_facilitate"),
    "gap meeting facilitated at its wrap-up": lambda w: _gap(w, GapStep.WRAPUP, "gap_facilitate"),
    "an indicator still proposed": _proposal,
    # allauth's pages are outside the access matrix; its sign-in form is ours (ACCOUNT_FORMS).
    "the sign-in page": lambda w: ("anonymous", reverse("account_login")),
    "a one-to-one the member answers": _one_to_one_for_the_member,
    "an objective the member has to accept": _objective_for_the_member,
    "an interview with a quote to tag": _quote,
}
