"""Indexing follows the database through the outbox, and survives a dead search service."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from search.backends.database import DatabaseBackend
from search.models import SearchEntry, SearchOutbox
from search.selectors import search_query
from search.services import outbox_drain, outbox_enqueue, retry_delay

pytestmark = pytest.mark.django_db

DEAD_ES = {
    "BACKEND": "elasticsearch",
    "ELASTICSEARCH_URL": "http://127.0.0.1:9",  # discard port: nothing listens
    "INDEX_PREFIX": "huiju-test",
    "TIMEOUT": 1,
    "DRAIN_ON_COMMIT": True,
}


def _ids(text: str, **filters) -> list[str]:
    return [hit.object_id for hit in search_query(text, filters).hits]


def test_a_saved_resource_is_searchable_after_commit(make_resource):
    resource = make_resource()
    assert not SearchOutbox.objects.exists()  # drained right after the commit
    entry = SearchEntry.objects.get(kind="resource", object_id=str(resource.pk))
    assert entry.tags == ["apollo"]
    assert entry.resources == ["apollo", "apollo@9.0"]
    assert entry.platform == "baidu" and entry.subdomain == "autonomous-driving"
    assert _ids("自動駕駛 仿真") == [str(resource.pk)]


def test_the_outbox_row_is_written_in_the_same_transaction(platform, settings):
    from knowledge.models import OpenResource

    settings.SEARCH = {**settings.SEARCH, "DRAIN_ON_COMMIT": False}
    resource = OpenResource.objects.create(platform=platform, slug="x", name="X", kind="api")
    row = SearchOutbox.objects.get()
    assert (row.kind, row.object_id, row.op) == ("resource", str(resource.pk), "upsert")
    resource.name = "Y"
    resource.save()
    assert SearchOutbox.objects.count() == 1  # edits of one object coalesce
    call_command("search_drain", stdout=_Capture())
    assert not SearchOutbox.objects.exists()
    assert SearchEntry.objects.get().title == "Y"


def test_deleting_removes_from_results(make_resource, django_capture_on_commit_callbacks):
    resource = make_resource()
    with django_capture_on_commit_callbacks(execute=True):
        resource.delete()
    assert not SearchEntry.objects.exists()
    assert _ids("apollo") == []


def test_tag_and_version_changes_reindex(make_resource, django_capture_on_commit_callbacks):
    from knowledge.models import ResourceVersion

    resource = make_resource()
    with django_capture_on_commit_callbacks(execute=True):
        resource.tags.add("仿真")
        resource.save()
        ResourceVersion.objects.create(resource=resource, version="10.0")
    assert _ids("", tag="仿真") == [str(resource.pk)]
    assert _ids("resource:apollo@10.0") == [str(resource.pk)]


def test_renaming_the_platform_reindexes_its_resources(
    make_resource, platform, django_capture_on_commit_callbacks
):
    resource = make_resource(summary_zh_hans="", summary_en="")
    with django_capture_on_commit_callbacks(execute=True):
        platform.name_en = "Baidu Apollo Team"
        platform.save()
    assert _ids("team") == [str(resource.pk)]


def test_a_dead_elasticsearch_never_fails_a_write_and_loses_nothing(
    platform, settings, django_capture_on_commit_callbacks
):
    from knowledge.models import OpenResource

    settings.SEARCH = DEAD_ES
    with django_capture_on_commit_callbacks(execute=True):
        resource = OpenResource.objects.create(
            platform=platform, slug="apollo", name="Apollo", kind="toolkit"
        )
    assert OpenResource.objects.filter(pk=resource.pk).exists()  # the write succeeded
    row = SearchOutbox.objects.get()
    assert row.attempts == 1 and row.last_error
    assert row.next_attempt_at > timezone.now()

    # A worker run while it is still down keeps the row and backs off further.
    report = outbox_drain(now=row.next_attempt_at + timedelta(seconds=1))
    assert report.failed == 1
    row.refresh_from_db()
    assert row.attempts == 2

    # The service returns: the next drain catches up.
    report = outbox_drain(
        backend=DatabaseBackend({}), now=row.next_attempt_at + timedelta(seconds=1)
    )
    assert report.indexed == 1
    assert not SearchOutbox.objects.exists()
    assert SearchEntry.objects.filter(object_id=str(resource.pk)).exists()


def test_rows_wait_for_their_next_attempt(platform, settings):
    settings.SEARCH = {**settings.SEARCH, "DRAIN_ON_COMMIT": False}
    outbox_enqueue(items=[("resource", "1", "upsert")])
    SearchOutbox.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert outbox_drain().processed == 0
    assert SearchOutbox.objects.count() == 1


def test_retry_delay_grows_exponentially_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_delay(40) == timedelta(hours=1)


def test_rows_of_an_unknown_kind_are_removed_from_the_index(backend, settings):
    from tests.search.conftest import make_document

    settings.SEARCH = {**settings.SEARCH, "DRAIN_ON_COMMIT": False}
    backend.index([make_document(kind="gone", object_id="7", title="old")])
    outbox_enqueue(items=[("gone", "7", "upsert")])
    report = outbox_drain()
    assert report.deleted == 1
    assert not SearchEntry.objects.exists() and not SearchOutbox.objects.exists()


def test_reindex_picks_up_rows_written_without_signals(platform):
    from knowledge.models import OpenResource

    OpenResource.objects.bulk_create(
        [
            OpenResource(platform=platform, slug=f"r{i}", name=f"Resource {i}", kind="api")
            for i in range(3)
        ]
    )
    assert not SearchEntry.objects.exists()
    out = _Capture()
    call_command("search_reindex", "--kind", "resource", stdout=out)
    assert SearchEntry.objects.count() == 3
    assert "resource: 3 documents" in out.text and "3/3" in out.text
    call_command("search_status", stdout=(status := _Capture()))
    assert "resource" in status.text and "3" in status.text


def test_reindex_rejects_an_unknown_kind():
    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("search_reindex", "--kind", "nope")


def test_status_reports_a_dead_backend(settings, platform):
    settings.SEARCH = DEAD_ES
    outbox_enqueue(items=[("resource", "1", "upsert")])
    call_command("search_status", stdout=(out := _Capture()))
    assert "DOWN" in out.text


@override_settings()
def test_drain_command_reports_counts(make_resource, settings):
    settings.SEARCH = {**settings.SEARCH, "DRAIN_ON_COMMIT": False}
    make_resource()
    call_command("search_drain", stdout=(out := _Capture()))
    assert "indexed 1" in out.text and "0 waiting" in out.text


class _Capture:
    def __init__(self):
        self.text = ""

    def write(self, message="", ending="\n"):
        self.text += message + ending

    def flush(self):
        pass
