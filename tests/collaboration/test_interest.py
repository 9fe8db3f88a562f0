"""Expressing interest, and the author's decision: rules, notifications, the event log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from collaboration import services
from collaboration.models import Interest, InterestEvent
from notifications.models import Notification

from .conftest import MEMBER_CONTACTS


def express(post, member, message="I have built lidar detectors for 4 years."):
    return services.interest_express(
        post=post, member=member, message=message, contacts=MEMBER_CONTACTS
    )


def test_express_notifies_author_and_logs(
    post, developer, founder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interest = express(post, developer)
    assert interest.status == Interest.Status.PENDING
    note = Notification.objects.get(recipient=founder)
    assert note.kind == "collaboration"
    assert note.actor == developer
    assert note.target_url == post.get_absolute_url() + "#interests"
    assert "lidar detectors" in note.excerpt
    assert list(interest.events.values_list("action", flat=True)) == ["expressed"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": "closed"}, "closed"),
        ({"expires_on": timezone.localdate() - datetime.timedelta(days=1)}, "expired"),
        ({"hidden_at": timezone.now()}, "closed"),
    ],
)
def test_closed_expired_and_hidden_posts_refuse_interest(post, developer, change, message):
    for field, value in change.items():
        setattr(post, field, value)
    post.save()
    with pytest.raises(services.CollaborationError, match=message):
        express(post, developer)
    assert not Interest.objects.exists()


def test_expiry_day_itself_still_accepts_interest(make_post, developer):
    post = make_post(expires_on=timezone.localdate())
    assert express(post, developer).pk


def test_cannot_express_interest_in_own_post(post, founder):
    with pytest.raises(services.CollaborationError, match="own post"):
        express(post, founder)


def test_only_once_per_member(post, developer):
    express(post, developer)
    with pytest.raises(services.CollaborationError, match="already"):
        express(post, developer)
    assert Interest.objects.count() == 1


def test_needs_message_and_a_contact(post, developer):
    with pytest.raises(services.CollaborationError, match="message"):
        services.interest_express(
            post=post, member=developer, message="  ", contacts=MEMBER_CONTACTS
        )
    with pytest.raises(services.CollaborationError, match="contact"):
        services.interest_express(post=post, member=developer, message="Hi", contacts={})


def test_suspended_member_cannot_express_interest(post, developer):
    developer.suspended_until = timezone.now() + datetime.timedelta(days=1)
    developer.save()
    with pytest.raises(PermissionDenied):
        express(post, developer)


def test_interest_is_rate_limited(make_post, developer):
    limit = int(services.RATE_INTEREST.split("/")[0])
    posts = [make_post() for _ in range(limit + 1)]
    for post in posts[:limit]:
        express(post, developer)
    with pytest.raises(services.RateLimited) as caught:
        express(posts[-1], developer)
    assert caught.value.retry_after > 0
    assert Interest.objects.count() == limit


def test_rate_limited_web_request_keeps_what_was_typed(make_post, developer, client):
    client.force_login(developer)
    limit = int(services.RATE_INTEREST.split("/")[0])
    posts = [make_post() for _ in range(limit + 1)]
    for post in posts[:limit]:
        express(post, developer)
    response = client.post(
        reverse("collaboration:interest_express", args=[posts[-1].pk]),
        {"message": "My carefully written pitch", "contact_wechat": "wx_dev_secret"},
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "My carefully written pitch" in body
    assert "wx_dev_secret" in body  # the member's own input, shown back to them only


def test_accept_notifies_member_and_logs(
    post, developer, founder, django_capture_on_commit_callbacks
):
    interest = express(post, developer)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.interest_decide(interest=interest, actor=founder, accept=True)
    assert decided.status == Interest.Status.ACCEPTED
    assert decided.decided_at is not None
    note = Notification.objects.get(recipient=developer)
    assert note.kind == "collaboration" and note.actor == founder
    assert list(
        InterestEvent.objects.filter(interest=interest).values_list("action", "actor__username")
    ) == [("expressed", "developer"), ("accepted", "founder")]


def test_decline_then_accept_later_but_never_unshare(post, developer, founder):
    interest = express(post, developer)
    services.interest_decide(interest=interest, actor=founder, accept=False)
    interest.refresh_from_db()
    assert interest.status == "declined"
    services.interest_decide(interest=interest, actor=founder, accept=True)
    interest.refresh_from_db()
    assert interest.status == "accepted"
    with pytest.raises(services.CollaborationError, match="already been shared"):
        services.interest_decide(interest=interest, actor=founder, accept=False)


def test_only_the_author_decides(post, developer, make_user):
    interest = express(post, developer)
    for intruder in (developer, make_user("other")):
        with pytest.raises(PermissionDenied):
            services.interest_decide(interest=interest, actor=intruder, accept=True)
    interest.refresh_from_db()
    assert interest.status == "pending"


def test_decide_view_forbidden_for_others(post, developer, make_user, client):
    interest = express(post, developer)
    client.force_login(make_user("other"))
    url = reverse("collaboration:interest_decide", args=[post.pk, interest.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 403
    interest.refresh_from_db()
    assert interest.status == "pending"


def test_withdraw_only_by_member_and_only_pending(post, developer, founder):
    interest = express(post, developer)
    with pytest.raises(PermissionDenied):
        services.interest_withdraw(interest=interest, actor=founder)
    services.interest_withdraw(interest=interest, actor=developer)
    interest.refresh_from_db()
    assert interest.status == "withdrawn"
    with pytest.raises(services.CollaborationError, match="withdrawn"):
        services.interest_decide(interest=interest, actor=founder, accept=True)


def test_closed_post_keeps_pending_interests_decidable(post, developer, founder):
    interest = express(post, developer)
    services.post_close(post=post, actor=founder)
    services.interest_decide(interest=interest, actor=founder, accept=True)
    interest.refresh_from_db()
    assert interest.status == "accepted"


def test_express_requires_login_and_post(post, client):
    url = reverse("collaboration:interest_express", args=[post.pk])
    assert client.get(url).status_code in (302, 405)
    response = client.post(url, {"message": "hi", "contact_email": "a@b.cn"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Interest.objects.exists()


def test_express_via_web(post, developer, founder, client, django_capture_on_commit_callbacks):
    client.force_login(developer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("collaboration:interest_express", args=[post.pk]),
            {"message": "Let's talk", "contact_wechat": "wx_dev_secret"},
        )
    assert response.status_code == 302
    assert Interest.objects.get().contact_wechat == "wx_dev_secret"
    assert Notification.objects.filter(recipient=founder, kind="collaboration").exists()


def test_express_via_web_on_closed_post_shows_error(post, developer, client):
    post.status = "closed"
    post.save()
    client.force_login(developer)
    response = client.post(
        reverse("collaboration:interest_express", args=[post.pk]),
        {"message": "Let's talk", "contact_wechat": "wx"},
    )
    assert response.status_code == 400
    assert "no longer accepts interest" in response.content.decode()
    assert not Interest.objects.exists()
