"""Emitting events: who gets a delivery, resource.updated wiring, and never blocking a request."""

from __future__ import annotations

import json
import socket
import time

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.tokens import token_create
from knowledge.models import OpenResource, ResourceVersion
from webhooks import services
from webhooks.events import get_event, subscribable_events
from webhooks.models import WebhookDelivery, WebhookEndpoint


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything opens a socket."""

    def refuse(*args, **kwargs):
        raise AssertionError("the request touched the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _endpoint(platform, events, **fields):
    return WebhookEndpoint.objects.create(
        platform=platform, url="https://hooks.example.cn/x", events=events, **fields
    )


def test_registry_documents_every_event():
    keys = {event.key for event in subscribable_events()}
    assert keys == {
        "question.about_resource",
        "answer.accepted",
        "live.registration",
        "resource.updated",
    }
    for key in keys:
        event = get_event(key)
        assert str(event.label) and str(event.description) and event.example
        json.dumps(event.example)


def test_emit_queues_one_delivery_per_matching_active_endpoint(platforms):
    baidu, iflytek = platforms["baidu"], platforms["iflytek"]
    wanted = _endpoint(baidu, ["answer.accepted", "resource.updated"])
    _endpoint(baidu, ["resource.updated"])  # another event only
    _endpoint(baidu, ["answer.accepted"], is_active=False)
    _endpoint(iflytek, ["answer.accepted"])  # another platform

    count = services.webhook_emit(platform=baidu, event="answer.accepted", payload={"answer": 1})

    assert count == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == wanted
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 0
    assert delivery.payload["event"] == "answer.accepted"
    assert delivery.payload["data"] == {"answer": 1}
    assert delivery.payload["platform"]["slug"] == "baidu"
    assert delivery.payload["platform"]["names"]["en"] == "Baidu"


def test_payload_is_built_only_when_someone_listens(platforms, django_assert_num_queries):
    calls = []

    def build():
        calls.append(1)
        return {"x": 1}

    with django_assert_num_queries(1):  # just the endpoint lookup
        assert (
            services.webhook_emit(
                platform=platforms["baidu"], event="answer.accepted", payload=build
            )
            == 0
        )
    assert calls == []


def test_emit_never_raises(platforms, caplog):
    _endpoint(platforms["baidu"], ["answer.accepted"])

    def broken():
        raise RuntimeError("payload bug")

    assert (
        services.webhook_emit(platform=platforms["baidu"], event="answer.accepted", payload=broken)
        == 0
    )
    assert (
        services.webhook_emit(
            platform=platforms["baidu"], event="answer.accepted", payload={"when": object()}
        )
        == 0
    )
    assert WebhookDelivery.objects.count() == 0
    assert "could not queue answer.accepted" in caplog.text


def test_emit_on_commit_waits_for_the_commit(platforms, django_capture_on_commit_callbacks):
    _endpoint(platforms["baidu"], ["answer.accepted"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.webhook_emit_on_commit(
            platform=platforms["baidu"], event="answer.accepted", payload={"a": 1}
        )
        assert WebhookDelivery.objects.count() == 0
    assert len(callbacks) == 1
    assert WebhookDelivery.objects.count() == 1


def test_emit_after_rollback_sends_nothing(platforms, django_capture_on_commit_callbacks):
    _endpoint(platforms["baidu"], ["answer.accepted"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.webhook_emit_on_commit(
                    platform=platforms["baidu"], event="answer.accepted", payload={"a": 1}
                )
                raise ValueError
        except ValueError:
            pass
    assert callbacks == []
    assert WebhookDelivery.objects.count() == 0


# --- resource.updated ----------------------------------------------------------------


@pytest.fixture
def staff_api(platforms):
    api = APIClient()
    _token, plaintext = token_create(user=platforms["baidu_staff"], name="ci", scopes=["platform"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return api


def test_api_resource_create_update_and_new_version_emit_resource_updated(
    platforms, staff_api, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(platforms["baidu"], ["resource.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        created = staff_api.post(
            "/api/v1/resources/",
            {
                "platform": "baidu",
                "slug": "paddle",
                "name": "PaddlePaddle",
                "kind": "toolkit",
                "tags": ["dl"],
            },
            format="json",
        )
    assert created.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            staff_api.patch(
                "/api/v1/resources/paddle/", {"licence": "Apache-2.0"}, format="json"
            ).status_code
            == 200
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            staff_api.post(
                "/api/v1/resources/paddle/versions/",
                {"version": "3.0", "notes": "Big one"},
                format="json",
            ).status_code
            == 201
        )

    payloads = [d.payload["data"] for d in endpoint.deliveries.order_by("id")]
    assert [p["change"] for p in payloads] == ["created", "updated", "version_added"]
    assert payloads[0]["resource"]["tags"] == ["dl"]  # built after commit: tags included
    assert payloads[0]["resource"]["url"].endswith("/resources/paddle/")
    assert payloads[1]["resource"]["licence"] == "Apache-2.0"
    assert payloads[2]["version"] == {"version": "3.0", "released_on": None, "notes": "Big one"}
    assert payloads[2]["resource"]["versions"] == ["3.0"]


def test_saves_in_one_transaction_coalesce_into_one_event(
    platforms, django_capture_on_commit_callbacks
):
    """A CMS edit re-saves the resource and every version: one event, not one per row."""
    endpoint = _endpoint(platforms["baidu"], ["resource.updated"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        paddle = OpenResource.objects.create(
            platform=platforms["baidu"], slug="paddle", name="Paddle", kind="toolkit"
        )
        ResourceVersion.objects.create(resource=paddle, version="2.6")
        ResourceVersion.objects.create(resource=paddle, version="3.0")
        paddle.licence = "Apache-2.0"
        paddle.save()
    [delivery] = endpoint.deliveries.all()
    assert delivery.payload["data"]["change"] == "created"
    assert delivery.payload["data"]["resource"]["versions"] == ["2.6", "3.0"]
    assert delivery.payload["data"]["resource"]["licence"] == "Apache-2.0"

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        paddle.save()
        ResourceVersion.objects.create(resource=paddle, version="3.1")
        paddle.save()
    latest = endpoint.deliveries.order_by("-id").first()
    assert endpoint.deliveries.count() == 2
    assert latest.payload["data"]["change"] == "version_added"
    assert latest.payload["data"]["version"]["version"] == "3.1"


def test_other_platforms_resources_do_not_reach_the_endpoint(
    platforms, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(platforms["baidu"], ["resource.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        OpenResource.objects.create(
            platform=platforms["iflytek"], slug="asr", name="ASR", kind="api"
        )
    assert not endpoint.deliveries.exists()


def test_request_emitting_to_a_dead_receiver_returns_without_touching_the_network(
    platforms, staff_api, no_network, django_capture_on_commit_callbacks
):
    """The receiver is unreachable (a black-holed address); the API call does not wait for it."""
    endpoint = WebhookEndpoint.objects.create(
        platform=platforms["baidu"], url="https://203.0.113.1/hook", events=["resource.updated"]
    )
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.patch("/api/v1/resources/apollo/", {"licence": "MIT"}, format="json")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 2
    delivery = endpoint.deliveries.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 0


def test_a_broken_webhook_table_does_not_fail_the_request(
    platforms, staff_api, monkeypatch, django_capture_on_commit_callbacks
):
    _endpoint(platforms["baidu"], ["resource.updated"])

    def explode(*args, **kwargs):
        raise RuntimeError("database is on fire")

    monkeypatch.setattr(WebhookDelivery.objects, "bulk_create", explode)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.patch("/api/v1/resources/apollo/", {"licence": "MIT"}, format="json")
    assert response.status_code == 200
    assert OpenResource.objects.get(slug="apollo").licence == "MIT"
