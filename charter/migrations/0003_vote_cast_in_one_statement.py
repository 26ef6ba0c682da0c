"""A dot voted in one statement on PostgreSQL: charter_vote_cast().

charter.services.vote_cast runs it instead of its own transaction of BEGIN, four
statements and COMMIT, each a round trip that costs the web process more CPU than
PostgreSQL spends answering it. The function applies the same rules in the same order,
with the same locks, and returns what the ballot needs; services.py turns its outcome
into the voter's message. The unique and check constraints on charter_vote still have
the last word. (SQLite, used in development, runs the Python version of these rules.)
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION charter_vote_cast(
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

BACKWARD = """
DROP FUNCTION IF EXISTS charter_vote_cast(bigint, bigint, bigint, integer, timestamptz);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("charter", "0002_published_points_are_immutable")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
