"""Delivering webhooks to a real local receiver: signing, retries, back-off, the worker."""

from __future__ import annotations

import json
import random
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from webhooks import services
from webhooks.models import WebhookDelivery
from webhooks.signing import compute_signature, verify_signature


def _queue(endpoint, event="resource.updated", data=None) -> WebhookDelivery:
    assert services.webhook_emit(
        platform=endpoint.platform, event=event, payload=data or {"change": "updated"}
    )
    return WebhookDelivery.objects.get(endpoint=endpoint, event=event)


def _due_now(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


# --- Signing ------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    import hashlib
    import hmac

    body = b'{"event":"ping"}'
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert compute_signature("s3cret", 1700000000, body) == f"sha256={expected}"


def test_verify_rejects_tampering_wrong_secret_and_stale_timestamps():
    body = b'{"a":1}'
    now = 1_700_000_000
    good = compute_signature("secret", now, body)
    ok = {"body": body, "timestamp": str(now), "signature": good, "now": now}
    assert verify_signature("secret", **ok)
    assert not verify_signature("other", **ok)
    assert not verify_signature("secret", **{**ok, "body": b'{"a":2}'})
    assert not verify_signature("secret", **{**ok, "timestamp": str(now + 1)})
    assert not verify_signature("secret", **{**ok, "now": now + 301})  # replayed later
    assert not verify_signature("secret", **{**ok, "signature": None})
    assert not verify_signature("secret", **{**ok, "timestamp": "yesterday"})


# --- Delivering ---------------------------------------------------------------------


def test_receiver_verifies_the_signature_and_gets_every_header(endpoint, receiver):
    delivery = _queue(endpoint, data={"change": "created", "resource": {"slug": "apollo"}})

    run = services.deliveries_send_due()

    assert run.succeeded == 1
    [request] = receiver.requests
    headers = request["headers"]
    assert request["path"] == "/hooks/huiju"
    assert headers["X-Huiju-Event"] == "resource.updated"
    assert headers["X-Huiju-Delivery"] == str(delivery.uuid)
    assert headers["Content-Type"].startswith("application/json")
    assert verify_signature(
        endpoint.secret,
        body=request["body"],
        timestamp=headers["X-Huiju-Timestamp"],
        signature=headers["X-Huiju-Signature"],
    )
    assert not verify_signature(
        "whsec_wrong",
        body=request["body"],
        timestamp=headers["X-Huiju-Timestamp"],
        signature=headers["X-Huiju-Signature"],
    )
    body = json.loads(request["body"])
    assert body["event"] == "resource.updated"
    assert body["delivery"] == str(delivery.uuid)
    assert body["platform"]["slug"] == "baidu"
    assert body["data"] == {"change": "created", "resource": {"slug": "apollo"}}

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.response_status == 200
    assert json.loads(delivery.response_excerpt) == {"received": 1}
    assert delivery.request_headers["X-Huiju-Signature"] == headers["X-Huiju-Signature"]
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    assert delivery.duration_ms is not None


def test_failing_receiver_is_retried_with_backoff_then_succeeds(endpoint, receiver):
    receiver.statuses = [500]
    delivery = _queue(endpoint)

    before = timezone.now()
    first = services.deliveries_send_due()
    delivery.refresh_from_db()
    assert (first.attempted, first.retrying) == (1, 1)
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.response_status == 500
    assert delivery.last_error == "HTTP 500"
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 30 * 0.8 - 1 <= wait <= 30 * 1.2 + 1  # first back-off: base 30 s ± jitter

    assert services.deliveries_send_due().attempted == 0  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    _due_now(delivery)
    second = services.deliveries_send_due()
    delivery.refresh_from_db()
    assert second.succeeded == 1
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    # A retry is the same delivery: same ID, same body; signed afresh.
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert (
        receiver.requests[0]["headers"]["X-Huiju-Delivery"]
        == receiver.requests[1]["headers"]["X-Huiju-Delivery"]
    )


def test_delivery_gives_up_after_max_attempts(endpoint, receiver, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "MAX_ATTEMPTS": 3}
    receiver.statuses = [503, 502, 500, 200]
    delivery = _queue(endpoint)
    for _attempt in range(3):
        _due_now(delivery)
        services.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 500"
    assert services.deliveries_send_due().attempted == 0
    assert len(receiver.requests) == 3


def test_backoff_schedule_is_exponential_capped_and_jittered(settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "BACKOFF_BASE": 30, "BACKOFF_MAX": 3600}

    class Middle(random.Random):
        def uniform(self, a, b):
            return (a + b) / 2

    schedule = [services.backoff_delay(n, rng=Middle()) for n in range(1, 10)]
    assert schedule == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]

    rng = random.Random(7)
    delays = [services.backoff_delay(3, rng=rng) for _ in range(200)]
    assert min(delays) >= 120 * 0.8 and max(delays) <= 120 * 1.2
    assert len({round(d, 3) for d in delays}) > 100  # jitter spreads retries out


def test_connection_refused_and_timeouts_are_recorded_and_retried(endpoint, receiver, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "TIMEOUT": 0.3}
    receiver.delay = 1.0
    delivery = _queue(endpoint)
    services.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "timed out" in delivery.last_error.lower()
    assert delivery.response_status is None

    receiver.close()  # nothing listens any more
    _due_now(delivery)
    services.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert "refused" in delivery.last_error.lower() or "error" in delivery.last_error.lower()


def test_a_claimed_delivery_is_not_sent_twice(endpoint, receiver):
    delivery = _queue(endpoint)
    claimed = services.deliveries_claim(limit=10)
    assert [d.pk for d in claimed] == [delivery.pk]
    assert services.deliveries_claim(limit=10) == []  # leased to the first worker
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now()


def test_disabled_endpoint_gets_nothing_and_delivery_fails(endpoint, receiver):
    delivery = _queue(endpoint)
    endpoint.is_active = False
    endpoint.save()
    services.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_error == "The endpoint is disabled."
    assert receiver.requests == []


def test_worker_command_sends_due_deliveries_and_reports(endpoint, receiver):
    receiver.statuses = [500]
    _queue(endpoint, event="resource.updated")
    _queue(endpoint, event="answer.accepted")
    out = StringIO()
    call_command("webhooks_deliver", stdout=out)
    assert "attempted 2: 1 delivered, 1 to retry, 0 failed" in out.getvalue()
    assert len(receiver.requests) == 2


def test_worker_loop_stops_on_signal(endpoint, receiver):
    import os
    import signal
    import threading

    _queue(endpoint)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGTERM))
    previous = signal.getsignal(signal.SIGTERM)
    out = StringIO()
    started = time.monotonic()
    try:
        timer.start()
        call_command("webhooks_deliver", "--loop", "--interval", "0.1", stdout=out)
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)
    assert time.monotonic() - started < 5
    assert "done: 1 attempted, 1 delivered" in out.getvalue()


@pytest.mark.postgres
def test_claiming_skips_rows_locked_by_another_worker(
    transactional_db, endpoint, receiver, django_db_blocker
):
    """SKIP LOCKED: a second worker does not wait for, nor take, a row being claimed."""
    import threading

    from django.db import connection, transaction

    delivery = _queue(endpoint)
    locked, release, seen = threading.Event(), threading.Event(), {}

    def other_worker():
        with django_db_blocker.unblock(), transaction.atomic():
            list(WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk))
            locked.set()
            release.wait(5)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert locked.wait(5)
    try:
        seen["claimed"] = services.deliveries_claim(limit=10)
    finally:
        release.set()
        thread.join()
    assert seen["claimed"] == []


def test_old_finished_deliveries_are_pruned_pending_ones_kept(endpoint, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "LOG_DAYS": 30}
    for event in ["resource.updated", "answer.accepted", "live.registration"]:
        _queue(endpoint, event=event)
    WebhookDelivery.objects.filter(event="resource.updated").update(status="succeeded")
    WebhookDelivery.objects.filter(event="answer.accepted").update(status="failed")
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=31))
    WebhookDelivery.objects.filter(event="live.registration").update(
        next_attempt_at=timezone.now() + timedelta(hours=1)  # still retrying
    )
    _queue(endpoint, event="question.about_resource")
    WebhookDelivery.objects.filter(event="question.about_resource").update(status="succeeded")

    out = StringIO()
    call_command("webhooks_deliver", stdout=out)
    assert "deleted 2 old delivery log entries" in out.getvalue()
    assert set(WebhookDelivery.objects.values_list("event", flat=True)) == {
        "live.registration",  # still pending: never dropped unsent
        "question.about_resource",  # recent
    }


def test_staff_are_told_once_a_day_when_deliveries_give_up(endpoint, receiver, settings):
    from notifications.models import Notification

    settings.WEBHOOKS = {**settings.WEBHOOKS, "MAX_ATTEMPTS": 1}
    receiver.statuses = [500, 500, 500]
    first = _queue(endpoint, event="answer.accepted")
    _queue(endpoint, event="resource.updated")
    services.deliveries_send_due()
    assert WebhookDelivery.objects.filter(status="failed").count() == 2

    [notice] = Notification.objects.all()
    assert notice.recipient == endpoint.platform.staff.get()
    assert notice.kind == "webhook_failed"
    assert notice.target_url == first.get_absolute_url()
    assert notice.excerpt == "HTTP 500"
