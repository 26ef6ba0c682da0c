"""The authentication backends, Django's and allauth's, with a cheaper get_user().

Every signed-in request loads its user. Through the ORM that query cost more Python
than the whole of a workshop vote's own SQL; here it is one prepared statement.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends

from config import sql

from .models import User

_USER_BY_ID = f"SELECT {sql.columns(User, 'u')} FROM {User._meta.db_table} u WHERE u.id = %s"


class _UserBySessionMixin:
    def get_user(self, user_id) -> User | None:
        """The active user with this id, as ModelBackend.get_user() gives it."""
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        with sql.prepared_cursor() as cursor:
            cursor.execute(_USER_BY_ID, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = sql.instance(User, row)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserBySessionMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(_UserBySessionMixin, allauth_backends.AuthenticationBackend):
    pass
