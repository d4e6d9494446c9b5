"""Settings of the whole system, read from the environment.

Development defaults are safe: DEBUG is off unless asked for, and without DEBUG the process
refuses to start without a real secret key. `make run` asks for DEBUG and uses the embedded
defaults (SQLite and kombu's filesystem broker under var/), so nothing but Python is needed.
"""

import os
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from prosecution.beat import beat_schedule
from prosecution.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DJANGO_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a real secret of 50+ characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The demo accounts of README sign in with DEMO_PASSWORD only while this is on (see
# prosecution/accounts/backends.py); their stored passwords are unusable.
DEMO_LOGIN_ENABLED = DEBUG
DEMO_PASSWORD = "demo-prosecution-2026"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_htmx",
    "prosecution",
    "appeals",
    "supervision",
    "acts",
    "legal_statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL character in the path, the query, a form or a cookie: 400 before the session, the user
    # or the audit log hands it to the database; the invisible characters taken out of the query
    # and forms, and out of every page (docs/security.md 26).
    "prosecution.lib.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the audit log's records take the user, address and request id here.
    "prosecution.audit.middleware.AuditMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Second factor, idle and absolute limits of a staff session (docs/security.md 6, 10).
    "prosecution.accounts.sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "prosecution.urls"
WSGI_APPLICATION = "prosecution.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prosecution.context_processors.staff",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://…).
# Connections (docs/security.md 28). The development server (`make run`, DEBUG) starts a thread
# per request and never closes the connection a finished thread leaves behind: with connections
# kept for 60 s, 400 appeals from 32 threads left 69 idle and the server reached 103 of
# PostgreSQL's 100 (issue 14). There each request closes its own (0). Behind gunicorn's sync
# workers one connection per worker is kept for a minute; DJANGO_DB_POOL_SIZE (> 0) instead gives
# each process a psycopg pool of that many (Django's OPTIONS["pool"]; then nothing is kept
# outside it): workers x (pool or 1) + the Celery worker's processes stays below max_connections.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
DB_POOL_SIZE = env_int("DJANGO_DB_POOL_SIZE", 0)
if DB_POOL_SIZE > 0 and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_SIZE,
        "timeout": 10,  # seconds a request waits for a free connection before it fails
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process, the worker and beat share one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The test database is a file, not memory: tests/integration/test_workers.py starts real worker
    # and beat processes that must see it. One per test run, so that two runs at once do not
    # collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "prosecution.accounts.backends.DemoPasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "home"

# django-guardian: object permissions are exceptions to the office scope, never a widening by a
# model-level permission; prosecution/offices/access.py passes accept_global_perms=False everywhere.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Languages: Kazakh is the state language; Russian and English follow.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"  # UTC+5, one zone for the country since 1 March 2024
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the root, /favicon.ico first (issue 13: it answered 404).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = VAR_DIR / "media"  # outside the web root; files are served only through views

# Uploads (prosecution/files/uploads.py, docs/security.md 14): files from citizens and staff live in
# PRIVATE_FILES_ROOT, outside the static and media roots, and are served only by views that check
# access first. The limits are per file, per record and (for an image) in pixels.
UPLOAD_MAX_BYTES = env_int("PROSECUTION_UPLOAD_MAX_MB", 10) * 1024 * 1024
if UPLOAD_MAX_BYTES <= 0:
    raise ImproperlyConfigured("PROSECUTION_UPLOAD_MAX_MB must be at least 1.")
UPLOAD_MAX_FILES = 10
UPLOAD_MAX_PIXELS = 40_000_000
PRIVATE_FILES_ROOT = VAR_DIR / "private"
# The detached signature of documents (prosecution/files/signing.py): a dotted path to the signer.
# The development signer's key is a file; production plugs in the national signer (NCALayer).
DOCUMENT_SIGNER = env_str(
    "PROSECUTION_DOCUMENT_SIGNER", "prosecution.files.signing.DevelopmentSigner"
)
DOCUMENT_SIGNING_KEY_FILE = Path(
    env_str("PROSECUTION_DOCUMENT_SIGNING_KEY_FILE")
    or PRIVATE_FILES_ROOT / "signing" / "development-ed25519.pem"
)
# Django's own limits on a request: its fields (files aside) at most 2.5 MB; a file above 2.5 MB
# goes to a temporary file, not memory; no more files in one request than a record may hold.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
# No request is larger than a record's files and its fields: a larger one is refused (413) by
# prosecution/lib/input_guard.py before its body is read (issue 14: 100 MB went to a temporary
# file before the refusal). The proxy in front should refuse it first (its body size limit).
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES * UPLOAD_MAX_FILES + DATA_UPLOAD_MAX_MEMORY_SIZE

# Sessions and cookies (docs/security.md 10). prosecution/accounts/sessions.py enforces both limits
# from the time of sign-in and of the last request stored in the session: the cookie's own age is
# renewed whenever the session is saved, so it alone would not hold the absolute limit.
SESSION_COOKIE_AGE = 10 * 60 * 60  # absolute limit for staff: one working day
STAFF_IDLE_SECONDS = 15 * 60  # signed out after this long without a request
# Sign-in (docs/security.md 6, 7; prosecution/accounts/signin.py, prosecution/accounts/lockout.py):
# a failed password or code counts against the account at this address; so many in
# LOCKOUT_WINDOW_SECONDS lock that pair for at least the window. One address failing across many
# accounts has a higher limit.
LOCKOUT_FAILURES = 5
LOCKOUT_ADDRESS_FAILURES = 30
LOCKOUT_WINDOW_SECONDS = 15 * 60
SIGNIN_PENDING_SECONDS = 5 * 60  # between the password and the code
# API tokens end as sessions do (prosecution/accounts/tokens.py, docs/security.md 28).
API_TOKEN_IDLE_SECONDS = env_int("PROSECUTION_API_TOKEN_IDLE_SECONDS", STAFF_IDLE_SECONDS)
API_TOKEN_MAX_AGE_SECONDS = env_int("PROSECUTION_API_TOKEN_MAX_AGE_SECONDS", SESSION_COOKIE_AGE)
OTP_TOTP_ISSUER = "Prosecution"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Content Security Policy: everything is served by the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call gets 401 with WWW-Authenticate, not 403.
        "prosecution.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["prosecution.api.permissions.IsActiveStaff"],
    "DEFAULT_SCHEMA_CLASS": "prosecution.api.schema.AutoSchema",
    # The API takes JSON, with its depth measured before parsing and the invisible characters
    # taken out (prosecution/api/parsers.py); so its schema offers every body as JSON only
    # (issue 13: a body offered as JSON, form and multipart at once broke a generated client).
    # No operation uploads a file; one that does names MultiPartParser in its own view.
    "DEFAULT_PARSER_CLASSES": ["prosecution.api.parsers.JSONParser"],
    # DRF's test client sends what the API takes (JSON), unless a test says otherwise.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "prosecution.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Prosecution API",
    "DESCRIPTION": "Case and appeal management of the prosecutor's office of Kazakhstan.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "prosecution.api.schema.add_error_responses",
    ],
    # Several models have a "kind": name each set of choices after its enum.
    "ENUM_NAME_OVERRIDES": {
        "OfficeKindEnum": "prosecution.models.OfficeKind",
        "CheckGroundEnum": "supervision.models.CheckGround",
        "CheckStateEnum": "supervision.models.CheckState",
        "CheckEventKindEnum": "supervision.models.CheckEventKind",
        "RegistrationStateEnum": "legal_statistics.models.RegistrationState",
        "ActKindEnum": "acts.models.ActKind",
        "ActStateEnum": "acts.models.ActState",
        "ActEventKindEnum": "acts.models.ActEventKind",
        "CalendarDayKindEnum": "prosecution.models.CalendarDayKind",
        "TermKindEnum": "prosecution.models.TermKind",
        "TermStateEnum": "prosecution.models.TermState",
        "TermEventKindEnum": "prosecution.models.TermEventKind",
        "TermUnitEnum": "prosecution.models.TermUnitChoice",
        "AppealKindEnum": "appeals.models.AppealKind",
        "AppealStateEnum": "appeals.models.AppealState",
        "AppealEventKindEnum": "appeals.models.AppealEventKind",
        "AppealLanguageEnum": "appeals.models.AppealLanguage",
        "ApplicantKindEnum": "appeals.models.ApplicantKind",
        "ChannelEnum": "appeals.models.Channel",
        "ApiChannelEnum": "appeals.serializers.API_CHANNELS",
        "OutcomeEnum": "appeals.models.Outcome",
        "DecisionOutcomeEnum": "appeals.serializers.DECISION_CHOICES",
        "AnswerMethodEnum": "appeals.models.AnswerMethod",
        "ProceduralCodeEnum": "appeals.models.ProceduralCode",
        "LanguageEnum": "prosecution.settings.LANGUAGES",
        "ReceptionKindEnum": "appeals.models.ReceptionKind",
        "BookingStateEnum": "appeals.models.BookingState",
        "RefusalGroundEnum": "appeals.models.RefusalGround",
        "ReceptionOutcomeEnum": "appeals.models.ReceptionOutcome",
        "AppealGroundEnum": "appeals.models.Ground",
        "ExtensionGroundEnum": "appeals.models.ExtensionGround",
        "StudyKindEnum": "supervision.models.StudyKind",
        "StudyStateEnum": "supervision.models.StudyState",
        "RecommendedResponseEnum": "supervision.models.RecommendedResponse",
        "RequestAddresseeKindEnum": "supervision.models.AddresseeKind",
        "RequestStateEnum": "supervision.models.RequestState",
        "SummonsStateEnum": "supervision.models.SummonsState",
        "SummonsChannelEnum": "supervision.models.SummonsChannel",
        "DeliveryStatusEnum": "supervision.models.DeliveryStatus",
        "ForcedDeliveryStateEnum": "supervision.models.ForcedDeliveryState",
        "FunctionEventKindEnum": "supervision.models.FunctionEventKind",
        "ActFamilyEnum": "acts.models.ActFamily",
        "ActAddresseeKindEnum": "acts.models.AddresseeKind",
        "ActBasisKindEnum": "acts.models.BasisKind",
        "ProtestedActKindEnum": "acts.models.ProtestedActKind",
        "SanctionDecisionEnum": "acts.models.SanctionDecision",
    },
}

# Celery (prosecution/celery.py explains each choice). Without CELERY_BROKER_URL the broker is
# kombu's filesystem transport under var/: no server needed.
TASK_SOFT_TIME_LIMIT = 240
TASK_HARD_TIME_LIMIT = 300
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    _broker_poll_ms = env_int("PROSECUTION_BROKER_POLL_MS", 100)
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
        # kombu polls the folder once a second by default, and a worker whose two processes are
        # busy sleeps a whole interval before it takes the next message: 0.63 s for a message
        # and 6 messages a second. At 0.1 s: 31 ms and 93 a second, for 0.2 % of a core when
        # idle (bench/bench_broker.py, bench/README.md; issue 13).
        "polling_interval": _broker_poll_ms / 1000,
    }
    if _broker_poll_ms <= 0:
        raise ImproperlyConfigured("PROSECUTION_BROKER_POLL_MS must be at least 1.")
else:
    # Longer than any hard time limit, or Redis would redeliver a task that is still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": TASK_HARD_TIME_LIMIT * 4}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = TASK_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = TASK_HARD_TIME_LIMIT
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The sweep period can be shortened for the real-process tests (tests/integration/test_workers.py).
SWEEP_SECONDS = env_int("PROSECUTION_SWEEP_SECONDS", 60)
# How often the beat asks whether the monthly reports are due (legal_statistics/monthly.py).
MONTHLY_REPORTS_SECONDS = env_int("PROSECUTION_MONTHLY_REPORTS_SECONDS", 3600)
if MONTHLY_REPORTS_SECONDS <= 0:
    raise ImproperlyConfigured("PROSECUTION_MONTHLY_REPORTS_SECONDS must be at least 1.")
CELERY_BEAT_SCHEDULE = beat_schedule(SWEEP_SECONDS, MONTHLY_REPORTS_SECONDS)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One beat at a time, even if two are started (prosecution/beat_lock.py).
CELERY_BEAT_SCHEDULER = "prosecution.beat_lock:SingleBeatScheduler"
BEAT_STANDBY_SECONDS = env_int("PROSECUTION_BEAT_STANDBY_SECONDS", 5)

# `manage.py seed_demo` (make run): each app's demo records, in order.
DEMO_SEEDERS = [
    "prosecution.seed.demo.seed_demo",
    "appeals.demo.seed_demo_appeals",
    "appeals.demo.seed_demo_history",  # last year's, closed: the reports' year before
    "appeals.reception.demo.seed_reception_demo",
    "supervision.demo.seed_demo_checks",
    "acts.demo.seed_demo_acts",  # after the checks: a submission rests on a completed one
    "supervision.functions.demo.seed_demo_functions",
    "legal_statistics.demo.seed_demo_monthly",  # last: it counts every app's records
]

# The start of the system's records: no date a person or a program enters lies before it
# (prosecution/lib/dates.py, docs/security.md 26).
RECORDS_START = date(2000, 1, 1)
# The "my work" page (prosecution/views.py): each app's sections, in order; a callable of the
# request that returns a template and its context, or None.
MY_WORK_SECTIONS = ["appeals.views.staff.to_hand_out_section"]

# The public doors (prosecution/public/confirmations.py, prosecution/public/ratelimit.py).
CONFIRMATION_CODE_SECONDS = env_int("PROSECUTION_CONFIRMATION_CODE_SECONDS", 600)
CONFIRMATION_CODE_TRIES = 5
# Codes sent to one phone or one e-mail address, whatever asks (docs/security.md 27).
CONFIRMATION_CODES_PER_HOUR = env_int("PROSECUTION_CODES_PER_HOUR", 5)
CONFIRMATION_CODES_PER_DAY = env_int("PROSECUTION_CODES_PER_DAY", 10)
# Personal reception (appeals/reception/): a booking is moved or cancelled by the citizen until
# this many hours before it; slots are offered this many days ahead; a citizen (by IIN) holds at
# most this many bookings still to come.
RECEPTION_CUTOFF_HOURS = env_int("PROSECUTION_RECEPTION_CUTOFF_HOURS", 2)
RECEPTION_HORIZON_DAYS = env_int("PROSECUTION_RECEPTION_HORIZON_DAYS", 45)
# The citizen's signed link to their booking stops working this many days after the reception.
RECEPTION_LINK_DAYS = env_int("PROSECUTION_RECEPTION_LINK_DAYS", 30)
RECEPTION_MAX_ACTIVE_BOOKINGS = 2
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none, REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("PROSECUTION_TRUSTED_PROXIES", 0)

# The audit log's head, written every hour outside the database (prosecution/audit/anchors.py).
# In production, a volume of its own, or a path another host collects.
AUDIT_ANCHOR_FILE = Path(
    env_str("PROSECUTION_AUDIT_ANCHOR_FILE") or VAR_DIR / "audit-anchors.jsonl"
)

# The notice outbox (prosecution/notices/outbox.py). The lease is longer than the delivery tasks'
# hard time limit (60 s): a notice is only taken from a worker that is certainly dead.
NOTICE_MAX_ATTEMPTS = 6
NOTICE_BACKOFF_SECONDS = env_int("PROSECUTION_NOTICE_BACKOFF_SECONDS", 60)
NOTICE_LEASE_SECONDS = env_int("PROSECUTION_NOTICE_LEASE_SECONDS", 180)
NOTICE_REQUEUE_SECONDS = env_int("PROSECUTION_NOTICE_REQUEUE_SECONDS", 55)
NOTICE_MESSAGE_ID_DOMAIN = env_str("PROSECUTION_MESSAGE_ID_DOMAIN", "prosecution.local")
DIGEST_HOUR = 9  # Almaty time (issue 3)
SITE_URL = env_str("PROSECUTION_SITE_URL", "http://127.0.0.1:8000")
# SMS: "file" writes each message to var/sms/ (development); "http" posts to a provider.
SMS_GATEWAY = env_str("PROSECUTION_SMS_GATEWAY", "file")
SMS_FILE_DIR = Path(env_str("PROSECUTION_SMS_FILE_DIR") or VAR_DIR / "sms")
SMS_HTTP_URL = env_str("PROSECUTION_SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("PROSECUTION_SMS_HTTP_TOKEN", "")
SMS_SENDER = env_str("PROSECUTION_SMS_SENDER", "PROKURATURA")
SMS_HTTP_TIMEOUT = 10
if SMS_GATEWAY == "http" and not SMS_HTTP_URL:
    raise ImproperlyConfigured("PROSECUTION_SMS_GATEWAY=http needs PROSECUTION_SMS_HTTP_URL.")

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
# Seconds: a mail server that hangs fails the attempt (retried by the outbox) instead of holding
# a batch of notices until the task's time limit (prosecution/notices/tasks.py: deliver_notices).
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "noreply@prokuror.kz")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of each PDF ("Step 5 - Creating layout") at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
