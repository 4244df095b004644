"""strongroom settings, all from ``STRONGROOM_*`` environment variables (docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

from strongroom.config import env
from strongroom.config.sqlite import ensure_current_sqlite
from strongroom.domain.campaigns import Ladder
from strongroom.domain.errors import InvalidInput, InvalidMarking
from strongroom.domain.markings import (
    DEFAULT_CAVEATS,
    DEFAULT_COMPARTMENTS,
    DEFAULT_LEVELS,
    MarkingScheme,
)

SQLITE_VERSION = ensure_current_sqlite()

DATA_DIR = env.directory("STRONGROOM_DATA_DIR", Path.cwd() / "var")
SECRET_KEY = env.secret_key("STRONGROOM_SECRET_KEY", DATA_DIR)
DEBUG = env.flag("STRONGROOM_DEBUG", False)
ALLOWED_HOSTS = list(env.names("STRONGROOM_ALLOWED_HOSTS", ("127.0.0.1", "localhost"), upper=False))
DATABASES = {"default": env.database("STRONGROOM_DATABASE_URL", DATA_DIR / "strongroom.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

try:
    STRONGROOM_MARKING_SCHEME = MarkingScheme(
        env.names("STRONGROOM_MARKING_LEVELS", DEFAULT_LEVELS),
        frozenset(env.names("STRONGROOM_COMPARTMENTS", tuple(sorted(DEFAULT_COMPARTMENTS)))),
        frozenset(env.names("STRONGROOM_CAVEATS", tuple(sorted(DEFAULT_CAVEATS)))),
    )
except InvalidMarking as error:
    raise env.ConfigurationError(
        f"STRONGROOM_MARKING_LEVELS / STRONGROOM_COMPARTMENTS / STRONGROOM_CAVEATS: {error.message}"
    ) from None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "strongroom",
    "strongroom.ledger",
    "strongroom.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "strongroom.config.urls"
WSGI_APPLICATION = "strongroom.config.wsgi.application"
AUTH_USER_MODEL = "strongroom.Person"
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:dashboard"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "Korean")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
# Handling rules.
STRONGROOM_HAND_OVER_HOURS = env.integer("STRONGROOM_HAND_OVER_HOURS", 24, minimum=1)
STRONGROOM_DELEGATION_MAX_DAYS = env.integer("STRONGROOM_DELEGATION_MAX_DAYS", 30, minimum=1)
# The most copies one reproduction request may ask for.
STRONGROOM_REPRODUCTION_MAX_COPIES = env.integer(
    "STRONGROOM_REPRODUCTION_MAX_COPIES", 20, minimum=1
)
# The longest a copy may be lent for reading before it is overdue (a working day by default).
STRONGROOM_CHECK_OUT_HOURS = env.integer("STRONGROOM_CHECK_OUT_HOURS", 8, minimum=1)
# How long the record of a destruction (and the register entry of the destroyed copy) is kept
# at the least; strongroom itself never deletes either.
STRONGROOM_DESTRUCTION_RETENTION_YEARS = env.integer(
    "STRONGROOM_DESTRUCTION_RETENTION_YEARS", 2, minimum=1
)
# How many days the named witness has to countersign (or refuse) a destruction before the
# destroyer, the witness and their security officers are alerted.
STRONGROOM_DESTRUCTION_WITNESS_DAYS = env.integer(
    "STRONGROOM_DESTRUCTION_WITNESS_DAYS", 3, minimum=1
)
# Transport: how long a transit may take at most (and by default), and how many days the
# sending registry waits for the receipt after the destination has received the copy.
STRONGROOM_TRANSIT_HOURS = env.integer("STRONGROOM_TRANSIT_HOURS", 72, minimum=1)
STRONGROOM_TRANSIT_RECEIPT_DAYS = env.integer("STRONGROOM_TRANSIT_RECEIPT_DAYS", 7, minimum=1)
# Distribution campaigns: days after the due-back time to remind the holder, their supervisor
# and a security officer of a copy still out, and after which an incident is opened.
STRONGROOM_CAMPAIGN_LADDER = env.whole_numbers("STRONGROOM_CAMPAIGN_LADDER", (0, 3, 7))
STRONGROOM_CAMPAIGN_GRACE_DAYS = env.integer("STRONGROOM_CAMPAIGN_GRACE_DAYS", 14)
try:
    _holder, _supervisor, _security_officer = STRONGROOM_CAMPAIGN_LADDER
    Ladder(_holder, _supervisor, _security_officer, STRONGROOM_CAMPAIGN_GRACE_DAYS)
except InvalidInput as error:
    raise env.ConfigurationError(
        f"STRONGROOM_CAMPAIGN_LADDER / STRONGROOM_CAMPAIGN_GRACE_DAYS: {error.message}"
    ) from None

# Alerts by e-mail: to <username>@<domain>, through SMTP when a host is set, else the console.
STRONGROOM_MAIL_DOMAIN = env.text("STRONGROOM_MAIL_DOMAIN", "localhost")
DEFAULT_FROM_EMAIL = env.text("STRONGROOM_MAIL_FROM", "strongroom@localhost")
EMAIL_HOST = env.text("STRONGROOM_SMTP_HOST", "")
EMAIL_PORT = env.integer("STRONGROOM_SMTP_PORT", 25, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# The ledger's signed checkpoints (docs/ledger.md): the log's name (C2SP origin; unique among
# the logs a witness watches, e.g. "records.hq.example.org/strongroom"), its Ed25519 key file
# (created owner-only on first use, never in the database), and how often the periodic job
# signs: after this many new entries, or this many minutes after the last if any are new.
STRONGROOM_LOG_ORIGIN = env.origin("STRONGROOM_LOG_ORIGIN", "strongroom.local/ledger")
STRONGROOM_LOG_KEY_FILE = env.path("STRONGROOM_LOG_KEY_FILE", DATA_DIR / "log.key")
STRONGROOM_CHECKPOINT_ENTRIES = env.integer("STRONGROOM_CHECKPOINT_ENTRIES", 1000, minimum=1)
STRONGROOM_CHECKPOINT_MINUTES = env.integer("STRONGROOM_CHECKPOINT_MINUTES", 10, minimum=1)
# The witnesses whose cosignatures the log accepts (their type-0x04 verifier keys), and how many
# of them must cosign a checkpoint for it to count as witnessed: all of them unless set lower.
STRONGROOM_WITNESSES, STRONGROOM_WITNESS_THRESHOLD = env.witnesses(
    "STRONGROOM_WITNESSES", "STRONGROOM_WITNESS_THRESHOLD"
)

# The periodic jobs' queue: a SQLite file in the data directory unless a URL says otherwise.
STRONGROOM_JOB_QUEUE = env.job_queue("STRONGROOM_JOB_QUEUE", DATA_DIR / "jobs.sqlite3")

TIME_ZONE = env.time_zone("STRONGROOM_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.integer("STRONGROOM_SESSION_SECONDS", 8 * 3600, minimum=60)
SESSION_COOKIE_SECURE = env.flag("STRONGROOM_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "strongroom.web.views.failures.csrf_failure"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "strongroom.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "strongroom API",
    "DESCRIPTION": "Custody and accountability for confidential documents.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "strongroom.api.schema.idempotency_header",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "STRONGROOM_LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
}
