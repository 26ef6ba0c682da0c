"""config/wsgi.py: a production web process builds its long-lived objects at start and
freezes them out of the garbage collector's way."""

import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, os
from django.template import engines
import config.wsgi
cached = engines["django"].engine.template_loaders[0].loaders[0]  # inside template-partials'
sockets = 0
for fd in os.listdir("/proc/self/fd"):
    try:  # the listing's own descriptor is gone by now
        sockets += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    except FileNotFoundError:
        pass
print(gc.get_freeze_count(), "charter/workshop.html" in cached.get_template_cache, sockets)
"""


def _start_a_web_process(debug: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": debug}
    env.setdefault("DJANGO_SECRET_KEY", settings.SECRET_KEY)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_a_production_web_process_starts_warm_and_frozen():
    frozen, workshop_page_compiled, _sockets = _start_a_web_process(debug="false")
    assert int(frozen) > 50_000
    assert workshop_page_compiled == "True"


def test_loading_the_app_opens_no_connection():
    """gunicorn loads the app in its master and forks the workers from it
    (config/gunicorn.py): a database or Redis connection opened while loading would be
    one socket shared by every worker."""
    _frozen, _compiled, sockets = _start_a_web_process(debug="false")
    assert sockets == "0"


def test_a_development_process_freezes_nothing():
    frozen, _compiled, _sockets = _start_a_web_process(debug="true")
    assert frozen == "0"
