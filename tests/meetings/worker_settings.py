"""Settings of the worker and dispatcher processes the reliability tests start."""

from config.test_settings import *  # noqa: F403

EMAIL_BACKEND = "tests.meetings.mailbox.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
