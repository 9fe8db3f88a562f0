"""The demo loader adds collaboration posts, interests and organisations, idempotently."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_app_config("collaboration").get_models()
    }


def test_demo_posts_and_interests(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
    assert first["collaboration.CollaborationPost"] >= 4
    assert first["collaboration.Interest"] >= 3
    assert first["collaboration.Organisation"] >= 2
    page = client.get(reverse("collaboration:post_list")).content.decode()
    assert "寻找时空图神经网络合伙人" in page
    assert "citypulse_lina" not in page
