"""Django's PostgreSQL backend, with a health check that needs no round trip when it
can tell the connection is fine.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every
request that reuses a connection: a round trip through the server on each request, a
poll that answers 204 included. A server that ends a connection (restart,
`pg_terminate_backend`, PgBouncer's client timeout) says so on the socket first: an
error message, then end of file. So an idle connection whose socket has nothing to read
is taken as healthy; anything waiting there, or a connection not idle, gets Django's
real check. A peer that vanished without a word is caught by neither check until TCP
gives up, as before.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._quiet_and_idle()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet_and_idle(self) -> bool:
        """True when the server has nothing to tell this idle, open connection."""
        pgconn = self.connection.pgconn
        if (
            self.connection.broken
            or pgconn.status != pq.ConnStatus.OK
            or pgconn.transaction_status != pq.TransactionStatus.IDLE
        ):
            return False
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
        return not readable
