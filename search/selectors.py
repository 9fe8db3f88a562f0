"""Reads of the search app: the one query API (also exposed as ``search.query``)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from search import highlight, registry
from search import text as analysis
from search.backends import get_backend
from search.backends.base import FACETS, SORTS, BackendResults, SearchRequest
from search.query import KINDS, ParsedQuery, parse

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_PAGE = 50
SNIPPET_LENGTH = 220


@dataclass
class Hit:
    """One result, ready to show."""

    kind: str
    kind_label: str
    object_id: str
    url: str
    title: SafeString  # escaped, matches in <mark>
    plain_title: str
    snippet: SafeString
    tags: list[str]
    subdomain: str
    platform: str
    author: str
    score: int
    answered: bool
    accepted: bool
    created_at: datetime | None
    rank: float


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    sort: str = "relevance"
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    relaxed: bool = False  # no result had every word; these have some
    capped: bool = False  # total (and facet counts) stopped at the backend's cap: "2,000+"
    error: str = ""
    #: The text had words, but only very common ones (怎么, the …) or punctuation,
    #: which the index leaves out: nothing was searched rather than everything listed.
    nothing_to_look_up: bool = False

    @property
    def num_pages(self) -> int:
        return min(max(math.ceil(self.total / self.page_size), 1), MAX_PAGE)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value if v]


def apply_filters(query: ParsedQuery, filters: dict | None) -> ParsedQuery:
    """Merge facet selections (``{"kind": [...], "tag": [...]}``) into a parsed query."""
    for facet, values in (filters or {}).items():
        for value in _as_list(values):
            value = str(value)[:100]
            if facet == "kind" and value in registry.kinds():
                target = query.kinds
            elif facet == "subdomain":
                target = query.subdomains
            elif facet == "tag":
                target = query.tags
                value = analysis.fold(value)
            elif facet == "platform":
                target = query.platforms
            elif facet == "resource":
                target = query.resources
                value = value.lower()
            else:
                continue
            if value not in target:
                target.append(value)
    return query


def _labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, dict[str, str]]:
    from knowledge.models import OpenResource, Platform, Subdomain

    labels: dict[str, dict[str, str]] = {
        "kind": {name: str(kind.label) for name, kind in registry.kinds().items()}
    }
    subdomains = [value for value, _ in facets.get("subdomain", [])]
    platforms = [value for value, _ in facets.get("platform", [])]
    resources = [value for value, _ in facets.get("resource", [])]
    if subdomains:
        labels["subdomain"] = {
            s.slug: s.name for s in Subdomain.objects.filter(slug__in=subdomains)
        }
    if platforms:
        labels["platform"] = {p.slug: p.name for p in Platform.objects.filter(slug__in=platforms)}
    if resources:
        slugs = {value.partition("@")[0] for value in resources}
        names = dict(OpenResource.objects.filter(slug__in=slugs).values_list("slug", "name"))
        labels["resource"] = {
            value: f"{names.get(value.partition('@')[0], value.partition('@')[0])} {value.partition('@')[2]}".strip()
            for value in resources
        }
    return labels


def _selected(query: ParsedQuery) -> dict[str, list[str]]:
    return {
        "kind": query.kinds,
        "subdomain": query.subdomains,
        "tag": query.tags,
        "platform": query.platforms,
        "resource": query.resources,
    }


def _hits(results: BackendResults, query: ParsedQuery) -> list[Hit]:
    marks = highlight.needles(query.text, query.phrases) if query.text.strip() else []
    kinds = registry.kinds()
    language = get_language() or settings.LANGUAGE_CODE
    hits = []
    for raw in results.hits:
        document = raw.document
        adapter = kinds.get(document.kind)
        url = document.url
        if language != settings.LANGUAGE_CODE and url.startswith("/"):
            with translation.override(settings.LANGUAGE_CODE):  # stored URLs are unprefixed
                url = translate_url(url, language)
        snippet = highlight.mark(document.body, marks, length=SNIPPET_LENGTH)
        if raw.highlight and "<mark>" not in snippet:  # the backend matched what we cannot mark
            snippet = mark_safe(raw.highlight)  # noqa: S308 - escaped by Elasticsearch (encoder=html)
        hits.append(
            Hit(
                kind=document.kind,
                kind_label=str(adapter.label) if adapter else document.kind,
                object_id=document.object_id,
                url=url,
                title=highlight.mark(document.title, marks),
                plain_title=document.title,
                snippet=snippet,
                tags=document.tags,
                subdomain=document.subdomain,
                platform=document.platform,
                author=document.author,
                score=document.score,
                answered=document.answered,
                accepted=document.accepted,
                created_at=document.created_at,
                rank=raw.rank,
            )
        )
    return hits


def search_query(
    text: str = "",
    filters: dict | None = None,
    sort: str = "relevance",
    page: int = 1,
    *,
    page_size: int = PAGE_SIZE,
    with_facets: bool = True,
    match_any: bool = False,
) -> SearchResults:
    """Search everything: ``search_query("自动驾驶 [apollo] is:question", {"subdomain": "..."})``.

    Returns typed hits with highlighted snippets, facet counts and the total.
    When no document has every word, the query is retried matching any word
    (``relaxed``). Backend failures become ``error``, never exceptions.
    """
    query = apply_filters(parse(text), filters)
    sort = sort if sort in SORTS else "relevance"
    page = min(max(int(page or 1), 1), MAX_PAGE)
    results = SearchResults(query=query, page=page, page_size=page_size, sort=sort)
    if query.is_empty:
        return results
    terms = analysis.query_terms(query.text)
    if query.text.strip() and not query.phrases and not terms:
        results.nothing_to_look_up = True
        return results
    request = SearchRequest(
        query=query,
        sort=sort,
        offset=(page - 1) * page_size,
        limit=page_size,
        match_any=match_any,
        with_facets=with_facets,
    )
    backend = get_backend()
    try:
        raw = backend.search(request)
        if not raw.total and not match_any and len(terms) > 1:
            request.match_any = True
            raw = backend.search(request)
            results.relaxed = bool(raw.total)
    except Exception as error:
        logger.exception("search: %s backend failed", backend.name)
        results.error = str(_("Search is unavailable right now. Please try again shortly."))
        if settings.DEBUG:
            results.error += f" ({type(error).__name__})"
        return results
    results.total = raw.total
    results.capped = raw.capped
    results.hits = _hits(raw, query)
    if with_facets:
        labels = _labels(raw.facets)
        selected = _selected(query)
        results.facets = {
            facet: [
                FacetValue(
                    value=value,
                    label=labels.get(facet, {}).get(value, value),
                    count=count,
                    selected=value in selected[facet],
                )
                for value, count in raw.facets.get(facet, [])
            ]
            for facet in FACETS
        }
    return results


def similar(title: str, *, kind: str = "question", limit: int = 5) -> list[Hit]:
    """Items whose text shares the most words with ``title`` (for "similar questions")."""
    title = " ".join((title or "").split())[:300]
    if len(analysis.query_terms(title)) == 0:
        return []
    # The title is plain text here, not the query language: quote nothing, use words only.
    query = ParsedQuery(raw=title, words=[title])
    query.kinds = [kind if kind in KINDS else "question"]
    request = SearchRequest(query=query, limit=limit, match_any=True, with_facets=False)
    try:
        raw = get_backend().search(request)
    except Exception:
        logger.exception("search: similar() failed")
        return []
    return _hits(raw, query)
