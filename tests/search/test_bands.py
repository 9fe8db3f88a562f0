"""Marker lexemes and prior bands: PostgreSQL reads only the best-prior rows, same results.

The unit tests need no database; the equivalence tests compare a banded backend with
one that reads every match (``BANDS: False``) over a corpus spread across six years.
"""

import importlib
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import text as analysis
from search.backends.base import SearchRequest
from search.backends.database import (
    BAND_DEPTH,
    BAND_MAX,
    BAND_SQL,
    ORDERED_SHARE,
    DatabaseBackend,
    IndexStatistics,
    band_lexemes,
    band_share,
    band_threshold,
    filter_markers,
    markers_sql,
)
from search.models import SearchEntry
from search.query import parse
from search.registry import SearchDocument

CAP = 6


def _covered(lexemes: list[str]) -> list[int]:
    """The bands a list of nested band lexemes stands for (``~g:k``: bands k … k + depth - 1)."""
    bands = []
    for lexeme in lexemes:
        start = int(lexeme.removeprefix("~g:"))
        bands += range(start, min(start + BAND_DEPTH, BAND_MAX + 1))
    return bands


def _row_markers(band: int) -> list[int]:
    """The ``~g:`` markers a row in ``band`` carries (what ``markers_sql`` builds)."""
    return list(range(max(band - BAND_DEPTH + 1, 0), band + 1))


@pytest.mark.parametrize("threshold", [0, 1, 15, 16, 17, 100, 511, BAND_MAX - 16, BAND_MAX])
def test_band_lexemes_cover_every_band_at_or_above_the_threshold_once(threshold):
    covered = _covered(band_lexemes(threshold))
    assert sorted(covered) == list(range(threshold, BAND_MAX + 1))
    for band in range(BAND_MAX + 1):  # a row matches iff it carries one of the lexemes
        carried = {f"~g:{k}" for k in _row_markers(band)}
        assert bool(carried & set(band_lexemes(threshold))) == (band >= threshold)


def test_band_lexemes_stop_at_the_highest_band_any_row_has():
    assert band_lexemes(40, top=60) == ["~g:40", "~g:56"]
    assert band_lexemes(40, top=55) == ["~g:40"]
    assert band_lexemes(40, top=30) == []
    assert band_lexemes(40) == [f"~g:{band}" for band in range(40, BAND_MAX + 1, BAND_DEPTH)]


def test_nested_band_markers_match_the_sql():
    sql = markers_sql("t.")
    assert "'~g:' || g FROM generate_series(GREATEST(" in sql
    assert f"- {BAND_DEPTH - 1}, 0)" in sql
    assert "'~b" not in sql


def test_band_threshold_picks_the_highest_band_holding_the_share():
    histogram = [(50, 10), (40, 10), (30, 30), (20, 50)]  # 100 entries, highest first
    assert band_threshold(histogram, 0.05) == 50
    assert band_threshold(histogram, 0.10) == 50
    assert band_threshold(histogram, 0.11) == 40
    assert band_threshold(histogram, 0.45) == 30
    assert band_threshold(histogram, 0.5) is None  # too large a share to save much
    assert band_threshold([], 0.1) is None
    assert band_threshold([(0, 100)], 0.1) is None  # band 0 is everything
    assert band_share(histogram, 40) == pytest.approx(0.2)
    assert band_share([], 40) == 0.0


def test_operators_become_marker_groups():
    query = parse(
        "点云 is:question is:answer [Apollo] [點雲] resource:Apollo@9.0 subdomain:city-brain "
        "is:unanswered is:accepted score:4 user:lihua"
    )
    query.platforms = ["baidu"]
    assert filter_markers(query) == [
        "('~k:question' | '~k:answer')",
        "'~s:city-brain'",
        "'~p:baidu'",
        "'~t:apollo'",
        "'~t:点云'",
        "'~r:apollo@9.0'",
        "'~unanswered'",
        "'~accepted'",
        "'~v:3'",  # the step below 4; score >= 4 stays an SQL condition
    ]
    assert filter_markers(parse('score:0 user:x "a b"')) == []  # no exact marker for these
    assert filter_markers(parse("[it's]")) == ["'~t:it''s'"]


def test_estimates_treat_one_chinese_run_or_phrase_as_one_factor():
    statistics = IndexStatistics(
        rows=1000.0,
        lexemes={"自动": 0.1, "驾驶": 0.1, "onnx": 0.16, "model": 0.04, "~k:question": 0.5},
        min_share=0.001,
        title_lexemes={},
        title_min_share=0.001,
        bands=[(100, 0.5), (90, 0.5)],
    )
    backend = DatabaseBackend({})

    def estimate(text):
        request = SearchRequest(parse(text))
        terms = analysis.query_terms(request.query.text)
        return backend._estimate(request, terms, statistics, title=False)

    assert estimate("自動駕駛") == pytest.approx(100)  # co-occurring parts: the rarer share
    assert estimate('"onnx model"') == pytest.approx(40)  # a phrase: one factor too
    # Separate words: between independence (6.4) and the rarer word (40).
    assert estimate("onnx model") == pytest.approx(16)
    assert estimate("onnx is:question") == pytest.approx((0.16 * 0.5 * 0.16) ** 0.5 * 1000)
    assert estimate("nothingknown") == pytest.approx(1)  # below the statistics' floor


def test_the_band_migration_uses_the_indexing_band():
    migration = importlib.import_module("search.migrations.0006_entry_nested_bands")
    assert BAND_SQL.format(t="") == migration.NEW_BAND
    assert f"{migration.NEW_BAND} - {BAND_DEPTH - 1}, 0)" in migration.NESTED


# --- PostgreSQL ---------------------------------------------------------------------

WORDS = ["仿真", "点云", "speech", "latency", "部署", "docker"]


def _corpus(seed: int = 5) -> list[SearchDocument]:
    rng = random.Random(seed)
    now = timezone.now()
    documents = []
    for i in range(90):
        words = rng.sample(WORDS, 3)
        created = now - timedelta(days=rng.randint(0, 6 * 365))
        documents.append(
            SearchDocument(
                kind=rng.choice(["question", "answer", "article"]),
                object_id=str(i),
                url=f"/q/{i}/",
                title=" ".join(words[:2]) + f" #{i}",
                body=" ".join(rng.choices(WORDS, k=6)),
                tags=rng.sample(["apollo", "pytorch", "点云"], rng.randint(0, 2)),
                subdomain=rng.choice(["autonomous-driving", "intelligent-voice"]),
                platform=rng.choice(["baidu", "iflytek", ""]),
                resources=rng.choice([[], ["apollo"], ["apollo", "apollo@9.0"]]),
                author=rng.choice(["lihua", "alex"]),
                score=rng.choice([-2, 0, 0, 1, 3, 7, 40]),
                answered=rng.random() < 0.5,
                accepted=rng.random() < 0.2,
                created_at=created,
                updated_at=created,
            )
        )
    return documents


QUERIES = [
    "仿真",
    "speech",
    "仿真 点云",
    "speech latency",
    "docker is:question",
    "[apollo]",
    "is:answer",
    "[点云] 部署",
    "resource:apollo@9.0 仿真",
    "subdomain:intelligent-voice speech",
    "score:3 点云",
    "score:5",
    "is:unanswered 部署",
    "is:accepted",
    "user:lihua speech",
    '"speech latency"',
    "仿真 OR nothing",
]


def _outcome(backend, text, **options):
    result = backend.search(SearchRequest(parse(text), **options))
    return (
        [(h.document.object_id, round(h.rank, 6)) for h in result.hits],
        result.total,
        result.capped,
        {facet: sorted(values) for facet, values in result.facets.items()},
    )


def _analyze():
    """What autovacuum does after many writes: the planner statistics bands are chosen from."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")


@pytest.fixture
def spread(db):
    documents = _corpus()
    DatabaseBackend({}).index(documents)
    if connection.vendor == "postgresql":
        _analyze()
    return documents


@pytest.mark.postgres
@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "newest", "votes"])
def test_banded_search_finds_exactly_what_reading_every_match_finds(spread, text, sort):
    banded = DatabaseBackend({"CANDIDATES": CAP})
    plain = DatabaseBackend({"CANDIDATES": CAP, "BANDS": False})
    for match_any in (False, True):
        assert _outcome(banded, text, sort=sort, match_any=match_any) == _outcome(
            plain, text, sort=sort, match_any=match_any
        )


@pytest.mark.postgres
def test_broad_queries_read_only_the_best_bands(spread):
    now = timezone.now()
    DatabaseBackend({}).index(
        [
            SearchDocument(
                kind="question", object_id=f"cal{i}", url=f"/cal/{i}/", title=f"标定 {i}",
                body="标定", created_at=now - timedelta(days=40 * i),
            )
            for i in range(30)
        ]
    )  # fmt: skip
    _analyze()
    banded = DatabaseBackend({"CANDIDATES": CAP})
    statistics = banded.statistics()
    assert statistics is not None and statistics.rows == len(spread) + 30
    assert statistics.lexemes["标定"] == pytest.approx(30 / statistics.rows, abs=0.02)
    assert statistics.lexemes["仿真"] >= ORDERED_SHARE

    def statements(text):
        with CaptureQueriesContext(connection) as captured:
            banded.search(SearchRequest(parse(text)))
        return [q["sql"] for q in captured.captured_queries if "WITH body" in q["sql"]]

    # A word in a fifth of the rows: GIN reads only the best bands, and they are enough.
    first = statements("标定")
    assert len(first) == 1 and "~g:" in first[0]
    # A word in half of them: tested row by row along the prior index, not through GIN.
    common = statements("仿真")
    assert len(common) == 1 and "ts_match_vq(search_searchentry.search_vector" in common[0]


@pytest.mark.postgres
def test_without_statistics_nothing_is_restricted(db):
    DatabaseBackend({}).index(_corpus())  # no ANALYZE yet
    banded = DatabaseBackend({"CANDIDATES": CAP})
    assert banded.statistics() is None
    with CaptureQueriesContext(connection) as captured:
        result = banded.search(SearchRequest(parse("仿真")))
    assert result.capped
    assert not any("~g:" in q["sql"] for q in captured.captured_queries)


@pytest.mark.postgres
def test_a_pass_that_comes_up_short_is_widened(spread, django_capture_on_commit_callbacks):
    """Old-only matches: the histogram (mostly new rows) promises more than the top bands hold."""
    now = timezone.now()
    DatabaseBackend({}).index(
        [
            SearchDocument(
                kind="question", object_id=f"old{i}", url=f"/old/{i}/", title=f"激光雷达 {i}",
                body="激光雷达 标定", created_at=now - timedelta(days=2000 + i),
            )
            for i in range(28)
        ]
        + [
            SearchDocument(
                kind="question", object_id=f"new{i}", url=f"/new/{i}/", title=f"新问题 {i}",
                body="激光雷达", created_at=now - timedelta(days=i % 3),
            )
            for i in range(3)
        ]
    )  # fmt: skip
    _analyze()
    banded = DatabaseBackend({"CANDIDATES": CAP})
    plain = DatabaseBackend({"CANDIDATES": CAP, "BANDS": False})
    with CaptureQueriesContext(connection) as captured:
        outcome = _outcome(banded, "激光雷达")
    runs = [q for q in captured.captured_queries if "WITH body" in q["sql"]]
    assert len(runs) >= 2  # restricted, came up short, widened
    assert outcome == _outcome(plain, "激光雷达")


@pytest.mark.postgres
def test_markers_follow_score_and_state_changes(db):
    backend = DatabaseBackend({})
    document = SearchDocument(
        kind="question", object_id="m", url="/m/", title="标定", score=0,
        created_at=timezone.now(),
    )  # fmt: skip
    backend.index([document])
    assert not backend.search(SearchRequest(parse("标定 score:3"))).total
    assert backend.search(SearchRequest(parse("标定 is:unanswered"))).total == 1
    document.score, document.answered = 4, True
    backend.index([document])
    assert backend.search(SearchRequest(parse("标定 score:3"))).total == 1
    assert backend.search(SearchRequest(parse("标定 score:4"))).total == 1
    assert not backend.search(SearchRequest(parse("标定 score:5"))).total
    assert not backend.search(SearchRequest(parse("标定 is:unanswered"))).total


@pytest.mark.postgres
def test_the_migration_adds_and_removes_markers(spread):
    migration = importlib.import_module("search.migrations.0004_entry_markers")
    marked = "SELECT count(*) FROM search_searchentry WHERE search_vector @@ %s::tsquery"
    with connection.cursor() as cursor:
        unmarked = migration.UNMARKED.replace("%%", "%").format(v="search_vector")
        cursor.execute(f"UPDATE search_searchentry SET search_vector = {unmarked}")  # noqa: S608
        cursor.execute(marked, ["'~k:question'"])
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "UPDATE search_searchentry SET search_vector = search_vector || "  # noqa: S608
            f"{migration.MARKERS} WHERE kind = 'question'"
        )
        cursor.execute(marked, ["'~k:question'"])
        assert cursor.fetchone()[0] == SearchEntry.objects.filter(kind="question").count() > 0


def _vectors() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text, title_vector::text FROM search_searchentry ORDER BY id"
        )
        return cursor.fetchall()


@pytest.mark.postgres
def test_the_band_migration_rewrites_markers_both_ways(spread):
    """Backwards: the three band levels of 0004; forwards again: exactly what indexing builds."""
    levels = importlib.import_module("search.migrations.0004_entry_markers")
    nested = importlib.import_module("search.migrations.0006_entry_nested_bands")
    operation = nested.Migration.operations[0]
    indexed = _vectors()
    with connection.schema_editor() as editor:
        operation.reverse_code(None, editor)
    with connection.cursor() as cursor:
        unmarked = levels.UNMARKED.replace("%%", "%")
        cursor.execute(
            f"SELECT id, ({unmarked.format(v='search_vector')} || {levels.MARKERS})::text, "  # noqa: S608
            f"({unmarked.format(v='title_vector')} || {levels.MARKERS})::text "
            "FROM search_searchentry ORDER BY id"
        )
        as_0004_built_them = cursor.fetchall()
    assert _vectors() == as_0004_built_them
    assert not any("~g:" in vector for _, vector, _ in as_0004_built_them)
    with connection.schema_editor() as editor:
        operation.code(None, editor)
    assert _vectors() == indexed
    assert all("'~g:" in vector and "'~b" not in vector for _, vector, _ in indexed)


@pytest.mark.postgres
def test_vectors_and_folded_text_stay_in_the_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = "
            "'search_searchentry'::regclass AND attname IN "
            "('search_vector', 'title_vector', 'folded', 'body')"
        )
        storage = dict(cursor.fetchall())
    assert storage == {"search_vector": "m", "title_vector": "m", "folded": "m", "body": "x"}


@pytest.mark.postgres
@pytest.mark.parametrize(
    "text", ["仿真", "speech latency", "is:question 部署", '"speech latency"', ""]
)
@pytest.mark.parametrize("sort", ["newest", "votes"])
def test_walking_the_sort_index_finds_the_page_reading_every_match_finds(spread, text, sort):
    """Sorted by date or votes with many matches, rows are tested along the index."""
    backend = DatabaseBackend({"CANDIDATES": CAP})
    terms = analysis.query_terms(parse(text).text)
    for offset in (0, 5, 40):
        request = SearchRequest(parse(text), sort=sort, offset=offset, limit=7)
        walked = backend._ordered_page(request, terms, walk=True)
        read = backend._ordered_page(request, terms, walk=False)
        assert [e.pk for e in walked] == [e.pk for e in read]
    with CaptureQueriesContext(connection) as captured:
        backend._ordered_page(SearchRequest(parse(text), sort=sort), terms, walk=True)
    assert "@@" not in captured.captured_queries[0]["sql"]  # nothing for GIN to answer
