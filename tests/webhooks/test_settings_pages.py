"""The platform's webhook settings pages: permissions, endpoint CRUD, secret, ping, log, redelivery."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint


@pytest.fixture
def baidu_client(client, platforms):
    client.force_login(platforms["baidu_staff"])
    return client


def _urls(endpoint, delivery=None):
    slug, pk = endpoint.platform.slug, endpoint.pk
    urls = {
        "list": reverse("webhooks:list", args=[slug]),
        "new": reverse("webhooks:new", args=[slug]),
        "endpoint": reverse("webhooks:endpoint", args=[slug, pk]),
        "edit": reverse("webhooks:edit", args=[slug, pk]),
        "delete": reverse("webhooks:delete", args=[slug, pk]),
    }
    if delivery is not None:
        urls["delivery"] = reverse("webhooks:delivery", args=[slug, pk, delivery.uuid])
    return urls


def test_only_the_platforms_staff_and_admins_get_in(client, platforms, endpoint, make_user):
    services.webhook_emit(platform=platforms["baidu"], event="answer.accepted", payload={"a": 1})
    delivery = WebhookDelivery.objects.get()
    get_urls = _urls(endpoint, delivery)
    post_urls = [
        reverse("webhooks:ping", args=["baidu", endpoint.pk]),
        reverse("webhooks:secret", args=["baidu", endpoint.pk]),
        reverse("webhooks:redeliver", args=["baidu", endpoint.pk, delivery.uuid]),
        get_urls["delete"],
        get_urls["edit"],
        get_urls["new"],
    ]

    for url in get_urls.values():  # visitors are sent to sign in
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url

    client.force_login(platforms["iflytek_staff"])  # staff of another platform
    for url in get_urls.values():
        assert client.get(url).status_code == 403, url
    for url in post_urls:
        assert (
            client.post(
                url, {"action": "rotate", "url": "https://x.cn", "events": ["answer.accepted"]}
            ).status_code
            == 403
        ), url
    client.force_login(make_user("someone"))
    assert client.get(get_urls["list"]).status_code == 403

    endpoint.refresh_from_db()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert WebhookDelivery.objects.count() == 1  # nothing was pinged or redelivered

    client.force_login(platforms["baidu_staff"])
    for url in get_urls.values():
        assert client.get(url).status_code == 200, url
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    for url in get_urls.values():
        assert client.get(url).status_code == 200, url


def test_a_platforms_endpoints_are_not_reachable_through_another_platform(
    client, platforms, endpoint
):
    client.force_login(platforms["iflytek_staff"])
    url = reverse("webhooks:endpoint", args=["iflytek", endpoint.pk])
    assert client.get(url).status_code == 404


def test_index_lists_the_platforms_a_member_manages(baidu_client):
    page = baidu_client.get(reverse("webhooks:index")).content.decode()
    assert "/platforms/baidu/webhooks/" in page
    assert "/platforms/iflytek/webhooks/" not in page


def test_staff_add_an_endpoint(baidu_client, platforms, monkeypatch):
    from webhooks import transport

    monkeypatch.setattr(transport, "resolve", lambda host, port: ["93.184.216.34"])
    response = baidu_client.post(
        reverse("webhooks:new", args=["baidu"]),
        {
            "url": "https://ci.baidu.example/huiju",
            "description": "Apollo CI",
            "events": ["question.about_resource", "resource.updated"],
            "is_active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == endpoint.get_absolute_url()
    assert endpoint.platform == platforms["baidu"]
    assert endpoint.events == ["question.about_resource", "resource.updated"]
    assert endpoint.created_by == platforms["baidu_staff"]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40


def test_a_refused_url_is_explained_and_the_input_kept(baidu_client, platforms):
    response = baidu_client.post(
        reverse("webhooks:new", args=["baidu"]),
        {
            "url": "https://169.254.169.254/latest",
            "description": "metadata please",
            "events": ["resource.updated"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "private or local address" in page or "私有或本地地址" in page
    assert 'value="https://169.254.169.254/latest"' in page
    assert 'value="metadata please"' in page
    assert not WebhookEndpoint.objects.exists()

    response = baidu_client.post(reverse("webhooks:new", args=["baidu"]), {"url": "not a url"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"url", "events"}


def test_staff_edit_and_delete_an_endpoint(baidu_client, endpoint, receiver):
    urls = _urls(endpoint)
    response = baidu_client.post(
        urls["edit"],
        {"url": receiver.url + "?v=2", "description": "moved", "events": ["answer.accepted"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url.endswith("?v=2")
    assert endpoint.events == ["answer.accepted"]
    assert endpoint.is_active is False  # unchecked box

    assert baidu_client.get(urls["delete"]).status_code == 200  # confirmation page
    assert baidu_client.post(urls["delete"]).status_code == 302
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_secret_is_revealed_on_request_and_can_be_rotated(baidu_client, endpoint):
    detail = baidu_client.get(_urls(endpoint)["endpoint"])
    assert endpoint.secret not in detail.content.decode()  # not shown by default
    url = reverse("webhooks:secret", args=["baidu", endpoint.pk])
    assert baidu_client.get(url).status_code == 405

    revealed = baidu_client.post(url, {"action": "reveal"})
    assert endpoint.secret in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"

    old = endpoint.secret
    rotated = baidu_client.post(url, {"action": "rotate"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in rotated.content.decode()


def test_writes_need_csrf(platforms, endpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(platforms["baidu_staff"])
    assert client.post(reverse("webhooks:ping", args=["baidu", endpoint.pk])).status_code == 403
    assert not WebhookDelivery.objects.exists()


def test_ping_is_queued_sent_by_the_worker_and_shown_in_the_log(baidu_client, endpoint, receiver):
    response = baidu_client.post(reverse("webhooks:ping", args=["baidu", endpoint.pk]))
    ping = WebhookDelivery.objects.get(event="ping")
    assert response.status_code == 302 and response["Location"] == ping.get_absolute_url()
    assert receiver.requests == []  # the request itself sent nothing

    services.deliveries_send_due()
    assert receiver.requests[0]["headers"]["X-Huiju-Event"] == "ping"

    page = baidu_client.get(ping.get_absolute_url()).content.decode()
    assert "X-Huiju-Signature" in page and "sha256=" in page
    assert "HTTP 200" in page
    assert "Hello from Huiju" in page  # the request body
    assert "&quot;received&quot;: 1" in page or "&quot;received&quot;:1" in page


def test_ping_is_rate_limited(baidu_client, endpoint):
    url = reverse("webhooks:ping", args=["baidu", endpoint.pk])
    for _ in range(10):
        baidu_client.post(url)
    response = baidu_client.post(url, follow=True)
    assert WebhookDelivery.objects.count() == 10
    assert (
        "Too many test deliveries" in response.content.decode()
        or "测试投递太频繁" in response.content.decode()
    )


def test_inactive_endpoints_cannot_be_pinged(baidu_client, endpoint):
    endpoint.is_active = False
    endpoint.save()
    baidu_client.post(reverse("webhooks:ping", args=["baidu", endpoint.pk]))
    assert not WebhookDelivery.objects.exists()


def test_redeliver_queues_the_same_payload_as_a_new_delivery(baidu_client, endpoint, receiver):
    receiver.statuses = [500]
    services.webhook_emit(platform=endpoint.platform, event="answer.accepted", payload={"a": 1})
    original = WebhookDelivery.objects.get()
    services.deliveries_send_due()

    response = baidu_client.post(
        reverse("webhooks:redeliver", args=["baidu", endpoint.pk, original.uuid])
    )
    again = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.redelivery_of == original
    assert again.payload == original.payload
    assert again.uuid != original.uuid

    services.deliveries_send_due()
    again.refresh_from_db()
    assert again.status == WebhookDelivery.Status.SUCCEEDED
    bodies = [r["body"] for r in receiver.requests]
    assert bodies[0].replace(str(original.uuid).encode(), b"") == bodies[1].replace(
        str(again.uuid).encode(), b""
    )
    page = baidu_client.get(again.get_absolute_url()).content.decode()
    assert str(original.uuid) in page  # links back to the original


def test_delivery_log_filters_and_pages(baidu_client, endpoint):
    for _ in range(30):
        services.webhook_emit(platform=endpoint.platform, event="answer.accepted", payload={})
    services.webhook_emit(platform=endpoint.platform, event="resource.updated", payload={})
    WebhookDelivery.objects.filter(event="resource.updated").update(status="failed")
    url = _urls(endpoint)["endpoint"]

    first = baidu_client.get(url)
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 31
    failed = baidu_client.get(url, {"status": "failed"})
    assert [d.event for d in failed.context["page"].object_list] == ["resource.updated"]
    accepted = baidu_client.get(url, {"event": "answer.accepted", "page": 2})
    assert len(accepted.context["page"].object_list) == 5
    assert 'href="?event=answer.accepted&amp;page=1"' in accepted.content.decode()
    assert baidu_client.get(url, {"status": "bogus"}).status_code == 200  # ignored, not a 500


@pytest.mark.parametrize("count", [3, 30])
def test_log_and_list_pages_have_bounded_queries(
    baidu_client, endpoint, count, django_assert_num_queries
):
    for _ in range(count):
        services.webhook_emit(platform=endpoint.platform, event="answer.accepted", payload={})
    for index in range(count):
        WebhookEndpoint.objects.create(
            platform=endpoint.platform, url=f"https://h{index}.example.cn/", events=["ping"]
        )
    urls = _urls(endpoint)
    baidu_client.get(urls["list"])  # warm the header's cached sub-domain menu
    # session, user, platform, staff check, endpoint, log count, log page;
    # the header adds the unread count and the member's profile
    with django_assert_num_queries(9):
        assert baidu_client.get(urls["endpoint"]).status_code == 200
    # session, user, platform, staff check, endpoints with their latest delivery (one query)
    with django_assert_num_queries(7):
        assert baidu_client.get(urls["list"]).status_code == 200


def test_pages_render_in_every_language(baidu_client, endpoint):
    from django.utils import translation

    services.webhook_emit(platform=endpoint.platform, event="answer.accepted", payload={})
    delivery = WebhookDelivery.objects.get()
    with translation.override("zh-hans"):
        path = _urls(endpoint, delivery)["delivery"]
    for prefix, word in [("", "投递"), ("/zh-hant", "投遞"), ("/en", "Delivery")]:
        page = baidu_client.get(prefix + path)
        assert page.status_code == 200
        assert word in page.content.decode()


def test_subdomain_page_links_staff_to_their_webhooks(client, platforms):
    url = reverse("knowledge:subdomain", args=["autonomous-driving"])
    webhooks_url = reverse("webhooks:list", args=["baidu"])
    assert webhooks_url not in client.get(url).content.decode()  # visitor
    client.force_login(platforms["iflytek_staff"])
    assert webhooks_url not in client.get(url).content.decode()  # another platform's staff
    client.force_login(platforms["baidu_staff"])
    assert webhooks_url in client.get(url).content.decode()


def test_delivery_detail_has_bounded_queries(baidu_client, endpoint, django_assert_num_queries):
    services.webhook_emit(platform=endpoint.platform, event="answer.accepted", payload={})
    original = WebhookDelivery.objects.get()
    again = services.delivery_redeliver(delivery=original, user=endpoint.platform.staff.get())
    url = _urls(endpoint, again)["delivery"]
    baidu_client.get(url)  # warm the header's cached sub-domain menu
    # session, user, platform, staff check, endpoint, delivery (+ original), unread, profile
    with django_assert_num_queries(8):
        assert baidu_client.get(url).status_code == 200
