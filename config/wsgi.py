import gc
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def _prepare_worker() -> None:
    """Builds now what the first requests would build and keep for the life of the
    process (URL patterns, translations, compiled templates), then freezes it all out
    of the garbage collector's sight. Under gunicorn this runs once, in the master
    (config/gunicorn.py preloads the app), and the workers forked from it share it all.

    A web process holds some 150,000 such objects, and every full collection walked
    them: a 90 ms pause, measured in the middle of a burst of workshop votes, for the
    dozen requests queued behind it. Frozen, they are never walked again (they are
    still freed if their references go: only cycles among them would stay). Skipped in
    development, where the code reloads."""
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            get_template(str(path.relative_to(directory)))
    gc.collect()
    gc.freeze()


if not settings.DEBUG:
    _prepare_worker()
