"""The database backend: matching, operators, ranking, facets, snippets, query counts."""

import pytest
from django.db import connection
from django.utils import translation

from search.backends.base import SearchRequest
from search.models import SearchEntry
from search.query import parse
from search.selectors import search_query
from tests.search.conftest import make_document

pytestmark = pytest.mark.django_db


def _ids(backend, text, **options):
    return [
        h.document.object_id for h in backend.search(SearchRequest(parse(text), **options)).hits
    ]


@pytest.fixture
def docs(index_docs):
    index_docs(
        make_document(
            kind="question", object_id="1", title="自動駕駛仿真環境怎麼安裝",
            body="我在安裝 Apollo 仿真器時報錯", tags=["Apollo", "仿真"],
            subdomain="autonomous-driving", platform="baidu", score=3, answered=True,
            accepted=True, author="LiHua", resources=["apollo", "apollo@9.0"], days_ago=10,
        ),
        make_document(
            kind="question", object_id="2", title="How to fine-tune speech recognition models",
            body="Running the models on custom vocabulary", tags=["asr"],
            subdomain="intelligent-voice", platform="iflytek", score=8, days_ago=100,
        ),
        make_document(
            kind="tutorial", object_id="3", title="自动驾驶仿真入门", body="仿真场景编辑与回放",
            tags=["仿真"], subdomain="autonomous-driving", platform="baidu", score=1, days_ago=1,
        ),
    )  # fmt: skip


def test_simplified_and_traditional_find_each_other(backend, docs):
    assert set(_ids(backend, "自动驾驶")) == {"1", "3"}
    assert set(_ids(backend, "自動駕駛")) == {"1", "3"}


def test_english_stemming_matches_word_forms(backend, docs):
    assert _ids(backend, "model run") == ["2"]
    assert _ids(backend, "tuning") == []  # "fine-tune" is one word, not "tuning"


def test_title_outranks_body(backend, docs, index_docs):
    index_docs(make_document(kind="question", object_id="9", title="其他问题", body="speech"))
    assert _ids(backend, "speech")[0] == "2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is:tutorial 仿真", ["3"]),
        ("[apollo]", ["1"]),
        ("[仿真] is:question", ["1"]),
        ("user:lihua", ["1"]),
        ("subdomain:intelligent-voice", ["2"]),
        ("is:answered", ["1"]),
        ("is:unanswered is:question", ["2"]),
        ("is:accepted", ["1"]),
        ("score:5", ["2"]),
        ("resource:apollo@9.0", ["1"]),
        ("resource:apollo@8.0", []),
        ('"仿真器"', ["1"]),
        ('"speech recognition"', ["2"]),
        ('"recognition speech"', []),
    ],
)
def test_operators(backend, docs, text, expected):
    assert sorted(_ids(backend, text)) == expected


def test_sorting(backend, docs):
    assert _ids(backend, "is:question is:tutorial", sort="newest") == ["3", "1", "2"]
    assert _ids(backend, "is:question is:tutorial", sort="votes") == ["2", "1", "3"]


def test_votes_and_recency_break_ties(backend, index_docs):
    index_docs(
        make_document(kind="question", object_id="old", title="数据集下载", days_ago=900),
        make_document(kind="question", object_id="new", title="数据集下载", days_ago=1),
        make_document(kind="question", object_id="top", title="数据集下载", days_ago=900, score=50),
    )
    assert _ids(backend, "数据集") == ["top", "new", "old"]


def test_facets_count_the_matching_documents(backend, docs):
    facets = backend.search(SearchRequest(parse("仿真"))).facets
    assert dict(facets["kind"]) == {"question": 1, "tutorial": 1}
    assert dict(facets["subdomain"]) == {"autonomous-driving": 2}
    assert dict(facets["tag"])["仿真"] == 2
    assert dict(facets["platform"]) == {"baidu": 2}
    assert dict(facets["resource"]) == {"apollo": 1, "apollo@9.0": 1}


def test_paging(backend, docs):
    first = _ids(backend, "is:question is:tutorial", sort="newest", limit=2)
    second = _ids(backend, "is:question is:tutorial", sort="newest", limit=2, offset=2)
    assert first == ["3", "1"] and second == ["2"]


def test_reindexing_replaces(backend, docs, index_docs):
    index_docs(make_document(kind="tutorial", object_id="3", title="新的标题"))
    assert SearchEntry.objects.filter(kind="tutorial").count() == 1
    assert _ids(backend, "入门") == []
    assert _ids(backend, "新的标题") == ["3"]


def test_a_batch_with_repeats_and_nul_bytes_indexes_the_latest_version(backend, index_docs):
    index_docs(
        make_document(kind="question", object_id="7", title="旧标题", body="a\x00b"),
        make_document(kind="question", object_id="7", title="激光雷达标定", body="c\x00d"),
    )
    entry = SearchEntry.objects.get(kind="question", object_id="7")
    assert entry.title == "激光雷达标定" and entry.body == "cd"
    assert _ids(backend, "激光雷达") == ["7"] and _ids(backend, "旧标题") == []


@pytest.mark.postgres
def test_postgres_upsert_builds_both_vectors_and_stores_no_segmented_text(backend, docs):
    backend.index(
        [
            make_document(
                kind="tutorial", object_id="3", title="点云标注", body="激光雷达", tags=["Apollo"]
            )
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, title_vector::text, title_seg, tags_seg, body_seg "
            "FROM search_searchentry WHERE kind = 'tutorial'"
        )
        (vector, title_vector, *segmented), *others = cursor.fetchall()
    assert not others
    assert "'点云':1A" in vector and "'激光':" in vector and "'仿真'" not in vector
    assert "'点云':1A" in title_vector and "'apollo':" in title_vector
    assert "激光" not in title_vector  # the body is not in the title vector
    assert segmented == ["", "", ""]


def test_rebuild_swaps_a_kinds_rows(backend, docs):
    count = backend.rebuild(
        "tutorial", [make_document(kind="tutorial", object_id="4", title="语音合成")]
    )
    assert count == 1
    assert backend.counts() == {"question": 2, "tutorial": 1}
    assert _ids(backend, "is:tutorial") == ["4"]


def test_delete(backend, docs):
    backend.delete([("question", "1"), ("question", "404")])
    assert "1" not in _ids(backend, "仿真")


def test_any_word_fallback_in_the_query_api(docs):
    results = search_query("自动驾驶 不存在的词语")
    assert results.relaxed
    assert {h.object_id for h in results.hits} == {"1", "3"}


def test_snippets_mark_matches_in_the_original_script(docs):
    hit = search_query("安装", {"kind": "question"}).hits[0]
    assert "<mark>安裝</mark>" in hit.title
    assert "<mark>安裝</mark>" in hit.snippet


def test_snippets_escape_html(index_docs):
    index_docs(
        make_document(
            kind="question", object_id="x", title="<b>xss</b>", body="<script>x</script> xss"
        )
    )
    hit = search_query("xss").hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert hit.title == "&lt;b&gt;<mark>xss</mark>&lt;/b&gt;"


def test_facet_labels_come_from_the_catalogue(docs, platform):
    with translation.override("zh-hans"):
        results = search_query("仿真")
    subdomains = {v.value: v.label for v in results.facets["subdomain"]}
    assert subdomains["autonomous-driving"] == "自动驾驶"
    assert {v.value: v.label for v in results.facets["platform"]}["baidu"] == "百度"


@pytest.mark.postgres
def test_postgres_stores_a_weighted_tsvector(docs):
    entry = SearchEntry.objects.get(kind="tutorial")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM search_searchentry WHERE id = %s", [entry.id]
        )
        vector = cursor.fetchone()[0]
    assert "'仿真':" in vector and "A" in vector and "C" in vector
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector'")
        assert "gin" in cursor.fetchone()[0].lower()


@pytest.mark.parametrize("size", [5, 40])
def test_query_count_does_not_grow_with_results(
    django_assert_num_queries, index_docs, platform, size
):
    index_docs(
        *[
            make_document(
                kind="question", object_id=str(i), title=f"仿真问题 {i}", tags=[f"t{i}"],
                subdomain="autonomous-driving", platform="baidu", resources=["apollo"],
            )
            for i in range(size)
        ]
    )  # fmt: skip
    # PostgreSQL: the planner statistics (read once, then cached; they pick the prior
    # bands to read), candidates + total + facets + ranked ids in one statement, then
    # the page's rows (+ the catalogue labels); SQLite: one pass, ranked in Python.
    expected = 6 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        results = search_query("仿真")
    assert results.total == size


def test_simplified_mo_and_traditional_mo_find_each_other(backend, index_docs):
    """么 used to fold to 幺, so 要么 (Simplified) and 要麼 (Traditional) never met."""
    index_docs(
        make_document(kind="question", object_id="s", title="要么重启要么重装"),
        make_document(kind="question", object_id="t", title="要麼重啟要麼重裝"),
    )
    assert set(_ids(backend, "要么")) == set(_ids(backend, "要麼")) == {"s", "t"}


def test_entries_folded_the_old_way_are_queued_for_indexing_again(index_docs):
    import importlib

    from django.apps import apps

    from search.models import SearchOutbox

    index_docs(
        make_document(kind="question", object_id="old", title="要么重启"),
        make_document(kind="question", object_id="taiwan", title="激光雷达标定"),
        make_document(kind="question", object_id="fine", title="重启"),
    )
    SearchEntry.objects.filter(object_id="old").update(folded="要幺重启")  # as folded before
    SearchEntry.objects.filter(object_id="taiwan").update(folded="雷射雷达标定")
    migration = importlib.import_module("search.migrations.0007_refold_entries")
    migration.queue_refolded(apps, None)
    migration.queue_refolded(apps, None)  # twice: one row per entry
    queued = sorted(SearchOutbox.objects.values_list("kind", "object_id", "op"))
    assert queued == [("question", "old", "upsert"), ("question", "taiwan", "upsert")]


def test_taiwan_words_find_mainland_posts(backend, index_docs):
    index_docs(
        make_document(kind="question", object_id="cn", title="激光雷达点云如何做目标检测"),
        make_document(kind="question", object_id="other", title="语音合成的延迟"),
    )
    assert _ids(backend, "雷射雷達 物件偵測") == ["cn"]
    assert _ids(backend, "光達") == ["cn"]
