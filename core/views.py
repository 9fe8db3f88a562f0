"""Site-wide views: health, robots.txt and error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from core.health import check_all


@never_cache
@require_GET
def health(request):
    """JSON status of database, cache, channel layer and search; 503 if any is down."""
    results = check_all()
    ok = all(result["ok"] for result in results.values())
    return JsonResponse({"ok": ok, "services": results}, status=200 if ok else 503)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /cms/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database.
    return render(request, "500.html", status=500)


@require_POST
def set_language(request):
    """Django's ``set_language``, resolving ``next`` in the language of its own URL.

    Unprefixed URLs are always Simplified Chinese here, so ``/i18n/setlang/`` runs
    in zh-hans and Django would resolve ``/en/…`` as a Wagtail page path; the
    redirect would then keep the old language prefix.
    """
    next_url = request.POST.get("next", request.GET.get("next", ""))
    path_language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(path_language or settings.LANGUAGE_CODE):
        return django_set_language(request)
