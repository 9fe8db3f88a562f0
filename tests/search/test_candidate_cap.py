"""PostgreSQL ranks a capped candidate set: exact totals below the cap, "N+" at it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from search import text as analysis
from search.backends.base import SearchRequest
from search.backends.database import DatabaseBackend, prior, tsquery_source
from search.models import SearchEntry
from search.query import parse
from tests.search.conftest import make_document

pytestmark = pytest.mark.django_db

CAP = 5


@pytest.fixture
def capped():
    return DatabaseBackend({"CANDIDATES": CAP})


@pytest.fixture
def many(capped):
    """12 body matches for 仿真, newest first; none has the word in its title."""
    capped.index(
        [
            make_document(
                kind="question", object_id=f"b{i}", title=f"环境问题 {i}",
                body="仿真 场景 回放", subdomain="autonomous-driving", days_ago=i,
            )
            for i in range(12)
        ]
    )  # fmt: skip


def _search(backend, text, **options):
    return backend.search(SearchRequest(parse(text), **options))


def test_prior_prefers_newer_and_more_voted_entries():
    now = timezone.now()
    assert prior(0, now) > prior(0, now - timedelta(days=400))
    assert prior(50, now) > prior(0, now)
    assert prior(-5, now) == prior(0, now)  # downvotes do not sink below zero votes
    assert prior(0, None) == 0.0


def test_prior_is_stored_when_indexing(backend, index_docs):
    index_docs(make_document(kind="question", object_id="p", title="t", score=9, days_ago=3))
    entry = SearchEntry.objects.get(object_id="p")
    assert entry.prior == pytest.approx(prior(9, entry.created_at))


def test_weight_restricted_tsquery():
    terms = analysis.query_terms("speech 自动驾驶")
    source = tsquery_source(terms, match_any=False, weights="AB")
    assert "'speech':AB" in source
    assert "'自动':AB" in source
    assert ":AB" not in tsquery_source(terms, match_any=False)


@pytest.mark.postgres
def test_below_the_cap_the_total_is_exact(many):
    result = _search(DatabaseBackend({"CANDIDATES": 50}), "仿真")
    assert result.total == 12
    assert not result.capped


@pytest.mark.postgres
def test_at_the_cap_total_and_facets_stop_and_say_so(capped, many):
    result = _search(capped, "仿真")
    assert result.capped
    assert result.total == CAP
    assert dict(result.facets["kind"]) == {"question": CAP}
    assert dict(result.facets["subdomain"]) == {"autonomous-driving": CAP}
    # Only candidates are ranked: the five newest (best prior) of the twelve.
    assert {h.document.object_id for h in result.hits} == {f"b{i}" for i in range(CAP)}
    assert not _search(capped, "仿真", with_facets=False).total > CAP


@pytest.mark.postgres
def test_an_old_unvoted_title_match_still_wins_when_capped(capped, many):
    capped.index(
        [
            make_document(
                kind="tutorial", object_id="old", title="仿真入门", body="基础",
                score=0, days_ago=2000,
            )
        ]
    )  # fmt: skip
    result = _search(capped, "仿真")
    assert result.capped
    assert result.hits[0].document.object_id == "old"


@pytest.mark.postgres
def test_newest_and_votes_sorts_are_exact_over_every_match(capped, many):
    capped.index(
        [
            make_document(
                kind="answer",
                object_id="voted",
                title="回答",
                body="仿真",
                score=100,
                days_ago=3000,
            )
        ]
    )
    by_votes = _search(capped, "仿真", sort="votes")
    assert by_votes.capped
    assert by_votes.hits[0].document.object_id == "voted"
    newest = _search(capped, "仿真", sort="newest", offset=0, limit=20)
    assert [h.document.object_id for h in newest.hits][:2] == ["b0", "b1"]
    assert len(newest.hits) == 13


@pytest.mark.postgres
def test_operator_only_queries_are_capped_too(capped, many):
    result = _search(capped, "is:question")
    assert result.capped and result.total == CAP
    assert _search(DatabaseBackend({}), "is:question").total == 12


@pytest.mark.postgres
def test_the_results_page_shows_a_capped_total_with_a_plus(client, many, settings):
    from search.backends import get_backend

    settings.SEARCH = {**settings.SEARCH, "BACKEND": "database", "CANDIDATES": CAP}
    get_backend.cache_clear()
    try:
        response = client.get("/search/", {"q": "仿真"}, HTTP_ACCEPT_LANGUAGE="en")
    finally:
        get_backend.cache_clear()
    content = response.content.decode()
    assert response.status_code == 200
    assert "5+" in content
    assert "12 results" not in content
