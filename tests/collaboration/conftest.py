import datetime

import pytest
from django.utils import timezone

from collaboration.models import CollaborationPost
from collaboration.services import skills_resolve
from knowledge.models import OpenResource, Platform, Subdomain

AUTHOR_CONTACTS = {
    "contact_email": "founder-secret@startup.example",
    "contact_wechat": "wx_founder_secret",
    "contact_phone": "+86 139 1111 2222",
    "contact_link": "https://calendar.example/founder-secret",
}
MEMBER_CONTACTS = {"contact_wechat": "wx_dev_secret", "contact_email": "dev-secret@example.org"}


@pytest.fixture
def driving(db):
    return Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )


@pytest.fixture
def voice(db):
    return Subdomain.objects.create(
        slug="intelligent-voice",
        name_zh_hans="智能语音",
        name_zh_hant="智能語音",
        name_en="Intelligent voice",
    )


@pytest.fixture
def baidu(driving):
    return Platform.objects.create(
        slug="baidu",
        subdomain=driving,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )


@pytest.fixture
def apollo(baidu):
    return OpenResource.objects.create(platform=baidu, slug="apollo", name="Apollo", kind="toolkit")


@pytest.fixture
def founder(make_user):
    return make_user("founder")


@pytest.fixture
def developer(make_user):
    return make_user("developer")


@pytest.fixture
def make_post(driving, founder):
    counter = {"n": 0}

    def make(author=None, skills=("PyTorch", "点云"), **fields) -> CollaborationPost:
        counter["n"] += 1
        values = {
            "author": author or founder,
            "kind": "seeking",
            "title": f"Looking for a perception partner {counter['n']}",
            "description": "We build **lidar** perception.",
            "subdomain": driving,
            "stage": "prototype",
            "engagement": "cofounder",
            "location": "北京",
            "remote": True,
            "expires_on": timezone.localdate() + datetime.timedelta(days=30),
            **AUTHOR_CONTACTS,
        }
        values.update(fields)
        post = CollaborationPost.objects.create(**values)
        post.skills.set(skills_resolve(names=list(skills)))
        return post

    return make


@pytest.fixture
def post(make_post):
    return make_post()


@pytest.fixture(autouse=True)
def _english():
    """Assert on English messages; reverse() then yields /en/ URLs, so pages render in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
