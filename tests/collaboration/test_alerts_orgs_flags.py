"""Opt-in alerts for matching posts, organisations with verified badges, and flags."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from collaboration import services
from collaboration.admin import FlagAdmin
from collaboration.models import Alert, Flag, Organisation
from notifications.models import Notification

from .conftest import AUTHOR_CONTACTS


def publish(author, subdomain, skills, capture):
    with capture(execute=True):
        return services.post_create(
            author=author,
            data={
                "kind": "seeking",
                "title": "New perception project",
                "description": "Need help",
                "subdomain": subdomain,
                "stage": "idea",
                "engagement": "contract",
                "expires_on": timezone.localdate() + datetime.timedelta(days=10),
                **AUTHOR_CONTACTS,
            },
            skills=skills,
        )


def test_alerts_notify_only_members_who_opted_in(
    make_user, founder, driving, voice, django_capture_on_commit_callbacks
):
    by_skill, by_subdomain, other, nobody = (make_user(n) for n in ("s", "d", "o", "n"))
    services.alert_update(user=by_skill, skills=["点云"], subdomains=[])
    services.alert_update(user=by_subdomain, skills=[], subdomains=[driving])
    services.alert_update(user=other, skills=["ASR"], subdomains=[voice])
    services.alert_update(user=founder, skills=["点云"], subdomains=[])  # never about own post
    post = publish(founder, driving, ["点云", "PyTorch"], django_capture_on_commit_callbacks)
    notified = set(
        Notification.objects.filter(kind="collaboration_match").values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"s", "d"}
    note = Notification.objects.filter(kind="collaboration_match").first()
    assert note.target_url == post.get_absolute_url()
    assert AUTHOR_CONTACTS["contact_email"] not in note.excerpt
    assert nobody.notifications.count() == 0


def test_alert_settings_page_saves_and_turns_off(client, member, driving):
    client.force_login(member)
    url = reverse("collaboration:alerts")
    client.post(url, {"skills_text": "PyTorch, 点云", "subdomains": [driving.pk]})
    alert = Alert.objects.get(user=member)
    assert {s.name for s in alert.skills.all()} == {"PyTorch", "点云"}
    assert list(alert.subdomains.all()) == [driving]
    assert "PyTorch" in client.get(url).content.decode()
    client.post(url, {"skills_text": ""})
    assert not Alert.objects.filter(user=member).exists()


def test_organisation_create_verify_and_badge(client, founder, developer, make_post):
    client.force_login(founder)
    response = client.post(
        reverse("collaboration:organisation_create"),
        {"name": "城脉科技", "kind": "startup", "website": "https://citypulse.example"},
    )
    organisation = Organisation.objects.get()
    assert response["Location"] == organisation.get_absolute_url()
    assert not organisation.verified
    make_post(organisation=organisation)
    listing = client.get(reverse("collaboration:post_list")).content.decode()
    assert 'class="badge badge--org"' not in listing  # unverified: no badge
    organisation.verified = True
    organisation.save()
    assert organisation.verified_at is not None
    listing = client.get(reverse("collaboration:post_list")).content.decode()
    assert 'class="badge badge--org"' in listing
    # Only an organisation admin adds members.
    client.force_login(developer)
    add = reverse("collaboration:organisation_member_add", args=[organisation.slug])
    assert client.post(add, {"username": "developer"}).status_code == 403
    client.force_login(founder)
    client.post(add, {"username": "developer"})
    assert organisation.members.filter(username="developer").exists()


def test_last_admin_cannot_leave_a_populated_organisation(founder, developer):
    organisation = services.organisation_create(creator=founder, name="Solo", kind="sme")
    services.organisation_member_add(organisation=organisation, actor=founder, user=developer)
    with pytest.raises(services.CollaborationError):
        services.organisation_leave(organisation=organisation, user=founder)
    services.organisation_leave(organisation=organisation, user=developer)
    services.organisation_leave(organisation=organisation, user=founder)
    assert organisation.memberships.count() == 0


def test_platform_staff_badge_shows_everywhere_the_member_appears(
    client, post, founder, baidu, developer
):
    baidu.staff.add(founder)
    services.interest_express(
        post=post, member=developer, message="hi", contacts={"contact_email": "d@x.cn"}
    )
    for url in (
        reverse("collaboration:post_list"),
        post.get_absolute_url(),
        reverse("collaboration:people"),
    ):
        assert "Verified · Baidu" in client.get(url).content.decode(), url


def test_flag_once_and_not_own_post(client, post, developer, founder):
    client.force_login(developer)
    url = reverse("collaboration:post_flag", args=[post.pk])
    client.post(url, {"reason": "spam", "note": "Advert"})
    client.post(url, {"reason": "spam"})
    assert Flag.objects.count() == 1
    with pytest.raises(services.CollaborationError):
        services.flag_create(post=post, reporter=founder, reason="spam")


def test_flags_are_rate_limited(make_post, developer):
    limit = int(services.RATE_FLAG.split("/")[0])
    posts = [make_post() for _ in range(limit + 1)]
    for p in posts[:limit]:
        services.flag_create(post=p, reporter=developer, reason="spam")
    with pytest.raises(services.RateLimited):
        services.flag_create(post=posts[-1], reporter=developer, reason="spam")


def test_moderator_hides_flagged_post_in_admin(post, developer, make_user, client):
    flag = services.flag_create(post=post, reporter=developer, reason="misleading")
    moderator = make_user("mod", is_superuser=True, is_staff=True)
    request = RequestFactory().post("/")
    request.user = moderator
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    FlagAdmin(Flag, site).hide_posts(request, Flag.objects.filter(pk=flag.pk))
    post.refresh_from_db()
    flag.refresh_from_db()
    assert post.hidden_at is not None
    assert flag.status == "actioned" and flag.reviewed_by == moderator
    assert client.get(post.get_absolute_url()).status_code == 404
    assert post.title not in client.get(reverse("collaboration:post_list")).content.decode()


def test_non_moderators_cannot_review_flags(post, developer):
    flag = services.flag_create(post=post, reporter=developer, reason="spam")
    with pytest.raises(PermissionDenied):
        services.flag_review(flags=[flag], moderator=developer, hide_post=True)


def test_admin_pages_do_not_show_contact_details(post, make_user, client):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    body = client.get(
        f"/django-admin/collaboration/collaborationpost/{post.pk}/change/"
    ).content.decode()
    assert AUTHOR_CONTACTS["contact_wechat"] not in body


def test_moderators_review_flags_in_the_admin(post, developer, make_user, client):
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP

    services.flag_create(post=post, reporter=developer, reason="spam", note="Advert for a course")
    moderator = make_user("mod2", is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    client.force_login(moderator)
    response = client.get("/django-admin/collaboration/flag/?status__exact=open")
    assert response.status_code == 200
    assert post.title in response.content.decode()
    response = client.post(
        "/django-admin/collaboration/flag/",
        {"action": "hide_posts", "_selected_action": [Flag.objects.get().pk]},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is not None
    # An ordinary staff member without the role cannot see the queue.
    client.force_login(make_user("staffer", is_staff=True))
    assert client.get("/django-admin/collaboration/flag/").status_code == 403
