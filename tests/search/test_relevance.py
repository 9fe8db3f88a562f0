"""Relevance over a fixed judgement set (Chinese in both scripts, English, operators)."""

import pytest

from search.selectors import search_query
from tests.search.relevance import evaluate, judgements

P_AT_3 = 0.9
MRR = 0.8


def test_the_judgement_set_is_big_and_bilingual():
    items = judgements()
    assert len(items) >= 40
    chinese = [i for i in items if i["language"].startswith("zh")]
    english = [i for i in items if i["language"] == "en"]
    assert len(chinese) >= 20 and len(english) >= 20
    assert any(i["language"] == "zh-hant" for i in items)
    assert any("[" in i["query"] or ":" in i["query"] for i in items)


@pytest.mark.django_db
def test_database_backend_meets_the_relevance_bar(corpus):
    def run(text):
        return [hit.object_id for hit in search_query(text, with_facets=False).hits]

    evaluation = evaluate(run)
    report = "\n".join(f"{q!r}: expected {e}, got {f}" for q, e, f in evaluation.misses)
    assert evaluation.precision_at_3 >= P_AT_3, report
    assert evaluation.mrr >= MRR, report
