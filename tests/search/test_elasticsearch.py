"""The Elasticsearch backend without a server: mappings, request bodies, alias swaps.

Tests marked ``elasticsearch`` run against ``ELASTICSEARCH_URL`` when it is set,
in uniquely named indices they delete afterwards.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from elasticsearch import exceptions as es_exceptions

from search.backends.base import SearchBackendError, SearchRequest
from search.backends.elasticsearch import ElasticsearchBackend, build_search, suggest_search
from search.documents import from_source, index_body, to_source
from search.query import parse
from tests.search.conftest import corpus_documents, make_document


class FakeIndices:
    def __init__(self, client):
        self.client = client

    def _log(self, name, **kwargs):
        self.client.calls.append((f"indices.{name}", kwargs))

    def create(self, index, **body):
        self._log("create", index=index, **body)
        self.client.indices_state[index] = []

    def exists_alias(self, name):
        return any(name in aliases for aliases in self.client.aliases.values())

    def exists(self, index):
        return index in self.client.indices_state

    def get_alias(self, name):
        found = {i: {"aliases": {name: {}}} for i, a in self.client.aliases.items() if name in a}
        if not found:
            raise es_exceptions.NotFoundError("missing", None, {})
        return found

    def update_aliases(self, actions):
        self._log("update_aliases", actions=actions)
        for action in actions:
            ((kind, spec),) = action.items()
            if kind == "add":
                self.client.aliases.setdefault(spec["index"], set()).add(spec["alias"])
            elif kind == "remove":
                self.client.aliases[spec["index"]].discard(spec["alias"])
            elif kind == "remove_index":
                self.client.indices_state.pop(spec["index"], None)

    def delete(self, index, **kwargs):
        self._log("delete", index=index)
        self.client.indices_state.pop(index, None)
        self.client.aliases.pop(index, None)

    def put_settings(self, index, settings):
        self._log("put_settings", index=index, settings=settings)

    def refresh(self, index):
        self._log("refresh", index=index)


class FakeClient:
    """Records calls and keeps just enough state for alias logic."""

    def __init__(self, search_response=None, bulk_response=None):
        self.calls: list = []
        self.indices_state: dict[str, list] = {}
        self.aliases: dict[str, set] = {}
        self.indices = FakeIndices(self)
        self.search_response = search_response
        self.bulk_response = bulk_response or {"errors": False, "items": []}

    def bulk(self, operations):
        self.calls.append(("bulk", {"operations": operations}))
        return self.bulk_response

    def search(self, **kwargs):
        self.calls.append(("search", kwargs))
        return self.search_response

    def count(self, index):
        return {"count": 7}


def _backend(client=None):
    return ElasticsearchBackend({"INDEX_PREFIX": "t", "TIMEOUT": 1}, client=client or FakeClient())


def test_mapping_has_cjk_segmented_english_exact_and_as_you_type_fields():
    body = index_body("t-question-1")
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["huiju_cjk"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]
    assert analysis["analyzer"]["huiju_seg"]["tokenizer"] == "whitespace"
    props = body["mappings"]["properties"]
    assert props["title"]["fields"]["en"]["analyzer"] == "english"
    assert props["title"]["fields"]["exact"]["type"] == "keyword"
    assert props["title"]["fields"]["suggest"]["type"] == "search_as_you_type"
    assert props["body_seg"]["analyzer"] == "huiju_seg"
    assert props["tags"]["type"] == "keyword" and props["score"]["type"] == "integer"
    assert body["settings"]["number_of_shards"] == 1


def test_source_is_folded_and_segmented_client_side_and_round_trips():
    document = make_document(
        kind="question", object_id="5", title="自動駕駛 Models", body="雷射雷達", tags=["仿真"]
    )
    source = to_source(document)
    assert source["title"] == "自动驾驶 models" and source["display_title"] == "自動駕駛 Models"
    assert source["title_seg"] == "自动 驾驶 model"
    back = from_source(source)
    assert (back.title, back.body, back.object_id) == ("自動駕駛 Models", "雷射雷達", "5")
    assert back.created_at == document.created_at


def test_query_translation_covers_text_phrases_filters_ranking_facets_and_highlight():
    request = SearchRequest(
        parse(
            '自動駕駛 "point cloud" [Apollo] is:question is:answered user:LiHua '
            "subdomain:autonomous-driving resource:apollo@9.0 score:2"
        )
    )
    body = build_search(request, ["t-question"]).to_dict()
    scored = body["query"]["function_score"]
    bool_query = scored["query"]["bool"]
    text = bool_query["must"][0]["bool"]["should"]
    assert text[0]["multi_match"]["query"] == "自动驾驶"
    assert text[0]["multi_match"]["operator"] == "and"
    assert "title^3" in text[0]["multi_match"]["fields"]
    assert text[1]["multi_match"]["fields"] == ["title_seg^3", "tags_seg^2", "body_seg"]
    assert bool_query["must"][1]["multi_match"] == {
        "query": "point cloud",
        "fields": ["title", "body"],
        "type": "phrase",
    }
    filters = bool_query["filter"]
    assert {"terms": {"kind": ["question"]}} in filters
    assert {"term": {"tags": "apollo"}} in filters
    assert {"term": {"resources": "apollo@9.0"}} in filters
    assert {"terms": {"author": ["lihua"]}} in filters
    assert {"term": {"answered": True}} in filters
    assert {"range": {"score": {"gte": 2}}} in filters
    assert scored["functions"][0]["field_value_factor"]["field"] == "score"
    assert "gauss" in scored["functions"][1]
    assert set(body["aggs"]) == {"kind", "subdomain", "tag", "platform", "resource"}
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["track_total_hits"] is True


def test_any_word_and_sorts():
    body = build_search(SearchRequest(parse("a b"), match_any=True), ["x"]).to_dict()
    assert (
        body["query"]["function_score"]["query"]["bool"]["must"][0]["bool"]["should"][0][
            "multi_match"
        ]["operator"]
        == "or"
    )
    newest = build_search(SearchRequest(parse("is:question"), sort="newest"), ["x"]).to_dict()
    assert newest["sort"] == [{"created_at": {"order": "desc"}}]
    assert newest["query"]["bool"]["must"] == [{"match_all": {}}]
    votes = build_search(SearchRequest(parse("x"), sort="votes", offset=20, limit=10), ["x"])
    assert votes.to_dict()["sort"][0] == {"score": {"order": "desc"}}
    assert (votes.to_dict()["from"], votes.to_dict()["size"]) == (20, 10)


def test_suggest_uses_the_search_as_you_type_fields():
    body = suggest_search("自動駕", ["t-question"]).to_dict()
    assert body["query"]["multi_match"]["type"] == "bool_prefix"
    assert body["query"]["multi_match"]["query"] == "自动驾"


def test_first_write_creates_the_index_behind_its_alias():
    client = FakeClient()
    _backend(client).index([make_document(kind="question", object_id="1", title="x")])
    created = [c for c in client.calls if c[0] == "indices.create"]
    assert len(created) == 1 and created[0][1]["index"].startswith("t-question-")
    assert client.indices.exists_alias("t-question")
    bulk = next(c for c in client.calls if c[0] == "bulk")[1]["operations"]
    assert bulk[0] == {"index": {"_index": "t-question", "_id": "1"}}


def test_rebuild_fills_a_new_index_then_swaps_the_alias_and_drops_the_old():
    client = FakeClient()
    backend = _backend(client)
    backend.index([make_document(kind="question", object_id="1", title="x")])
    old = next(iter(client.aliases))
    seen = []
    documents = [make_document(kind="question", object_id=str(i), title="t") for i in range(1200)]
    assert backend.rebuild("question", documents, seen.append) == 1200
    assert seen[-1] == 1200 and len(seen) >= 3
    swap = [c for c in client.calls if c[0] == "indices.update_aliases"][-1][1]["actions"]
    new = swap[-1]["add"]["index"]
    assert swap[0] == {"remove": {"index": old, "alias": "t-question"}}
    assert new != old and ("indices.delete", {"index": old}) in client.calls
    bulks = [c for c in client.calls if c[0] == "bulk"][1:]
    assert all(call[1]["operations"][0]["index"]["_index"] == new for call in bulks)
    assert len(bulks) == 3  # 500 + 500 + 200


def test_rebuild_replaces_an_index_auto_created_under_the_alias_name():
    client = FakeClient()
    client.indices_state["t-question"] = []
    _backend(client).rebuild("question", [])
    swap = [c for c in client.calls if c[0] == "indices.update_aliases"][-1][1]["actions"]
    assert {"remove_index": {"index": "t-question"}} in swap


def test_a_failed_rebuild_deletes_its_half_built_index_and_keeps_the_alias():
    client = FakeClient(
        bulk_response={"errors": True, "items": [{"index": {"status": 400, "_id": "1"}}]}
    )
    with pytest.raises(SearchBackendError):
        _backend(client).rebuild(
            "question", [make_document(kind="question", object_id="1", title="x")]
        )
    assert not client.aliases
    assert [c for c in client.calls if c[0] == "indices.delete"]


def test_delete_ignores_documents_that_are_already_gone():
    client = FakeClient(
        bulk_response={"errors": True, "items": [{"delete": {"status": 404, "_id": "1"}}]}
    )
    backend = _backend(client)
    client.aliases["t-question-1"] = {"t-question"}
    backend.delete([("question", "1"), ("tutorial", "2")])  # no tutorial index: skipped
    operations = [c for c in client.calls if c[0] == "bulk"][0][1]["operations"]
    assert operations == [{"delete": {"_index": "t-question", "_id": "1"}}]


def test_search_reads_hits_totals_facets_and_highlights():
    source = to_source(make_document(kind="question", object_id="3", title="自動駕駛"))
    client = FakeClient(
        search_response={
            "hits": {
                "total": {"value": 41, "relation": "eq"},
                "hits": [
                    {"_score": 2.5, "_source": source, "highlight": {"body": ["<mark>x</mark>"]}}
                ],
            },
            "aggregations": {"kind": {"buckets": [{"key": "question", "doc_count": 41}]}},
        }
    )
    results = _backend(client).search(SearchRequest(parse("自动驾驶 is:question")))
    assert results.total == 41
    assert results.hits[0].document.title == "自動駕駛" and results.hits[0].rank == 2.5
    assert results.hits[0].highlight == "<mark>x</mark>"
    assert results.facets["kind"] == [("question", 41)] and results.facets["tag"] == []
    call = next(c for c in client.calls if c[0] == "search")[1]
    assert call["index"] == "t-question" and call["ignore_unavailable"] is True


def test_a_dead_server_is_reported_not_raised(db):
    backend = ElasticsearchBackend(
        {"ELASTICSEARCH_URL": "http://127.0.0.1:9", "TIMEOUT": 1, "INDEX_PREFIX": "t"}
    )
    assert backend.health().ok is False
    with pytest.raises(SearchBackendError):
        backend.search(SearchRequest(parse("x")))


def test_the_query_api_turns_a_dead_server_into_a_message(settings, db):
    from search.selectors import search_query

    settings.SEARCH = {
        "BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": "http://127.0.0.1:9",
        "TIMEOUT": 1,
        "INDEX_PREFIX": "t",
    }
    results = search_query("自动驾驶")
    assert results.error and results.hits == []


# --- live server (ELASTICSEARCH_URL) ------------------------------------------------


@pytest.fixture
def live_backend():
    prefix = f"huiju-test-{uuid.uuid4().hex[:8]}"
    backend = ElasticsearchBackend({**settings.SEARCH, "INDEX_PREFIX": prefix})
    yield backend
    backend.client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)


@pytest.mark.elasticsearch
def test_live_rebuild_search_and_relevance(live_backend, monkeypatch):
    from search import registry

    documents = corpus_documents()
    for kind in {d.kind for d in documents}:
        if kind not in registry.kinds():  # search every corpus kind, registered or not
            adapter = type(f"Live{kind}", (registry.SearchKind,), {"kind": kind, "model": None})
            monkeypatch.setitem(registry._kinds, kind, adapter())
        live_backend.rebuild(kind, [d for d in documents if d.kind == kind])
    results = live_backend.search(SearchRequest(parse("自動駕駛 仿真")))
    assert results.total >= 1
    assert {d.kind for d in documents} <= {k for k, _ in results.facets["kind"]} | {
        d.kind for d in documents
    }
    from tests.search.relevance import evaluate

    evaluation = evaluate(
        lambda text: [
            h.document.object_id for h in live_backend.search(SearchRequest(parse(text))).hits
        ]
    )
    assert evaluation.precision_at_3 >= 0.8, evaluation.misses
