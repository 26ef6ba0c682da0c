"""Hand-written SQL for the few statements that run on every tap, request or reminder.

Building a query through the ORM costs about a millisecond of Python per query
(compiling filters, joins and the select list), several times what PostgreSQL spends
answering it. The workshop screens poll and vote many times a second, every signed-in
request loads its user and every reminder is claimed, read and marked, so these run
plain SQL (charter, accounts.backends, meetings.services). `instance()` turns a row
back into the model instance the ORM would give (field converters included), and
`prepared_cursor()` lets PostgreSQL parse and plan each of these statements once per
connection instead of on every execution (a fifth of the server's time for such small
statements).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections
from django.db.models import Model


@contextmanager
def prepared_cursor() -> Iterator:
    """A cursor whose statements PostgreSQL keeps prepared for the connection.

    Django's cursors bind parameters on the client, which rules out prepared statements
    (and which the ORM needs: with server-side binding, a parameter in both SELECT and
    GROUP BY is no longer the same expression). This cursor binds on the server; the
    connection's `prepare_threshold` (settings.DATABASES) makes psycopg prepare what it
    runs. Only fixed statements with `%s` placeholders belong here. On other databases,
    and if the connection is replaced while the cursor opens, it is a plain cursor.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    # Django's own path (health check, time zone loader, query logging for the tests'
    # query counts) with one difference: the class of the cursor it creates.
    usual, raw.cursor_factory = raw.cursor_factory, ServerBindingCursor
    try:
        cursor = connection.cursor()
    finally:
        raw.cursor_factory = usual
    with cursor:
        yield cursor


def columns(model: type[Model], alias: str) -> str:
    """The select list of every concrete field of `model`, from the table aliased `alias`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def instance(model: type[Model], row: tuple, start: int = 0) -> Model:
    """The instance held by `row[start:]`, in the order `columns(model, ...)` selects."""
    fields = model._meta.concrete_fields
    values = list(row[start : start + len(fields)])
    for i, converters in _converters(model):
        column = fields[i].cached_col
        for convert in converters:
            values[i] = convert(values[i], column, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def _converters(model: type[Model]) -> list[tuple[int, list]]:
    """The database's and the fields' converters, as the ORM applies them to results;
    worked out once per model and connection (a connection belongs to one thread)."""
    wrapper = connections[connection.alias]
    known = wrapper.__dict__.setdefault("_model_converters", {})
    if model not in known:
        known[model] = _converters_of(model)
    return known[model]


def _converters_of(model: type[Model]) -> list[tuple[int, list]]:
    found = []
    for i, field in enumerate(model._meta.concrete_fields):
        column = field.cached_col
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((i, converters))
    return found


def param(model: type[Model], field: str, value):
    """`value` as the database stores `model.field` (a UUID or an aware datetime on
    SQLite, for instance), as the ORM would send it."""
    return model._meta.get_field(field).get_db_prep_value(value, connection, prepared=False)


def instances(row: tuple, *models: type[Model]) -> list[Model | None]:
    """The instances held side by side in `row`, in the order their columns were
    selected; None for a part that a LEFT JOIN left empty (its primary key is NULL)."""
    found, start = [], 0
    for model in models:
        pk_index = start + model._meta.concrete_fields.index(model._meta.pk)
        found.append(None if row[pk_index] is None else instance(model, row, start))
        start += width(model)
    return found


def width(model: type[Model]) -> int:
    """How many columns `columns(model, ...)` selects."""
    return len(model._meta.concrete_fields)
