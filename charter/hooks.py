"""What other apps do when a charter version is published.

Apps above the charter (indicators, check-ins...) keep data tied to charter points. They
register a callback from their `AppConfig.ready()`:

    from charter import hooks

    def carry_links(*, version, carried):
        ...

    hooks.on_publish(carry_links)

A callback gets the new version and `carried`, {previous point id: new point id} for
the points the new version carries on (charter/lineage.py). It runs inside the
publishing transaction: if it fails, nothing is published.
"""

from collections.abc import Callable

from .models import CharterVersion

Callback = Callable[..., None]

_ON_PUBLISH: list[Callback] = []


def on_publish(callback: Callback) -> Callback:
    """Registers a callback (idempotent; usable as a decorator)."""
    if callback not in _ON_PUBLISH:
        _ON_PUBLISH.append(callback)
    return callback


def published(*, version: CharterVersion, carried: dict[int, int]) -> None:
    for callback in _ON_PUBLISH:
        callback(version=version, carried=carried)
