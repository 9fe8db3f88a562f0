"""Search in Elasticsearch (enabled by ``ELASTICSEARCH_URL``).

Each kind lives in its own index (``<prefix>-<kind>-<timestamp>``) reached
through the alias ``<prefix>-<kind>``; ``rebuild`` fills a fresh index and
swaps the alias atomically, so searches never see a half-built index. Queries
are built with ``elasticsearch.dsl`` and can be inspected with ``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exceptions
from elasticsearch.dsl import A, Q, Search

from search import registry
from search import text as analysis
from search.backends.base import (
    BackendResults,
    Health,
    Progress,
    RawHit,
    SearchBackend,
    SearchBackendError,
    SearchRequest,
)
from search.documents import alias_name, from_source, index_body, new_index_name, to_source
from search.registry import SearchDocument

BULK_CHUNK = 500
FACET_FIELDS = {
    "kind": "kind",
    "subdomain": "subdomain",
    "tag": "tags",
    "platform": "platform",
    "resource": "resources",
}
TEXT_FIELDS = ["title^3", "title.en^2", "tags.text^2", "body", "body.en"]
SEG_FIELDS = ["title_seg^3", "tags_seg^2", "body_seg"]


def build_search(request: SearchRequest, indices: list[str]) -> Search:
    """The ``Search`` for a request (no client needed: call ``.to_dict()`` to inspect)."""
    query = request.query
    search = Search(index=indices)
    text = query.text.strip()
    terms = analysis.query_terms(text) if text else []
    operator = "or" if request.match_any else "and"
    must, filters = [], []
    words = " ".join(query.words)
    if terms and words.strip():
        seg_text = " ".join(term.token for term in terms)
        must.append(
            Q(
                "bool",
                should=[
                    Q(
                        "multi_match",
                        query=analysis.fold(words),
                        fields=TEXT_FIELDS,
                        operator=operator,
                    ),
                    Q("multi_match", query=seg_text, fields=SEG_FIELDS, operator=operator),
                    Q("match_phrase_prefix", **{"title.suggest": {"query": analysis.fold(words)}}),
                ],
                minimum_should_match=1,
            )
        )
    for phrase in query.phrases:
        must.append(
            Q("multi_match", query=analysis.fold(phrase), fields=["title", "body"], type="phrase")
        )
    if query.kinds:
        filters.append(Q("terms", kind=query.kinds))
    filters.extend(Q("term", tags=analysis.fold(tag)) for tag in query.tags)
    filters.extend(Q("term", resources=resource.lower()) for resource in query.resources)
    if query.subdomains:
        filters.append(Q("terms", subdomain=query.subdomains))
    if query.platforms:
        filters.append(Q("terms", platform=query.platforms))
    if query.users:
        filters.append(Q("terms", author=[user.lower() for user in query.users]))
    if query.answered is not None:
        filters.append(Q("term", answered=query.answered))
    if query.accepted is not None:
        filters.append(Q("term", accepted=query.accepted))
    if query.min_score is not None:
        filters.append(Q("range", score={"gte": query.min_score}))
    base = Q("bool", must=must or [Q("match_all")], filter=filters)
    if request.sort == "relevance" and must:
        base = Q(
            "function_score",
            query=base,
            functions=[
                {
                    "field_value_factor": {
                        "field": "score",
                        "modifier": "ln2p",
                        "factor": 1,
                        "missing": 0,
                    }
                },
                {"gauss": {"created_at": {"origin": "now", "scale": "365d", "decay": 0.5}}},
            ],
            score_mode="multiply",
            boost_mode="multiply",
        )
        search = search.sort("_score", {"created_at": {"order": "desc"}})
    elif request.sort == "votes":
        search = search.sort({"score": {"order": "desc"}}, {"created_at": {"order": "desc"}})
    else:
        search = search.sort({"created_at": {"order": "desc"}})
    search = search.query(base).extra(track_total_hits=True)
    search = search[request.offset : request.offset + request.limit]
    if must:
        search = search.highlight(
            "title", "body", fragment_size=200, number_of_fragments=1, encoder="html"
        ).highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"])
    if request.with_facets:
        for facet, field in FACET_FIELDS.items():
            search.aggs.bucket(facet, A("terms", field=field, size=request.facet_size))
    return search


def suggest_search(prefix: str, indices: list[str], size: int = 5) -> Search:
    """Titles as you type, from the ``search_as_you_type`` sub-field."""
    return Search(index=indices).query(
        "multi_match",
        query=analysis.fold(prefix),
        type="bool_prefix",
        fields=["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
    )[:size]


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, config: dict, client: Elasticsearch | None = None) -> None:
        super().__init__(config)
        if client is not None:
            self.__dict__["client"] = client
        self._ready: set[str] = set()

    @cached_property
    def client(self) -> Elasticsearch:
        return Elasticsearch(
            self.config["ELASTICSEARCH_URL"],
            request_timeout=self.config.get("TIMEOUT", 5),
            max_retries=1,
            retry_on_timeout=False,
        )

    @property
    def prefix(self) -> str:
        return self.config.get("INDEX_PREFIX", "huiju")

    def alias(self, kind: str) -> str:
        return alias_name(self.prefix, kind)

    def health(self) -> Health:
        try:
            info = self.client.cluster.health(timeout="2s")
        except (
            es_exceptions.ConnectionError,
            es_exceptions.TransportError,
            es_exceptions.ApiError,
        ) as error:
            return Health(ok=False, backend=self.name, detail={"error": type(error).__name__})
        status = info.get("status", "red")
        return Health(
            ok=status in {"green", "yellow"}, backend=self.name, detail={"status": status}
        )

    # --- indices and aliases -------------------------------------------------

    def _alias_targets(self, alias: str) -> list[str]:
        try:
            response = self.client.indices.get_alias(name=alias)
        except es_exceptions.NotFoundError:
            return []
        return sorted(dict(response))

    def ensure_index(self, kind: str) -> None:
        """Create the kind's first index and alias if missing (never auto-create by writing)."""
        if kind in self._ready:
            return
        alias = self.alias(kind)
        if not self.client.indices.exists_alias(name=alias):
            name = new_index_name(self.prefix, kind)
            self.client.indices.create(index=name, **index_body(name))
            self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
        self._ready.add(kind)

    def _bulk(self, operations: list[dict], *, ignore_missing: bool = False) -> None:
        if not operations:
            return
        response = self.client.bulk(operations=operations)
        if not response.get("errors"):
            return
        failures = []
        for item in response.get("items", []):
            for action, result in item.items():
                if result.get("status", 200) < 300:
                    continue
                if ignore_missing and action == "delete" and result.get("status") == 404:
                    continue
                failures.append(f"{action} {result.get('_id')}: {result.get('error')}")
        if failures:
            raise SearchBackendError(f"{len(failures)} bulk failures, first: {failures[0]}"[:500])

    @staticmethod
    def _index_ops(index: str, documents: Iterable[SearchDocument]) -> list[dict]:
        operations: list[dict] = []
        for document in documents:
            operations.append({"index": {"_index": index, "_id": document.object_id}})
            operations.append(to_source(document))
        return operations

    def index(self, documents: list[SearchDocument]) -> None:
        by_kind: dict[str, list[SearchDocument]] = {}
        for document in documents:
            by_kind.setdefault(document.kind, []).append(document)
        for kind, docs in by_kind.items():
            self.ensure_index(kind)
            for start in range(0, len(docs), BULK_CHUNK):
                self._bulk(self._index_ops(self.alias(kind), docs[start : start + BULK_CHUNK]))

    def delete(self, keys: list[tuple[str, str]]) -> None:
        operations = []
        for kind, object_id in keys:
            if not self.client.indices.exists_alias(name=self.alias(kind)):
                continue
            operations.append({"delete": {"_index": self.alias(kind), "_id": object_id}})
        self._bulk(operations, ignore_missing=True)

    def rebuild(
        self, kind: str, documents: Iterable[SearchDocument], progress: Progress | None = None
    ) -> int:
        """Fill a new index, then point the alias at it in one atomic alias update."""
        alias = self.alias(kind)
        name = new_index_name(self.prefix, kind)
        body = index_body(name)
        settings = dict(body.get("settings", {}))
        self.client.indices.create(
            index=name, settings={**settings, "refresh_interval": "-1"}, mappings=body["mappings"]
        )
        count = 0
        try:
            chunk: list[SearchDocument] = []
            for document in documents:
                chunk.append(document)
                if len(chunk) >= BULK_CHUNK:
                    self._bulk(self._index_ops(name, chunk))
                    count += len(chunk)
                    chunk = []
                    if progress:
                        progress(count)
            self._bulk(self._index_ops(name, chunk))
            count += len(chunk)
            if progress:
                progress(count)
            self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
            self.client.indices.refresh(index=name)
        except Exception:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        old = self._alias_targets(alias)
        actions: list[dict] = [{"remove": {"index": index, "alias": alias}} for index in old]
        if not old and self.client.indices.exists(index=alias):
            actions.append({"remove_index": {"index": alias}})  # auto-created by a stray write
        actions.append({"add": {"index": name, "alias": alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        self._ready.add(kind)
        return count

    def counts(self) -> dict[str, int]:
        counts = {}
        for kind in registry.kinds():
            alias = self.alias(kind)
            if not self.client.indices.exists_alias(name=alias):
                counts[kind] = 0
                continue
            counts[kind] = self.client.count(index=alias)["count"]
        return counts

    # --- reading -------------------------------------------------------------

    def indices_for(self, request: SearchRequest) -> list[str]:
        kinds = request.query.kinds or list(registry.kinds())
        return [self.alias(kind) for kind in kinds]

    def search(self, request: SearchRequest) -> BackendResults:
        search = build_search(request, self.indices_for(request))
        try:
            response = self.client.search(
                index=",".join(search._index), body=search.to_dict(), ignore_unavailable=True
            )
        except (es_exceptions.ApiError, es_exceptions.TransportError) as error:
            raise SearchBackendError(f"{type(error).__name__}: {error}"[:300]) from error
        hits = []
        for hit in response["hits"]["hits"]:
            fragments = (hit.get("highlight") or {}).get("body") or []
            hits.append(
                RawHit(
                    document=from_source(hit["_source"]),
                    rank=hit.get("_score") or 0.0,
                    highlight=fragments[0] if fragments else "",
                )
            )
        total = response["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else int(total)
        facets = {
            facet: [
                (bucket["key"], bucket["doc_count"])
                for bucket in response.get("aggregations", {}).get(facet, {}).get("buckets", [])
            ]
            for facet in FACET_FIELDS
        }
        return BackendResults(hits=hits, total=total, facets=facets)
