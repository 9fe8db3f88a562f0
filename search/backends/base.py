"""The interface every search backend implements, and the types that cross it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from search.query import ParsedQuery
from search.registry import SearchDocument

FACETS = ("kind", "subdomain", "tag", "platform", "resource")
SORTS = ("relevance", "newest", "votes")


@dataclass
class Health:
    ok: bool
    backend: str
    detail: dict = field(default_factory=dict)


@dataclass
class SearchRequest:
    """A parsed query plus paging; ``match_any`` relaxes "every word" to "any word"."""

    query: ParsedQuery
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    match_any: bool = False
    with_facets: bool = True
    facet_size: int = 10


@dataclass
class RawHit:
    document: SearchDocument
    rank: float = 0.0
    highlight: str = ""  # HTML from the backend (escaped, with <mark>), if it made one


@dataclass
class BackendResults:
    hits: list[RawHit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class SearchBackendError(Exception):
    """The backend could not answer (down, timed out, rejected the request)."""


Progress = Callable[[int], None]


class SearchBackend:
    name = "base"

    def __init__(self, config: dict) -> None:
        self.config = config

    def health(self) -> Health:
        """Whether the backend can answer queries now."""
        raise NotImplementedError

    def index(self, documents: list[SearchDocument]) -> None:
        """Add or replace documents (bulk)."""
        raise NotImplementedError

    def delete(self, keys: list[tuple[str, str]]) -> None:
        """Remove documents by (kind, object_id); missing ones are ignored."""
        raise NotImplementedError

    def search(self, request: SearchRequest) -> BackendResults:
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        """Documents per kind currently searchable."""
        raise NotImplementedError

    def rebuild(
        self, kind: str, documents: Iterable[SearchDocument], progress: Progress | None = None
    ) -> int:
        """Replace every document of ``kind`` with ``documents``, readers never seeing a gap."""
        raise NotImplementedError
