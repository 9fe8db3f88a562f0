"""Writes for webhooks: managing endpoints, emitting events and delivering them.

Other apps call :func:`webhook_emit` from ``transaction.on_commit`` (or use
:func:`webhook_emit_on_commit`). Emitting only inserts delivery rows; the network
is touched by the worker (``manage.py webhooks_deliver --loop``), never by the
request that caused the event, and an emit that goes wrong is logged, not raised.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.ratelimit import hit
from knowledge.models import Platform
from notifications.services import notify_many
from webhooks import transport
from webhooks.events import PING, get_event
from webhooks.models import WebhookDelivery, WebhookEndpoint, generate_secret
from webhooks.payloads import platform_payload
from webhooks.permissions import can_manage_webhooks
from webhooks.signing import compute_signature

logger = logging.getLogger(__name__)

MAX_ENDPOINTS_PER_PLATFORM = 20
TEST_RATE = "10/m"  # pings and redeliveries per member
FAILURE_NOTICE_RATE = "1/d"  # "your webhook failed" notices per endpoint
USER_AGENT = "Huiju-Hookshot/1.0"

Payload = dict[str, Any] | Callable[[], dict[str, Any] | None]


class WebhookError(Exception):
    """A webhook action was refused; the message is for the member (translated)."""


# --- Endpoints ---------------------------------------------------------------------


def _require_manager(user, platform: Platform) -> None:
    if not can_manage_webhooks(user, platform):
        raise PermissionDenied("Only this platform's staff may manage its webhooks.")


def _clean_events(events: Iterable[str]) -> list[str]:
    cleaned = sorted(set(events))
    for key in cleaned:
        event = get_event(key)
        if event is None or not event.subscribable:
            raise ValidationError({"events": _("Unknown event: %(event)s") % {"event": key}})
    return cleaned


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        transport.checked_addresses(url)
    except transport.UnsafeURL as exc:
        raise ValidationError({"url": str(exc)}) from exc
    return url


def endpoint_create(
    *,
    platform: Platform,
    user,
    url: str,
    events: Iterable[str],
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    """Register a receiver for ``platform``; the URL must pass the https and SSRF rules."""
    _require_manager(user, platform)
    if WebhookEndpoint.objects.filter(platform=platform).count() >= MAX_ENDPOINTS_PER_PLATFORM:
        raise WebhookError(
            _("A platform may have at most %(count)d endpoints.")
            % {"count": MAX_ENDPOINTS_PER_PLATFORM}
        )
    return WebhookEndpoint.objects.create(
        platform=platform,
        url=_check_url(url),
        events=_clean_events(events),
        description=description.strip(),
        is_active=is_active,
        created_by=user,
    )


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    user,
    url: str,
    events: Iterable[str],
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    _require_manager(user, endpoint.platform)
    endpoint.url = _check_url(url)
    endpoint.events = _clean_events(events)
    endpoint.description = description.strip()
    endpoint.is_active = is_active
    endpoint.save(update_fields=["url", "events", "description", "is_active", "updated_at"])
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint, user) -> None:
    """Delete the endpoint with its delivery log."""
    _require_manager(user, endpoint.platform)
    endpoint.delete()


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, user) -> str:
    """Replace the signing secret; deliveries from now on are signed with the new one."""
    _require_manager(user, endpoint.platform)
    endpoint.secret = generate_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint.secret


def _throttle(user) -> None:
    if not hit(f"webhooks:test:{user.pk}", TEST_RATE).allowed:
        raise WebhookError(_("Too many test deliveries; wait a minute and try again."))


def endpoint_ping(*, endpoint: WebhookEndpoint, user) -> WebhookDelivery:
    """Queue a ``ping`` for this endpoint (the worker sends it within seconds)."""
    _require_manager(user, endpoint.platform)
    if not endpoint.is_active:
        raise WebhookError(_("Activate the endpoint before sending it a ping."))
    _throttle(user)
    data = {
        "message": "Hello from Huiju",
        "endpoint": endpoint.pk,
        "events": list(endpoint.events),
    }
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=PING,
        payload=_envelope(endpoint.platform, PING, data),
        next_attempt_at=timezone.now(),
    )


def delivery_redeliver(*, delivery: WebhookDelivery, user) -> WebhookDelivery:
    """Queue the same payload again, as a new delivery that points back at the original."""
    endpoint = delivery.endpoint
    _require_manager(user, endpoint.platform)
    if not endpoint.is_active:
        raise WebhookError(_("Activate the endpoint before redelivering to it."))
    _throttle(user)
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=delivery.event,
        payload=delivery.payload,
        redelivery_of=delivery.redelivery_of or delivery,
        next_attempt_at=timezone.now(),
    )


# --- Emitting ----------------------------------------------------------------------


def _envelope(platform: Platform, event: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": event,
        "emitted_at": timezone.now().isoformat(),
        "platform": platform_payload(platform),
        "data": data,
    }


def webhook_emit(*, platform: Platform | int, event: str, payload: Payload) -> int:
    """Queue ``event`` for every active endpoint of ``platform`` subscribed to it.

    ``payload`` is the event's ``data`` (or a callable building it, called only
    when some endpoint wants the event). Returns the number of deliveries
    queued. Never raises: a failure is logged and the caller carries on.
    """
    try:
        platform_id = platform if isinstance(platform, int) else platform.pk
        endpoints = [
            endpoint
            for endpoint in WebhookEndpoint.objects.filter(
                platform_id=platform_id, is_active=True
            ).select_related("platform")
            if endpoint.wants(event)
        ]
        if not endpoints:
            return 0
        data = payload() if callable(payload) else payload
        if data is None:
            return 0
        envelope = _envelope(endpoints[0].platform, event, data)
        json.dumps(envelope)  # fail here, not in the worker, on unserialisable data
        now = timezone.now()
        with transaction.atomic():  # a database error must not poison the caller's transaction
            WebhookDelivery.objects.bulk_create(
                WebhookDelivery(endpoint=e, event=event, payload=envelope, next_attempt_at=now)
                for e in endpoints
            )
        return len(endpoints)
    except Exception:
        logger.exception("webhooks: could not queue %s for platform %s", event, platform)
        return 0


def webhook_emit_on_commit(*, platform: Platform | int, event: str, payload: Payload) -> None:
    """Emit once the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: webhook_emit(platform=platform, event=event, payload=payload), robust=True
    )


# --- Delivering --------------------------------------------------------------------


def _conf(key: str) -> int:
    return settings.WEBHOOKS[key]


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempts`` failed attempts: exponential, capped, with ±20% jitter.

    With the defaults (30 s base, 6 h cap): ~30 s, 1 min, 2 min, 4 min, 8 min, 16 min, 32 min…
    """
    rng = rng or random
    base = min(_conf("BACKOFF_MAX"), _conf("BACKOFF_BASE") * 2 ** max(attempts - 1, 0))
    return base * rng.uniform(0.8, 1.2)


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The exact bytes POSTed (and signed): the envelope plus this delivery's ID."""
    body = {**delivery.payload, "delivery": str(delivery.uuid)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def delivery_headers(delivery: WebhookDelivery, body: bytes, *, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Huiju-Event": delivery.event,
        "X-Huiju-Delivery": str(delivery.uuid),
        "X-Huiju-Timestamp": str(timestamp),
        "X-Huiju-Signature": compute_signature(delivery.endpoint.secret, timestamp, body),
    }


def delivery_attempt(*, delivery: WebhookDelivery, now: datetime | None = None) -> WebhookDelivery:
    """POST one delivery once and record the outcome; schedules a retry or gives up."""
    endpoint = delivery.endpoint
    body = delivery_body(delivery)
    headers = delivery_headers(delivery, body, timestamp=int(time.time()))
    response, error = None, ""
    started = time.monotonic()
    with translation.override("en"):  # the log is read by developers; keep errors in English
        if not endpoint.is_active:
            error = "The endpoint is disabled."
        else:
            try:
                response = transport.post(
                    endpoint.url, body=body, headers=headers, timeout=_conf("TIMEOUT")
                )
            except (transport.UnsafeURL, transport.DeliveryError) as exc:
                error = str(exc)
    now = now or timezone.now()
    delivery.attempts += 1
    delivery.request_headers = headers
    if response is not None:
        delivery.response_status = response.status
        delivery.response_headers = response.headers
        delivery.response_excerpt = response.excerpt
        delivery.duration_ms = response.duration_ms
        ok = 200 <= response.status < 300
        error = "" if ok else f"HTTP {response.status}"
    else:
        delivery.response_status = None
        delivery.response_headers = {}
        delivery.response_excerpt = ""
        delivery.duration_ms = int((time.monotonic() - started) * 1000)
        ok = False
    delivery.last_error = error
    if ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= _conf("MAX_ATTEMPTS") or not endpoint.is_active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        if endpoint.is_active and delivery.event != PING:
            _tell_staff_about_failure(delivery)
    else:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=backoff_delay(delivery.attempts))
    delivery.save()
    return delivery


def _tell_staff_about_failure(delivery: WebhookDelivery) -> None:
    """Notify the platform's staff that a delivery gave up (at most once a day per endpoint)."""
    endpoint = delivery.endpoint
    if not hit(f"webhooks:failed:{endpoint.pk}", FAILURE_NOTICE_RATE).allowed:
        return
    try:
        notify_many(
            recipients=endpoint.platform.staff.all(),
            kind="webhook_failed",
            target_url=delivery.get_absolute_url(),
            target_title=f"{delivery.event} → {endpoint.url}",
            excerpt=delivery.last_error,
        )
    except Exception:  # telling people must not stop the worker
        logger.exception("webhooks: could not notify staff about %s", delivery.uuid)


@dataclass
class DeliveryRun:
    attempted: int = 0
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0


def deliveries_claim(*, limit: int, now: datetime | None = None) -> list[WebhookDelivery]:
    """Take up to ``limit`` due deliveries for this worker.

    Rows are locked with SKIP LOCKED (PostgreSQL) and leased by moving
    ``next_attempt_at`` past the request timeout, so parallel workers never send
    the same delivery twice and a crashed worker's claim simply expires.
    """
    now = now or timezone.now()
    lease = now + timedelta(seconds=_conf("TIMEOUT") * 2 + 30)
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(id__in=ids).update(next_attempt_at=lease)
    return list(
        WebhookDelivery.objects.filter(id__in=ids)
        .select_related("endpoint__platform")
        .order_by("id")
    )


def deliveries_send_due(*, limit: int = 50, now: datetime | None = None) -> DeliveryRun:
    """Attempt every due delivery (up to ``limit``) once."""
    run = DeliveryRun()
    for delivery in deliveries_claim(limit=limit, now=now):
        try:
            delivery_attempt(delivery=delivery)
        except Exception:  # a bug must not stop the worker; the lease retries it later
            logger.exception("webhooks: delivery %s crashed", delivery.uuid)
            continue
        run.attempted += 1
        if delivery.status == WebhookDelivery.Status.SUCCEEDED:
            run.succeeded += 1
        elif delivery.status == WebhookDelivery.Status.FAILED:
            run.failed += 1
        else:
            run.retrying += 1
    return run


def deliveries_prune(*, now: datetime | None = None) -> int:
    """Delete finished deliveries older than ``WEBHOOKS["LOG_DAYS"]``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=_conf("LOG_DAYS"))
    deleted, _by_model = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(status=WebhookDelivery.Status.PENDING)
        .delete()
    )
    return deleted
