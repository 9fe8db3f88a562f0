"""Search in the project's own database.

PostgreSQL: a stored ``tsvector`` (``simple`` configuration over jieba-segmented,
Simplified-folded, stemmed text; title A, tags B, body C) with a GIN index;
``ts_rank_cd`` combined with votes and recency. Ranking every match does not scale
(a broad word matches a fifth of the corpus), so PostgreSQL first takes a capped
candidate set — the best ``CANDIDATES`` matches by a stored, query-independent
``prior`` plus the best as many among title/tag matches — and ranks, counts and
facets only those; ``total`` is exact below the cap and flagged ``capped`` at it.

Picking "the best N by prior" must not read every match's row (a heap page each,
the cost that dominates at 100,000 questions). So the vectors also carry *marker*
lexemes, which the tokenizer can never produce (they start with ``~``):

- the filters (``~k:question``, ``~s:<subdomain>``, ``~p:<platform>``, ``~t:<tag>``,
  ``~r:<resource>``, ``~answered``/``~unanswered``, ``~accepted``/``~unaccepted``,
  ``~v:<n>`` for score ≥ n at fixed steps), so GIN intersects operators with words;
- the prior's *band* as nested markers (``~g:<k>`` for each of the ``BAND_DEPTH``
  bands at or below the row's own), so "every band at or above t" is one lexeme (plus
  one per ``BAND_DEPTH`` bands above it, almost always empty) and GIN walks the
  shorter of a word's list and the band's, answering "matches among the best-prior
  few percent" without touching the rest.

A query estimates its matches from the planner's statistics (``pg_stats``; a count
would read every matching row), picks the highest band threshold expected to hold
about twice the cap, and widens it if fewer than the cap turn up: the candidates are
exactly those of an unrestricted pass, read from a few thousand rows instead of
every match. Words in a third of all rows or more are tested per row instead of
through GIN, which would decode their whole posting lists. SQLite (the embedded demo): the same segmented text matched with LIKE
and ranked in Python with the same weights.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Count, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
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

logger = logging.getLogger(__name__)

MAX_BODY = 20_000
#: Matches PostgreSQL ranks per query (``SEARCH["CANDIDATES"]`` overrides).
CANDIDATES = 2_000
PRIOR_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
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


#: Rows per upsert statement on PostgreSQL.
UPSERT_BATCH = 1_000
#: Columns the PostgreSQL upsert sends, with their SQL types.
_UPSERT_COLUMNS = [
    ("kind", "text"),
    ("object_id", "text"),
    ("url", "text"),
    ("title", "text"),
    ("body", "text"),
    ("tags", "jsonb"),
    ("subdomain", "text"),
    ("platform", "text"),
    ("resources", "jsonb"),
    ("author", "text"),
    ("score", "integer"),
    ("answered", "boolean"),
    ("accepted", "boolean"),
    ("language", "text"),
    ("created_at", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("title_seg", "text"),
    ("tags_seg", "text"),
    ("body_seg", "text"),
    ("folded", "text"),
    ("prior", "double precision"),
]
#: The stored vector (what ``SearchVector`` builds): title A, tags B, body C.
VECTOR_SQL = (
    "setweight(to_tsvector('simple', coalesce({t}title_seg, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce({t}tags_seg, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce({t}body_seg, '')), 'C')"
)
#: Title and tags alone (A, B), with their own GIN index: the candidates' title pass.
TITLE_VECTOR_SQL = (
    "setweight(to_tsvector('simple', coalesce({t}title_seg, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce({t}tags_seg, '')), 'B')"
)
#: On PostgreSQL the segmented text lives only in the vectors: stored empty, the rows
#: stay a fifth narrower, and every candidate pass reads fewer heap pages.
_VECTOR_ONLY = {"title_seg", "tags_seg", "body_seg"}
_COLUMN_NAMES = ", ".join(column for column, _ in _UPSERT_COLUMNS)

#: Prior bands, 0.04 wide (about seven weeks of age, or a few votes). Priors are clamped
#: to [0, (BAND_MAX + 1) × BAND_WIDTH), i.e. content from 2020 to about 2120.
BAND_WIDTH = 0.04
BAND_MAX = 767
#: A row carries ``~g:k`` for its own band and the ``BAND_DEPTH - 1`` below it: "band ≥ t"
#: is then ``~g:t`` for rows up to ``BAND_DEPTH`` bands above t, ``~g:t+BAND_DEPTH`` for
#: the next ones, and so on. One list per query instead of a union of many small
#: ones: GIN walks every list of a union whose lists are each rarer than the words.
BAND_DEPTH = 16
#: Score steps with a ``~v:<n>`` marker (score ≥ n), for ``score:N``.
SCORE_STEPS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)
#: A row's band, from its prior (SQL; the same expression builds the histogram).
BAND_SQL = f"LEAST(GREATEST(floor({{t}}prior / {BAND_WIDTH}), 0), {BAND_MAX})::int"
#: The marker lexemes of a row (SQL over its columns), appended to both vectors.
MARKERS_SQL = (
    "array_to_tsvector(array_remove(ARRAY["
    "'~k:' || {t}kind, "
    "CASE WHEN {t}subdomain <> '' THEN '~s:' || {t}subdomain END, "
    "CASE WHEN {t}platform <> '' THEN '~p:' || {t}platform END, "
    "CASE WHEN {t}answered THEN '~answered' ELSE '~unanswered' END, "
    "CASE WHEN {t}accepted THEN '~accepted' ELSE '~unaccepted' END"
    "], NULL) "
    "|| ARRAY(SELECT '~g:' || g FROM generate_series(GREATEST({band} - {below}, 0), {band}) g) "
    "|| ARRAY(SELECT '~t:' || v FROM jsonb_array_elements_text({t}tags) v WHERE v <> '') "
    "|| ARRAY(SELECT '~r:' || v FROM jsonb_array_elements_text({t}resources) v WHERE v <> '') "
    "|| ARRAY(SELECT '~v:' || n FROM unnest(ARRAY[{steps}]) n WHERE {t}score >= n))"
)


def markers_sql(table: str = "") -> str:
    """``MARKERS_SQL`` over the columns of ``table`` (an alias with its dot, or "")."""
    return MARKERS_SQL.format(
        t=table,
        band=BAND_SQL.format(t=table),
        below=BAND_DEPTH - 1,
        steps=",".join(str(step) for step in SCORE_STEPS),
    )


def _select(column: str) -> str:
    return "''" if column in _VECTOR_ONLY else f"t.{column}"


_UPSERT_SQL = (
    f"INSERT INTO search_searchentry ({_COLUMN_NAMES}, search_vector, title_vector) "  # noqa: S608 - fixed columns
    f"SELECT {', '.join(_select(column) for column, _ in _UPSERT_COLUMNS)}, "
    f"{VECTOR_SQL.format(t='t.')} || m.markers, {TITLE_VECTOR_SQL.format(t='t.')} || m.markers "
    "FROM jsonb_to_recordset(%s::jsonb) AS t("
    + ", ".join(f"{column} {sql_type}" for column, sql_type in _UPSERT_COLUMNS)
    + f"), LATERAL (SELECT {markers_sql('t.')} AS markers) m "
    "ON CONFLICT (kind, object_id) DO UPDATE SET "
    + ", ".join(
        f"{column} = EXCLUDED.{column}"
        for column, _ in [*_UPSERT_COLUMNS, ("search_vector", ""), ("title_vector", "")]
        if column not in ("kind", "object_id")
    )
)


#: What a candidate row carries from the GIN scan to the facets and the ranking.
_NARROW_FIELDS = [
    "id",
    "kind",
    "subdomain",
    "platform",
    "tags",
    "resources",
    "score",
    "created_at",
]
#: Relevance on PostgreSQL: cover density (weights D, C, B, A) × votes × recency.
_RANK_SQL = (
    "ts_rank_cd(%s::float4[], search_vector, to_tsquery('simple', %s)) "
    "* (1.0 + 0.15 * ln(1 + GREATEST(score, 0))) "
    "* coalesce(0.7 + 0.3 / (1.0 + GREATEST(EXTRACT(EPOCH FROM (now() - created_at)), 0) / %s), 0.7)"
)


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return value


def prior(score: int | None, created_at: datetime | None) -> float:
    """Query-independent worth of an entry: votes (log) and age (a year newer ≈ +0.3)."""
    years = (created_at - PRIOR_EPOCH).total_seconds() / YEAR_SECONDS if created_at else 0.0
    return 0.15 * math.log1p(max(score or 0, 0)) + 0.3 * years


def _pad(tokens: list[str]) -> str:
    return f" {' '.join(tokens)} " if tokens else ""


def entry_from_document(document: SearchDocument) -> SearchEntry:
    """The table row for a document, with its analysed text."""
    body = (document.body or "")[:MAX_BODY].replace("\x00", "")
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
        prior=prior(document.score, document.created_at),
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


def tsquery_source(terms: list[analysis.Term], *, match_any: bool, weights: str = "") -> str:
    """``to_tsquery`` text: a long Chinese word matches itself or all its parts.

    ``weights`` (e.g. ``"AB"``) restricts every lexeme to those vector weights.
    """
    suffix = f":{weights}" if weights else ""
    groups = []
    for term in terms:
        if term.parts:
            parts = " & ".join(_lexeme(p) + suffix for p in term.parts)
            groups.append(f"({_lexeme(term.token)}{suffix} | ({parts}))")
        else:
            groups.append(_lexeme(term.token) + suffix)
    return (" | " if match_any else " & ").join(groups)


#: Rows a band-restricted pass aims to read, as a multiple of the cap.
BAND_SAFETY = 2.0
#: Below this many matches per candidate, a pass reads every match: bands would save
#: little next to their extra index work (an OR of band lexemes, maybe a probe).
BAND_MIN_RATIO = 2.0
#: A pseudo band: the pass walks the prior index and tests each row until it has the
#: cap. For a word in a third of all rows or more that reads fewer rows (cap / share)
#: than GIN does work: GIN decodes the word's whole posting list (105 ms for a word in
#: 56% of 275,000 rows, against a few ms for the walk).
ORDERED = -1
ORDERED_SHARE = 0.3
#: Above this share of all entries, restricting to bands saves too little.
BAND_MAX_SHARE = 0.5
#: Statement runs per search: the band plan, a widened one, then unrestricted.
MAX_ATTEMPTS = 3
STATISTICS_CACHE_KEY = "search:statistics:v1"
STATISTICS_SECONDS = 300


@dataclass
class IndexStatistics:
    """What PostgreSQL's planner statistics (``pg_stats``) say about the entries.

    ``lexemes``/``title_lexemes``: share of rows whose vector holds a lexeme (the
    most common ones); a lexeme not listed is rarer than ``min_share``.
    ``bands``: (prior band, share of rows), highest band first.
    """

    rows: float
    lexemes: dict[str, float]
    min_share: float
    title_lexemes: dict[str, float]
    title_min_share: float
    bands: list[tuple[int, float]]

    def share(
        self, group: list[tuple[str, ...]], *, title: bool = False, overlapping: bool = False
    ) -> float:
        """Share of rows holding any alternative of ``group`` (each an AND of lexemes).

        ``overlapping``: the alternatives mostly occur together (a Chinese word and its
        parts, which search-mode segmentation indexes side by side), so the largest one
        stands for them all rather than their sum.
        """
        known = self.title_lexemes if title else self.lexemes
        floor = self.title_min_share if title else self.min_share
        alternatives = [min(known.get(lexeme, floor) for lexeme in each) for each in group]
        return min(1.0, max(alternatives) if overlapping else sum(alternatives))

    def marker_share(self, group: list[str], *, title: bool = False) -> float:
        """Share of rows holding any marker lexeme of ``group`` (one operator's alternatives)."""
        return self.share([(lexeme,) for lexeme in group], title=title)

    def matches(self, factors: list[list[float]]) -> float:
        """Estimated rows matching every factor, given the shares of each factor's groups.

        A factor is groups that occur together (the words of one Chinese run or of one
        quoted phrase: 自动 and 驾驶), so its rarest group bounds it; across factors the
        estimate lies between independence (the product, which underestimates related
        words 3- to 4-fold) and that upper bound.
        """
        shares = [min(factor) for factor in factors if factor]
        if not shares:
            return self.rows
        return math.sqrt(math.prod(shares) * min(shares)) * self.rows


def term_chunks(query, terms) -> dict[str, int]:
    """Which run of the query (a quoted phrase or a word between spaces) each term came from.

    Terms of one run occur together (自动 and 驾驶 of 自动驾驶, cyber and rt of
    cyber-rt); a term found in no run is a run of its own.
    """
    pieces = [*query.phrases, *query.words]
    chunks: dict[str, int] = {}
    for index, piece in enumerate(pieces):
        for term in analysis.query_terms(piece):
            chunks.setdefault(term.token, index)
    for extra, term in enumerate(terms, start=len(pieces)):
        chunks.setdefault(term.token, extra)
    return chunks


def prior_band(value: float) -> int:
    """The band of a prior (``BAND_SQL`` in Python)."""
    return min(max(math.floor(value / BAND_WIDTH), 0), BAND_MAX)


def _lexemes(values: list[str]) -> str:
    quoted = [_lexeme(value) for value in values]
    return quoted[0] if len(quoted) == 1 else "(" + " | ".join(quoted) + ")"


def marker_lexemes(query) -> list[list[str]]:
    """The query's operators as marker lexemes: groups that must each match (any lexeme in one).

    Only exact equivalents: an operator without a marker (``user:``, phrases, a
    negative ``score:``) stays a plain SQL condition, and every operator is applied
    as SQL too, so markers only ever narrow what the index returns.
    """
    groups = []
    if query.kinds:
        groups.append([f"~k:{kind}" for kind in query.kinds])
    if query.subdomains:
        groups.append([f"~s:{slug}" for slug in query.subdomains])
    if query.platforms:
        groups.append([f"~p:{slug}" for slug in query.platforms])
    groups += [[f"~t:{analysis.fold(tag)}"] for tag in query.tags if tag]
    groups += [[f"~r:{resource.lower()}"] for resource in query.resources if resource]
    if query.answered is not None:
        groups.append(["~answered" if query.answered else "~unanswered"])
    if query.accepted is not None:
        groups.append(["~accepted" if query.accepted else "~unaccepted"])
    if query.min_score is not None:
        steps = [step for step in SCORE_STEPS if step <= query.min_score]
        if steps:
            groups.append([f"~v:{steps[-1]}"])
    return groups


def _group_key(group: list[str]) -> str:
    """How an operator's marker group is named in a set of common words and operators."""
    return "|".join(group)


def filter_markers(query) -> list[str]:
    """``marker_lexemes`` as tsquery text, one AND-ed group each."""
    return [_lexemes(group) for group in marker_lexemes(query)]


def band_lexemes(threshold: int, top: int = BAND_MAX) -> list[str]:
    """Marker lexemes covering every band from ``threshold`` to ``top``: one per ``BAND_DEPTH``.

    ``top`` is the highest band any row has: each lexeme for bands above it would
    cost GIN a lookup and every candidate a longer consistency check (25 ms against
    3 ms for ``pytorch`` with 45 lexemes instead of 3).
    """
    return [f"~g:{band}" for band in range(max(threshold, 0), min(top, BAND_MAX) + 1, BAND_DEPTH)]


def band_source(threshold: int, top: int = BAND_MAX) -> str:
    """tsquery text: the row's prior band is at least ``threshold`` (and at most ``top``)."""
    return _lexemes(band_lexemes(threshold, top) or [f"~g:{threshold}"])


def band_share(histogram: list[tuple[int, float]], threshold: int) -> float:
    """Share of all entries whose band is at least ``threshold``."""
    total = sum(count for _, count in histogram)
    return sum(count for band, count in histogram if band >= threshold) / total if total else 0.0


def band_threshold(histogram: list[tuple[int, float]], share: float) -> int | None:
    """The highest band whose entries at or above it make up ``share`` of all entries.

    ``histogram`` is (band, entries or share), highest band first. None means "do not
    restrict": the share is too large to save much, or nothing is known.
    """
    total = sum(count for _, count in histogram)
    if not total or share >= BAND_MAX_SHARE:
        return None
    running = 0
    for band, count in histogram:
        running += count
        if running >= share * total:
            return band if band > 0 else None
    return None


class DatabaseBackend(SearchBackend):
    name = "database"

    @property
    def candidates(self) -> int:
        return int(self.config.get("CANDIDATES") or CANDIDATES)

    @property
    def band_safety(self) -> float:
        return float(self.config.get("BAND_SAFETY") or BAND_SAFETY)

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
        if self.is_postgres:
            self._upsert_postgres(entries)
            return
        update_fields = [f for f in _ENTRY_FIELDS if f not in ("kind", "object_id")]
        update_fields += ["title_seg", "tags_seg", "body_seg", "folded", "prior"]
        with transaction.atomic():
            SearchEntry.objects.bulk_create(
                entries,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=update_fields,
            )

    def _upsert_postgres(self, entries: list[SearchEntry]) -> None:
        """One statement per batch: rows travel as one JSON array, vectors are built in SQL.

        (A ``bulk_create`` followed by an ``UPDATE`` of the vectors wrote every row
        and its index entries twice and cost a round trip per 500 rows.)
        """
        rows = [
            {column: _json_value(getattr(entry, column)) for column, _type in _UPSERT_COLUMNS}
            for entry in entries
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), UPSERT_BATCH):
                payload = json.dumps(rows[start : start + UPSERT_BATCH], ensure_ascii=False)
                cursor.execute(_UPSERT_SQL, [payload])

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
                if len(batch) >= UPSERT_BATCH:
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

    def filtered(self, request: SearchRequest, *, marked: bool = False) -> QuerySet:
        """Entries passing the query's operators (not its words).

        ``marked``: leave out the operators that marker lexemes express exactly and
        that have indexes of their own (kind, sub-domain, platform, tags, resources);
        the caller matches their markers through the vectors. As SQL conditions the
        planner would AND those indexes into the GIN scan, reading a B-tree or jsonb
        posting list of a third of the table (5–8 ms) to save little.
        """
        query = request.query
        qs = SearchEntry.objects.all()
        if not marked:
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

    def _match(self, terms, request: SearchRequest, markers: list[str]) -> tuple[str, list]:
        """The tsquery (SQL, params) of the words and marker groups, or ("", []) for none."""
        parts, params = [], []
        if terms:
            parts.append("to_tsquery('simple', %s)")
            params.append(tsquery_source(terms, match_any=request.match_any))
        if markers:
            parts.append("%s::tsquery")
            params.append(" & ".join(markers))
        return " && ".join(parts), params

    @staticmethod
    def _vector_matches(column: str, match: str, params: list, *, indexed: bool) -> RawSQL:
        """``column`` matches the tsquery ``match``: through GIN (``@@``), or tested on each
        row (``ts_match_vq``, what ``@@`` calls; written as a function, GIN cannot answer it)."""
        vector = f"search_searchentry.{column}"
        condition = f"{vector} @@ ({match})" if indexed else f"ts_match_vq({vector}, {match})"
        return RawSQL(condition, params, output_field=BooleanField())  # noqa: S611 - values are parameters

    def _matching(
        self,
        request: SearchRequest,
        terms,
        column: str,
        band: int | None,
        common: frozenset[str] = frozenset(),
        top: int = BAND_MAX,
    ) -> QuerySet:
        """Entries whose ``column`` matches the words, the operators and the band.

        Words and operators in ``common`` (a third of all rows or more) are left out of
        the GIN query and tested on each row instead: GIN would decode their whole
        posting lists (105 ms for a word in 56% of 275,000 rows), while the band or
        the rarer words already keep the rows read few. With nothing selective left,
        PostgreSQL walks the prior index and tests rows until it has the cap.
        """
        qs = self.filtered(request, marked=True)
        markers, tested_markers = [], []
        for group in marker_lexemes(request.query):
            (tested_markers if _group_key(group) in common else markers).append(_lexemes(group))
        indexed = [term for term in terms if term.token not in common]
        tested = [term for term in terms if term.token in common]
        if band is not None and band != ORDERED:
            markers.append(band_source(band, top))
        match, params = self._match(indexed, request, markers)
        if match:
            qs = qs.filter(self._vector_matches(column, match, params, indexed=True))
        # Only a query of all words has common ones (``_common``), so the test is an AND.
        test, test_params = self._match(tested, request, tested_markers)
        if test:
            qs = qs.filter(self._vector_matches(column, test, test_params, indexed=False))
        return qs

    def _common(self, request: SearchRequest, terms, statistics, *, title: bool) -> frozenset:
        """Words and operator groups in ``ORDERED_SHARE`` of all rows or more."""
        if statistics is None or request.match_any:
            return frozenset()
        common = set()
        for term in terms:
            if self._term_share(term, statistics, title=title) >= ORDERED_SHARE:
                common.add(term.token)
        for group in marker_lexemes(request.query):
            if statistics.marker_share(group, title=title) >= ORDERED_SHARE:
                common.add(_group_key(group))
        return frozenset(common)

    def _probe(self, request: SearchRequest, terms, band: int, common: frozenset, top: int) -> int:
        """How many matches (up to the cap) the band holds: reads only the band's rows."""
        qs = self._matching(request, terms, "search_vector", band, common, top)
        qs = qs.values("id")[: self.candidates]
        inner, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({inner}) p", params)  # noqa: S608 - Django-built
            return cursor.fetchone()[0]

    @staticmethod
    def _estimate_is_rough(request: SearchRequest, chunks: dict[str, int]) -> bool:
        """Whether the statistics leave the match count open: several unrelated words or
        operators, or an operator without a marker (phrases, ``user:``, a score between steps)."""
        query = request.query
        factors = len(set(chunks.values()))
        if request.match_any:
            factors = min(factors, 1)
        factors += len(marker_lexemes(query))
        return (
            factors > 1
            or bool(query.phrases or query.users)
            or (query.min_score is not None and query.min_score not in SCORE_STEPS)
        )

    def _candidates_sql(
        self,
        request: SearchRequest,
        terms,
        column: str,
        band: int | None = None,
        common: frozenset = frozenset(),
        top: int = BAND_MAX,
    ) -> tuple[str, tuple]:
        """The best ``candidates`` matches of ``column`` by ``prior``, as SQL.

        A GIN bitmap scan (words, filter markers and, when ``band`` is given, only
        rows whose prior band is at least ``band``), then a top-N sort of narrow rows
        on a plain column; each of the best then gets its rank and title match.
        """
        qs = self._matching(request, terms, column, band, common, top)
        # The row's address: fetching a candidate's vectors again by it skips the
        # primary-key lookup (same statement, same snapshot, so the same row version).
        qs = qs.annotate(tid=RawSQL("search_searchentry.ctid", [], output_field=TextField()))
        qs = qs.order_by("-prior", "-id").values(*_NARROW_FIELDS, "tid")[: self.candidates]
        inner, inner_params = qs.query.sql_with_params()
        # The top-N sort carries narrow rows (wide ones spilled it to disk past ~3,000
        # matches); the vectors are read once per candidate, for the rank and the title
        # match, so later scans of the candidates stay narrow too.
        source = tsquery_source(terms, match_any=request.match_any)
        if terms and request.sort == "relevance":
            extra, extra_params = f"{_RANK_SQL} AS rank", [PG_WEIGHTS, source, YEAR_SECONDS]
        else:
            extra, extra_params = "0::float8 AS rank", []
        if not terms:
            return (
                f"SELECT c.*, {extra}, false AS in_title FROM ({inner}) c",  # noqa: S608 - built here
                (*extra_params, *inner_params),
            )
        extra += ", title_vector @@ to_tsquery('simple', %s) AS in_title"
        extra_params.append(source)
        return (
            f"SELECT c.*, {extra} FROM ({inner}) c, LATERAL ("  # noqa: S608 - built here
            "SELECT search_vector, title_vector FROM search_searchentry v WHERE v.ctid = c.tid) v",
            (*extra_params, *inner_params),
        )

    def statistics(self) -> IndexStatistics | None:
        """Lexeme and prior-band shares from ``pg_stats`` (cached; None before ANALYZE)."""
        try:
            cached = cache.get(STATISTICS_CACHE_KEY)
        except Exception:  # a cache outage must not stop search
            logger.warning("search: statistics cache unavailable", exc_info=True)
            cached = None
        if cached is not None:
            return cached or None
        found = self._read_statistics()
        try:
            cache.set(STATISTICS_CACHE_KEY, found or False, STATISTICS_SECONDS)
        except Exception:
            logger.warning("search: statistics not cached", exc_info=True)
        return found

    def _read_statistics(self) -> IndexStatistics | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.attname, s.most_common_elems::text::text[], s.most_common_elem_freqs, "
                "s.histogram_bounds::text::float8[], s.most_common_vals::text::float8[], "
                "s.most_common_freqs, s.null_frac, c.reltuples "
                "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
                "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s.schemaname) "
                "WHERE s.schemaname = current_schema() AND s.tablename = 'search_searchentry' "
                "AND s.attname IN ('search_vector', 'title_vector', 'prior')"
            )
            rows = {row[0]: row[1:] for row in cursor.fetchall()}
        if set(rows) != {"search_vector", "title_vector", "prior"}:
            return None
        lexemes = {}
        for column in ("search_vector", "title_vector"):
            elements, freqs = rows[column][0] or [], rows[column][1] or []
            known = dict(zip(elements, freqs, strict=False))
            # After the per-element shares: minimum, maximum, share of empty vectors.
            lexemes[column] = (known, freqs[len(elements)] if len(freqs) > len(elements) else 0.0)
        _, _, bounds, values, value_freqs, null_frac, reltuples = rows["prior"]
        if not reltuples or reltuples < 0:
            return None
        bands: dict[int, float] = {}
        for value, freq in zip(values or [], value_freqs or [], strict=False):
            bands[prior_band(value)] = bands.get(prior_band(value), 0.0) + freq
        if bounds and len(bounds) > 1:
            rest = max(1.0 - sum(value_freqs or []) - (null_frac or 0.0), 0.0)
            per_bucket = rest / (len(bounds) - 1)
            for lower in bounds[:-1]:  # a bucket counts in its lower bound's band
                bands[prior_band(lower)] = bands.get(prior_band(lower), 0.0) + per_bucket
        return IndexStatistics(
            rows=float(reltuples),
            lexemes=lexemes["search_vector"][0],
            min_share=lexemes["search_vector"][1],
            title_lexemes=lexemes["title_vector"][0],
            title_min_share=lexemes["title_vector"][1],
            bands=sorted(bands.items(), reverse=True),
        )

    @staticmethod
    def _top_band() -> int:
        """The highest prior band of any row now (one index probe; statistics may be stale)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(prior) FROM search_searchentry")
            (highest,) = cursor.fetchone()
        return prior_band(highest) if highest is not None else BAND_MAX

    @staticmethod
    def _term_share(term, statistics, *, title: bool) -> float:
        group = [(term.token,), term.parts] if term.parts else [(term.token,)]
        return statistics.share(group, title=title, overlapping=True)

    def _estimate(
        self,
        request: SearchRequest,
        terms,
        statistics,
        *,
        title: bool,
        chunks: dict[str, int] | None = None,
    ) -> float:
        """Estimated rows the words and filter markers match (from statistics)."""
        factors: list[list[float]] = []
        if request.match_any and terms:
            shares = [self._term_share(term, statistics, title=title) for term in terms]
            factors.append([min(1.0, sum(shares))])
        else:
            chunks = chunks if chunks is not None else term_chunks(request.query, terms)
            grouped: dict[int, list[float]] = {}
            for term in terms:
                grouped.setdefault(chunks[term.token], []).append(
                    self._term_share(term, statistics, title=title)
                )
            factors += grouped.values()
        factors += [
            [statistics.marker_share(group, title=title)] for group in marker_lexemes(request.query)
        ]
        return statistics.matches(factors)

    def _band_for(self, statistics: IndexStatistics, matches: float) -> int | None:
        """The band threshold whose rows should hold about ``band_safety`` × the cap."""
        if matches <= BAND_MIN_RATIO * self.candidates:
            return None  # reading every match costs little more than reading the bands
        if matches >= ORDERED_SHARE * statistics.rows:
            return ORDERED
        return band_threshold(statistics.bands, self.band_safety * self.candidates / matches)

    def _widen(self, statistics, band: int | None, found: int) -> int | None:
        """A lower threshold after ``found`` (< cap) candidates came from ``band``."""
        if band is None:
            return None
        share = band_share(statistics.bands, band)
        if not found or not share:
            return None
        needed = self.band_safety * self.candidates / (found / share)
        lower = band_threshold(statistics.bands, max(needed, 2 * share))
        return None if lower is None or lower >= band else lower

    def _statement(
        self,
        request: SearchRequest,
        terms,
        body_band: int | None,
        title_band: int | None,
        common: tuple[frozenset, frozenset] = (frozenset(), frozenset()),
        top: int = BAND_MAX,
    ) -> tuple[str, list]:
        """Candidates, their counts, total, facets and the ranked page as one statement."""
        cap = self.candidates
        body_sql, body_params = self._candidates_sql(
            request, terms, "search_vector", body_band, common[0], top
        )
        ctes = [f"body AS MATERIALIZED ({body_sql})"]
        params: list = [*body_params]
        parts = ["(SELECT 'body_n', NULL::text, count(*), NULL::float8, 0 FROM body)"]
        if terms:
            title_sql, title_params = self._candidates_sql(
                request, terms, "title_vector", title_band, common[1], top
            )
            ctes.append(
                "gate AS MATERIALIZED (SELECT (SELECT count(*) FROM body) >= %s AND "
                "(SELECT count(*) FROM body WHERE in_title) < %s AS open)"
            )
            params += [cap, request.offset + request.limit]
            ctes.append(
                f"titled AS MATERIALIZED (SELECT * FROM ({title_sql}) t "  # noqa: S608 - Django-built SQL
                "WHERE (SELECT open FROM gate))"
            )
            params += title_params
            ctes.append(
                "cand AS (SELECT * FROM body UNION ALL SELECT * FROM titled t "
                "WHERE NOT EXISTS (SELECT 1 FROM body b WHERE b.id = t.id))"
            )
            parts += [
                "(SELECT 'titled_n', NULL::text, count(*), NULL::float8, 0 FROM titled)",
                "(SELECT 'gate', NULL::text, open::int, NULL::float8, 0 FROM gate)",
            ]
        else:
            ctes.append("cand AS (SELECT * FROM body)")
        parts.append("(SELECT 'total', NULL::text, count(*), NULL::float8, 0 FROM cand)")
        if request.with_facets:
            for facet, column in (
                ("kind", "kind"),
                ("subdomain", "subdomain"),
                ("platform", "platform"),
            ):
                parts.append(
                    f"(SELECT '{facet}', {column}::text, count(*) AS n, NULL::float8, 0 "  # noqa: S608 - fixed column names
                    f"FROM cand WHERE {column} <> '' GROUP BY {column} "
                    f"ORDER BY n DESC, {column} LIMIT %s)"
                )
            for facet, column in (("tag", "tags"), ("resource", "resources")):
                # The set-returning function in the select list (ProjectSet) costs a
                # third less than a lateral function scan per candidate.
                parts.append(
                    f"(SELECT '{facet}', v, count(*) AS n, NULL::float8, 0 FROM "  # noqa: S608 - fixed column names
                    f"(SELECT jsonb_array_elements_text({column}) AS v FROM cand) x "
                    "GROUP BY v ORDER BY n DESC, v LIMIT %s)"
                )
            params += [max(request.facet_size, 100)] + [request.facet_size] * 4
        if bool(terms) and request.sort == "relevance":
            parts.append(
                "(SELECT 'hit', id::text, NULL::bigint, rank, "
                "row_number() OVER (ORDER BY rank DESC, created_at DESC, id DESC)::int "
                "FROM cand ORDER BY rank DESC, created_at DESC, id DESC LIMIT %s OFFSET %s)"
            )
            params += [request.limit, request.offset]
        statement = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
        return statement, params

    def _search_postgres(self, request: SearchRequest, terms) -> BackendResults:
        """Candidates, total, facets and the ranked page in one statement.

        Candidates: the top ``candidates`` matches by ``prior``; when that hits the
        cap with fewer title/tag matches than the page shows, also the top as many
        among matches in the title or tags (their own small vector and GIN index),
        so an old or unvoted item whose title is the query still reaches the
        ranking. Totals and facets count the candidates.

        Both passes read only rows in the best prior bands when the statistics say
        that those hold enough matches (see the module docstring); a pass that
        comes up short of the cap is repeated over more bands, so the candidates
        are always exactly those of an unrestricted pass.
        """
        cap = self.candidates
        statistics = self.statistics() if self.config.get("BANDS", True) else None
        body_band = title_band = None
        common = (frozenset(), frozenset())
        chunks = term_chunks(request.query, terms)
        if statistics is not None:
            body_band = self._band_for(
                statistics,
                self._estimate(request, terms, statistics, title=False, chunks=chunks),
            )
            if terms:
                title_band = self._band_for(
                    statistics,
                    self._estimate(request, terms, statistics, title=True, chunks=chunks),
                )
            common = (
                self._common(request, terms, statistics, title=False),
                self._common(request, terms, statistics, title=True),
            )
        top = BAND_MAX
        if {body_band, title_band} - {None, ORDERED}:
            top = self._top_band()
        if body_band not in (None, ORDERED) and self._estimate_is_rough(request, chunks):
            # Counting the band's matches (up to the cap) reads the rows the statement
            # would read anyway; a wrong guess then costs a count, not a whole search.
            found = self._probe(request, terms, body_band, common[0], top)
            if found < cap:
                body_band = self._widen(statistics, body_band, found)
        for attempt in range(MAX_ATTEMPTS):
            if attempt == MAX_ATTEMPTS - 1:
                body_band = title_band = None
            statement, params = self._statement(request, terms, body_band, title_band, common, top)
            facets: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
            found: dict[str, int] = {}
            ranks = []
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                for part, value, count, rank, position in cursor.fetchall():
                    if part == "hit":
                        ranks.append((position, int(value), rank or 0.0))
                    elif part in FACETS:
                        facets[part].append((value, count))
                    else:
                        found[part] = count
            body_short = body_band not in (None, ORDERED) and found["body_n"] < cap
            title_short = (
                title_band not in (None, ORDERED) and found.get("gate") and found["titled_n"] < cap
            )
            if not (body_short or title_short):
                break
            if body_short:
                body_band = self._widen(statistics, body_band, found["body_n"])
            if title_short:
                title_band = self._widen(statistics, title_band, found["titled_n"])
        total = found["total"]
        if not total:
            return BackendResults(hits=[], total=0, facets=self._empty_facets())
        if ranks:
            ranks.sort()
            rows = SearchEntry.objects.only(*_ENTRY_FIELDS).in_bulk([pk for _, pk, _ in ranks])
            hits = [RawHit(document_from_entry(rows[pk]), rank) for _, pk, rank in ranks]
        else:
            rows = self._ordered_page(request, terms, walk=total >= cap)
            hits = [RawHit(document_from_entry(e), 0.0) for e in rows]
        return BackendResults(hits=hits, total=total, facets=facets, capped=total >= cap)

    def _ordered_page(self, request: SearchRequest, terms, *, walk: bool) -> list[SearchEntry]:
        """The page sorted by date or votes: exact over every match, nothing ranked.

        ``walk`` (the matches fill the candidate cap, so there are many): every
        condition is tested on each row (``ts_match_vq``, which GIN cannot answer), so
        PostgreSQL walks the date or votes index until the page is full. Through GIN
        it would read and sort every match (290 ms for ``apollo`` by votes), and its
        estimates for several words (independence) are too low to choose the walk.
        """
        page = self.filtered(request, marked=True)
        match, params = self._match(terms, request, filter_markers(request.query))
        if match:
            page = page.filter(
                self._vector_matches("search_vector", match, params, indexed=not walk)
            )
        page = page.only(*_ENTRY_FIELDS).order_by(*self._order(request.sort))
        return list(page[request.offset : request.offset + request.limit])

    @staticmethod
    def _empty_facets() -> dict:
        return {facet: [] for facet in FACETS}

    @staticmethod
    def _order(sort: str) -> list[str]:
        if sort == "votes":
            return ["-score", "-created_at", "-id"]
        return ["-created_at", "-id"]

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
