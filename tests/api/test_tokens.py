"""Personal access tokens: shown once, hashed at rest, scoped, revocable."""

import hashlib

import pytest
from django.urls import reverse

from accounts.models import AccessToken
from accounts.tokens import TokenError, token_authenticate, token_create, token_revoke

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_digest(member):
    token, plaintext = token_create(user=member, name="ci", scopes=["read"])
    assert plaintext.startswith(f"hj_{token.prefix}_")
    assert token.digest == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in str(AccessToken.objects.values().get())
    assert token_authenticate(plaintext) == token


@pytest.mark.parametrize("bad", ["", "hj_", "hj_deadbeef_x", "ghp_abc", "hj_zz_zz"])
def test_garbage_tokens_are_rejected(member, bad):
    token_create(user=member, name="ci", scopes=["read"])
    assert token_authenticate(bad) is None


def test_revoked_expired_and_inactive_tokens_fail(member, make_user):
    token, plaintext = token_create(user=member, name="ci", scopes=["read"])
    assert token_revoke(user=make_user("other"), token_id=token.pk) is False  # not theirs
    assert token_revoke(user=member, token_id=token.pk) is True
    assert token_authenticate(plaintext) is None
    token2, plaintext2 = token_create(user=member, name="ci", scopes=["read"], expires_in_days=1)
    AccessToken.objects.filter(pk=token2.pk).update(expires_at="2000-01-01T00:00:00Z")
    assert token_authenticate(plaintext2) is None
    _t3, plaintext3 = token_create(user=member, name="ci", scopes=["read"])
    member.is_active = False
    member.save()
    assert token_authenticate(plaintext3) is None


def test_unknown_scopes_are_refused(member):
    with pytest.raises(TokenError):
        token_create(user=member, name="x", scopes=["admin"])
    with pytest.raises(TokenError):
        token_create(user=member, name="x", scopes=[])


def test_token_page_shows_the_secret_once_and_revokes(member_client, member):
    response = member_client.post(
        reverse("accounts:tokens"),
        {"name": "CI sync", "scopes": ["read", "platform"], "expires_in_days": "90"},
    )
    html = response.content.decode()
    token = AccessToken.objects.get(user=member)
    assert token.scopes == ["platform", "read"]
    assert f"hj_{token.prefix}_" in html and response["Cache-Control"] == "no-store"
    again = member_client.get(reverse("accounts:tokens")).content.decode()
    assert "CI sync" in again
    assert (
        len(
            [
                line
                for line in again.split()
                if line.startswith(f"hj_{token.prefix}_") and "…" not in line
            ]
        )
        == 0
    )
    member_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_validates_input(member_client):
    response = member_client.post(reverse("accounts:tokens"), {"name": "", "scopes": ["root"]})
    assert response.status_code == 200
    assert not AccessToken.objects.exists()


def test_token_page_needs_login(client):
    assert client.get(reverse("accounts:tokens")).status_code == 302
