"""The search page and the "similar questions" JSON endpoint."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.ratelimit import client_ip, hit
from search import selectors
from search.backends.base import FACETS, SORTS

SEARCH_RATE = "60/m"
SIMILAR_RATE = "120/m"

FACET_TITLES = {
    "kind": gettext_lazy("Type"),
    "subdomain": gettext_lazy("Sub-domain"),
    "tag": gettext_lazy("Tag"),
    "platform": gettext_lazy("Platform"),
    "resource": gettext_lazy("Resource"),
}


def _toggle_url(request, facet: str, value: str) -> str:
    params = request.GET.copy()
    values = params.getlist(facet)
    params.setlist(
        facet, [v for v in values if v != value] if value in values else [*values, value]
    )
    params.pop("page", None)
    return f"?{params.urlencode()}"


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return f"?{params.urlencode()}"


def _sort_url(request, sort: str) -> str:
    params = request.GET.copy()
    params["sort"] = sort
    params.pop("page", None)
    return f"?{params.urlencode()}"


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


@require_GET
def results(request):
    text = request.GET.get("q", "")[:2000]
    sort = request.GET.get("sort", "relevance")
    filters = {facet: request.GET.getlist(facet)[:10] for facet in FACETS}
    limited = not hit(f"search:{client_ip(request)}", SEARCH_RATE).allowed
    if limited:
        found = selectors.SearchResults(query=selectors.parse(text))
        found.error = _("You are searching too fast. Please wait a minute and try again.")
    else:
        found = selectors.search_query(
            text, filters, sort, _page_number(request.GET.get("page", "1"))
        )
    facet_groups = [
        {
            "name": facet,
            "title": FACET_TITLES[facet],
            "values": [
                {"value": v, "url": _toggle_url(request, facet, v.value)}
                for v in found.facets.get(facet, [])
            ],
        }
        for facet in FACETS
        if found.facets.get(facet)
    ]
    pages = range(max(found.page - 3, 1), min(found.page + 3, found.num_pages) + 1)
    context = {
        "results": found,
        "first_index": (found.page - 1) * found.page_size + 1,
        "search_query": text,
        "facet_groups": facet_groups,
        "sorts": [
            {"value": s, "label": label, "url": _sort_url(request, s), "current": s == found.sort}
            for s, label in zip(SORTS, (_("Relevance"), _("Newest"), _("Votes")), strict=True)
        ],
        "pages": [{"number": n, "url": _page_url(request, n)} for n in pages],
        "previous_url": _page_url(request, found.page - 1) if found.has_previous else "",
        "next_url": _page_url(request, found.page + 1) if found.has_next else "",
        "selected_filters": [
            {"facet": facet, "value": value, "url": _toggle_url(request, facet, value)}
            for facet in FACETS
            for value in filters[facet]
        ],
    }
    return render(request, "search/results.html", context, status=429 if limited else 200)


@require_GET
def similar(request):
    """``?title=…[&kind=question]`` → up to 5 similar items as JSON (for the ask form)."""
    if not hit(f"search-similar:{client_ip(request)}", SIMILAR_RATE).allowed:
        return JsonResponse({"error": _("Too many requests.")}, status=429)
    title = request.GET.get("title", "")[:300]
    kind = request.GET.get("kind", "question")[:40]
    hits = selectors.similar(title, kind=kind)
    return JsonResponse(
        {
            "results": [
                {
                    "kind": h.kind,
                    "kind_label": h.kind_label,
                    "title": h.plain_title,
                    "url": h.url,
                    "score": h.score,
                    "answered": h.answered,
                    "accepted": h.accepted,
                }
                for h in hits
            ]
        }
    )
