"""config.sql: rows read by hand give the instances the ORM gives, the statements are
counted like the ORM's, and PostgreSQL keeps them prepared."""

import pytest
from django.db import connection

from charter.models import Workshop
from config import sql
from teams.models import Team

from .charter.conftest import make_workshop

pytestmark = pytest.mark.django_db


def test_an_instance_from_a_row_equals_the_orm_instance(team, manager):
    workshop = make_workshop(team, manager)
    with sql.prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.columns(Workshop, 'w')}, {sql.columns(Team, 't')} "
            "FROM charter_workshop w JOIN teams_team t ON t.id = w.team_id WHERE w.id = %s",
            [workshop.pk],
        )
        row = cursor.fetchone()
    by_hand = sql.instance(Workshop, row)
    by_orm = Workshop.objects.get(pk=workshop.pk)
    fields = [f.attname for f in Workshop._meta.concrete_fields]
    assert [getattr(by_hand, f) for f in fields] == [getattr(by_orm, f) for f in fields]
    assert not by_hand._state.adding and by_hand._state.db == "default"
    team_by_hand = sql.instance(Team, row, sql.width(Workshop))
    assert team_by_hand == team and team_by_hand.slug == team.slug


def test_statements_of_a_prepared_cursor_are_counted(django_assert_num_queries, team):
    with django_assert_num_queries(2), sql.prepared_cursor() as cursor:
        cursor.execute("SELECT slug FROM teams_team WHERE id = %s", [team.pk])
        assert cursor.fetchone() == (team.slug,)
        cursor.execute("SELECT slug FROM teams_team WHERE id = %s", [team.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_postgresql_keeps_the_statements_prepared(team):
    query = "SELECT name FROM teams_team WHERE id = %s"
    with sql.prepared_cursor() as cursor:
        cursor.execute(query, [team.pk])
        cursor.execute(query, [team.pk])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert "SELECT name FROM teams_team WHERE id = $1" in prepared
    # The ORM's cursors still bind on the client: nothing of theirs is prepared.
    assert list(Team.objects.filter(pk=team.pk).values_list("name", flat=True)) == [team.name]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (len(prepared),)


def test_a_part_a_left_join_left_empty_is_none(team, manager):
    workshop = make_workshop(team, manager)
    with sql.prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.columns(Workshop, 'w')}, {sql.columns(Team, 't')} "
            "FROM charter_workshop w LEFT JOIN teams_team t ON t.id = w.team_id AND false "
            "WHERE w.id = %s",
            [workshop.pk],
        )
        found, missing = sql.instances(cursor.fetchone(), Workshop, Team)
    assert found == workshop and missing is None


def test_param_gives_what_the_orm_sends(team):
    import uuid

    from notifications.models import Reminder

    claim = uuid.uuid4()
    stored = sql.param(Reminder, "claim", claim)
    assert stored == (claim if connection.features.has_native_uuid_field else claim.hex)
