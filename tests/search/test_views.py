"""The search page and the similar-questions endpoint."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from search.backends.database import DatabaseBackend
from tests.search.conftest import make_document

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def docs(index_docs, platform):
    index_docs(
        make_document(
            kind="question", object_id="1", title="自動駕駛仿真環境怎麼安裝", url="/questions/1/",
            body="我在安裝 Apollo 仿真器時報錯", tags=["apollo"], subdomain="autonomous-driving",
            platform="baidu", score=3, answered=True,
        ),
        make_document(
            kind="resource", object_id="2", title="Apollo 开放平台", url="/resources/apollo/",
            body="自动驾驶开放平台", tags=["apollo"], subdomain="autonomous-driving", platform="baidu",
        ),
    )  # fmt: skip


def test_results_page_shows_marked_hits_facets_and_keeps_the_query(client, docs):
    response = client.get(URL, {"q": "自动驾驶"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>自動駕駛</mark>" in html
    assert 'value="自动驾驶"' in html  # in the page box and the header box
    assert 'href="/questions/1/"' in html and 'href="/resources/apollo/"' in html
    assert (
        'data-facet="kind"' in html
        and "?q=%E8%87%AA%E5%8A%A8%E9%A9%BE%E9%A9%B6&amp;kind=resource" in html
    )
    assert "2 条结果" in html


def test_a_facet_filters_and_can_be_removed(client, docs):
    response = client.get(URL, {"q": "自动驾驶", "kind": "resource"})
    html = response.content.decode()
    assert 'href="/resources/apollo/"' in html and 'href="/questions/1/"' not in html
    assert 'aria-current="true" class="is-selected"' in html
    assert "移除筛选条件 resource" in html


def test_sort_and_pagination_links(client, index_docs):
    index_docs(
        *[make_document(kind="question", object_id=str(i), title=f"仿真 {i}") for i in range(45)]
    )
    response = client.get(URL, {"q": "仿真", "sort": "newest", "page": "2"})
    html = response.content.decode()
    assert response.context["results"].page == 2
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert '<ol class="search-hits" start="21">' in html
    assert '<strong aria-current="true">最新</strong>' in html


def test_english_pages_link_to_english_urls(client, docs):
    response = client.get("/en/search/", {"q": "apollo", "kind": "resource"})
    assert 'href="/en/resources/apollo/"' in response.content.decode()
    assert "1 result" in response.content.decode()


def test_empty_query_shows_help(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "搜索技巧" in response.content.decode()


def test_no_results_shows_help_and_the_query(client, docs):
    html = client.get(URL, {"q": "完全不存在"}).content.decode()
    assert "没有找到结果" in html and "搜索技巧" in html and 'value="完全不存在"' in html


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "[unbalanced",
        "foo:bar is:nothing score:x",
        "x" * 10_000,
        "apollo\x01\x1b",
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "()&|!<->:*",
    ],
)
def test_bad_queries_get_a_page_not_a_500(client, docs, query):
    response = client.get(URL, {"q": query, "page": "x", "sort": "nonsense"})
    assert response.status_code == 200


def test_a_nul_byte_gets_a_clear_400(client, docs):
    # core.middleware.RejectNulQueryMiddleware answers before the view (PostgreSQL
    # cannot hold NUL in text), with a message instead of a server error.
    response = client.get(URL, {"q": "apollo\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_odd_operators_are_explained(client, docs):
    html = client.get(URL, {"q": '"apollo'}).content.decode()
    assert "已按普通文本搜索" in html


def test_a_failing_backend_shows_a_message(client, docs, monkeypatch):
    def boom(self, request):
        raise ConnectionError("down")

    monkeypatch.setattr(DatabaseBackend, "search", boom)
    response = client.get(URL, {"q": "apollo"})
    assert response.status_code == 200
    assert "搜索暂时不可用" in response.content.decode()


def test_searching_is_rate_limited(client, docs, monkeypatch):
    monkeypatch.setattr("search.views.SEARCH_RATE", "2/m")
    assert client.get(URL, {"q": "a"}).status_code == 200
    assert client.get(URL, {"q": "a"}).status_code == 200
    response = client.get(URL, {"q": "a"})
    assert response.status_code == 429
    assert "搜索过于频繁" in response.content.decode()


def test_header_search_box_submits_to_the_search_page(client, db):
    html = client.get("/en/search/").content.decode()
    assert 'action="/en/search/"' in html and 'name="q"' in html


@pytest.mark.parametrize("size", [3, 30])
def test_page_query_count_is_constant(
    client, index_docs, platform, django_assert_max_num_queries, size
):
    index_docs(
        *[make_document(kind="question", object_id=str(i), title=f"仿真 {i}", subdomain="autonomous-driving",
                        platform="baidu", tags=[f"t{i}"]) for i in range(size)]
    )  # fmt: skip
    with django_assert_max_num_queries(16):
        response = client.get(URL, {"q": "仿真"})
    assert response.status_code == 200


def test_similar_returns_json(client, docs):
    response = client.get(
        reverse("search:similar"), {"title": "自動駕駛仿真 安裝失敗了", "kind": "question"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["url"] == "/questions/1/"
    assert results[0]["title"] == "自動駕駛仿真環境怎麼安裝"  # plain text, no markup
    assert results[0]["answered"] is True
    assert all(r["kind"] == "question" for r in results)


def test_similar_ignores_short_or_empty_titles_and_operators(client, docs):
    assert client.get(reverse("search:similar"), {"title": ""}).json() == {"results": []}
    assert client.get(reverse("search:similar"), {"title": "的 吗"}).json() == {"results": []}
    response = client.get(reverse("search:similar"), {"title": "is:resource [apollo]"})
    assert response.status_code == 200  # operators are plain words here


def test_similar_is_rate_limited(client, docs, monkeypatch):
    monkeypatch.setattr("search.views.SIMILAR_RATE", "1/m")
    client.get(reverse("search:similar"), {"title": "apollo"})
    assert client.get(reverse("search:similar"), {"title": "apollo"}).status_code == 429


def test_similar_widget_partial(db):
    html = render_to_string("search/_similar_questions.html", {"input_id": "id_title"})
    assert 'data-input="id_title"' in html and 'data-url="/search/similar/"' in html
    assert "search/similar.js" in html and " hidden" in html


@pytest.mark.parametrize("text", ["怎麼", "怎么 的", "how the", "？？！", "什么 is:question"])
def test_only_common_words_search_nothing_and_say_so(client, docs, text):
    from search.selectors import search_query

    results = search_query(text)
    assert results.nothing_to_look_up and not results.hits and not results.total
    html = client.get(URL, {"q": text}).content.decode()
    assert "没有可搜索的词" in html and "搜索技巧" in html
    assert 'href="/questions/1/"' not in html  # not "everything"


def test_operators_alone_still_list_what_they_match(docs):
    from search.selectors import search_query

    results = search_query("is:resource")
    assert not results.nothing_to_look_up and results.total == 1
