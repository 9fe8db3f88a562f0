"""Search in the project's own database.

PostgreSQL: a stored ``tsvector`` (``simple`` configuration over jieba-segmented,
Simplified-folded, stemmed text; title A, tags B, body C) with a GIN index;
``ts_rank_cd`` combined with votes and recency. SQLite (the embedded demo): the
same segmented text matched with LIKE and ranked in Python with the same weights.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, FloatField, Q, QuerySet
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.utils import timezone

from search import text as analysis
from search.backends.base import (
    FACETS,
    BackendResults,
    Health,
    Progress,
    RawHit,
    SearchBackend,
    SearchRequest,
)
from search.models import SearchEntry
from search.registry import SearchDocument

MAX_BODY = 20_000
SQLITE_CANDIDATES = 5_000
WEIGHTS = {"title": 3.0, "tags": 1.5, "body": 1.0}
# ts_rank weights, in PostgreSQL's order {D, C, B, A}.
PG_WEIGHTS = [0.1, 0.4, 0.6, 1.0]
YEAR_SECONDS = 365 * 24 * 3600.0

_ENTRY_FIELDS = [
    "kind",
    "object_id",
    "url",
    "title",
    "body",
    "tags",
    "subdomain",
    "platform",
    "resources",
    "author",
    "score",
    "answered",
    "accepted",
    "language",
    "created_at",
    "updated_at",
]


def _pad(tokens: list[str]) -> str:
    return f" {' '.join(tokens)} " if tokens else ""


def entry_from_document(document: SearchDocument) -> SearchEntry:
    """The table row for a document, with its analysed text."""
    body = (document.body or "")[:MAX_BODY]
    tags = [analysis.fold(t).strip() for t in document.tags if t and t.strip()]
    title_folded, body_folded = analysis.fold(document.title), analysis.fold(body)
    return SearchEntry(
        kind=document.kind,
        object_id=document.object_id,
        url=document.url[:500],
        title=document.title[:300],
        body=body,
        tags=tags,
        subdomain=document.subdomain or "",
        platform=document.platform or "",
        resources=[r.lower() for r in document.resources],
        author=document.author or "",
        score=document.score or 0,
        answered=document.answered,
        accepted=document.accepted,
        language=document.language or "",
        created_at=document.created_at,
        updated_at=document.updated_at or document.created_at,
        title_seg=_pad(analysis.tokens(title_folded, folded=True)),
        tags_seg=_pad([tok for tag in tags for tok in analysis.tokens(tag, folded=True)]),
        body_seg=_pad(analysis.tokens(body_folded, folded=True)),
        folded=f"{title_folded}\n{' '.join(tags)}\n{body_folded}",
    )


def document_from_entry(entry) -> SearchDocument:
    values = entry if isinstance(entry, dict) else {f: getattr(entry, f) for f in _ENTRY_FIELDS}
    return SearchDocument(**{f: values[f] for f in _ENTRY_FIELDS})


def _recency(created_at: datetime | None, now: datetime) -> float:
    if created_at is None:
        return 0.7
    age = max((now - created_at).total_seconds(), 0.0)
    return 0.7 + 0.3 / (1.0 + age / YEAR_SECONDS)


def _popularity(score: int) -> float:
    return 1.0 + 0.15 * math.log1p(max(score, 0))


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_source(terms: list[analysis.Term], *, match_any: bool) -> str:
    """``to_tsquery`` text: a long Chinese word matches itself or all its parts."""
    groups = []
    for term in terms:
        if term.parts:
            parts = " & ".join(_lexeme(p) for p in term.parts)
            groups.append(f"({_lexeme(term.token)} | ({parts}))")
        else:
            groups.append(_lexeme(term.token))
    return (" | " if match_any else " & ").join(groups)


class DatabaseBackend(SearchBackend):
    name = "database"

    @property
    def is_postgres(self) -> bool:
        return connection.vendor == "postgresql"

    def health(self) -> Health:
        connection.ensure_connection()
        return Health(ok=True, backend=self.name, detail={"vendor": connection.vendor})

    # --- writing -------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        latest = {d.key: d for d in documents}
        entries = [entry_from_document(d) for d in latest.values()]
        update_fields = [f for f in _ENTRY_FIELDS if f not in ("kind", "object_id")]
        update_fields += ["title_seg", "tags_seg", "body_seg", "folded"]
        with transaction.atomic():
            SearchEntry.objects.bulk_create(
                entries,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=update_fields,
            )
            if self.is_postgres:
                by_kind: dict[str, list[str]] = {}
                for kind, object_id in latest:
                    by_kind.setdefault(kind, []).append(object_id)
                for kind, ids in by_kind.items():
                    SearchEntry.objects.filter(kind=kind, object_id__in=ids).update(
                        search_vector=self._vector()
                    )

    @staticmethod
    def _vector():
        return (
            SearchVector("title_seg", weight="A", config="simple")
            + SearchVector("tags_seg", weight="B", config="simple")
            + SearchVector("body_seg", weight="C", config="simple")
        )

    def delete(self, keys: list[tuple[str, str]]) -> None:
        if not keys:
            return
        condition = Q()
        for kind, object_id in keys:
            condition |= Q(kind=kind, object_id=object_id)
        SearchEntry.objects.filter(condition).delete()

    def rebuild(
        self, kind: str, documents: Iterable[SearchDocument], progress: Progress | None = None
    ) -> int:
        """Swap a kind's rows in one transaction: readers see the old rows until commit."""
        count = 0
        batch: list[SearchDocument] = []
        with transaction.atomic():
            SearchEntry.objects.filter(kind=kind).delete()
            for document in documents:
                batch.append(document)
                if len(batch) >= 500:
                    self.index(batch)
                    count += len(batch)
                    batch = []
                    if progress:
                        progress(count)
            self.index(batch)
            count += len(batch)
            if progress:
                progress(count)
        return count

    def counts(self) -> dict[str, int]:
        rows = SearchEntry.objects.values("kind").annotate(n=Count("id")).order_by()
        return {row["kind"]: row["n"] for row in rows}

    # --- reading -------------------------------------------------------------

    def _json_has(self, field: str, value: str):
        if self.is_postgres:
            return Q(**{f"{field}__contains": [value]})
        return RawSQL(  # noqa: S611 - the column name is ours, the value a parameter
            f"EXISTS (SELECT 1 FROM json_each(search_searchentry.{field}) WHERE value = %s)",  # noqa: S608 - field is ours
            (value,),
            output_field=BooleanField(),
        )

    def filtered(self, request: SearchRequest) -> QuerySet:
        """Entries passing the query's operators (not its words)."""
        query = request.query
        qs = SearchEntry.objects.all()
        if query.kinds:
            qs = qs.filter(kind__in=query.kinds)
        for tag in query.tags:
            qs = qs.filter(self._json_has("tags", analysis.fold(tag)))
        for resource in query.resources:
            qs = qs.filter(self._json_has("resources", resource.lower()))
        if query.subdomains:
            qs = qs.filter(subdomain__in=query.subdomains)
        if query.platforms:
            qs = qs.filter(platform__in=query.platforms)
        if query.users:
            users = Q()
            for user in query.users:
                users |= Q(author__iexact=user)
            qs = qs.filter(users)
        if query.answered is not None:
            qs = qs.filter(answered=query.answered)
        if query.accepted is not None:
            qs = qs.filter(accepted=query.accepted)
        if query.min_score is not None:
            qs = qs.filter(score__gte=query.min_score)
        for phrase in query.phrases:
            qs = qs.filter(folded__contains=analysis.fold(phrase))
        return qs

    def search(self, request: SearchRequest) -> BackendResults:
        terms = analysis.query_terms(request.query.text)
        if self.is_postgres:
            return self._search_postgres(request, terms)
        return self._search_sqlite(request, terms)

    def _search_postgres(self, request: SearchRequest, terms) -> BackendResults:
        qs = self.filtered(request)
        ranked = bool(terms)
        if terms:
            tsquery = SearchQuery(
                tsquery_source(terms, match_any=request.match_any),
                search_type="raw",
                config="simple",
            )
            qs = qs.filter(search_vector=tsquery)
        if request.with_facets:
            # Every entry has a kind and there are fewer kinds than facet slots, so the
            # kind counts add up to the total: one pass over the matches, not two.
            facets = self._facets_postgres(qs, request)
            total = sum(count for _, count in facets["kind"])
        else:
            facets, total = {}, qs.count()
        page = qs.only(*_ENTRY_FIELDS)
        if ranked and request.sort == "relevance":
            recency = RawSQL(
                "0.7 + 0.3 / (1.0 + GREATEST(EXTRACT(EPOCH FROM (now() - search_searchentry.created_at)), 0) / %s)",
                (YEAR_SECONDS,),
                output_field=FloatField(),
            )
            popularity = RawSQL(
                "1.0 + 0.15 * ln(1 + GREATEST(search_searchentry.score, 0))",
                (),
                output_field=FloatField(),
            )
            rank = SearchRank(F("search_vector"), tsquery, weights=PG_WEIGHTS, cover_density=True)
            page = page.annotate(
                rank=ExpressionWrapper(rank * popularity * recency, output_field=FloatField())
            ).order_by("-rank", "-created_at", "-id")
        else:
            page = page.order_by(*self._order(request.sort))
        rows = list(page[request.offset : request.offset + request.limit])
        hits = [RawHit(document_from_entry(e), getattr(e, "rank", 0.0) or 0.0) for e in rows]
        return BackendResults(hits=hits, total=total, facets=facets)

    @staticmethod
    def _order(sort: str) -> list[str]:
        if sort == "votes":
            return ["-score", "-created_at", "-id"]
        return ["-created_at", "-id"]

    def _facets_postgres(self, qs: QuerySet, request: SearchRequest) -> dict:
        """Every facet in one statement: the matching rows are read once into a CTE."""
        sql, params = qs.values(
            "kind", "subdomain", "platform", "tags", "resources"
        ).query.sql_with_params()
        parts = []
        for facet, column in (
            ("kind", "kind"),
            ("subdomain", "subdomain"),
            ("platform", "platform"),
        ):
            parts.append(
                f"(SELECT '{facet}', {column}, count(*) AS n FROM matched WHERE {column} <> '' "  # noqa: S608 - fixed column names
                f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT %s)"
            )
        for facet, column in (("tag", "tags"), ("resource", "resources")):
            parts.append(
                f"(SELECT '{facet}', v, count(*) AS n FROM matched, "  # noqa: S608 - fixed column names
                f"jsonb_array_elements_text(matched.{column}) AS v "
                "GROUP BY v ORDER BY n DESC, v LIMIT %s)"
            )
        statement = f"WITH matched AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
        facets: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
        with connection.cursor() as cursor:
            limits = [max(request.facet_size, 100)] + [request.facet_size] * (len(parts) - 1)
            cursor.execute(statement, (*params, *limits))  # noqa: S608 - Django-built SQL, fixed columns
            for facet, value, count in cursor.fetchall():
                facets[facet].append((value, count))
        return facets

    def _search_sqlite(self, request: SearchRequest, terms) -> BackendResults:
        qs = self.filtered(request)
        if terms:
            groups = [self._like(term) for term in terms]
            condition = Q()
            for group in groups:
                condition = (condition | group) if request.match_any else (condition & group)
            qs = qs.filter(condition)
        fields = [*_ENTRY_FIELDS, "title_seg", "tags_seg", "body_seg", "folded"]
        rows = list(qs.values(*fields).order_by("-created_at", "-id")[:SQLITE_CANDIDATES])
        now = timezone.now()
        scored = []
        for row in rows:
            rank = self._python_rank(row, terms, now) if terms else 0.0
            scored.append((rank, row))
        if terms and request.sort == "relevance":
            scored.sort(key=lambda item: (-item[0], -(item[1]["created_at"] or now).timestamp()))
        elif request.sort == "votes":
            scored.sort(key=lambda item: (-item[1]["score"],))
        facets = self._facets_python([row for _, row in scored], request.facet_size)
        window = scored[request.offset : request.offset + request.limit]
        hits = [RawHit(document_from_entry(row), rank) for rank, row in window]
        return BackendResults(hits=hits, total=len(scored), facets=facets)

    @staticmethod
    def _like(term: analysis.Term) -> Q:
        if analysis.is_cjk(term.token):
            condition = Q(folded__contains=term.token)
            if term.parts:
                parts = Q()
                for part in term.parts:
                    parts &= Q(folded__contains=part)
                condition |= parts
            return condition
        padded = f" {term.token} "
        return (
            Q(title_seg__contains=padded)
            | Q(tags_seg__contains=padded)
            | Q(body_seg__contains=padded)
        )

    @staticmethod
    def _python_rank(row: dict, terms, now: datetime) -> float:
        title, tags, body = row["title_seg"], row["tags_seg"], row["body_seg"]
        folded_title = row["folded"].split("\n", 1)[0]
        rank = 0.0
        for term in terms:
            if analysis.is_cjk(term.token):
                needles = [term.token]
                fields = {"title": folded_title, "tags": tags, "body": row["folded"]}
            else:
                needles = [f" {term.token} "]
                fields = {"title": title, "tags": tags, "body": body}
            for name, haystack in fields.items():
                hits = sum(haystack.count(n) for n in needles)
                if hits:
                    rank += WEIGHTS[name] * (1.0 + math.log1p(hits - 1) * 0.3)
        return rank * _popularity(row["score"]) * _recency(row["created_at"], now)

    @staticmethod
    def _facets_python(rows: list[dict], size: int) -> dict:
        counters = {
            facet: Counter() for facet in ("kind", "subdomain", "tag", "platform", "resource")
        }
        for row in rows:
            counters["kind"][row["kind"]] += 1
            if row["subdomain"]:
                counters["subdomain"][row["subdomain"]] += 1
            if row["platform"]:
                counters["platform"][row["platform"]] += 1
            counters["tag"].update(set(row["tags"]))
            counters["resource"].update(set(row["resources"]))
        return {
            facet: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:size]
            for facet, counter in counters.items()
        }
