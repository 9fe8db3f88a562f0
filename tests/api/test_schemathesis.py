"""Property-based contract run of the whole public API against its own OpenAPI schema.

Bounded and derandomized so CI is repeatable: zero server errors, zero responses
that violate the schema.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Generating the schema touches no database, so it can load at collection time.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_test_connection_open():
    """Like Django's test client: the WSGI app must not close the test transaction's connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errors_and_matches_its_schema(case, catalogue):
    from accounts.models import AccessToken
    from accounts.tokens import token_create

    staff = catalogue["baidu_staff"]
    AccessToken.objects.filter(user=staff).delete()  # examples share one test's database
    _token, plaintext = token_create(user=staff, name="fuzz", scopes=["read", "write", "platform"])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {plaintext}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
