"""Settings for the test suite: PostgreSQL and Redis on their standard local ports."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocharter")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from .settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CACHES["default"]["KEY_PREFIX"] = "cocharter-test-" + os.environ.get("TEST_CACHE_PREFIX", "")  # noqa: F405
# Pages open no stream unless a test starts a stream server and says where (tests/streams/);
# publishing stays on, on a channel of the test run's own.
STREAMS_URL = ""
STREAMS_CHANNEL = "cocharter-test-" + os.environ.get("TEST_CACHE_PREFIX", "") + ":streams"
