"""Settings resolve in both modes, and production settings pass Django's deploy checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "search": settings.SEARCH["BACKEND"],
    "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "email": settings.EMAIL_BACKEND,
    "apps": settings.INSTALLED_APPS,
}))
"""

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "huiju.example.cn",
    "DATABASE_URL": "postgres://huiju:secret@db.internal:5432/huiju",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ELASTICSEARCH_URL": "http://search.internal:9200",
    "EMAIL_HOST": "smtp.example.cn",
}


def run_python(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "PYTHONPATH"}}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    clean["HUIJU_VAR_DIR"] = env.pop("HUIJU_VAR_DIR", "/tmp/huiju-settings-test")
    return subprocess.run(
        [sys.executable, *args] if args else [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(env: dict[str, str]) -> dict:
    result = run_python(PROBE, dict(env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults_with_no_environment():
    values = probe({"DEBUG": "1"})
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"].endswith("LocMemCache")
    assert values["layer"] == "channels.layers.InMemoryChannelLayer"
    assert values["search"] == "database"
    assert values["email"].endswith("console.EmailBackend")
    assert "allauth.socialaccount.providers.github" not in values["apps"]


def test_real_services_are_switched_on_by_environment():
    values = probe(PRODUCTION_ENV)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"  # see settings.py
    assert values["search"] == "elasticsearch"
    assert values["email"].endswith("smtp.EmailBackend")


def test_production_is_safe_by_default():
    values = probe(PRODUCTION_ENV)
    assert values["debug"] is False
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31_536_000
    assert values["secure_cookies"] is True


def test_missing_secret_key_is_refused_when_debug_is_off():
    result = run_python(PROBE, {"ALLOWED_HOSTS": "x"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_social_providers_appear_only_with_their_keys():
    values = probe({**PRODUCTION_ENV, "GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"})
    assert "allauth.socialaccount.providers.github" in values["apps"]
    assert "allauth.socialaccount.providers.weixin" not in values["apps"]
    values = probe({**PRODUCTION_ENV, "WECHAT_APP_ID": "wx", "WECHAT_APP_SECRET": "secret"})
    assert "allauth.socialaccount.providers.weixin" in values["apps"]


def test_check_deploy_is_clean_with_production_environment():
    result = run_python(
        "", dict(PRODUCTION_ENV), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
