"""Open to Help settings: one module, every value from the environment through strict helpers.

Production is the default. Development and test defaults are chosen by the dev commands (make run,
make test), which set OTH_ENV, DEBUG and SECRET_KEY explicitly; see README.md for every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from openhelp.platform.lib.env import (
    env_bool,
    env_choice,
    env_email,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

OTH_ENV = env_choice("OTH_ENV", ("production", "development", "test"), "production")
PRODUCTION = OTH_ENV == "production"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
# Old SECRET_KEYs still accepted for sessions, password-reset links and other signatures while rotating
# (docs/deployment.md, "Keys and secrets"); comma-separated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# Keys for the encrypted columns (integration tokens, app passwords), newest first; SECRET_KEY when empty
# (and SECRET_KEY_FALLBACKS after it, so rotating SECRET_KEY keeps them readable).
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Open to Help")

_INSECURE_KEYS = {"", "dev-only-insecure-key", "test-only-insecure-key", "change-me"}
if PRODUCTION:
    if SECRET_KEY in _INSECURE_KEYS or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY: at least 50 random characters.")
    if any(key in _INSECURE_KEYS or len(key) < 50 for key in SECRET_KEY_FALLBACKS):
        # An old key still signs sessions: a published or short one would let anyone forge a login.
        raise ImproperlyConfigured(
            "Production needs each key in SECRET_KEY_FALLBACKS: at least 50 random characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be False in production (OTH_ENV=production).")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS: an explicit list of host names.")
    if not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured("Production needs SITE_URL to start with https://.")
elif not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is required (the dev commands set a development one).")

INSTALLED_APPS = [
    "openhelp.platform.accounts.apps.AdminConfig",  # django.contrib.admin behind the one login (openhelp/platform/accounts/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",  # company login (openhelp.integrations.sso)
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "heroicons",  # inline SVG icons ({% load heroicons %})
    "django_htmx",  # serves htmx from our own static files
    # Open to Help: openhelp/<layer>/<app>, lowest layer first (see docs/architecture.md, "Layers")
    "openhelp.platform.core",
    "openhelp.platform.outbox",  # domain events, recorded in each workflow's transaction and read by consumers
    "openhelp.platform.api",
    "openhelp.platform.notifications",
    "openhelp.platform.accounts",
    "openhelp.directory.skills",
    "openhelp.directory.matching",
    "openhelp.directory.people",
    "openhelp.directory.calendars",  # connected calendars: busy times, bookings written back
    "openhelp.directory.programmes",
    "openhelp.directory.library",
    "openhelp.help.asks",
    "openhelp.help.mentoring",
    "openhelp.help.officehours",
    "openhelp.help.routing",
    "openhelp.community.recognition",
    "openhelp.community.moments",
    "openhelp.community.goals",
    "openhelp.organisers.insights",
    "openhelp.organisers.imports",
    "openhelp.organisers.network",
    "openhelp.organisers.provisioning",  # SCIM 2.0: the company directory creates and deactivates people
    # integrations: where people already work (chat, automation, company login)
    "openhelp.integrations.webhooks",
    "openhelp.integrations.slack",
    "openhelp.integrations.matrix",
    "openhelp.integrations.sso",
    "openhelp.today",  # the personal home and the header search, reading every app
    "openhelp.demo",
]

MIDDLEWARE = [
    # /healthz for load balancers that probe by address over http (ALLOWED_HOSTS and the https redirect
    # come after it): openhelp/platform/core/middleware.py
    "openhelp.platform.core.middleware.HealthCheckMiddleware",
    "openhelp.platform.core.timing.ServerTimingMiddleware",  # times everything below (load tests)
    "django.middleware.security.SecurityMiddleware",
    # A body larger than the site takes: 413 before anything reads it (uploaded files have no other bound).
    "openhelp.platform.core.middleware.RequestSizeLimitMiddleware",
    "openhelp.platform.core.middleware.SecurityHeadersMiddleware",
    # No shared cache, and no browser disk, keeps what a signed-in person was shown.
    "openhelp.platform.core.middleware.PrivateResponsesMiddleware",
    # A NUL or lone surrogate in a query string or web form: 400 before any view hands it to a query.
    "openhelp.platform.core.middleware.RefuseUnstorableTextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "openhelp.platform.core.middleware.CommonMiddleware",  # no slash redirect for API writes
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: partial responses for htmx requests
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "openhelp.platform.core.middleware.UserTimezoneMiddleware",
]

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
                "openhelp.platform.core.context_processors.site",
            ],
        },
    },
]

# Django's default form renderer, with labels that end without a colon like the hand-written ones.
FORM_RENDERER = "openhelp.platform.lib.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'data' / 'open_to_help.sqlite3'}")
_DATABASE_ENGINES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")
_DATABASE_PROBLEM = ""
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
except dj_database_url.UnknownSchemeError:
    DATABASES = {"default": {"ENGINE": ""}}
except ValueError:  # a port that is not a number, …
    _DATABASE_PROBLEM = "it could not be read (is the port a number?)"
    DATABASES = {"default": {"ENGINE": ""}}
if DATABASES["default"]["ENGINE"] not in _DATABASE_ENGINES:
    # The URL itself is never repeated: it may hold the database password.
    _scheme = DATABASE_URL.split("://", 1)[0] + "://" if "://" in DATABASE_URL else ""
    raise ImproperlyConfigured(
        "DATABASE_URL must look like postgres://user:password@host:5432/name (PostgreSQL) or "
        "sqlite:///data/open_to_help.sqlite3 (SQLite); "
        + (_DATABASE_PROBLEM or (f"it starts with {_scheme}" if _scheme else "it has no scheme") + ".")
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent use: WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a real file (not :memory:) so live-server and concurrency tests share one database
    # across threads and processes exactly as production does.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("SQLITE_TEST_NAME", str(BASE_DIR / "data" / "test.sqlite3"))
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Behind PgBouncer (docs/deployment.md, "The tested cluster").
    # CONN_HEALTH_CHECKS: a kept connection is checked before each request reuses it, so the first
    # request after a PostgreSQL restart (or a PgBouncer reconnect) gets a fresh one instead of a 500.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
    if env_bool("DB_PGBOUNCER", False):
        # Transaction pooling hands each transaction to any server connection: a named cursor (Django's
        # .iterator()) would outlive its transaction's connection, and a prepared statement would be
        # missing on the next one. So: no server-side cursors, and psycopg never prepares statements.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (and so rate limits) ---------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss", "unix"), redis=True)
if REDIS_URL:
    # Redis may go away; openhelp/platform/lib/cache.py says what then happens:
    # reads miss, writes are dropped, so pages keep working, login throttling refuses logins (fail closed).
    CACHES = {
        "default": {
            "BACKEND": "openhelp.platform.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    # Sessions are read from Redis and written through to the database, so losing Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work ----------------------------------------------------------------------------
TASKS_BACKEND = env_choice("TASKS_BACKEND", ("database", "immediate", "rq"), "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default", "email", "chat"],
    }
}
# The Redis queue. django-tasks-rq runs the same tasks on RQ; its workers are
# `manage.py rqworker default email chat --job-class django_tasks_rq.Job --with-scheduler` (the scheduler
# runs deferred retries). TASKS_REDIS_URL, or REDIS_URL, names the Redis that holds the queues.
if TASKS_BACKEND == "rq":
    _TASKS_REDIS_URL = env_url("TASKS_REDIS_URL", REDIS_URL, schemes=("redis", "rediss", "unix"), redis=True)
    if not _TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs TASKS_REDIS_URL or REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        name: {"URL": _TASKS_REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 900)}
        for name in TASKS["default"]["QUEUES"]
    }
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_BASE_SECONDS = env_int("TASK_RETRY_BASE_SECONDS", 30)

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if OTH_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice("ACCOUNT_EMAIL_VERIFICATION", ("mandatory", "optional"), "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
# Changing the address is the first step of taking an account over (then a password reset to the new
# address): a session proves its password again (allauth's reauthentication, good for five minutes)
# before adding, removing or choosing an address. Changing the password asks for the current one anyway.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_FORMS = {"signup": "openhelp.directory.people.signup.SignupForm"}
ACCOUNT_ADAPTER = "openhelp.platform.accounts.adapter.AccountAdapter"
# Brute force: allauth counts failed logins per account+IP in the cache and refuses further tries.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "5/5m/ip,5/5m/key"),
    # Successful logins per address: a whole office behind one NAT address may need more at 9 am.
    "login": env_str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "signup": "20/h/ip",
    # Per address an hour, not a minute: five a minute let anyone send 7,000 reset e-mails a day to one inbox.
    "reset_password": "20/m/ip,5/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# --- E-mail -------------------------------------------------------------------------------------
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "openhelp.platform.lib.devmail.EmailBackend",  # Django's file backend, plus one log line per e-mail
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[env_choice("EMAIL_BACKEND", tuple(_EMAIL_BACKENDS), "smtp")]
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "data" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
# STARTTLS (port 587) by default; EMAIL_USE_SSL=True (implicit TLS, port 465) turns STARTTLS off unless both are
# set, which Django's SMTP backend would refuse at the first e-mail, in the worker: refused here instead.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be True: STARTTLS (usually port 587) is EMAIL_USE_TLS=True, "
        "implicit TLS (usually port 465) is EMAIL_USE_SSL=True alone."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# An e-mail claimed by a worker that died is sent again after this long (notifications.tasks.reap_stuck_emails).
EMAIL_STUCK_AFTER_SECONDS = env_int("EMAIL_STUCK_AFTER_SECONDS", 900)
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "Open to Help <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation and time --------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "data" / "static")) if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production WhiteNoise looks files up per request instead of indexing every static file (with its
# headers) each time a handler is built: the test client builds one per client, 57 ms each.
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the progressive-enhancement scripts read it for fetch()
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# The largest request body accepted at all (core.middleware.RequestSizeLimitMiddleware): the people import's
# 10 MB JSON body with room. Uploaded files have no other bound in Django.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 12 * 1024 * 1024)
# Content-Security-Policy on every HTML page (core.middleware.SecurityHeadersMiddleware; same shape as
# Django 6.0's SECURE_CSP). Scripts and styles come from our own static files; the few inline ones left
# (the API docs page, the admin's change list) carry the per-request nonce. No 'unsafe-inline' at all:
# style="" attributes are not allowed either (CSS classes instead; an avatar's own colour is set by
# static/js/app.js through the CSSOM, which CSP permits). data: images are Swagger UI's icons and the
# two-factor set-up's QR code.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "<CSP_NONCE_SENTINEL>"],
    "style-src": ["'self'", "<CSP_NONCE_SENTINEL>"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Powerful browser features: none is used, so none is allowed (an empty list is "=()").
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "openhelp.platform.accounts.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "openhelp.platform.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "openhelp.platform.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "openhelp.platform.api.errors.exception_handler",
    # Bodies are JSON, bounded in size and nesting: a form body cannot say a nested object, and a boolean
    # missing from it reads as false. A view taking a file upload adds MultiPartParser (imports). Any other
    # Content-Type is a 415, an empty form body included (negotiation.py). OPTIONS describes a view without
    # guessing its input (see api/).
    "DEFAULT_PARSER_CLASSES": ["openhelp.platform.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "openhelp.platform.api.negotiation.ContentNegotiation",
    "DEFAULT_METADATA_CLASS": "openhelp.platform.api.metadata.SchemaMetadata",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_RATE_USER", "2000/hour"),
        "anon": env_str("API_RATE_ANON", "100/hour"),
        "propose": "30/hour",
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# A create sent with an Idempotency-Key answers its first response again this long (hours); then the key is
# new (api/idempotency.py).
API_IDEMPOTENCY_KEY_HOURS = env_int("API_IDEMPOTENCY_KEY_HOURS", 24)
SPECTACULAR_SETTINGS = {
    "TITLE": "Open to Help API",
    "DESCRIPTION": "Micro-mentorship: people open to help, skills, asks, sessions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: with them Swagger UI puts a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    # Asks and offers both have a "state": name each choice set after its model, not a hash.
    "ENUM_NAME_OVERRIDES": {
        "AskStateEnum": "openhelp.help.asks.models.AskState",
        "OfferStateEnum": "openhelp.help.routing.models.OfferState",
        "SessionStateEnum": "openhelp.help.mentoring.models.SessionState",
        "SessionFormatEnum": "openhelp.help.mentoring.models.SessionFormat",
        "AskFormatEnum": "openhelp.help.asks.models.AskFormat",
        "AttendanceKindEnum": "openhelp.help.mentoring.models.AttendanceKind",
        "MomentKindEnum": "openhelp.community.moments.models.MomentKind",
        "IntroductionStateEnum": "openhelp.community.moments.models.IntroductionState",
    },
}

# --- Product rules ------------------------------------------------------------------------------
PROFILE_BIO_MAX_CHARS = 4000
# An introduction that is still waiting for an answer after this many days closes quietly.
INTRODUCTION_EXPIRES_DAYS = env_int("INTRODUCTION_EXPIRES_DAYS", 14)
# The organisers' dashboard keeps a computed report this long while the roll-ups are unchanged (0 = never).
INSIGHTS_CACHE_SECONDS = env_int("INSIGHTS_CACHE_SECONDS", 300)
# A report once read is shown as it is this long, whatever the roll-ups did meanwhile (insights.cache).
INSIGHTS_LAG_SECONDS = env_int("INSIGHTS_LAG_SECONDS", 30)
# Domain events committed within this many seconds are delivered to their consumers together (outbox.events).
OUTBOX_GATHER_SECONDS = env_int("OUTBOX_GATHER_SECONDS", 5)
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 120)

# --- Ceilings on what one person can make the platform send to others (openhelp/help/asks/limits.py) ----
ASKS_PUBLISHED_PER_DAY = env_int("ASKS_PUBLISHED_PER_DAY", 30)
ASK_MESSAGES_PER_HOUR = env_int("ASK_MESSAGES_PER_HOUR", 120)
CO_ASKER_INVITATIONS_PER_DAY = env_int("CO_ASKER_INVITATIONS_PER_DAY", 50)
# Office-hours bookings made or moved per person a day (officehours.limits): each tells the mentor.
BOOKINGS_PER_DAY = env_int("BOOKINGS_PER_DAY", 30)
# Webhook test messages and deliveries sent again by hand, per person an hour (webhooks.limits).
WEBHOOK_MANUAL_SENDS_PER_HOUR = env_int("WEBHOOK_MANUAL_SENDS_PER_HOUR", 20)

# --- Routing: how asks are offered to experts (hours; see openhelp/help/routing/policy.py) ---------------------
ROUTING = {
    "OFFERS_PER_ROUND": env_int("ROUTING_OFFERS_PER_ROUND", 3),
    "OFFER_WINDOW": {"today": 2, "this_week": 24, "flexible": 72},
    "PROMISED_RESPONSE": {"today": 4, "this_week": 48, "flexible": 120},
    "ESCALATE_AFTER_ROUNDS": env_int("ROUTING_ESCALATE_AFTER_ROUNDS", 2),
    "MAX_ROUNDS": env_int("ROUTING_MAX_ROUNDS", 6),
}

# --- Office hours and booking (see docs/locking.md) ----------------------------------------------
LOCK_TIMEOUT_MS = env_int("LOCK_TIMEOUT_MS", 5000)
OFFICE_HOURS = {
    # A cancellation this close to the start (hours) is recorded as late.
    "LATE_CANCEL_HOURS": env_int("OFFICE_HOURS_LATE_CANCEL_HOURS", 24),
    # A booking request's Idempotency-Key returns its first booking this long (hours); then it is new.
    "IDEMPOTENCY_KEY_HOURS": env_int("OFFICE_HOURS_IDEMPOTENCY_KEY_HOURS", 24),
    # The "generated room" location: {code} is a random code per block, {start} the slot's UTC start.
    "ROOM_LINK_PATTERN": env_str(
        "OFFICE_HOURS_ROOM_LINK_PATTERN", "https://meet.jit.si/open-to-help-{code}-{start}"
    ),
}

# --- Sessions: no-shows pause booking (see openhelp/help/mentoring/attendance.py) -----------------------------
# This many no-shows (not contradicted by the person) within the window pause booking; an organiser can
# lift the pause.
NO_SHOW_POLICY = {
    "MAX_NO_SHOWS": env_int("NO_SHOW_MAX", 2),
    "WINDOW_DAYS": env_int("NO_SHOW_WINDOW_DAYS", 60),
}

# Called in this order with ``user=`` before an account is deleted: each feature that holds commitments
# to other people releases them. Named here, where every app is known, because accounts sits below them.
ACCOUNT_DELETION_RELEASES = ["openhelp.help.officehours.changes.cancel_for_deleted_account"]
# What the ask workflows call above them (openhelp/help/asks/ports.py declares the protocols): routing gets the asks
# they publish, cancel or re-route; sessions follow their ask. Named here because asks sits below both.
ASK_ROUTING = "openhelp.help.routing.for_asks"
ASK_SESSIONS = "openhelp.help.mentoring.for_asks"

LOGGING: dict = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets carried in URL paths (calendar feeds, one-time links) are replaced by "…" in every line.
    "filters": {"redact": {"()": "openhelp.platform.lib.logredact.RedactSecretPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "WARNING" if OTH_ENV == "test" else "INFO"),
    },
}
# `make run` sets LOG_QUIET=True (`VERBOSE=1 make run` does not): one short line per request, no line for
# routine work that succeeded, every warning and error in full (openhelp/platform/lib/devlog.py).
if env_bool("LOG_QUIET", False):
    LOGGING["filters"]["quiet"] = {"()": "openhelp.platform.lib.devlog.QuietFilter"}
    LOGGING["formatters"] = {"quiet": {"()": "openhelp.platform.lib.devlog.QuietFormatter"}}
    LOGGING["handlers"]["console"].update(filters=["redact", "quiet"], formatter="quiet")
    # Django's defaults give these loggers handlers of their own; quiet, everything goes through this one.
    LOGGING["loggers"] = {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    }

# --- Slack app (openhelp/integrations/slack; docs/integrations/slack.md) ---------------------------
# The Slack app's credentials (api.slack.com → your app → Basic Information). Empty: the app is off and
# its endpoints answer 404. SLACK_API_URL points the Web API client elsewhere (the tests' fake server).
SLACK_CLIENT_ID = env_str("SLACK_CLIENT_ID", "")
SLACK_CLIENT_SECRET = env_str("SLACK_CLIENT_SECRET", "")
SLACK_SIGNING_SECRET = env_str("SLACK_SIGNING_SECRET", "")
SLACK_API_URL = env_str("SLACK_API_URL", "https://slack.com/api/")
SLACK_AUTHORIZE_URL = env_str("SLACK_AUTHORIZE_URL", "https://slack.com/oauth/v2/authorize")
# The slash command that opens the "write an ask" modal (the manifest declares /help by default).
SLACK_ASK_COMMAND = env_str("SLACK_ASK_COMMAND", "/help")
SLACK_DAILY_MESSAGE_CAP = env_int("SLACK_DAILY_MESSAGE_CAP", 500)

# --- Connected calendars (openhelp/directory/calendars, docs/integrations/caldav.md) ---------------------
# Busy times are read this many weeks ahead (the office-hours horizon), every CALENDAR_SYNC_MINUTES.
CALENDAR_SYNC_WEEKS = env_int("CALENDAR_SYNC_WEEKS", 8)
CALENDAR_SYNC_MINUTES = env_int("CALENDAR_SYNC_MINUTES", 10)
CALENDAR_CONNECT_ATTEMPTS_PER_HOUR = env_int("CALENDAR_CONNECT_ATTEMPTS_PER_HOUR", 10)
# What write-back asks for a booking (openhelp/directory/calendars/ports.py): office hours sit above calendars.
CALENDAR_BOOKINGS = "openhelp.help.officehours.for_calendars"

# --- Outgoing webhooks (openhelp/integrations/webhooks) and the SSRF-safe client (openhelp/platform/lib/safe_http.py)
# Hosts (``host`` or ``host:port``) an administrator trusts although they resolve to private addresses:
# every outgoing call to a URL someone typed (webhooks, calendars, chat) may reach them. Empty by default.
OUTBOUND_ALLOWED_HOSTS = env_list("OUTBOUND_ALLOWED_HOSTS", [])
WEBHOOKS = {
    # Seconds between attempts after a failure: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts).
    "RETRY_SCHEDULE_SECONDS": [
        int(seconds)
        for seconds in env_list(
            "WEBHOOKS_RETRY_SCHEDULE", ["5", "300", "1800", "7200", "18000", "36000", "36000"]
        )
    ],
    "DISABLE_AFTER_FAILED_DELIVERIES": env_int("WEBHOOKS_DISABLE_AFTER_FAILED_DELIVERIES", 10),
    "DISABLE_AFTER_DAYS": env_int("WEBHOOKS_DISABLE_AFTER_DAYS", 5),
    "CONNECT_TIMEOUT": env_int("WEBHOOKS_CONNECT_TIMEOUT", 3),
    "READ_TIMEOUT": env_int("WEBHOOKS_READ_TIMEOUT", 5),
}

# --- Single sign-on (openhelp/integrations/sso; docs/integrations/sso.md) ---------------------------
# Identity providers are configured by organisers in the database (/sso/providers/); allauth runs OIDC
# and SAML from the SocialApp rows each provider writes. Nothing here names a provider.
SOCIALACCOUNT_ADAPTER = "openhelp.integrations.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # just-in-time accounts, when the provider allows them (adapter)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by e-mail follows our rule (adapter), not allauth's
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the IdP vouches for its own addresses
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
# Password login and reset refused for domains whose provider requires company login.
ACCOUNT_FORMS = {
    **ACCOUNT_FORMS,
    "login": "openhelp.integrations.sso.account_forms.LoginForm",
    "reset_password": "openhelp.integrations.sso.account_forms.ResetPasswordForm",
}
# Organisers are told when this many company logins in a row fail, and when a SAML signing certificate
# expires within this many days.
SSO_FAILURE_ALERT_THRESHOLD = env_int("SSO_FAILURE_ALERT_THRESHOLD", 3)
SSO_CERTIFICATE_WARNING_DAYS = env_int("SSO_CERTIFICATE_WARNING_DAYS", 30)

# --- Provisioning, SCIM 2.0 (openhelp/organisers/provisioning; docs/integrations/scim.md) --------------
# Requests per token per minute (an initial import of thousands of people stays well under it), failed
# authentications per client address per 10 minutes, and the largest page a list answers.
SCIM_REQUESTS_PER_MINUTE = env_int("SCIM_REQUESTS_PER_MINUTE", 1200)
SCIM_FAILED_AUTH_PER_10_MINUTES = env_int("SCIM_FAILED_AUTH_PER_10_MINUTES", 30)
SCIM_MAX_RESULTS = env_int("SCIM_MAX_RESULTS", 200)
