"""Tutorials are found once published, and never as drafts or after unpublishing."""

import pytest

from search.models import SearchEntry
from search.selectors import search_query
from tests.knowledge import conftest as knowledge_fixtures

pytestmark = pytest.mark.django_db

make_platform = knowledge_fixtures.make_platform
make_tutorial = knowledge_fixtures.make_tutorial
make_resource = knowledge_fixtures.make_resource
body = knowledge_fixtures.body


def _ids(text):
    return [(h.kind, h.object_id) for h in search_query(text).hits]


@pytest.fixture
def tutorial(make_platform, make_tutorial, make_resource, django_capture_on_commit_callbacks):
    platform = make_platform("baidu")
    resource = make_resource(platform, slug="apollo", versions=("9.0",))
    with django_capture_on_commit_callbacks(execute=True):
        return make_tutorial(
            platform.subdomain,
            title="自動駕駛仿真入門",
            blocks=[
                ("text", "<h2>場景編輯</h2><p>編輯仿真場景並回放。</p>"),
                ("resource", {"resource": resource.pk, "version": "9.0"}),
            ],
            tags=("仿真",),
        )


def test_a_published_tutorial_is_found(tutorial):
    key = ("tutorial", str(tutorial.pk))
    assert _ids("自动驾驶 回放") == [key]
    assert _ids("[仿真] is:tutorial resource:apollo@9.0") == [key]
    entry = SearchEntry.objects.get(kind="tutorial")
    assert entry.platform == "baidu" and entry.url.endswith(f"/{tutorial.slug}/")


def test_drafts_are_never_found(make_platform, make_tutorial, django_capture_on_commit_callbacks):
    platform = make_platform()
    with django_capture_on_commit_callbacks(execute=True):
        make_tutorial(platform.subdomain, title="草稿教程 draft", publish=False)
    assert _ids("草稿教程") == [] and _ids("draft") == []


def test_unpublishing_removes_it(tutorial, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tutorial.unpublish()
    assert _ids("仿真入门") == []
    assert not SearchEntry.objects.filter(kind="tutorial").exists()


def test_deleting_removes_it(tutorial, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tutorial.delete()
    assert not SearchEntry.objects.filter(kind="tutorial").exists()
