"""Logging filters for django.request (settings.LOGGING), kept apart from the views of
config/errors.py: logging is configured before the apps are loaded."""

import logging


class ExpectedRefusals(logging.Filter):
    """On django.request: a 4xx is the app working as designed (a wrong role, a page
    that is gone, a bad form): logged at INFO without a traceback, not as an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
            return logging.getLogger(record.name).isEnabledFor(logging.INFO)
        return True


class ErrorId(logging.Filter):
    """Puts the id the 500 page shows in front of the logged error, so a person quoting
    it leads to the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        error_id = getattr(request, "error_id", None)
        if error_id and getattr(record, "status_code", None) == 500:
            record.msg = f"[error {error_id}] {record.msg}"
        return True
