"""``manage.py load_demo`` is idempotent and refuses to run on a production configuration."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    project_apps = {"accounts", "knowledge", "community", "search", "events"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in project_apps | {"wagtailcore", "account", "auth"}
        and not model._meta.label.startswith("search.")  # the outbox drains between runs
    }


def test_load_demo_twice_creates_nothing_twice(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first

    from accounts.models import User
    from knowledge.models import Platform, Subdomain

    assert Subdomain.objects.count() == 15
    assert Platform.objects.count() == 15
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="moderator").groups.filter(name="Moderators").exists()
    assert Platform.objects.get(slug="baidu").staff.filter(username="baidu_staff").exists()
    assert "Admin login: username 'admin', password 'huiju-demo-2026'" in out.getvalue()


def test_demo_admin_can_sign_in(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    response = client.post(
        "/en/accounts/login/", {"login": "admin", "password": "huiju-demo-2026"}, follow=True
    )
    assert response.context["user"].username == "admin"


def test_load_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo", stdout=StringIO())
