"""Cocharter settings, read from the environment (see .env.example).

Without any environment the app runs for development: SQLite under var/, a filesystem
Celery broker and e-mail printed to the console. Production sets DJANGO_DEBUG=false (the
default) and must provide DJANGO_SECRET_KEY.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Where `make run` keeps its SQLite database, file cache and Celery queue.
VAR_DIR = Path(env("COCHARTER_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env(
        "DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef"
    )
else:
    # A missing secret in production must fail loudly, not fall back to a known key.
    SECRET_KEY = env("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "accounts",
    "teams",
    "notifications",
    "charter",
    "indicators",
    "meetings",
    "improvement",
    "coaching",
    "interviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "config.http.PrivateWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Innermost, so the designed 405 page still gets the CSP and language headers.
    "config.errors.RefusalPages",
]

# One field style for every form (config/forms.py), from the project's templates.
FORM_RENDERER = "config.forms.FormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # Dates, times and numbers read the same on every page (config/formats.py).
            "builtins": ["config.formats"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cocharter.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements, for the cursors of config.sql.prepared_cursor() only: the
    # ORM's cursors bind on the client and are never prepared. Behind PgBouncer in
    # transaction mode, give it max_prepared_statements (PgBouncer 1.21+).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # django-redis rather than Django's own Redis backend: it keeps one client per
    # process instead of building one (and its ~170 reply handlers) on every cache call,
    # and its incr() is one atomic round trip instead of EXISTS then INCR. Every request
    # reads its session from here and every workshop poll its live version.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cocharter",
        }
    }
else:
    # Shared between web, worker and beat processes on one machine, unlike locmem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Live screens' push channel (facilitation/push.py, streams/): Redis pub/sub, and where
# browsers open their streams (a path behind the same proxy, or an address of its own).
# Without Redis there is no stream and the screens poll.
STREAMS_REDIS_URL = env("STREAMS_REDIS_URL", default=REDIS_URL)
STREAMS_URL = env("STREAMS_URL", default="/streams/" if STREAMS_REDIS_URL else "")
STREAMS_CHANNEL = env("STREAMS_CHANNEL", default="cocharter:streams")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the signed-in user with one prepared statement.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; sign-up asks for a display name and, unless the
# person arrives through an invitation, the name of their organisation.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cocharter] "

# Company sign-in: each organisation may connect its OpenID Connect provider (Microsoft
# Entra ID, Google Workspace, any issuer); teams.models.CompanySignIn says which e-mail
# domains belong to it. accounts.adapter.SocialAccountAdapter refuses an address that is
# not verified by the provider or not in those domains, and lets newcomers join.
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the company's provider verified it (checked)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # someone with a password account keeps it
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
# A second factor (allauth.mfa): an authenticator app, recovery codes, security keys and
# passkeys. An organisation can require one of its managers and admins
# (accounts.middleware.SecondFactorRequired).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Cocharter"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 8)
# The age above is an idle timeout, not a fixed one: accounts.middleware.
# SessionTouchMiddleware saves a signed-in session again when it is used, at most once
# a minute (not on every request: live pages poll every 2 s). Every request counts as
# activity, polls included: a tab left open on a workshop or a dashboard never times
# out. That is wanted for a projector or a wall screen; a session nobody's browser
# touches still ends on time.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cocharter <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when configured, otherwise a filesystem broker so `make run` needs nothing.
# The filesystem transport ignores the host; naming one keeps kombu from warning.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery"
    for _folder in ("queue", "processed", "control"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery would otherwise close the database connection before and after every task, so
# each reminder would open a new PostgreSQL session; config/celery.py closes only broken
# or old connections instead, as Django does between requests (CONN_MAX_AGE).
CELERY_DB_REUSE_MAX = 2**31
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Finds due reminders and queues one send task each (notifications/services.py).
    "dispatch-due-reminders": {
        "task": "notifications.dispatch_due_reminders",
        "schedule": 60.0,
    },
    # Keeps steering meetings materialised a few months ahead, with their reminders.
    "refresh-meetings": {"task": "meetings.refresh_meetings", "schedule": 60.0 * 60},
    # Weekly check-in e-mails: the planner finds teams whose check-in day and hour have come.
    "improvement-checkin-reminders": {
        "task": "improvement.plan_checkin_reminders",
        "schedule": 15 * 60,
    },
    # The week that ended goes into the check-in indicators (never the week in progress).
    "improvement-checkin-indicators": {
        "task": "improvement.record_checkin_weeks",
        "schedule": 60.0 * 60,
    },
}

# JSON API: calls per token and per minute (indicators/api.py); beyond, 429 Retry-After.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)

# Security baseline. HTTPS settings switch on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies of ours (docker-compose.yml's nginx, load balancers) in front of the web
# processes: the client's address is then read from X-Forwarded-For, for the survey
# rate limits and allauth's (sign-in, sign-up, password reset). 0 means REMOTE_ADDR;
# behind a proxy it would put every visitor in the proxy's one rate-limit bucket.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

_streams_origin = "/".join(STREAMS_URL.split("/")[:3]) if "://" in STREAMS_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # A stream served from an address of its own (make run) is a connection too.
        "connect-src": ["'self'", *([_streams_origin] if _streams_origin else [])],
        "media-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A 403, 404 or 405 is the app saying "no" as designed: INFO, no traceback.
        "expected_refusals": {"()": "config.logfilters.ExpectedRefusals"},
        # A 500 carries the id its page shows.
        "error_id": {"()": "config.logfilters.ErrorId"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["expected_refusals", "error_id"]},
        # "Watching for file changes" on every start and reload of the development server.
        "django.utils.autoreload": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
