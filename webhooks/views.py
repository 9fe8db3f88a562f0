"""A platform's webhook settings: endpoints, secrets, test pings and the delivery log.

Only the platform's staff and site administrators get in; everyone else signed
in gets 403, visitors are sent to sign in.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowledge.models import Platform
from webhooks import selectors, services
from webhooks.events import subscribable_events
from webhooks.forms import DeliveryFilterForm, EndpointForm
from webhooks.permissions import can_manage_webhooks

LOG_PAGE_SIZE = 25


def _platform(request, slug: str) -> Platform:
    platform = selectors.platform_get(slug=slug)
    if not can_manage_webhooks(request.user, platform):
        raise PermissionDenied
    return platform


def _no_store(response):
    response["Cache-Control"] = "no-store"  # pages may show the signing secret or payloads
    return response


def _form_errors(form: EndpointForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_GET
def platform_index(request):
    """The platforms whose webhooks this member manages."""
    platforms = Platform.objects.select_related("subdomain")
    if not request.user.is_superuser:
        platforms = platforms.filter(staff=request.user)
    return render(request, "webhooks/platform_index.html", {"platforms": platforms})


@login_required
@require_GET
def endpoint_list(request, slug: str):
    platform = _platform(request, slug)
    return _no_store(
        render(
            request,
            "webhooks/endpoint_list.html",
            {
                "platform": platform,
                "endpoints": selectors.endpoints_for_platform(platform=platform),
                "events": [
                    (event, json.dumps(event.example, ensure_ascii=False, indent=2))
                    for event in subscribable_events()
                ],
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_new(request, slug: str):
    platform = _platform(request, slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(
                platform=platform, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        except services.WebhookError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Endpoint added. Copy its signing secret to your receiver.")
            )
            return redirect(endpoint.get_absolute_url())
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"platform": platform, "form": form, "endpoint": None},
    )


@login_required
@require_GET
def endpoint_detail(request, slug: str, endpoint_id: int):
    """The endpoint's settings and its delivery log (filterable, paged)."""
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    filters = DeliveryFilterForm(request.GET)
    status = event = ""
    if filters.is_valid():
        status, event = filters.cleaned_data["status"], filters.cleaned_data["event"]
    deliveries = selectors.deliveries_for_endpoint(endpoint=endpoint, status=status, event=event)
    page = Paginator(deliveries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("event", event)) if v)
    return _no_store(
        render(
            request,
            "webhooks/endpoint_detail.html",
            {
                "platform": platform,
                "endpoint": endpoint,
                "page": page,
                "filters": filters,
                "filter_query": query,
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request, slug: str, endpoint_id: int):
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "is_active": endpoint.is_active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect(endpoint.get_absolute_url())
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"platform": platform, "form": form, "endpoint": endpoint},
    )


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_delete_view(request, slug: str, endpoint_id: int):
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint, user=request.user)
        messages.success(request, _("Endpoint deleted, with its delivery log."))
        return redirect("webhooks:list", slug=platform.slug)
    return render(
        request, "webhooks/endpoint_delete.html", {"platform": platform, "endpoint": endpoint}
    )


@login_required
@require_POST
def endpoint_secret(request, slug: str, endpoint_id: int):
    """Reveal the signing secret (``action=reveal``) or replace it (``action=rotate``)."""
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    rotated = request.POST.get("action") == "rotate"
    if rotated:
        services.endpoint_rotate_secret(endpoint=endpoint, user=request.user)
    return _no_store(
        render(
            request,
            "webhooks/endpoint_secret.html",
            {"platform": platform, "endpoint": endpoint, "rotated": rotated},
        )
    )


@login_required
@require_POST
def endpoint_ping_view(request, slug: str, endpoint_id: int):
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    try:
        delivery = services.endpoint_ping(endpoint=endpoint, user=request.user)
    except services.WebhookError as error:
        messages.error(request, str(error))
        return redirect(endpoint.get_absolute_url())
    messages.success(request, _("Ping queued; it will be sent within a few seconds."))
    return redirect(delivery.get_absolute_url())


@login_required
@require_GET
def delivery_detail(request, slug: str, endpoint_id: int, delivery_uuid):
    """One delivery: the request as sent (headers, body) and the receiver's response."""
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    delivery = selectors.delivery_get(endpoint=endpoint, delivery_uuid=delivery_uuid)
    body = json.dumps(json.loads(services.delivery_body(delivery)), ensure_ascii=False, indent=2)
    return _no_store(
        render(
            request,
            "webhooks/delivery_detail.html",
            {
                "platform": platform,
                "endpoint": endpoint,
                "delivery": delivery,
                "request_body": body,
                "request_headers": sorted(delivery.request_headers.items()),
                "response_headers": sorted(delivery.response_headers.items()),
            },
        )
    )


@login_required
@require_POST
def delivery_redeliver_view(request, slug: str, endpoint_id: int, delivery_uuid):
    platform = _platform(request, slug)
    endpoint = selectors.endpoint_get(platform=platform, endpoint_id=endpoint_id)
    delivery = selectors.delivery_get(endpoint=endpoint, delivery_uuid=delivery_uuid)
    try:
        again = services.delivery_redeliver(delivery=delivery, user=request.user)
    except services.WebhookError as error:
        messages.error(request, str(error))
        return redirect(delivery.get_absolute_url())
    messages.success(request, _("Redelivery queued; it will be sent within a few seconds."))
    return redirect(again.get_absolute_url())
