"""The home page and shared layout render in all three languages."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "html_lang", "expected"),
    [
        ("/", "zh-hans", ["跳到正文", "登录", "搜索汇聚"]),
        ("/zh-hant/", "zh-hant", ["跳到正文", "登入", "搜尋匯聚"]),
        ("/en/", "en", ["Skip to content", "Sign in", "Search Huiju"]),
    ],
)
def test_layout_is_translated(client, prefix, html_lang, expected):
    response = client.get(prefix)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{html_lang}">' in body
    for text in expected:
        assert text in body


def test_unprefixed_urls_are_simplified_chinese_even_with_another_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_language_switch_redirects_to_the_same_page_in_the_new_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/users/nobody/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/users/nobody/"
    assert response.cookies["huiju_language"].value == "en"
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/en/"})
    assert response["Location"] == "/"


def test_language_switch_rejects_foreign_redirects(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] in {"/", "/en/"}


def test_language_switcher_is_a_csrf_protected_form_on_every_page(client):
    body = client.get("/en/").content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert "csrfmiddlewaretoken" in body
    for code in ("zh-hans", "zh-hant", "en"):
        assert f'value="{code}"' in body


def test_header_lists_the_sub_domains_and_no_cdn_assets(client, django_assert_max_num_queries):
    from knowledge.models import Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="smart-home", name_zh_hans="智能家居", name_zh_hant="智能家居", name_en="Smart home"
    )
    Platform.objects.create(
        slug="xiaomi",
        subdomain=subdomain,
        name_zh_hans="小米",
        name_zh_hant="小米",
        name_en="Xiaomi",
        year_designated=2019,
    )
    body = client.get("/en/").content.decode()
    assert "Smart home" in body
    assert "Led by Xiaomi" in body
    assert "https://cdn" not in body and "//cdn" not in body


def test_dates_and_numbers_are_localised(client, make_user):
    user = make_user("numbers", reputation=12345)
    en = client.get(f"/en/users/{user.username}/").content.decode()
    zh = client.get(f"/users/{user.username}/").content.decode()
    assert "12,345" in en
    assert "12,345" in zh or "12345" in zh
    assert user.date_joined.strftime("%Y") in zh
    assert "年" in zh  # Chinese date format


def test_security_headers(client):
    response = client.get("/en/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_health_reports_every_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    services = response.json()["services"]
    assert set(services) == {"database", "cache", "channel_layer", "search"}
    assert all(service["ok"] for service in services.values())


def test_health_reports_a_dead_search_service(client, settings, monkeypatch):
    from search import backends

    settings.SEARCH = {
        **settings.SEARCH,
        "BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": "http://127.0.0.1:9",
        "TIMEOUT": 1,
    }
    backends.get_backend.cache_clear()
    try:
        response = client.get("/healthz")
    finally:
        backends.get_backend.cache_clear()
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["services"]["search"]["ok"] is False
    assert body["services"]["database"]["ok"] is True


def test_robots_and_404(client):
    assert "Disallow: /cms/" in client.get("/robots.txt").content.decode()
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
