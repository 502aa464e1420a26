"""Django settings for Brug, read from ``BRUG_*`` variables through ``brug.env``.

Every setting has a default that runs on one machine with no servers: SQLite
in the data directory, a local-memory cache, e-mail to the console.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from brug import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.data_dir()

DEBUG = env.get_bool("DEBUG")
SECRET_KEY = env.secret_key(DATA_DIR)
PUBLIC_URL, _scheme, _public_host = env.public_url()
HTTPS = _scheme == "https"

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
if _public_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_public_host)
CSRF_TRUSTED_ORIGINS = [f"{_scheme}://{_public_host}", PUBLIC_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "ninja",
    "brug.core",
    "brug.people",
    "brug.spaces",
    "brug.posts",
    "brug.questions",
    "brug.notifications",
    "brug.realtime",
    "brug.search",
    "brug.matching",
    "brug.analytics",
    "brug.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "brug.core.middleware.RequestSizeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "brug.core.middleware.ViewerMiddleware",
    "brug.core.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brug.urls"
WSGI_APPLICATION = "brug.wsgi.application"
ASGI_APPLICATION = "brug.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brug.core.context_processors.brug",
                "brug.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database --------------------------------------------------------------------
# BRUG_DATABASE_URL=postgres://user:pass@host:5432/db switches to PostgreSQL;
# sqlite:////absolute/path.sqlite3 names another SQLite file (same tuning).
_database_url = env.get("DATABASE_URL")
if _database_url and not _database_url.startswith("sqlite:"):
    # Connections come from a pool (psycopg_pool, through Django) that each
    # process keeps open: a new PostgreSQL connection costs 3-7 ms per request,
    # and a fresh server process plans its first statements slower still.
    # ``BRUG_DATABASE_POOL_SIZE=0`` turns the pool off (one connection per
    # request, or kept ``BRUG_DATABASE_CONN_MAX_AGE`` seconds per thread; a
    # pool and kept connections exclude each other, and a kept age wins).
    _conn_max_age = env.get_int("DATABASE_CONN_MAX_AGE", 0)
    _pool_size = env.get_int("DATABASE_POOL_SIZE", 10) if _conn_max_age == 0 else 0
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=_conn_max_age,
            conn_health_checks=True,
        )
    }
    DATABASES["default"].setdefault("TEST", {})
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if _pool_size > 0:
        _options["pool"] = {
            "min_size": min(2, _pool_size),
            "max_size": _pool_size,
            # Seconds a request waits for a free connection before it fails.
            "timeout": env.get_int("DATABASE_POOL_TIMEOUT", 10),
        }
    # Prepared statements for the few statements Brug marks (``brug.core.sql.
    # prepared_cursor``: per-person SQL that every page runs, such as the
    # notification badge); every other query is bound on the client as
    # Django does. Off (``BRUG_DATABASE_PREPARED=0``) for a pooler in
    # transaction mode that cannot keep them (pgbouncer before 1.21).
    # psycopg prepares such a statement on its second run on a connection.
    _options["prepare_threshold"] = 1 if env.get_bool("DATABASE_PREPARED", True) else None
    # No parallel workers for Brug's queries by default: they are short and
    # LIMITed (a page, a window of search matches), and starting workers cost
    # more than it saved (search at the medium tier of BENCHMARKS.md: type
    # counts 820 -> 250 ms, a rare term 35 -> 12 ms). Raise it for a server
    # with many idle cores if `brug bench` says so.
    _parallel = env.get_int("DATABASE_PARALLEL_WORKERS", 0)
    # No JIT either: it compiles a statement once its estimated cost passes
    # ``jit_above_cost``, and a search's type counts for a common word at the
    # large tier (estimated high, answered in milliseconds thanks to LIMIT) spent
    # ~70 ms compiling.
    _options["options"] = f"-c max_parallel_workers_per_gather={_parallel} -c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": (
                dj_database_url.parse(_database_url)["NAME"]
                if _database_url
                else DATA_DIR / "brug.sqlite3"
            ),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes
                # the write lock at BEGIN so concurrent writers queue on the busy
                # timeout instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache -----------------------------------------------------------------------
REDIS_URL = env.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "brug.core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.get("CACHE_PREFIX", "brug"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "brug.core.cache.FailOpenLocMemCache",
            "LOCATION": "brug",
        }
    }

# Jobs ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# brug.core.jobs: how often an idle worker looks for work, how often it says it
# is alive, and after how long without a sign of life its running task is
# taken back by the reaper; finished task rows are pruned after some days.
BRUG_JOB_POLL_SECONDS = env.get_float("JOB_POLL_SECONDS", 1.0)
BRUG_JOB_HEARTBEAT_SECONDS = env.get_float("JOB_HEARTBEAT_SECONDS", 10.0)
BRUG_JOB_STALE_SECONDS = env.get_float("JOB_STALE_SECONDS", 60.0)
BRUG_JOB_RESULT_DAYS = env.get_int("JOB_RESULT_DAYS", 7)

# Auth ------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "people:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: database-backed (works with Redis down), locking by account and
# address together so that one attacker behind a company NAT cannot lock out
# every colleague, and the account is not locked from every address either.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env.get_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/login_locked.html"
# The lockout page with 429 and Retry-After; addresses compared in lower case.
AXES_LOCKOUT_CALLABLE = "brug.people.views_auth.lockout_response"
AXES_USERNAME_CALLABLE = "brug.people.views_auth.axes_username"
CSRF_FAILURE_VIEW = "brug.people.views_auth.csrf_failure"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Behind a reverse proxy, set BRUG_TRUSTED_PROXIES=1 (the number of proxies in
# front of Brug) so the client address is read from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.get_int("TRUSTED_PROXIES", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_LOG_RETENTION_DAYS = env.get_int("LOGIN_LOG_DAYS", 30)

# Internationalisation --------------------------------------------------------
LANGUAGE_CODE = env.get("LANGUAGE", "nl") if env.get("LANGUAGE", "nl") in {"nl", "en"} else "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.get("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "brug_language"

# Static and uploads ----------------------------------------------------------
STATIC_URL = "/static/"
# BRUG_STATIC_ROOT: where collectstatic writes (the test servers use their own).
STATIC_ROOT = Path(env.get("STATIC_ROOT")) if env.get("STATIC_ROOT") else DATA_DIR / "static"
# whitenoise warns on every start when the folder is missing (before the first collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", Path(__import__("bootstrap_wrapper").__file__).parent.parent / "bootstrap"),
]
STORAGES = {
    # Uploads are never served from a public folder: permission-checked views
    # stream them (SECURITY.md promise 4).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "uploads"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
BRUG_MAX_REQUEST_BYTES = env.get_int("MAX_REQUEST_BYTES", 12 * 1024 * 1024)
BRUG_MAX_UPLOAD_BYTES = env.get_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
BRUG_MAX_IMAGE_PIXELS = env.get_int("MAX_IMAGE_PIXELS", 40_000_000)


# E-mail ----------------------------------------------------------------------
def _mailer(url: str) -> dict:
    """Turn ``BRUG_EMAIL_URL`` (console, locmem, smtp://, smtps://) into a mailer."""
    if not url or url == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if url.startswith("file://"):
        # file:///path/to/dir writes each mail to a file there (checks, tests across processes).
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(urlsplit(url).path)},
        }
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    secure = parts.scheme in {"smtps", "smtp+ssl"}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if secure else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": secure,
            "use_tls": not secure and query.get("tls", ["1"])[0] not in {"0", "false"},
            "timeout": 10,
        },
    }


EMAIL_URL_SET = env.get("EMAIL_URL", "console") not in {"", "console"}
MAILERS = {"default": _mailer(env.get("EMAIL_URL", "console"))}
# Console e-mail is Brug's documented default (DESIGN.md), also behind https:
# Django's deploy check would call it an error, so ``brug run`` warns instead.
SILENCED_SYSTEM_CHECKS = [] if EMAIL_URL_SET else ["mail.E001"]
DEFAULT_FROM_EMAIL = env.get("EMAIL_FROM", f"Brug <noreply@{_public_host}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security --------------------------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.get_bool("SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.get_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Brug ------------------------------------------------------------------------
BRUG_MEMBERS_MAY_CREATE_SPACES = env.get_bool("MEMBERS_MAY_CREATE_SPACES", True)
# Live "notification" events for the SSE streams (the demo loader turns them off).
BRUG_LIVE_NOTIFICATIONS = env.get_bool("LIVE_NOTIFICATIONS", True)
BRUG_ALLOW_UNMASK = env.get_bool("ALLOW_UNMASK", False)
BRUG_UNANSWERED_AFTER_HOURS = env.get_int("UNANSWERED_AFTER_HOURS", 24)
BRUG_ACTIVITY_RETENTION_DAYS = env.get_int("ACTIVITY_RETENTION_DAYS", 400)
BRUG_VIEW_FLUSH_SECONDS = env.get_int("VIEW_FLUSH_SECONDS", 5)
BRUG_API_PAGE_LIMIT = 100
# Search ranks at most this many of the newest matches of a query (brug/search/queries.py).
BRUG_SEARCH_WINDOW = env.get_int("SEARCH_WINDOW", 2000)
# The type tabs count at most this many matches per type ("500+").
BRUG_SEARCH_COUNT_CAP = env.get_int("SEARCH_COUNT_CAP", 500)

# Notifications and realtime (brug.notifications, brug.realtime): mentions and
# replies are e-mailed in one bundle per window; realtime events are kept a day
# (for Last-Event-ID replays); each server's poller looks for new events this
# often when nothing wakes it earlier; SSE streams send a comment line as a
# heartbeat so proxies keep them open.
BRUG_EMAIL_BUNDLE_SECONDS = env.get_int("EMAIL_BUNDLE_SECONDS", 5 * 60)
BRUG_EVENT_RETENTION_HOURS = env.get_int("EVENT_RETENTION_HOURS", 24)
BRUG_REALTIME_POLL_SECONDS = env.get_float("REALTIME_POLL_SECONDS", 1.0)
BRUG_REALTIME_CHANNEL = env.get("REALTIME_CHANNEL", "brug-realtime")
BRUG_SSE_HEARTBEAT_SECONDS = env.get_float("SSE_HEARTBEAT_SECONDS", 15.0)
# brug.core.ratelimit: "count/seconds" per scope (scopes not named here use
# the defaults in that module). Password-reset requests are limited per
# e-mail address and per client address.
BRUG_RATE_LIMITS = {
    "password_reset_address": env.get("RATE_PASSWORD_RESET_ADDRESS", "3/900"),
    "password_reset_ip": env.get("RATE_PASSWORD_RESET_IP", "10/900"),
    # Invitations into spaces, per inviting person (SECURITY.md promise 7).
    "space_invite": env.get("RATE_SPACE_INVITE", "60/3600"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
    "loggers": {"brug": {"level": env.get("LOG_LEVEL", "INFO"), "propagate": True}},
}
