"""Elasticsearch mapping: one ``Document`` shape, one index per kind behind an alias.

Works on a stock server (no plugins): Chinese is matched two ways at once —
``title``/``body`` use a CJK-bigram analyzer (``standard`` + ``cjk_width`` +
``cjk_bigram``), and ``*_seg`` hold text segmented client-side by jieba (the
same tokens as the database backend). Traditional → Simplified folding happens
client-side (``search.text.fold``), so both scripts meet. ``.en`` sub-fields
use the ``english`` analyzer (stemming); ``title.exact`` and ``tags`` are
keywords for exact matches; ``title.suggest`` is ``search_as_you_type``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
)

from search import text as analysis
from search.registry import SearchDocument

cjk_text = analyzer(
    "huiju_cjk", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"]
)
segmented = analyzer("huiju_seg", tokenizer="whitespace", filter=["lowercase"])
lowercase = normalizer("huiju_lower", filter=["lowercase"])

INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": 10_000}
MAX_BODY = 20_000


class SearchDoc(Document):
    """One searchable item; ``display_*`` keep the original text for showing."""

    kind = Keyword()
    object_id = Keyword()
    url = Keyword(index=False)
    display_title = Keyword(index=False)
    display_body = Text(index=False)
    title = Text(
        analyzer=cjk_text,
        fields={
            "en": Text(analyzer="english"),
            "exact": Keyword(normalizer=lowercase, ignore_above=256),
            "suggest": SearchAsYouType(analyzer=cjk_text),
        },
    )
    title_seg = Text(analyzer=segmented)
    body = Text(analyzer=cjk_text, fields={"en": Text(analyzer="english")})
    body_seg = Text(analyzer=segmented)
    tags = Keyword(normalizer=lowercase, fields={"text": Text(analyzer=cjk_text)})
    tags_seg = Text(analyzer=segmented)
    subdomain = Keyword()
    platform = Keyword()
    resources = Keyword(normalizer=lowercase)
    author = Keyword(normalizer=lowercase)
    score = Integer()
    answered = Boolean()
    accepted = Boolean()
    language = Keyword()
    created_at = Date()
    updated_at = Date()


def alias_name(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}"


def new_index_name(prefix: str, kind: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name(prefix, kind)}-{stamp}"


def index_body(name: str) -> dict:
    """``settings`` and ``mappings`` for a new concrete index (for ``indices.create``)."""
    index = Index(name)
    index.settings(**INDEX_SETTINGS)
    index.document(SearchDoc)
    return index.to_dict()


def to_source(document: SearchDocument) -> dict:
    """The ``_source`` sent to Elasticsearch for a document (folded client-side)."""
    body = (document.body or "")[:MAX_BODY]
    tags = [analysis.fold(tag).strip() for tag in document.tags if tag and tag.strip()]
    # Folded once, segmented from the folded text: segment(x) == segment(fold(x), folded=True).
    title, body_folded = analysis.fold(document.title), analysis.fold(body)
    return {
        "kind": document.kind,
        "object_id": document.object_id,
        "url": document.url,
        "display_title": document.title,
        "display_body": body,
        "title": title,
        "title_seg": analysis.segment(title, folded=True),
        "body": body_folded,
        "body_seg": analysis.segment(body_folded, folded=True),
        "tags": tags,
        "tags_seg": " ".join(analysis.segment(tag, folded=True) for tag in tags),
        "subdomain": document.subdomain,
        "platform": document.platform,
        "resources": [r.lower() for r in document.resources],
        "author": document.author,
        "score": document.score,
        "answered": document.answered,
        "accepted": document.accepted,
        "language": document.language,
        "created_at": document.created_at.isoformat() if document.created_at else None,
        "updated_at": document.updated_at.isoformat() if document.updated_at else None,
    }


def from_source(source: dict) -> SearchDocument:
    def when(value):
        return datetime.fromisoformat(value) if value else None

    return SearchDocument(
        kind=source["kind"],
        object_id=source["object_id"],
        url=source.get("url", ""),
        title=source.get("display_title", ""),
        body=source.get("display_body", ""),
        tags=list(source.get("tags") or []),
        subdomain=source.get("subdomain") or "",
        platform=source.get("platform") or "",
        resources=list(source.get("resources") or []),
        author=source.get("author") or "",
        score=source.get("score") or 0,
        answered=bool(source.get("answered")),
        accepted=bool(source.get("accepted")),
        language=source.get("language") or "",
        created_at=when(source.get("created_at")),
        updated_at=when(source.get("updated_at")),
    )
