"""Inbox, unread badge, mentions, preferences and the email digest."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification
from notifications.services import (
    digest_send,
    extract_mentions,
    notify,
    notify_many,
    notify_mentions,
    preferences_update,
)

pytestmark = pytest.mark.django_db


def _answer(recipient, actor, **extra):
    return notify(
        recipient=recipient,
        kind="answer",
        actor=actor,
        target_url="/questions/1/",
        target_title="如何在 Apollo 中标定激光雷达？",
        **extra,
    )


def test_actor_is_never_notified_about_their_own_action(make_user):
    alice = make_user("alice")
    assert not _answer(alice, alice)
    assert not Notification.objects.exists()


def test_notify_many_skips_inactive_and_opted_out(make_user):
    actor, a, b, c = (make_user(n) for n in ("actor", "a", "b", "c"))
    c.is_active = False
    c.save()
    preferences_update(user=b, choices={"followed_tag": (False, False)})
    created = notify_many(
        recipients=[a, b, c, actor, a], kind="followed_tag", actor=actor, target_url="/q/1/"
    )
    assert created == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["a"]


def test_inbox_badge_and_open_marks_read(client, make_user, password):
    alice, bob = make_user("alice"), make_user("bob")
    _answer(alice, bob)
    _answer(alice, bob)
    client.force_login(alice)
    home = client.get("/en/").content.decode()
    assert "2 unread notifications" in home
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "如何在 Apollo 中标定激光雷达？" in inbox
    item = Notification.objects.filter(recipient=alice).first()
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/questions/1/"
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_inbox_wording_is_translated(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    _answer(alice, bob)
    client.force_login(alice)
    assert "bob answered your question" in client.get("/en/inbox/").content.decode()
    assert "bob 回答了你的问题" in client.get("/inbox/").content.decode()
    assert "bob 回答了你的問題" in client.get("/zh-hant/inbox/").content.decode()


def test_members_cannot_open_each_others_notifications(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    _answer(alice, bob)
    client.force_login(bob)
    item = Notification.objects.get()
    assert client.get(reverse("notifications:open", args=[item.pk])).status_code == 404


def test_foreign_target_urls_are_not_followed(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    notify(recipient=alice, kind="answer", actor=bob, target_url="https://evil.example/")
    client.force_login(alice)
    item = Notification.objects.get()
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_inbox_query_count_does_not_grow(client, make_user, django_assert_num_queries):
    alice = make_user("alice")
    client.force_login(alice)
    actors = [make_user(f"actor{i}") for i in range(5)]

    def count_for(n):
        Notification.objects.all().delete()
        for i in range(n):
            _answer(alice, actors[i % 5])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        return len(ctx.captured_queries)

    client.get(reverse("notifications:inbox"))  # warm per-process caches (nav, site root)
    assert count_for(3) == count_for(25)


def test_mentions_outside_code_only():
    text = "Thanks @li_na and @Chen_Jie. `@not_me` and\n```\n@nor_me\n```\nmail a@b.com"
    assert extract_mentions(text) == ["li_na", "chen_jie"]


def test_notify_mentions_matches_usernames_case_insensitively(make_user):
    author, li = make_user("author"), make_user("Li_Na")
    created = notify_mentions(
        text="ping @li_na and @nobody", actor=author, target_url="/q/1/", target_title="t"
    )
    assert created == 1
    assert Notification.objects.get().recipient == li


def test_preferences_page_saves_choices(client, make_user):
    alice = make_user("alice")
    client.force_login(alice)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="email:answer"' in page
    data = {"in_site:answer": "on", "in_site:comment": "on", "email:comment": "on"}
    client.post(reverse("notifications:preferences"), data)
    bob = make_user("bob")
    assert _answer(alice, bob)  # in-site still on
    mail.outbox.clear()
    assert digest_send() == 0  # email for answers switched off
    assert Notification.objects.get().emailed_at is not None  # and never emailed later


def test_digest_is_one_email_per_member_and_idempotent(make_user):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    _answer(alice, bob)
    _answer(alice, carol)
    _answer(bob, carol)
    call_command("send_notification_digest")
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    alice_mail = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert "2" in alice_mail.subject
    assert "/questions/1/" in alice_mail.body
    assert alice_mail.alternatives and "List-Unsubscribe" in alice_mail.extra_headers
    mail.outbox.clear()
    call_command("send_notification_digest")
    assert mail.outbox == []


def test_read_notifications_are_not_emailed(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    _answer(alice, bob)
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    assert digest_send() == 0


def test_inbox_requires_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
