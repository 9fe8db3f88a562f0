"""Full rebuilds read each kind in batches with a bounded number of queries (no N+1)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import registry
from search.documents import to_source

pytestmark = pytest.mark.django_db

#: Queries one ``iter_documents`` batch may take, however many objects it holds.
PER_BATCH = 8


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_every_kind_reads_a_batch_in_bounded_queries_and_the_same_documents(demo):
    for name, adapter in registry.kinds().items():
        objects = adapter.count()
        assert objects >= 3, name  # the demo has several of each kind
        with CaptureQueriesContext(connection) as one_batch:
            documents = list(adapter.iter_documents(chunk_size=objects))
        assert documents, name
        # one batch of every object, then the empty page that ends the loop
        assert len(one_batch) <= PER_BATCH + 1, (name, [q["sql"] for q in one_batch])

        # small batches and the outbox's single-object path build the same documents
        rebuilt = {d.object_id: d for d in adapter.iter_documents(chunk_size=2)}
        single, gone = adapter.documents(list(rebuilt))
        assert not gone, name
        for document in single:
            expected = rebuilt[document.object_id]
            # tag order is the database's (unordered prefetch) in both paths
            document.tags, expected.tags = sorted(document.tags), sorted(expected.tags)
            assert vars(document) == vars(expected), name


def test_to_source_segments_the_folded_text():
    from search import text as analysis
    from tests.search.conftest import make_document

    document = make_document(
        kind="question",
        object_id="1",
        title="自動駕駛 Models",
        body="資料集 running",
        tags=["軟體"],
    )
    source = to_source(document)
    assert source["title"] == "自动驾驶 models"
    assert source["title_seg"] == analysis.segment("自動駕駛 Models")
    assert source["body_seg"] == analysis.segment("資料集 running")
    assert source["tags"] == ["软件"] and source["tags_seg"] == "软件"
