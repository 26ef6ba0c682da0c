"""Settings of the Celery workers the reminder benchmark starts: production settings,
with messages counted in a file instead of sent."""

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "bench.mailbox.EmailBackend"
