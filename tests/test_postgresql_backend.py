"""config.postgresql: the health check skips its SELECT 1 on a quiet idle connection and
still replaces a connection the server has ended."""

import time
from unittest import mock

import psycopg
import pytest
from django.db import connection, connections

from config.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.django_db(transaction=True)


def _new_request() -> None:
    """What Django does when a request starts on a reused connection."""
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_settings_use_this_backend_with_health_checks():
    assert isinstance(connections["default"], DatabaseWrapper)
    connection.ensure_connection()
    assert connection.health_check_enabled


def test_a_quiet_idle_connection_is_kept_without_a_round_trip():
    pid = _backend_pid()
    with mock.patch.object(DatabaseWrapper, "is_usable", autospec=True) as is_usable:
        _new_request()
    is_usable.assert_not_called()
    assert connection.health_check_done
    assert _backend_pid() == pid


def test_a_connection_the_server_ended_is_replaced_before_the_first_query():
    pid = _backend_pid()
    dsn = "host={HOST} port={PORT} user={USER} dbname={NAME}".format(**connection.settings_dict)
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection._quiet_and_idle() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye is on its way

    _new_request()

    assert connection.connection is None  # closed: the next query connects again
    assert _backend_pid() != pid


def test_a_connection_inside_a_transaction_gets_the_real_check():
    connection.ensure_connection()
    connection.connection.execute("BEGIN")
    try:
        with mock.patch.object(
            DatabaseWrapper, "is_usable", autospec=True, return_value=True
        ) as is_usable:
            _new_request()
        is_usable.assert_called_once()
    finally:
        connection.connection.execute("ROLLBACK")
