"""Writes of the coaching app. Every change of an objective's wording is a new revision;
acceptances are recorded on a revision, so "agreed" always means the same wording."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from charter.models import CharterPoint, Observation
from indicators.models import Indicator
from teams.models import Membership, Organisation, Team

from .models import (
    CoachingMoment,
    Fact,
    Measure,
    ModellingFeedback,
    Note,
    Objective,
    ObjectiveRevision,
    OneToOne,
    PracticeAttempt,
    ProgressNote,
    Situation,
    SituationResponse,
)

WORDING_FIELDS = (
    "statement",
    "measure",
    "unit",
    "direction",
    "target",
    "frequency",
    "indicator",
    "point",
    "review_on",
)
# Which fields each way of measuring needs, and the ones it leaves empty.
MEASURE_NEEDS = {
    Measure.PERSONAL: ("unit", "direction", "target", "frequency"),
    Measure.INDICATOR: ("indicator",),
    Measure.POINT: ("point",),
}


def wording_problems(data: dict) -> dict[str, str]:
    """What an objective's wording lacks for its way of measuring, by field."""
    needs = MEASURE_NEEDS.get(data.get("measure"), ())
    return {
        name: _("Needed for this way of measuring.")
        for name in needs
        if data.get(name) in (None, "")
    }


def _clean_wording(data: dict) -> dict:
    wording = {name: data.get(name) for name in WORDING_FIELDS}
    needs = MEASURE_NEEDS[wording["measure"]]
    for name in ("unit", "direction", "frequency"):
        if name not in needs:
            wording[name] = ""
    for name in ("target", "indicator", "point"):
        if name not in needs:
            wording[name] = None
    return wording


def _role_in(objective_or_talk, user: User) -> str:
    if user.pk == objective_or_talk.manager_id:
        return "manager"
    if user.pk == objective_or_talk.member_id:
        return "member"
    raise ValidationError(_("Only the two people of this conversation can do this."))


# One-to-ones --------------------------------------------------------------------------


@transaction.atomic
def one_to_one_start(*, team: Team, manager: User, member: User, held_on: date) -> OneToOne:
    """Opens a one-to-one of a manager with one member of the team."""
    if member.pk == manager.pk:
        raise ValidationError(_("A one-to-one is with someone else."))
    if not Membership.objects.filter(team=team, user=member).exists():
        raise ValidationError(_("This person is not in the team."))
    return OneToOne.objects.create(team=team, manager=manager, member=member, held_on=held_on)


def one_to_one_answer(*, one_to_one: OneToOne, by: User, client_view: str) -> OneToOne:
    """The member's answer to the client-side question, which starts the conversation."""
    if by.pk != one_to_one.member_id:
        raise ValidationError(_("The member answers this question, in their own words."))
    one_to_one.client_view = client_view.strip()
    if one_to_one.client_view_at is None:
        one_to_one.client_view_at = timezone.now()
    one_to_one.save(update_fields=["client_view", "client_view_at"])
    return one_to_one


def fact_add(
    *,
    one_to_one: OneToOne,
    by: User,
    text: str = "",
    observation: Observation | None = None,
    indicator: Indicator | None = None,
    value: Decimal | None = None,
) -> Fact:
    """A fact the manager brings: what was observed (in words, or one of the team's
    observations), or an indicator's value."""
    if by.pk != one_to_one.manager_id:
        raise ValidationError(_("The manager brings the facts."))
    if observation is not None and observation.team_id != one_to_one.team_id:
        raise ValidationError(_("This observation is not of the team."))
    return Fact.objects.create(
        one_to_one=one_to_one,
        text=text,
        observation=observation,
        indicator=indicator,
        value=value,
        added_by=by,
    )


def note_add(*, one_to_one: OneToOne, author: User, body: str, private: bool = False) -> Note:
    _role_in(one_to_one, author)
    return Note.objects.create(one_to_one=one_to_one, author=author, body=body, private=private)


def one_to_one_plan_next(*, one_to_one: OneToOne, by: User, next_on: date) -> OneToOne:
    """Plans the follow-up conversation."""
    _role_in(one_to_one, by)
    one_to_one.next_on = next_on
    one_to_one.save(update_fields=["next_on"])
    return one_to_one


# Objectives ---------------------------------------------------------------------------


def _accept(revision: ObjectiveRevision, role: str) -> None:
    now = timezone.now()
    if role == "manager":
        revision.manager_accepted_at = revision.manager_accepted_at or now
    else:
        revision.member_accepted_at = revision.member_accepted_at or now
    revision.save(update_fields=["manager_accepted_at", "member_accepted_at"])


@transaction.atomic
def objective_propose(*, one_to_one: OneToOne, by: User, **wording) -> Objective:
    """A first wording, proposed by either person and accepted by them; the other still
    has to accept it. The member's answer to the client-side question comes first."""
    role = _role_in(one_to_one, by)
    if not one_to_one.client_view_at:
        raise ValidationError(
            _("The member answers the client-side question first: the objective starts there.")
        )
    objective = Objective.objects.create(
        team=one_to_one.team,
        manager_id=one_to_one.manager_id,
        member_id=one_to_one.member_id,
        one_to_one=one_to_one,
    )
    revision = ObjectiveRevision.objects.create(
        objective=objective, number=1, written_by=by, **_clean_wording(wording)
    )
    _accept(revision, role)
    objective.current = revision
    objective.save(update_fields=["current"])
    return objective


@transaction.atomic
def objective_revise(*, objective: Objective, by: User, **wording) -> Objective:
    """A new wording: history keeps the earlier ones, and both must accept this one."""
    role = _role_in(objective, by)
    if objective.closed_at:
        raise ValidationError(_("This objective is closed."))
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    number = objective.revisions.aggregate(n=Max("number"))["n"] + 1
    revision = ObjectiveRevision.objects.create(
        objective=objective, number=number, written_by=by, **_clean_wording(wording)
    )
    _accept(revision, role)
    objective.current = revision
    objective.agreed_revision = None
    objective.save(update_fields=["current", "agreed_revision"])
    return objective


@transaction.atomic
def objective_accept(*, objective: Objective, by: User, number: int) -> Objective:
    """Accepts the wording the person read (`number`); when both accepted the latest
    wording the objective is agreed and its review date is planned for both."""
    role = _role_in(objective, by)
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("current", "team")
        .get(pk=objective.pk)
    )
    if objective.closed_at:
        raise ValidationError(_("This objective is closed."))
    if objective.current.number != number:
        raise ValidationError(_("The wording changed since you read it: read it again."))
    revision = objective.current
    _accept(revision, role)
    if revision.both_accepted and objective.agreed_revision_id != revision.pk:
        objective.agreed_revision = revision
        objective.save(update_fields=["agreed_revision"])
        objective_review_remind(objective=objective)
    return objective


def objective_review_remind(*, objective: Objective) -> int:
    """Plans the review-date reminder to both people, exactly once per review date.
    The one place coaching calls the reminder machinery (see coaching/reminders.py)."""
    from . import reminders

    return reminders.review_plan(
        objective=objective,
        review_on=objective.current.review_on,
        time_zone=objective.team.time_zone,
    )


def objective_close(*, objective: Objective, by: User) -> Objective:
    _role_in(objective, by)
    objective.closed_at = objective.closed_at or timezone.now()
    objective.save(update_fields=["closed_at"])
    return objective


def progress_add(
    *,
    objective: Objective,
    author: User,
    status: str,
    body: str,
    value: Decimal | None = None,
) -> ProgressNote:
    """A progress note between conversations, by either person."""
    _role_in(objective, author)
    return ProgressNote.objects.create(
        objective=objective, author=author, status=status, body=body, value=value
    )


# Practice -----------------------------------------------------------------------------


def practice_attempt_record(*, user: User, key: str, choice: int, works: bool) -> PracticeAttempt:
    return PracticeAttempt.objects.create(user=user, situation_key=key, choice=choice, works=works)


@transaction.atomic
def situation_create(
    *,
    organisation: Organisation,
    by: User,
    title: str,
    setting: str,
    responses: list[tuple[str, bool, str]],
) -> Situation:
    """One of the organisation's own practice situations, with its responses in order."""
    situation = Situation.objects.create(
        organisation=organisation, title=title, setting=setting, created_by=by
    )
    SituationResponse.objects.bulk_create(
        SituationResponse(situation=situation, position=i, text=text, works=works, why=why)
        for i, (text, works, why) in enumerate(responses, start=1)
    )
    return situation


def situation_retire(*, situation: Situation) -> Situation:
    """Takes a situation out of practice; the attempts made on it are kept."""
    situation.retired_at = situation.retired_at or timezone.now()
    situation.save(update_fields=["retired_at"])
    return situation


# Leaders coach and model --------------------------------------------------------------


def coaching_moment_log(
    *,
    team: Team,
    coach: User,
    minutes: int,
    on: date,
    person: User | None = None,
    point: CharterPoint | None = None,
    note: str = "",
) -> CoachingMoment:
    return CoachingMoment.objects.create(
        team=team, coach=coach, person=person, point=point, minutes=minutes, note=note, on=on
    )


def modelling_feedback_give(
    *,
    team: Team,
    author: User,
    leader: User,
    shown: str,
    example: str,
    point: CharterPoint | None = None,
    anonymous: bool = False,
) -> ModellingFeedback:
    """Feedback on a leader's client conversation; anonymous feedback keeps no author."""
    if leader.pk == author.pk:
        raise ValidationError(_("Feedback is about someone else."))
    return ModellingFeedback.objects.create(
        team=team,
        leader=leader,
        author=None if anonymous else author,
        shown=shown,
        point=point,
        example=example,
    )
