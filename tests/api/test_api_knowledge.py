"""Contract tests for the knowledge endpoints: success, denied, invalid, not found."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_subdomains_and_platforms_are_public(api, catalogue):
    data = api.get("/api/v1/subdomains/").json()
    assert [s["slug"] for s in data] == ["autonomous-driving", "intelligent-voice"]
    assert data[0]["names"] == {
        "zh-hans": "自动驾驶",
        "zh-hant": "自動駕駛",
        "en": "Autonomous driving",
    }
    assert api.get("/api/v1/subdomains/autonomous-driving/").status_code == 200
    assert api.get("/api/v1/subdomains/nope/").status_code == 404
    platform = api.get("/api/v1/platforms/baidu/").json()
    assert platform["subdomain"] == "autonomous-driving" and platform["year_designated"] == 2017
    assert api.get("/api/v1/platforms/nope/").status_code == 404


def test_subdomain_names_follow_the_request_language(api, catalogue):
    assert (
        api.get("/api/v1/subdomains/", HTTP_ACCEPT_LANGUAGE="en").json()[0]["name"]
        == "Autonomous driving"
    )


def test_resource_list_filters_and_cursor_pagination(api, catalogue):
    data = api.get("/api/v1/resources/").json()
    assert {r["slug"] for r in data["results"]} == {"apollo", "asr-api"}
    assert api.get("/api/v1/resources/?kind=api").json()["results"][0]["slug"] == "asr-api"
    assert (
        api.get("/api/v1/resources/?subdomain=autonomous-driving").json()["results"][0]["slug"]
        == "apollo"
    )
    first = api.get("/api/v1/resources/?page_size=1").json()
    assert len(first["results"]) == 1 and first["next"]
    second = api.get(first["next"]).json()
    assert {first["results"][0]["slug"], second["results"][0]["slug"]} == {"apollo", "asr-api"}
    assert api.get("/api/v1/resources/?since=not-a-date").status_code == 400
    assert api.get("/api/v1/resources/?since=2999-01-01T00:00:00Z").json()["results"] == []
    # Odd but valid offsets are converted, not passed to the database (found by schemathesis).
    assert api.get("/api/v1/resources/?since=5506-06-09T04:33:59.6-23:37").status_code == 200
    assert api.get("/api/v1/resources/?since=9999-12-31T23:59:59-14:00").status_code in (200, 400)


def test_resource_detail_has_versions_and_etag(api, catalogue):
    response = api.get("/api/v1/resources/apollo/")
    assert response.status_code == 200
    assert response.json()["versions"][0]["version"] == "9.0"
    etag = response["ETag"]
    assert api.get("/api/v1/resources/apollo/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    catalogue["apollo"].name = "Apollo Open Platform"
    catalogue["apollo"].save()
    changed = api.get("/api/v1/resources/apollo/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert api.get("/api/v1/resources/missing/").status_code == 404


def test_platform_staff_create_and_update_their_resources(api, catalogue, bearer):
    headers = bearer(catalogue["baidu_staff"], ["platform"])
    created = api.post(
        "/api/v1/resources/",
        {
            "platform": "baidu",
            "slug": "apollo-dataset",
            "name": "ApolloScape",
            "kind": "dataset",
            "tags": ["点云", "lidar"],
        },
        format="json",
        **headers,
    )
    assert created.status_code == 201, created.json()
    assert created.json()["tags"] == ["lidar", "点云"]
    from knowledge.models import OpenResource

    stored = OpenResource.objects.get(slug="apollo-dataset")
    assert sorted(stored.tags.values_list("name", flat=True)) == ["lidar", "点云"]
    patched = api.patch(
        "/api/v1/resources/apollo-dataset/", {"licence": "CC BY-NC 4.0"}, format="json", **headers
    )
    assert patched.status_code == 200 and patched.json()["licence"] == "CC BY-NC 4.0"
    version = api.post(
        "/api/v1/resources/apollo-dataset/versions/",
        {"version": "2.0", "notes": "New scenes"},
        format="json",
        **headers,
    )
    assert version.status_code == 201
    assert api.get("/api/v1/resources/apollo-dataset/versions/2.0/").json()["notes"] == "New scenes"
    fixed = api.patch(
        "/api/v1/resources/apollo-dataset/versions/2.0/",
        {"notes": "More scenes"},
        format="json",
        **headers,
    )
    assert fixed.status_code == 200


def test_staff_of_another_platform_are_denied(api, catalogue, bearer):
    headers = bearer(catalogue["iflytek_staff"], ["platform"])
    assert (
        api.patch(
            "/api/v1/resources/apollo/", {"licence": "x"}, format="json", **headers
        ).status_code
        == 403
    )
    assert (
        api.post(
            "/api/v1/resources/apollo/versions/", {"version": "10"}, format="json", **headers
        ).status_code
        == 403
    )
    assert (
        api.patch(
            "/api/v1/resources/apollo/versions/9.0/", {"notes": "x"}, format="json", **headers
        ).status_code
        == 403
    )
    created = api.post(
        "/api/v1/resources/",
        {"platform": "baidu", "slug": "x", "name": "X", "kind": "api"},
        format="json",
        **headers,
    )
    assert created.status_code == 400 and "platform" in created.json()


def test_writes_need_the_platform_scope_and_authentication(api, catalogue, bearer):
    read_only = bearer(catalogue["baidu_staff"], ["read", "write"])
    assert (
        api.patch(
            "/api/v1/resources/apollo/", {"licence": "x"}, format="json", **read_only
        ).status_code
        == 403
    )
    anonymous = api.patch("/api/v1/resources/apollo/", {"licence": "x"}, format="json")
    assert anonymous.status_code in (401, 403)
    bad = api.get("/api/v1/resources/", HTTP_AUTHORIZATION="Bearer hj_00000000_nope")
    assert bad.status_code == 401 and "Bearer" in bad["WWW-Authenticate"]


def test_validation_errors_are_clear(api, catalogue, bearer):
    headers = bearer(catalogue["baidu_staff"], ["platform"])
    response = api.post(
        "/api/v1/resources/",
        {"platform": "baidu", "slug": "bad slug!", "name": "", "kind": "rocket"},
        format="json",
        **headers,
    )
    assert response.status_code == 400
    assert {"slug", "name", "kind"} <= set(response.json())
    duplicate = api.post(
        "/api/v1/resources/apollo/versions/", {"version": "9.0"}, format="json", **headers
    )
    assert duplicate.status_code == 400 and "version" in duplicate.json()
    assert api.get("/api/v1/resources/apollo/versions/404/").status_code == 404


def test_me_reports_token_scopes(api, catalogue, bearer):
    assert api.get("/api/v1/me/").status_code in (401, 403)
    data = api.get("/api/v1/me/", **bearer(catalogue["baidu_staff"], ["read"])).json()
    assert data == {"username": "baidu_staff", "reputation": 1, "scopes": ["read"]}


def test_session_writes_need_csrf(catalogue):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(catalogue["baidu_staff"])
    response = client.patch("/api/v1/resources/apollo/", {"licence": "x"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_throttling_answers_429_with_retry_after(api, catalogue, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    try:
        codes = [api.get("/api/v1/subdomains/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = api.get("/api/v1/subdomains/")
        assert int(limited["Retry-After"]) > 0
    finally:
        AnonRateThrottle.THROTTLE_RATES = original


def test_schema_is_valid_openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/resources/{slug}/versions/" in schema["paths"]
    assert not [p for p in schema["paths"] if not p.startswith("/api/v1/")]


def test_docs_page_renders(client):
    assert client.get("/api/docs/").status_code == 200


def test_nul_in_a_related_slug_is_a_400_not_a_server_error(api, catalogue, bearer):
    """PostgreSQL cannot compare text with NUL; found by the schemathesis run."""
    headers = bearer(catalogue["baidu_staff"], ["platform"])
    response = api.post(
        "/api/v1/resources/",
        {"platform": "bai\x00du", "slug": "x", "name": "X", "kind": "dataset"},
        format="json",
        **headers,
    )
    assert response.status_code == 400 and "platform" in response.json()
