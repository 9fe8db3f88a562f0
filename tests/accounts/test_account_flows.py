"""A member's whole account life: sign up, verify, sign in, edit profile, sign out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User

SIGNUP = {
    "email": "wang.fang@example.com",
    "username": "wang_fang",
    "password1": "a long passphrase for huiju",
    "password2": "a long passphrase for huiju",
}


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_signup_verify_login_edit_profile_logout(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="wang_fang")
    assert user.profile is not None
    # Mandatory verification: one email, and no session until it is confirmed.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang.fang@example.com"]
    assert "_auth_user_id" not in client.session

    link = _confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "wang.fang@example.com", "password": SIGNUP["password1"]},
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk

    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "王芳",
            "bio": "点云与自动驾驶感知",
            "organisation": "初创公司",
            "location": "上海",
            "website": "https://example.com",
            "github": "wangfang",
            "skills_text": "PyTorch，点云, ROS, pytorch",
            "links_text": "https://example.com/blog",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:profile", args=["wang_fang"]))
    html = page.content.decode()
    assert "王芳" in html and "点云与自动驾驶感知" in html
    user.profile.refresh_from_db()
    assert user.profile.skills == ["PyTorch", "点云", "ROS"]

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_by_username_and_wrong_password(client, make_user, password):
    make_user("li_lei")
    bad = client.post(reverse("account_login"), {"login": "li_lei", "password": "wrong password!"})
    assert bad.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'value="li_lei"' in bad.content.decode()  # what was typed is kept
    good = client.post(reverse("account_login"), {"login": "li_lei", "password": password})
    assert good.status_code == 302


@pytest.mark.django_db
def test_failed_logins_are_throttled(client, make_user, password):
    """ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per 5 minutes per login lock it."""
    make_user("target")
    with translation.override("en"):
        url = reverse("account_login")
    for i in range(5):
        client.post(url, {"login": "target", "password": f"nope-{i}"})
    # Even the right password is refused while the login is throttled.
    locked = client.post(url, {"login": "target", "password": password})
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short pass", "too short"),
        ("password123456", "too common"),
        ("381946250193847", "entirely numeric"),
        ("x" * 129, "too long"),
    ],
)
def test_password_rules(client, password, fragment):
    data = {**SIGNUP, "password1": password, "password2": password}
    with translation.override("en"):
        url = reverse("account_signup")
    assert url.startswith("/en/")
    response = client.post(url, data)
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not User.objects.filter(username="wang_fang").exists()
    # The typed values survive the error.
    assert 'value="wang.fang@example.com"' in response.content.decode()


@pytest.mark.django_db
def test_profile_edit_rejects_bad_input_and_keeps_values(member_client, member):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "Kept name",
            "github": "not a valid/name",
            "links_text": "javascript:alert(1)",
            "skills_text": "Go",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Kept name"' in html
    assert "javascript:alert(1)" in html  # shown back in the textarea, escaped
    member.profile.refresh_from_db()
    assert member.profile.display_name != "Kept name"


@pytest.mark.django_db
def test_profile_is_edited_only_by_its_owner(client, member):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_profile_edit_needs_csrf(member, password):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = csrf_client.post(reverse("accounts:profile_edit"), {"display_name": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_password_reset_mail_is_sent(client, make_user):
    make_user("forgetful")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_is_rate_limited_per_ip(client, settings):
    codes = []
    for i in range(7):
        data = {**SIGNUP, "email": f"u{i}@example.com", "username": f"user_{i}"}
        codes.append(client.post(reverse("account_signup"), data).status_code)
        client.logout()
    assert 429 in codes


def _image_upload(fmt: str = "JPEG", size=(600, 400), trailer: bytes = b""):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(
        f"me.{fmt.lower()}", buffer.getvalue() + trailer, content_type=f"image/{fmt.lower()}"
    )


@pytest.mark.django_db
def test_avatar_is_reencoded_to_a_small_png(member_client, member, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    upload = _image_upload(trailer=b"<script>alert(1)</script>")
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "Pic", "avatar": upload}
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    with Image.open(member.profile.avatar.path) as image:
        assert image.format == "PNG" and image.size == (256, 256)
    assert b"<script>" not in Path(member.profile.avatar.path).read_bytes()


@pytest.mark.django_db
def test_avatar_rejects_non_images(member_client, member, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("me.png", b"<html>not an image</html>", content_type="image/png")
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "Pic", "avatar": fake}
    )
    assert response.status_code == 200
    member.profile.refresh_from_db()
    assert not member.profile.avatar


@pytest.mark.django_db
def test_login_form_says_username_or_email(client):
    with translation.override("en"):
        url = reverse("account_login")
    assert "Username or email" in client.get(url).content.decode()
    assert "用户名或电子邮箱" in client.get("/accounts/login/").content.decode()
