"""Settings for the test suite: the real settings, made fast and deterministic.

Services still come from the environment, so CI runs the suite against real
PostgreSQL (``DATABASE_URL``) and Redis (``REDIS_URL``).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("HTTPS", "0")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

TESTING = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
