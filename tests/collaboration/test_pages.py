"""Smaller pages: the member's dashboard, organisations, the feed, the API filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from collaboration import services


@pytest.mark.parametrize("size", [1, 8])
def test_dashboard_lists_own_posts_and_sent_interests(
    client, founder, developer, make_post, size, django_assert_max_num_queries
):
    posts = [make_post() for _ in range(size)]
    services.interest_express(
        post=posts[0], member=developer, message="hi", contacts={"contact_email": "d@x.cn"}
    )
    client.force_login(founder)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("collaboration:dashboard"))
    rows = list(response.context["posts"])
    assert len(rows) == size
    assert sum(p.pending_count for p in rows) == 1
    client.force_login(developer)
    sent = client.get(reverse("collaboration:dashboard")).content.decode()
    assert posts[0].title in sent and "Pending" in sent


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("collaboration:dashboard"))
    assert response.status_code == 302


def test_organisation_pages(client, founder, make_post):
    organisation = services.organisation_create(
        creator=founder, name="Deep Road 深路", kind="startup"
    )
    make_post(organisation=organisation, title="Org post")
    assert (
        "Deep Road 深路" in client.get(reverse("collaboration:organisation_list")).content.decode()
    )
    detail = client.get(organisation.get_absolute_url()).content.decode()
    assert "Org post" in detail and "Not yet verified" in detail


def test_feed_lists_open_posts_only(client, make_post):
    make_post(title="Fresh partner search")
    make_post(title="Stale one", expires_on=timezone.localdate() - datetime.timedelta(days=2))
    body = client.get(reverse("collaboration:feed")).content.decode()
    assert "Fresh partner search" in body and "Stale one" not in body
    assert "<category>PyTorch</category>" in body


def test_api_filters_and_hides_hidden_posts(make_post, voice):
    make_post(title="Lidar", skills=["点云"])
    make_post(title="Voice", subdomain=voice, kind="offering", skills=["ASR"])
    hidden = make_post(title="Hidden", hidden_at=timezone.now())
    api = APIClient()

    def titles(**params):
        return {
            p["title"] for p in api.get("/api/v1/collaboration/posts/", params).json()["results"]
        }

    assert titles() == {"Lidar", "Voice"}
    assert titles(subdomain="intelligent-voice") == {"Voice"}
    assert titles(skill="点云") == {"Lidar"}
    assert titles(kind="offering") == {"Voice"}
    assert api.get(f"/api/v1/collaboration/posts/{hidden.pk}/").status_code == 404


def test_subdomain_page_slot_lists_open_posts(client, driving, make_post):
    from django.template import Context, Template

    make_post(title="Slot post")
    html = Template('{% load huiju %}{% render_slot "subdomain_page" subdomain=s %}').render(
        Context({"s": driving})
    )
    assert "Slot post" in html and "?subdomain=autonomous-driving" in html


def test_expiry_reminders_are_sent_once_per_expiry_date(make_post, founder):
    from io import StringIO

    from django.core.management import call_command

    from notifications.models import Notification

    today = timezone.localdate()
    soon = make_post(expires_on=today + datetime.timedelta(days=2))
    make_post(expires_on=today + datetime.timedelta(days=20))  # not yet
    make_post(expires_on=today + datetime.timedelta(days=1), status="closed")  # closed: no
    out = StringIO()
    call_command("collaboration_remind_expiring", stdout=out)
    assert "Reminded 1 authors" in out.getvalue()
    note = Notification.objects.get(kind="collaboration_expiring")
    assert note.recipient == founder and note.target_url.endswith(f"/{soon.pk}/edit/")
    assert services.posts_remind_expiring() == 0  # idempotent
    soon.expires_on = today + datetime.timedelta(days=3)  # extended: re-armed
    soon.save()
    assert services.posts_remind_expiring() == 1
