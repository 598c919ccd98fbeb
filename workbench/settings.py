"""Settings for the workbench, read from the environment (see .env.example for every variable).

Development defaults are safe; production has no secret defaults: with DJANGO_DEBUG off,
DJANGO_SECRET_KEY must be set.
"""

from __future__ import annotations

import re
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("WORKBENCH_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="development-only-not-a-secret")
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 for development.") from exc

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First: its runserver serves ASGI, WebSockets included (live updates, annotations/live).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Before the third-party apps, so its templates override theirs (the API docs page).
    "annotations",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "axes",
    "csp",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the security headers, outside everything that reads the database: a 503, not a 500.
    "workbench.middleware.DatabaseUnavailableMiddleware",
    # Outside CommonMiddleware (APPEND_SLASH redirects first): an unrouted /api/ path is a JSON 404.
    "workbench.middleware.ApiNotFoundMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"
ASGI_APPLICATION = "workbench.asgi.application"

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
                "annotations.views.notifications.unread_notifications",
            ],
        },
    },
]

# --- Database: PostgreSQL only. -------------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from workbench.embedded_postgres import database_url

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        DATABASES = {"default": env.db_url_config(database_url(VAR_DIR))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Lets two test runs share one server (e.g. DATABASE_TEST_NAME=test_workbench_2).
DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME", default="") or None}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# A streaming replica for the heavy read-only searches (workbench.databases). In tests it mirrors
# the test database, as a replica would.
_replica_url = env.str("DATABASE_REPLICA_URL", default="")
if _replica_url:
    DATABASES["replica"] = {
        **env.db_url_config(_replica_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DATABASE_ROUTERS = ["workbench.databases.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads: served by the app itself (WhiteNoise), never from a CDN. ------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "frontend"]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
if env.str("SNAPSHOT_S3_BUCKET", default=""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("SNAPSHOT_S3_BUCKET"),
            "endpoint_url": env.str("SNAPSHOT_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("SNAPSHOT_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("SNAPSHOT_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("SNAPSHOT_S3_REGION", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security. -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain http is redirected to https; /healthz stays reachable by probes on the plain port.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain to https in browsers for months: the operator's call.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy on every response (django-csp): nothing inline, nothing from elsewhere.
# Data a page's script needs travels in json_script blocks or data attributes; colours a team chose
# are applied through the CSSOM (frontend/js/colors.js). Swagger UI's icons are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one user name, or
# from one address, further attempts are refused for AXES_COOLOFF_MINUTES (each new attempt during
# the pause starts it again). Admins unlock at once by deleting the access attempts in Django admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = False  # a success must not wipe an address's failures against other accounts
AXES_VERBOSE = False
if BEHIND_TLS_PROXY:
    # The client's address as the proxy saw it, not the proxy's own (which every user shares).
    AXES_CLIENT_IP_CALLABLE = "workbench.middleware.client_address"

# --- Celery: a real worker always; the broker comes from CELERY_BROKER_URL. ----------------
# With no broker configured, kombu's filesystem transport under var/ needs no server at all.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# Keeps two installations (or the test suite and `make run`) apart on one broker.
CELERY_NAMESPACE = env.str("CELERY_NAMESPACE", default="")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) and CELERY_NAMESPACE:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{CELERY_NAMESPACE}:"}
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / (f"broker-{CELERY_NAMESPACE}" if CELERY_NAMESPACE else "broker")
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Redis only: seconds before a task taken but never acknowledged (its worker was killed) goes back
# to the queue. Unset: kombu's default of one hour. No task waits in the broker for a retry (the
# outbox keeps due times as rows), so it only needs to exceed the longest task's run time.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=0)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) and CELERY_VISIBILITY_TIMEOUT:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": max(1, CELERY_VISIBILITY_TIMEOUT // 2),
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="django-db")
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process that grew past this (KiB), e.g. after extracting a 20 MB report, is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400 * 1024
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# The outbox sweep sends the work that is due or was missed: retries, work recorded while the broker
# was down, tasks a killed worker lost (annotations/outbox.py).
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=15.0)
CELERY_BEAT_SCHEDULE["sweep-outbox"] = {"task": "annotations.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS}
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=5.0)

# --- Fetching cited reports. ---------------------------------------------------------------
FETCH_EXTRA_PORTS = [int(p) for p in env.list("FETCH_EXTRA_PORTS", default=[])]
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=20 * 1024 * 1024)
FETCH_REUSE_WINDOW_SECONDS = env.int("FETCH_REUSE_WINDOW_SECONDS", default=3600)
FETCH_MAX_ATTEMPTS = env.int("FETCH_MAX_ATTEMPTS", default=5)
# The whole network part of one attempt; the task's soft and hard limits are 1.5x and 2x this.
FETCH_TIMEOUT_SECONDS = env.float("FETCH_TIMEOUT_SECONDS", default=120.0)
# First retry delay; it doubles with each attempt (with jitter), up to an hour.
FETCH_RETRY_BACKOFF_SECONDS = env.float("FETCH_RETRY_BACKOFF_SECONDS", default=30.0)
# Test-only: hosts that may resolve to loopback or private addresses. Refused outside DEBUG.
FETCH_ALLOW_PRIVATE_HOSTS = env.list("FETCH_ALLOW_PRIVATE_HOSTS", default=[])
if FETCH_ALLOW_PRIVATE_HOSTS and not DEBUG:
    raise ImproperlyConfigured("FETCH_ALLOW_PRIVATE_HOSTS is for tests only and is refused in production.")
# Other fact-checkers' ClaimReview feeds ("Checked elsewhere") are read again this often.
REVIEW_FEED_REFRESH_HOURS = env.float("REVIEW_FEED_REFRESH_HOURS", default=24.0)
if REVIEW_FEED_REFRESH_HOURS <= 0:
    raise ImproperlyConfigured("REVIEW_FEED_REFRESH_HOURS must be a positive number of hours.")

# --- Capturing pages in the reader's browser (annotations/capture). -------------------------
# The largest serialised page (UTF-8 bytes) a capture may carry; larger ones are refused with a 413.
CAPTURE_MAX_BYTES = env.int("CAPTURE_MAX_BYTES", default=10 * 1024 * 1024)

# --- REST API (annotations/api). -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its WWW-Authenticate header makes a missing credential a 401.
        "annotations.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["annotations.api.permissions.PolicyPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["annotations.api.throttling.ApiTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["annotations.api.renderers.FastJSONRenderer"],
    # Bounded in size and depth, and refusing NUL characters (annotations/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["annotations.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotations.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per API token or team key, e.g. "600/minute" (DRF rate syntax); 429 with Retry-After beyond it.
API_TOKEN_RATE_LIMIT = env.str("API_TOKEN_RATE_LIMIT", default="600/minute")
if API_TOKEN_RATE_LIMIT and not re.fullmatch(r"\s*\d+\s*/\s*[smhd]\w*\s*", API_TOKEN_RATE_LIMIT):
    raise ImproperlyConfigured('API_TOKEN_RATE_LIMIT: write a rate such as "600/minute", or leave it empty for none.')
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check workbench API",
    "DESCRIPTION": "Claims, sources, verdicts; W3C Web Annotation and schema.org ClaimReview.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are public (they describe the API, not its data).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # 3.1: a nullable object is `oneOf: [{$ref}, {type: null}]`; 3.0's `nullable` beside a $ref allows no null.
    "OAS_VERSION": "3.1.0",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error answers, from one place (annotations/api/schema.py); shared enums; then
    # the W3C request bodies' JSON Schemas (annotations/api/w3c/shapes.py), last: the enum hook
    # rebuilds the components from drf-spectacular's registry.
    "POSTPROCESSING_HOOKS": [
        "annotations.api.schema.document_errors",
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.w3c.shapes.document_inputs",
    ],
    # Swagger UI from drf-spectacular-sidecar's local copy: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "annotations.models.claims.ClaimStatus",
        "RoleEnum": "annotations.models.teams.Role",
        "NotificationKindEnum": "annotations.models.notifications.NotificationKind",
        "KindEnum": "annotations.models.api_keys.TokenKind",
        "WebhookEventEnum": "annotations.models.webhooks.WebhookEvent",
    },
}
# The throttle counters: Redis (shared by every web process) when the broker is Redis, else per process.
# Short socket timeouts: with Redis unreachable the throttle counts per process (throttling.py) at
# once, instead of holding the request while a connection attempt hangs.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,
            "KEY_PREFIX": f"workbench-cache:{CELERY_NAMESPACE}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live updates (annotations/live): hints of changes sent to open pages over WebSocket through a
# channel layer. Redis (CHANNEL_LAYER_URL, else the broker's when it is Redis) reaches every web
# process and the Celery workers; without Redis, an in-memory layer serves one web process only.
CHANNEL_LAYER_URL = env.str("CHANNEL_LAYER_URL", default="") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
if CHANNEL_LAYER_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # The socket timeout outlasts the layer's blocking pop (5 s); an unreachable Redis
                # fails a publish within the connect timeout instead of holding the write.
                "hosts": [{"address": CHANNEL_LAYER_URL, "socket_connect_timeout": 2, "socket_timeout": 10}],
                "prefix": f"{CELERY_NAMESPACE or 'workbench'}:live",
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Webhook deliveries: first retry delay in seconds (doubles per attempt, with jitter), and a CA
# bundle to trust instead of the system's (private CAs, tests).
WEBHOOK_RETRY_BACKOFF_SECONDS = env.float("WEBHOOK_RETRY_BACKOFF_SECONDS", default=10.0)
WEBHOOK_CA_CERTS = env.str("WEBHOOK_CA_CERTS", default="")

# --- Email and notifications (annotations/services/notifications.py). ------------------------
# EMAIL_URL (smtp+tls://user:password@host:587) or EMAIL_HOST with EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS; with neither, development prints emails on the console.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST", default="")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Fact-check workbench <workbench@localhost>")
# The site's address as users reach it, for links in emails.
SITE_URL = env.str("WORKBENCH_SITE_URL", default="http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}")
# Due notices: claims due within this many hours (or overdue) tell their assignee, once per due date.
NOTIFY_DUE_WITHIN_HOURS = env.float("NOTIFY_DUE_WITHIN_HOURS", default=24.0)
CELERY_BEAT_SCHEDULE["notify-due"] = {"task": "annotations.notify_due", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["sweep-notifications"] = {"task": "annotations.sweep_notifications", "schedule": 60.0}

# --- People and sign-in (annotations/services/people.py, workbench/oidc.py). -----------------
# Days an invitation link works; resending makes a new link with a new expiry.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=7)
# Sign-in through the team's identity provider (OpenID Connect, mozilla-django-oidc): on when
# OIDC_RP_CLIENT_ID is set. Endpoints come from OIDC_OP_ISSUER's discovery document unless given.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation's sign-in")
# Accounts are matched by email only when the provider says the address is verified, unless this is set.
OIDC_TRUST_UNVERIFIED_EMAIL = env.bool("OIDC_TRUST_UNVERIFIED_EMAIL", default=False)
# A person with no invitation and no team joins this team (by slug) with this role; empty: none.
OIDC_DEFAULT_TEAM = env.str("OIDC_DEFAULT_TEAM", default="")
OIDC_DEFAULT_ROLE = env.str("OIDC_DEFAULT_ROLE", default="reviewer")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?oidc=failed"
AUTHENTICATION_BACKENDS += ["workbench.oidc.WorkbenchOIDCBackend"]

# --- Demo data. ----------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "requests"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Development servers' request lines: routine polling is dropped (workbench/log_filters.py).
    "filters": {"quiet_polling": {"()": "workbench.log_filters.QuietPolling"}},
    "formatters": {"requests": {"format": "[%(asctime)s] %(message)s", "datefmt": "%d/%b/%Y %H:%M:%S"}},
    "loggers": {
        name: {
            "handlers": ["requests"],
            "level": "INFO",
            "filters": ["quiet_polling"],
            "propagate": False,
        }
        for name in ("django.server", "django.channels.server")
    },
}
