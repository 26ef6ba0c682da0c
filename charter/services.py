"""Writes for observations, workshops, votes and charters."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config import sql
from facilitation.timer import TIMER_FIELDS
from teams.models import ClientGroup, Team

from . import hooks, lineage, live, selectors, voting
from .models import (
    MAX_POINTS,
    Charter,
    CharterPoint,
    CharterVersion,
    Endorsement,
    Keyword,
    Observation,
    Participant,
    StatementProposal,
    Step,
    Vote,
    Workshop,
    WorkshopKeyword,
    keyword_clean_label,
    keyword_normalise,
)

MIN_STATEMENT_WORDS = 4
SUGGESTED_KEYWORDS = 5  # the method aims at five or six; fewer needs a confirmation
MIN_STATEMENT_LENGTH = 20


# Keywords and observations ------------------------------------------------------------


def keyword_get_or_create(*, team: Team, text: str) -> Keyword:
    """The team's keyword for `text`, whatever its case, spacing or accents."""
    label = keyword_clean_label(text)[:60]
    normalised = keyword_normalise(label)[:60]  # case folding can lengthen a word (ß, ﬁ)
    if not normalised:
        raise ValidationError(_("A keyword cannot be empty."))
    try:
        with transaction.atomic():
            keyword, _created = Keyword.objects.get_or_create(
                team=team, normalised=normalised, defaults={"label": label}
            )
    except IntegrityError:
        # Someone created the same keyword at the same moment.
        keyword = Keyword.objects.get(team=team, normalised=normalised)
    return keyword


@transaction.atomic
def observation_create(
    *,
    team: Team,
    author: User,
    reaction: str,
    behaviour: str,
    keywords: list[str],
    client_group: ClientGroup | None = None,
    observed_on: datetime.date | None = None,
    hide_author: bool = False,
) -> Observation:
    """Records an observation and adds its keywords to the team's vocabulary."""
    if client_group is not None and client_group.team_id != team.pk:
        raise ValidationError(_("This client group belongs to another team."))
    observation = Observation.objects.create(
        team=team,
        author=author,
        reaction=reaction.strip(),
        behaviour=behaviour.strip(),
        client_group=client_group,
        observed_on=observed_on or timezone.localdate(),
        hide_author=hide_author,
    )
    observation.keywords.set({keyword_get_or_create(team=team, text=t).pk for t in keywords})
    return observation


# Workshops: creation, steps, timer, rules -----------------------------------------------


def workshop_create(*, team: Team, facilitator: User, title: str, **settings) -> Workshop:
    """Opens a workshop at its first step; `settings` are the voting rules and time boxes."""
    return Workshop.objects.create(team=team, facilitator=facilitator, title=title, **settings)


def _lock_workshop(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def step_discards(*, workshop: Workshop, to_step: int) -> list[str]:
    """What going back to `to_step` would throw away, in words for the confirmation."""
    lost = []
    if to_step < Step.VOTE and workshop.votes.exists():
        lost.append(_("every dot cast"))
    if to_step < Step.SELECT and workshop.keywords.filter(selected=True).exists():
        lost.append(_("the selected keywords"))
    if (
        to_step < Step.DRAFT
        and StatementProposal.objects.filter(keyword__workshop=workshop).exists()
    ):
        lost.append(_("the drafted statements"))
    return lost


@transaction.atomic
def workshop_step_set(*, workshop: Workshop, from_step: int, to_step: int) -> Workshop:
    """Moves the workshop from `from_step` to `to_step` and restarts the timer.

    `from_step` is the step the facilitator saw: a double click or a second tab that
    still shows an older step changes nothing. Going back discards later work.
    """
    workshop = _lock_workshop(workshop)
    if workshop.is_finished:
        raise ValidationError(_("This workshop is finished."))
    if workshop.step != from_step:
        return workshop
    if to_step not in Step.values:
        raise ValidationError(_("Unknown step."))
    if to_step < Step.VOTE:
        workshop.votes.all().delete()
        workshop.revealed = False
    if to_step < Step.SELECT:
        workshop.keywords.update(selected=False, position=None)
    if to_step < Step.DRAFT:
        StatementProposal.objects.filter(keyword__workshop=workshop).delete()
        workshop.keywords.update(statement="", coaching_question="")
    workshop.step = to_step
    workshop.timer_run(workshop.minutes_for(to_step) * 60)
    workshop.save()
    workshop.participants.update(done=False)
    live.WORKSHOP.changed(workshop.pk, what=live.STEP)
    return workshop


@transaction.atomic
def workshop_timer(*, workshop: Workshop, action: str) -> Workshop:
    """Starts, pauses or extends the step's timer (`start`, `pause`, `add`)."""
    workshop = _lock_workshop(workshop)
    if action == "pause" and workshop.timer_running:
        workshop.timer_pause()
    elif action == "start":  # resumes a paused timer, or restarts one over or stopped
        left = workshop.seconds_left()
        workshop.timer_run(left if left else workshop.minutes_for(workshop.step) * 60 or 300)
    elif action == "add":
        workshop.timer_add(60)
    else:
        return workshop
    workshop.save(update_fields=TIMER_FIELDS)
    live.WORKSHOP.changed(workshop.pk, what=live.TIMER)
    return workshop


@transaction.atomic
def workshop_rules_update(
    *, workshop: Workshop, dots_per_person: int, max_dots_per_keyword: int, results_hidden: bool
) -> Workshop:
    """Changes the voting rules, never below the dots people have already cast.

    The workshop row lock waits for votes in flight (they hold a share lock on it), so
    the counts below cannot move while the rules change.
    """
    workshop = _lock_workshop(workshop)
    if max_dots_per_keyword > dots_per_person:
        raise ValidationError(_("The maximum on one keyword cannot exceed the dots per person."))
    cast = workshop.votes.values("voter").annotate(n=Count("pk")).aggregate(m=Max("n"))["m"] or 0
    on_one = (
        workshop.votes.values("voter", "keyword").annotate(n=Count("pk")).aggregate(m=Max("n"))["m"]
        or 0
    )
    if dots_per_person < cast:
        raise ValidationError(
            _("Someone has already cast %(n)s dots: the budget cannot go below that.") % {"n": cast}
        )
    if max_dots_per_keyword < on_one:
        raise ValidationError(
            _("Someone already put %(n)s dots on one keyword: the maximum cannot go below that.")
            % {"n": on_one}
        )
    workshop.dots_per_person = dots_per_person
    workshop.max_dots_per_keyword = max_dots_per_keyword
    workshop.results_hidden = results_hidden
    workshop.save(update_fields=["dots_per_person", "max_dots_per_keyword", "results_hidden"])
    live.WORKSHOP.changed(workshop.pk)
    return workshop


def workshop_reveal(*, workshop: Workshop) -> None:
    """Shows the vote totals to everyone (who voted for what stays private)."""
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    live.WORKSHOP.changed(workshop.pk)


# Participants ---------------------------------------------------------------------------


def participant_join(*, workshop: Workshop, user: User) -> Participant:
    """Counts the user among the workshop's participants (once)."""
    participant, created = Participant.objects.get_or_create(workshop=workshop, user=user)
    if created:
        live.WORKSHOP.changed(workshop.pk, audience=live.FACILITATOR)
    return participant


def participant_set_done(*, workshop: Workshop, user: User, done: bool) -> None:
    """Marks the user done (or not) with the current step, for the facilitator's count."""
    participant_join(workshop=workshop, user=user)
    Participant.objects.filter(workshop=workshop, user=user).update(done=done)
    live.WORKSHOP.changed(workshop.pk, audience=live.FACILITATOR)


# Proposing keywords ---------------------------------------------------------------------


def _step_share_lock(workshop_id: int) -> tuple[int, bool] | None:
    """The workshop's step, and whether it is published, read from the database and held
    steady until the transaction ends.

    A step change (FOR UPDATE) waits for the writes that checked the step, and a write
    that comes later waits for the step change and then sees the new step: nothing lands
    in a step the facilitator has just left, or survives a step they went back over.
    """
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    table = connection.ops.quote_name(Workshop._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT step, published_at IS NOT NULL FROM {table} WHERE id = %s{lock}",
            [workshop_id],
        )
        return cursor.fetchone()


def _require_step(workshop: Workshop, *steps: int, exclusive: bool = False) -> None:
    """Refuses unless the workshop is at one of `steps`, as committed, not as the caller's
    copy remembers it. Call inside the transaction that makes the change; `exclusive`
    also waits for the other writes that checked the step, and holds back new ones."""
    if exclusive:
        locked = _lock_workshop(workshop)
        row = (locked.step, locked.is_finished)
    else:
        row = _step_share_lock(workshop.pk)
    if row is None or row[1] or row[0] not in steps:
        raise ValidationError(
            _("The workshop has moved on: this is no longer possible at the current step.")
        )


@transaction.atomic
def keyword_propose(*, workshop: Workshop, user: User, text: str) -> WorkshopKeyword:
    """Puts a keyword on the table; proposing one already there counts one more proposal."""
    _require_step(workshop, Step.PROPOSE)
    keyword = keyword_get_or_create(team=workshop.team, text=text)
    with transaction.atomic():
        item, created = WorkshopKeyword.objects.select_for_update().get_or_create(
            workshop=workshop, keyword=keyword
        )
    target = item.merged_into or item
    if not created:
        WorkshopKeyword.objects.filter(pk=target.pk).update(proposals=F("proposals") + 1)
    participant_join(workshop=workshop, user=user)
    live.WORKSHOP.changed(workshop.pk)
    return target


@transaction.atomic
def keyword_merge(*, workshop: Workshop, source_id: int, target_id: int) -> WorkshopKeyword:
    """Folds one keyword into another: its proposals count for the one that stays.

    A proposal locks the keyword proposed, then the one it was merged into; a merge
    relinks both ways. Waiting for the proposals in flight keeps the two from deadlocking.
    """
    _require_step(workshop, Step.PROPOSE, exclusive=True)
    items = {
        i.pk: i
        for i in WorkshopKeyword.objects.select_for_update().filter(
            workshop=workshop, pk__in=[source_id, target_id], merged_into=None
        )
    }
    if source_id == target_id or len(items) != 2:
        raise ValidationError(_("Choose two different keywords to merge."))
    source, target = items[source_id], items[target_id]
    target.proposals += source.proposals
    target.save(update_fields=["proposals"])
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    WorkshopKeyword.objects.filter(merged_into=source).update(merged_into=target)
    live.WORKSHOP.changed(workshop.pk)
    return target


# Voting ----------------------------------------------------------------------------------


VoteRefused = voting.VoteRefused


@dataclass
class VoteOutcome:
    created: bool
    dot_number: int
    # The voter's dots after the vote, as (keyword id, dot number), and the keyword's
    # label: the ballot the voter gets back is drawn from them instead of read again.
    votes: list[tuple[int, int]]
    label: str


# The keyword's label is NULL when it is not (or no longer) on the table.
_RULES = (
    "SELECT w.step, w.dots_per_person, w.max_dots_per_keyword, w.published_at IS NULL, "
    "(SELECT kw.label FROM charter_workshopkeyword k "
    "JOIN charter_keyword kw ON kw.id = k.keyword_id "
    "WHERE k.id = %s AND k.workshop_id = w.id AND k.merged_into_id IS NULL), "
    "w.revealed OR NOT w.results_hidden FROM charter_workshop w"
)
_RULES_AND_VOTER = (
    f"{_RULES} JOIN charter_participant p ON p.workshop_id = w.id AND p.user_id = %s "
    "WHERE w.id = %s"
)


def _rules_locked(cursor, workshop_id: int, keyword_id: int | None, user_id: int) -> tuple:
    """The step and voting rules, held steady until the transaction ends, whether the
    workshop is unpublished, the keyword's label (None when it is not on the table),
    whether the totals are visible to everyone; and, last, whether the voter's
    participant row is there, locked.

    FOR SHARE on the workshop lets voters proceed side by side while a rule change (FOR
    UPDATE) waits for them, and they for it; FOR UPDATE on the participant serialises one
    person's votes (double clicks, two tabs). One statement takes both locks when the
    voter has joined, as nearly always. SQLite, used in development, serialises writers
    anyway.
    """
    postgres = connection.vendor == "postgresql"
    both, rules_only = (
        (" FOR SHARE OF w FOR UPDATE OF p", " FOR SHARE OF w") if postgres else ("", "")
    )
    cursor.execute(_RULES_AND_VOTER + both, [keyword_id, user_id, workshop_id])
    row = cursor.fetchone()
    if row is not None:
        return (*row, True)
    cursor.execute(f"{_RULES} WHERE w.id = %s{rules_only}", [keyword_id, workshop_id])
    return (*cursor.fetchone(), _participant_locked(cursor, workshop_id, user_id))


def _participant_locked(cursor, workshop_id: int, user_id: int) -> bool:
    """Locks the user's participant row, if there is one."""
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    cursor.execute(
        f"SELECT id FROM charter_participant WHERE workshop_id = %s AND user_id = %s{lock}",
        [workshop_id, user_id],
    )
    return cursor.fetchone() is not None


def vote_cast(
    *, workshop: Workshop, user: User, keyword_id: int, dot: int | None = None
) -> VoteOutcome:
    """Puts one of the user's dots on a keyword.

    `dot` is the number of the dot the voter's screen offered: sending it twice (a
    double click, a replayed request) adds one dot only. The participant row lock
    serialises one person's votes; the unique constraints on (voter, dot) and
    (voter, keyword, slot) stop anything that slipped past. This runs on every tap of
    every voter: on PostgreSQL it is one statement, charter_vote_cast(); elsewhere
    `_vote_cast` below. Both apply the rules of charter/voting.py.
    """
    if connection.vendor == "postgresql":
        with sql.prepared_cursor() as cursor:
            cursor.execute(
                voting.VOTE_CAST, [workshop.pk, keyword_id, user.pk, dot, timezone.now()]
            )
            row = cursor.fetchone()
        return _vote_outcome(row, workshop=workshop, user=user, keyword_id=keyword_id, dot=dot)
    return _vote_cast(workshop=workshop, user=user, keyword_id=keyword_id, dot=dot)


def vote_cast_as_member(
    *, user: User, team_slug: str, pk: int, keyword_id: int | None, dot: int | None = None
) -> tuple[Workshop, VoteOutcome | VoteRefused]:
    """A tap on "+": the workshop as selectors.workshop_get_for_user() finds it (Http404
    for someone outside the team), and vote_cast() on it. Returns the workshop with the
    outcome, or with the refusal the voter gets to read.

    On PostgreSQL both go in one statement, one round trip instead of two for the tap
    everyone makes: the access query, materialised, has to return the member's row before
    charter_vote_cast() runs for it, so nobody outside the team ever casts a dot."""
    try:
        if connection.vendor == "postgresql" and user.is_authenticated:
            with sql.prepared_cursor() as cursor:
                cursor.execute(
                    _VOTE_CAST_AS_MEMBER,
                    [user.pk, pk, team_slug, keyword_id, user.pk, dot, timezone.now()],
                )
                row = cursor.fetchone()
            workshop = selectors.workshop_from_row(row)
            voted = row[selectors.WORKSHOP_FOR_USER_WIDTH :]
            return workshop, _vote_outcome(
                voted, workshop=workshop, user=user, keyword_id=keyword_id, dot=dot
            )
        workshop = selectors.workshop_get_for_user(user=user, team_slug=team_slug, pk=pk)
        return workshop, vote_cast(workshop=workshop, user=user, keyword_id=keyword_id, dot=dot)
    except VoteRefused as refusal:  # raised only once the workshop was found
        return workshop, refusal


def _votes_changed(workshop_id: int, public: bool) -> None:
    """Dots cast or taken back: everyone's screen when the totals show, else only the
    facilitator's (phones keep answering 204 while colleagues vote in secret)."""
    live.WORKSHOP.changed(workshop_id, audience=live.EVERYONE if public else live.FACILITATOR)


def _vote_outcome(
    row: tuple, *, workshop: Workshop, user: User, keyword_id: int | None, dot: int | None
) -> VoteOutcome:
    """What charter_vote_cast() returned, as vote_cast() returns it."""
    outcome, budget, cap, label, public, dot_number, keyword_ids, dots = row
    if outcome == voting.NOT_JOINED:  # the voter's first tap joins them
        return _vote_cast(workshop=workshop, user=user, keyword_id=keyword_id, dot=dot)
    if outcome not in (voting.CAST, voting.REPLAYED):
        raise voting.refusal(outcome, budget, cap)
    if outcome == voting.CAST:
        _votes_changed(workshop.pk, public)
    votes = list(zip(keyword_ids, dots, strict=True))
    return VoteOutcome(outcome == voting.CAST, dot_number, votes, label)


# MATERIALIZED: the access query is run whole, on its own, and the function once for
# each row it returns (one, or none for an outsider); the planner may not join the
# function to the workshop before it has checked the membership.
_VOTE_CAST_AS_MEMBER = (
    f"WITH member AS MATERIALIZED ({selectors.WORKSHOP_FOR_USER}) "
    "SELECT member.*, v.* FROM member AS member (workshop_id) "
    "CROSS JOIN LATERAL charter_vote_cast(member.workshop_id, %s, %s, %s, %s) AS v"
)


@transaction.atomic
def _vote_cast(*, workshop: Workshop, user: User, keyword_id: int, dot: int | None) -> VoteOutcome:
    """vote_cast() in Python: on SQLite, and for a voter's first tap if they had not
    joined the workshop yet."""
    with sql.prepared_cursor() as cursor:
        step, budget, cap, unpublished, label, public, joined = _rules_locked(
            cursor, workshop.pk, keyword_id, user.pk
        )
        refused = voting.table_refusal(
            step=step, unpublished=unpublished, on_table=label is not None
        )
        if refused:
            raise voting.refusal(refused, budget, cap)
        if not joined:
            participant_join(workshop=workshop, user=user)
            _participant_locked(cursor, workshop.pk, user.pk)
        cursor.execute(_MY_VOTES, [workshop.pk, user.pk])
        mine = cursor.fetchall()
        votes = [(k, d) for d, k, _s in mine]
        placed = voting.place(mine=mine, keyword_id=keyword_id, dot=dot, budget=budget, cap=cap)
        if not isinstance(placed, voting.Placement):
            raise voting.refusal(placed, budget, cap)
        if placed.outcome == voting.REPLAYED:
            return VoteOutcome(created=False, dot_number=placed.dot, votes=votes, label=label)
        cursor.execute(
            _VOTE_INSERT,
            [
                *(workshop.pk, keyword_id, user.pk, placed.dot, placed.slot),
                sql.param(Vote, "created_at", timezone.now()),
            ],
        )
    _votes_changed(workshop.pk, public)
    return VoteOutcome(
        created=True,
        dot_number=placed.dot,
        votes=[*votes, (keyword_id, placed.dot)],
        label=label,
    )


_MY_VOTES = (
    f"SELECT dot_number, keyword_id, slot FROM {Vote._meta.db_table} "
    "WHERE workshop_id = %s AND voter_id = %s"
)
_VOTE_INSERT = (
    f"INSERT INTO {Vote._meta.db_table} "
    "(workshop_id, keyword_id, voter_id, dot_number, slot, created_at) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)
# The latest dot of the voter on the keyword: the one in its highest slot.
_VOTE_TAKE_BACK = (
    f"DELETE FROM {Vote._meta.db_table} WHERE id = (SELECT id FROM {Vote._meta.db_table} "
    "WHERE workshop_id = %s AND voter_id = %s AND keyword_id = %s ORDER BY slot DESC LIMIT 1)"
)


@transaction.atomic
def vote_remove(*, workshop: Workshop, user: User, keyword_id: int) -> bool:
    """Takes back the user's latest dot on a keyword. Returns whether there was one."""
    with sql.prepared_cursor() as cursor:
        step, budget, cap, _unpublished, _label, public, joined = _rules_locked(
            cursor, workshop.pk, keyword_id, user.pk
        )
        if step != voting.VOTE_STEP:
            raise voting.refusal(voting.CLOSED, budget, cap)
        if not joined:
            return False
        cursor.execute(_VOTE_TAKE_BACK, [workshop.pk, user.pk, keyword_id])
        if cursor.rowcount == 0:
            return False
    _votes_changed(workshop.pk, public)
    return True


# Selecting and drafting -------------------------------------------------------------------


class SelectionToConfirm(ValidationError):
    """Fewer keywords than the method suggests: the facilitator has to say it is meant."""


@transaction.atomic
def keywords_select(
    *, workshop: Workshop, keyword_ids: list[int], fewer_confirmed: bool = False
) -> None:
    """Confirms the keywords the charter will be built on: five or six, as the method
    suggests; fewer only when the facilitator confirms it; never more than six."""
    _require_step(workshop, Step.SELECT)
    items = WorkshopKeyword.objects.filter(workshop=workshop, merged_into=None)
    chosen = items.filter(pk__in=keyword_ids)
    count = chosen.count()
    if not 1 <= count <= MAX_POINTS:
        raise ValidationError(
            _("Select between one and %(n)s keywords: a charter has at most %(n)s points.")
            % {"n": MAX_POINTS}
        )
    if count < SUGGESTED_KEYWORDS and not fewer_confirmed:
        raise SelectionToConfirm(
            _("The method suggests five or six keywords; confirm with fewer?"), code="fewer"
        )
    items.update(selected=False, position=None)
    chosen.update(selected=True)
    live.WORKSHOP.changed(workshop.pk)


def statement_validate(text: str) -> str:
    """A charter point describes a behaviour someone could see, not a bare quality."""
    text = " ".join(text.split())
    if len(text.split()) < MIN_STATEMENT_WORDS or len(text) < MIN_STATEMENT_LENGTH:
        raise ValidationError(
            _(
                "Describe a behaviour someone could observe, in a short sentence that starts "
                "with a verb: not “Helpful” but “Take every chance to give our clients advice "
                "that helps them”."
            ),
            code="too_short",
        )
    return text


def _selected_keyword(workshop: Workshop, keyword_id: int) -> WorkshopKeyword:
    try:
        return workshop.keywords.select_related("keyword").get(pk=keyword_id, selected=True)
    except WorkshopKeyword.DoesNotExist:
        raise ValidationError(_("This keyword was not selected.")) from None


@transaction.atomic
def statement_propose(
    *, workshop: Workshop, author: User, keyword_id: int, text: str
) -> StatementProposal:
    """Adds a member's wording for a selected keyword; its author endorses it."""
    _require_step(workshop, Step.DRAFT)
    item = _selected_keyword(workshop, keyword_id)
    text = statement_validate(text)
    try:
        with transaction.atomic():
            proposal = StatementProposal.objects.create(keyword=item, author=author, text=text)
    except IntegrityError:
        proposal = StatementProposal.objects.get(keyword=item, text=text)
    proposal.endorsements.add(author)
    live.WORKSHOP.changed(workshop.pk)
    return proposal


@transaction.atomic
def statement_endorse(*, workshop: Workshop, user: User, proposal_id: int) -> None:
    """Adds or withdraws the user's support for a proposed statement."""
    _require_step(workshop, Step.DRAFT)
    proposal = StatementProposal.objects.filter(keyword__workshop=workshop, pk=proposal_id).first()
    if proposal is None:
        raise ValidationError(_("This proposal no longer exists."))
    if proposal.endorsements.filter(pk=user.pk).exists():
        proposal.endorsements.remove(user)
    else:
        proposal.endorsements.add(user)
    live.WORKSHOP.changed(workshop.pk)


@transaction.atomic
def point_set(
    *, workshop: Workshop, keyword_id: int, statement: str, coaching_question: str
) -> WorkshopKeyword:
    """The facilitator retains (and may edit) one statement and its coaching question."""
    row = _step_share_lock(workshop.pk)
    if row is None or row[1] or row[0] not in (Step.DRAFT, Step.PUBLISH):
        raise ValidationError(_("Points are chosen at the draft step."))
    item = _selected_keyword(workshop, keyword_id)
    item.statement = statement_validate(statement)
    item.coaching_question = " ".join(coaching_question.split())
    if len(item.coaching_question) < 10:
        raise ValidationError(_("Write the coaching question the team will answer."))
    item.save(update_fields=["statement", "coaching_question"])
    live.WORKSHOP.changed(workshop.pk)
    return item


@transaction.atomic
def point_move(*, workshop: Workshop, keyword_id: int, offset: int) -> None:
    """Moves a point up (`offset` < 0) or down in the charter's order. The first move
    writes down the whole order, the team's vote until then."""
    locked = _lock_workshop(workshop)
    if locked.is_finished or locked.step not in (Step.DRAFT, Step.PUBLISH):
        raise ValidationError(_("Points are put in order at the draft and publish steps."))
    ids = [item.pk for item in selectors.points_in_order(workshop=locked)]
    if keyword_id not in ids:
        raise ValidationError(_("This keyword was not selected."))
    old = ids.index(keyword_id)
    ids.insert(max(0, min(len(ids) - 1, old + offset)), ids.pop(old))
    for position, pk in enumerate(ids, start=1):
        WorkshopKeyword.objects.filter(pk=pk).update(position=position)
    live.WORKSHOP.changed(workshop.pk)


# Publishing and the charter -------------------------------------------------------------


@transaction.atomic
def charter_publish(*, workshop: Workshop, by: User, announce: bool = True) -> CharterVersion:
    """Publishes the workshop's points, in the team's order (selectors.points_in_order),
    as the team's next charter version. A point that carries on a point of the previous
    version keeps its lineage (charter/lineage.py), and the apps that hold data tied to
    points hear of it (charter/hooks.py). Once the transaction has committed, the team
    is e-mailed, unless `announce` is off (the demo data)."""
    workshop = _lock_workshop(workshop)
    if workshop.is_finished:
        raise ValidationError(_("This workshop has already published its charter."))
    if workshop.step != Step.PUBLISH:
        raise ValidationError(_("Move to the publish step first."))
    ready = [i for i in selectors.points_in_order(workshop=workshop) if i.is_ready]
    if not ready:
        raise ValidationError(_("Choose a statement for at least one keyword first."))
    if len(ready) > MAX_POINTS:
        raise ValidationError(_("A charter has at most %(n)s points.") % {"n": MAX_POINTS})
    charter, _created = Charter.objects.get_or_create(team=workshop.team)
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    latest = charter.versions.order_by("-number").first()
    previous = list(latest.points.all()) if latest else []
    carried_on = lineage.carried(previous, [(i.keyword.label, i.statement) for i in ready])
    version = CharterVersion.objects.create(
        charter=charter,
        number=latest.number + 1 if latest else 1,
        published_by=by,
        workshop=workshop,
    )
    CharterPoint.objects.bulk_create(
        CharterPoint(
            version=version,
            position=position,
            keyword=item.keyword.label,
            statement=item.statement,
            coaching_question=item.coaching_question,
            **({"lineage": old.lineage} if old else {}),
        )
        for position, (item, old) in enumerate(zip(ready, carried_on, strict=True), start=1)
    )
    by_lineage = {point.lineage: point.pk for point in CharterPoint.objects.filter(version=version)}
    hooks.published(
        version=version,
        carried={old.pk: by_lineage[old.lineage] for old in carried_on if old is not None},
    )
    workshop.published_at = timezone.now()
    workshop.step_ends_at = workshop.paused_remaining = None
    workshop.save(update_fields=["published_at", "step_ends_at", "paused_remaining"])
    live.WORKSHOP.changed(workshop.pk)
    if announce:
        # One outbox row per member, in this transaction: sent once each, even if the
        # broker is down now (notifications/services.py).
        from notifications.services import reminders_add

        from .emails import published_rows

        reminders_add(rows=published_rows(version=version))
    return version


def charter_endorse(*, version: CharterVersion, user: User) -> Endorsement:
    """Records "I commit to this charter" (once per person and version)."""
    try:
        with transaction.atomic():
            return Endorsement.objects.get_or_create(version=version, user=user)[0]
    except IntegrityError:
        return Endorsement.objects.get(version=version, user=user)


def charter_public_options(*, team: Team, public_questions: bool) -> Charter:
    """What the public page shows besides the points."""
    charter, _created = Charter.objects.get_or_create(team=team)
    charter.public_questions = public_questions
    charter.save(update_fields=["public_questions"])
    return charter


def charter_share(*, team: Team, enable: bool) -> Charter:
    """Creates a fresh public read-only link, or revokes the current one."""
    from .models import _new_share_token

    charter, _created = Charter.objects.get_or_create(team=team)
    charter.share_token = _new_share_token() if enable else None
    charter.save(update_fields=["share_token"])
    return charter
