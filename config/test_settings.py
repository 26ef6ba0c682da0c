"""Settings for the test suite: PostgreSQL and Redis on their standard local ports."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocharter")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

# `make test` runs the suite on two pytest-xdist workers: each gets a Redis database of its
# own (the cache holds sessions, and some tests flush the broker's database), counted down
# from 15 so the databases 0-13 a developer may use stay untouched.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    os.environ["REDIS_URL"] = f"{_base}/{15 - int(_worker[2:])}"

from .settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
_prefix = os.environ.get("TEST_CACHE_PREFIX", "") + _worker
CACHES["default"]["KEY_PREFIX"] = "cocharter-test-" + _prefix  # noqa: F405
# Pages open no stream unless a test starts a stream server and says where (tests/streams/);
# publishing stays on, on a channel of the test run's own (and worker's).
STREAMS_URL = ""
STREAMS_CHANNEL = "cocharter-test-" + _prefix + ":streams"
