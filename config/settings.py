"""Huiju settings, driven by environment variables.

With no environment set, everything is embedded: SQLite, the in-memory channel
layer, local-memory cache and the database search backend. Real services are
switched on by ``DATABASE_URL``, ``REDIS_URL`` and ``ELASTICSEARCH_URL``.

Defaults are production-safe: ``DEBUG`` is off, a ``SECRET_KEY`` is required,
cookies are secure and HSTS is on unless ``HTTPS=0`` (local plain-HTTP runs).
The demo command (``python3 dev.py demo``) sets ``DEBUG=1`` for itself.
See README.md for the full table of variables.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HUIJU_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
TESTING = False  # set by config.test_settings

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README.md, Configuration)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # ASGI runserver with WebSocket support; must come before staticfiles.
    "daphne",
    # Project apps
    "core",
    "accounts",
    "knowledge",
    "community",
    "search",
    "events",
    "notifications",
    "api",
    "collaboration",
    "webhooks",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.sites",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Real-time
    "channels",
    # API
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Security headers
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectNulQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "notifications.context_processors.unread_notifications",
                "community.context_processors.moderation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "huiju.sqlite3",
            # WAL keeps readers and the single writer of the embedded demo out of each other's way.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer ------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "huiju"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times socket reads out after 5 s, exactly channels-redis's
                # blocking-pop timeout, so idle consumers crashed: allow longer reads. Its
                # pools also stop at 100 connections and then raise, which a room full of
                # joining clients exceeds: allow more (REDIS_MAX_CONNECTIONS).
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 2000),
                    }
                ],
                "prefix": env_str("CHANNEL_LAYER_PREFIX", "huiju"),
                "capacity": 1500,
                "expiry": 30,
            },
        }
    }
    # Live rooms broadcast to whole groups. The pub/sub layer publishes a group message once
    # per server process, not once per connection, so a 1,000-client room costs one Redis
    # message per change instead of 1,000. Messages are not persisted, which the live rooms
    # do not need (they resync from the database). CHANNEL_LAYER=list selects the list layer.
    if env_str("CHANNEL_LAYER", "pubsub") == "pubsub":
        CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"
        for option in ("capacity", "expiry"):
            CHANNEL_LAYERS["default"]["CONFIG"].pop(option)
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "huiju",
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Search ----------------------------------------------------------------------

ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
SEARCH = {
    "BACKEND": "elasticsearch" if ELASTICSEARCH_URL else "database",
    "ELASTICSEARCH_URL": ELASTICSEARCH_URL,
    "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "huiju"),
    "TIMEOUT": env_int("SEARCH_TIMEOUT", 5),
    # PostgreSQL ranks and facets at most this many matches per query (totals show "N+").
    "CANDIDATES": env_int("SEARCH_CANDIDATES", 2000),
    # PostgreSQL reads the best prior bands expected to hold this multiple of the cap.
    "BAND_SAFETY": float(os.environ.get("SEARCH_BAND_SAFETY", "2.0")),
    # Apply index updates straight after each commit (no worker needed); on by default
    # for the database backend, off for Elasticsearch (run `manage.py search_drain --loop`).
    "DRAIN_ON_COMMIT": env_bool("SEARCH_DRAIN_ON_COMMIT", not ELASTICSEARCH_URL),
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Auth and accounts -----------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# OWASP ASVS L2 (V2.1): at least 12 characters, long passphrases allowed, no
# composition rules, checked against a list of common passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Huiju 匯聚] "
ACCOUNT_USER_DISPLAY = "accounts.models.user_display"
ACCOUNT_SIGNUP_FORM_CLASS = None
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
# Throttling (allauth keeps counters in the cache: Redis in production).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": env_str("RATE_SIGNUP", "5/h/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}

SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
if env_str("GITHUB_CLIENT_ID") and env_str("GITHUB_CLIENT_SECRET"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.github")
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [
            {
                "client_id": env_str("GITHUB_CLIENT_ID"),
                "secret": env_str("GITHUB_CLIENT_SECRET"),
            }
        ],
        "SCOPE": ["read:user", "user:email"],
    }
if env_str("WECHAT_APP_ID") and env_str("WECHAT_APP_SECRET"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.weixin")
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APPS": [{"client_id": env_str("WECHAT_APP_ID"), "secret": env_str("WECHAT_APP_SECRET")}],
        "SCOPE": ["snsapi_login"],
    }

# --- API ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "api.permissions.TokenScopes",
        "api.permissions.ReadOnlyOrAuthenticated",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StableCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON", "60/min"),
        "user": env_str("API_RATE_USER", "600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huiju API",
    "DESCRIPTION": "Open interface of Huiju, the developer community of China's national AI "
    "open innovation platforms. Authenticate scripts with a personal access token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    # Q&A post status (community.api) next to the collaboration board's own status enum.
    "ENUM_NAME_OVERRIDES": {"QuestionStatusEnum": "community.models.PostStatus"},
}

# --- Email -------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Huiju <noreply@huiju.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation ------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "huiju_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static and media ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Wagtail ---------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Huiju 匯聚"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: bare domains become https://

# --- Security -----------------------------------------------------------------------------

HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the live Q&A client reads it for fetch() calls
# Wagtail's preview views opt back in to same-origin framing themselves.
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline script, nothing from other origins. The
# Wagtail and Django admins ship inline scripts and are served under their own
# prefixes, which keep Django's other protections.
CONTENT_SECURITY_POLICY = {
    # The CMS, Django admin and Swagger UI ship their own inline styles/scripts.
    "EXCLUDE_URL_PREFIXES": ["/cms/", "/django-admin/", "/api/docs/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF, "https://player.bilibili.com", "https://www.youtube-nocookie.com"],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://github.com", "https://open.weixin.qq.com"],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Huiju -----------------------------------------------------------------------------------

HUIJU = {
    # Site-wide limits shared by forms, APIs and WebSocket consumers.
    "MAX_WEBSOCKET_MESSAGE_BYTES": env_int("MAX_WEBSOCKET_MESSAGE_BYTES", 8192),
}

# Webhooks to platforms (webhooks/): delivery worker `manage.py webhooks_deliver --loop`.
WEBHOOKS = {
    "TIMEOUT": env_int("WEBHOOK_TIMEOUT", 10),  # seconds per attempt (connect + read)
    "MAX_ATTEMPTS": env_int("WEBHOOK_MAX_ATTEMPTS", 8),  # then the delivery is marked failed
    "BACKOFF_BASE": env_int("WEBHOOK_BACKOFF_BASE", 30),  # seconds before the 2nd attempt
    "BACKOFF_MAX": env_int("WEBHOOK_BACKOFF_MAX", 6 * 3600),  # longest wait between attempts
    "LOG_DAYS": env_int("WEBHOOK_LOG_DAYS", 30),  # finished deliveries kept this long
    # Receivers must use https and public addresses unless these are on (local development).
    "ALLOW_HTTP": env_bool("WEBHOOK_ALLOW_HTTP", DEBUG),
    "ALLOW_PRIVATE_ADDRESSES": env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
    },
}
