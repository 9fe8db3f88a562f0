import pytest
from rest_framework.test import APIClient

from accounts.tokens import token_create
from knowledge.models import OpenResource, Platform, ResourceVersion, Subdomain


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalogue(db, make_user):
    """Two platforms, each with a staff member and one resource with a version."""
    driving = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )
    voice = Subdomain.objects.create(
        slug="intelligent-voice",
        name_zh_hans="智能语音",
        name_zh_hant="智能語音",
        name_en="Intelligent voice",
    )
    baidu = Platform.objects.create(
        slug="baidu",
        subdomain=driving,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )
    iflytek = Platform.objects.create(
        slug="iflytek",
        subdomain=voice,
        name_zh_hans="科大讯飞",
        name_zh_hant="科大訊飛",
        name_en="iFLYTEK",
        year_designated=2017,
    )
    baidu_staff, iflytek_staff = make_user("baidu_staff"), make_user("iflytek_staff")
    baidu.staff.add(baidu_staff)
    iflytek.staff.add(iflytek_staff)
    apollo = OpenResource.objects.create(
        platform=baidu,
        slug="apollo",
        name="Apollo",
        kind="toolkit",
        summary_en="Open autonomous driving platform",
    )
    ResourceVersion.objects.create(resource=apollo, version="9.0")
    asr = OpenResource.objects.create(platform=iflytek, slug="asr-api", name="ASR API", kind="api")
    return {
        "baidu": baidu,
        "iflytek": iflytek,
        "baidu_staff": baidu_staff,
        "iflytek_staff": iflytek_staff,
        "apollo": apollo,
        "asr": asr,
    }


@pytest.fixture
def bearer():
    def make(user, scopes):
        _token, plaintext = token_create(user=user, name="test", scopes=scopes)
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    return make
