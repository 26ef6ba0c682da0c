"""Every rule of a vote, in one file: who may put a dot where, and which dot it is.

A tap on "+" runs these rules one of two ways. On PostgreSQL, the hot path, it is one
statement: the function charter_vote_cast() below, whose text a migration installs.
Elsewhere (SQLite in development, and a voter's very first tap, which joins them) the
Python functions below decide, after services.py has taken the same locks and read the
same rows. The two apply the rules in the same order:

1. closed   the workshop is not at the vote step;
2. gone     the workshop is published, or the keyword is not on the table (merged away);
3. replayed the screen's dot number already sits on this keyword (a double click, a
            replayed request): nothing is added, the voter keeps that dot;
4. budget   the voter has cast all the dots a person has;
5. cap      the keyword already holds the most dots one person may put on it;
6. cast     the dot the screen offered if still free, else the lowest free one; it takes
            the lowest free slot of the voter on the keyword (the unique constraint of
            (voter, keyword, slot) enforces the cap a second time).

tests/charter/test_voting_parity.py runs one table of scenarios through both; a rule
changed in one and not the other fails there. Changing VOTE_CAST_FUNCTION needs a
migration that runs `install` again and records the text's hash (see the test's message).
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

VOTE_STEP = 3  # models.Step.VOTE, written out because the SQL below says 3 too

CLOSED, GONE, REPLAYED, BUDGET, CAP, CAST = "closed", "gone", "replayed", "budget", "cap", "cast"
# What the function answers when the voter has not joined the workshop (or there is no
# such workshop): services.py then runs the Python rules, which join them.
NOT_JOINED = "not_joined"


class VoteRefused(ValidationError):
    """A dot the rules refuse; `outcome` says which rule (CLOSED, GONE, BUDGET, CAP)."""

    def __init__(self, message: str, outcome: str) -> None:
        super().__init__(message)
        self.outcome = outcome


@dataclass(frozen=True)
class Placement:
    outcome: str  # REPLAYED or CAST
    dot: int
    slot: int | None = None  # the new dot's slot on the keyword (CAST only)


def table_refusal(*, step: int, unpublished: bool, on_table: bool) -> str | None:
    """Rules 1 and 2: CLOSED or GONE when no dot may go on the keyword now, else None."""
    if step != VOTE_STEP:
        return CLOSED
    if not unpublished or not on_table:
        return GONE
    return None


def place(
    *, mine: list[tuple[int, int, int]], keyword_id: int, dot: int | None, budget: int, cap: int
) -> Placement | str:
    """Rules 3 to 6 for a voter whose dots are `mine`, as (dot number, keyword id, slot):
    where the dot goes, or the refusal (BUDGET, CAP)."""
    used = {number: keyword for number, keyword, _slot in mine}
    if dot is not None and used.get(dot) == keyword_id:
        return Placement(REPLAYED, dot)
    if len(mine) >= budget:
        return BUDGET
    slots = {slot for _number, keyword, slot in mine if keyword == keyword_id}
    if len(slots) >= cap:
        return CAP
    free = [n for n in range(1, budget + 1) if n not in used]
    number = dot if dot in free else free[0]
    return Placement(CAST, number, next(n for n in range(1, cap + 1) if n not in slots))


def refusal(outcome: str, budget: int, cap: int) -> VoteRefused:
    """What the voter reads when a rule refuses a dot."""
    if outcome == CLOSED:
        return VoteRefused(_("Voting is closed at this step."), outcome)
    if outcome == GONE:
        return VoteRefused(_("This keyword is no longer on the table."), outcome)
    n = budget if outcome == BUDGET else cap
    if outcome == BUDGET:
        text = ngettext(
            "You have used your only dot. Take it back to vote elsewhere.",
            "You have used all your %(n)s dots. Take one back to vote elsewhere.",
            n,
        )
    else:
        text = ngettext(
            "At most %(n)s dot can go on one keyword.",
            "At most %(n)s dots can go on one keyword.",
            n,
        )
    return VoteRefused(text % {"n": n}, outcome)


# The same rules in one statement (PostgreSQL). It costs the web process one round trip
# instead of BEGIN, four statements and COMMIT, each of which costs it more CPU than
# PostgreSQL spends answering. The unique and check constraints on charter_vote still
# have the last word. CREATE OR REPLACE keeps the OUT columns: changing those needs a
# DROP FUNCTION first.
VOTE_CAST_FUNCTION = """
CREATE OR REPLACE FUNCTION charter_vote_cast(
    p_workshop bigint, p_keyword bigint, p_user bigint, p_dot integer, p_now timestamptz,
    OUT outcome text, OUT budget integer, OUT cap integer, OUT label text,
    OUT public boolean, OUT dot integer, OUT keyword_ids bigint[], OUT dot_numbers integer[]
) LANGUAGE plpgsql AS $$
DECLARE
    v_step integer;
    v_unpublished boolean;
    v_slots integer[];
BEGIN
    -- FOR SHARE on the workshop holds the step and the rules steady (a change waits for
    -- the voters, and they for it); FOR UPDATE on the participant serialises one
    -- person's taps. Each statement below sees what committed before it started, so the
    -- dots are read after the lock is held.
    SELECT w.step, w.dots_per_person, w.max_dots_per_keyword, w.published_at IS NULL,
           (SELECT kw.label FROM charter_workshopkeyword k
              JOIN charter_keyword kw ON kw.id = k.keyword_id
             WHERE k.id = p_keyword AND k.workshop_id = w.id AND k.merged_into_id IS NULL),
           w.revealed OR NOT w.results_hidden
      INTO v_step, budget, cap, v_unpublished, label, public
      FROM charter_workshop w
      JOIN charter_participant p ON p.workshop_id = w.id AND p.user_id = p_user
     WHERE w.id = p_workshop
       FOR SHARE OF w FOR UPDATE OF p;
    IF NOT FOUND THEN
        outcome := 'not_joined';  -- or no such workshop: services.py takes over
        RETURN;
    END IF;
    IF v_step <> 3 THEN
        outcome := 'closed';
        RETURN;
    END IF;
    IF NOT v_unpublished OR label IS NULL THEN
        outcome := 'gone';
        RETURN;
    END IF;
    SELECT coalesce(array_agg(v.keyword_id ORDER BY v.dot_number), '{}'),
           coalesce(array_agg(v.dot_number ORDER BY v.dot_number), '{}'),
           coalesce(array_agg(v.slot) FILTER (WHERE v.keyword_id = p_keyword), '{}')
      INTO keyword_ids, dot_numbers, v_slots
      FROM charter_vote v
     WHERE v.workshop_id = p_workshop AND v.voter_id = p_user;
    IF p_dot IS NOT NULL AND keyword_ids[array_position(dot_numbers, p_dot)] = p_keyword THEN
        outcome := 'replayed';
        dot := p_dot;
        RETURN;
    END IF;
    IF cardinality(dot_numbers) >= budget THEN
        outcome := 'budget';
        RETURN;
    END IF;
    IF cardinality(v_slots) >= cap THEN
        outcome := 'cap';
        RETURN;
    END IF;
    -- The dot the screen offered if it is still free, else the lowest free one.
    dot := CASE WHEN p_dot BETWEEN 1 AND budget AND NOT p_dot = ANY (dot_numbers) THEN p_dot
                ELSE (SELECT min(n) FROM generate_series(1, budget) n
                       WHERE NOT n = ANY (dot_numbers)) END;
    INSERT INTO charter_vote (workshop_id, keyword_id, voter_id, dot_number, slot, created_at)
    VALUES (p_workshop, p_keyword, p_user, dot,
            (SELECT min(n) FROM generate_series(1, cap) n WHERE NOT n = ANY (v_slots)),
            p_now);
    keyword_ids := keyword_ids || p_keyword;
    dot_numbers := dot_numbers || dot;
    outcome := 'cast';
END;
$$;
"""

VOTE_CAST_SHA256 = hashlib.sha256(VOTE_CAST_FUNCTION.encode()).hexdigest()

# services.vote_cast runs this, prepared, for every tap.
VOTE_CAST = "SELECT * FROM charter_vote_cast(%s, %s, %s, %s, %s)"


def install(schema_editor) -> None:
    """Creates or replaces charter_vote_cast() (PostgreSQL only): for migrations."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VOTE_CAST_FUNCTION)
