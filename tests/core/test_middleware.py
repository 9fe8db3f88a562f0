"""NUL bytes in a query string get a clear 400, never a database error."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/tutorials/?subdomain=%00x", "/api/v1/questions/?tag=a%00b", "/en/questions/?tag=%00"],
)
def test_nul_in_query_string_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["detail"]


@pytest.mark.django_db
def test_ordinary_query_strings_pass(client):
    assert client.get("/api/v1/tutorials/?subdomain=autonomous-driving").status_code == 200
