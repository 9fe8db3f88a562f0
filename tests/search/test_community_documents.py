"""Community documents built in batches equal those built one object at a time from the ORM.

``prepare`` loads a batch's URLs and related rows at once and the text comes from the
stored ``body_html``; :func:`reference` is the straightforward per-object build they stand
in for (``get_absolute_url``, ``markdown_to_text`` of the source, related managers).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from community.models import Answer, Article, Question, QuestionResource
from core.markdown import markdown_to_text
from search import registry
from search.registry import SearchDocument

pytestmark = pytest.mark.django_db

BODY = (
    "## 感知 Perception\n\n自动驾驶的 **激光雷达** 与 `camera` 融合，见 [文档](https://e.com/a?b=1&c=2)。"
    "\n\n```python\nif x < 1 and y > 2:\n    print('<b>&amp;</b>')\n```\n\n"
    "| 型號 | 價格 |\n|---|--:|\n| Orin | 1,999 |\n\n- ~~旧~~ 新\n"
)


def _titled(post: Question | Article) -> dict:
    subdomain = post.subdomain
    platforms = list(subdomain.platforms.all()) if subdomain else []
    names = [subdomain.name_zh_hans, subdomain.name_en] if subdomain else []
    links = list(post.resource_links.order_by("pk"))
    names += [link.resource.name for link in links]
    resources = []
    for link in links:
        resources.append(link.resource.slug)
        if link.version is not None:
            resources.append(f"{link.resource.slug}@{link.version.version}")
    return {
        "tags": [tag.name for tag in post.tags.all()],
        "subdomain": subdomain.slug if subdomain else "",
        "platform": platforms[0].slug if platforms else "",
        "resources": resources,
        "context": " · ".join(n for n in names if n),
    }


def reference(kind: str, obj) -> SearchDocument | None:
    """The document of ``obj`` built the plain way, one object and its managers at a time."""
    question = obj.question if kind == "answer" else obj
    if obj.is_deleted or question.is_deleted:
        return None
    shared = _titled(question)
    context = shared.pop("context")
    with translation.override(settings.LANGUAGE_CODE):
        url = obj.get_absolute_url()
    fields = {
        "kind": kind,
        "object_id": str(obj.pk),
        "url": url,
        "title": question.title,
        "body": f"{markdown_to_text(obj.body)}\n{context}".strip(),
        "author": obj.author.username if obj.author else "",
        "score": obj.score,
        "created_at": obj.created_at,
        **shared,
    }
    if kind == "answer":
        fields.update(
            answered=True,
            accepted=obj.is_accepted,
            updated_at=obj.edited_at or obj.created_at,
        )
    else:
        fields["updated_at"] = obj.updated_at
        if kind == "question":
            fields["answered"] = obj.answer_count > 0
            fields["accepted"] = obj.accepted_answer_id is not None
    return SearchDocument(**fields)


@pytest.fixture
def posts(settings, make_user, make_resource):
    """The demo's threads and articles, plus posts that stress each part of a document."""
    from community import services
    from knowledge.models import Platform, Subdomain

    settings.DEBUG = True  # load_demo refuses otherwise
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    author, other = make_user("writer", reputation=500), make_user("other", reputation=500)
    apollo = make_resource(slug="fusion-kit", name="Fusion 开放平台")
    carla = make_resource(slug="sim-kit", name="SimKit 仿真", tags=("sim",), versions=())
    # listed before the sub-domain's first platform (ordering is by slug, not by id)
    Platform.objects.create(
        slug="a-later",
        subdomain=apollo.platform.subdomain,
        name_zh_hans="后来",
        name_zh_hant="後來",
        name_en="Later",
        year_designated=2020,
    )
    second = Subdomain.objects.create(
        slug="smart-voice", name_zh_hans="智能语音", name_zh_hant="智能語音", name_en=""
    )
    question = services.question_ask(
        author=author,
        title="激光雷达与相机如何融合？",
        body=BODY,
        tags=["lidar", "融合", "camera"],
        subdomain=apollo.platform.subdomain,
        resources=[(carla, None), (apollo, apollo.versions.get())],
        enforce_limits=False,
    )
    answer = services.answer_create(
        question=question, author=other, body=BODY + "\n\n回答。", enforce_limits=False
    )
    services.answer_accept(answer=answer, user=author)
    # Rows written outside the services, without body_html: the text falls back to Markdown.
    bare = Question.objects.create(author=None, title="No HTML", body=BODY, subdomain=second)
    Answer.objects.create(question=bare, author=author, body="**粗体** `code` <x>")
    QuestionResource.objects.create(question=bare, resource=apollo)
    Question.objects.create(author=author, title="Deleted", body="x", is_deleted=True)


def _objects(kind):
    return registry.kinds()[kind].get_queryset().model._default_manager.order_by("pk")


@pytest.mark.parametrize("kind", ["question", "answer", "article"])
def test_batched_documents_equal_the_plain_per_object_build(posts, kind):
    adapter = registry.kinds()[kind]
    expected = {}
    for obj in _objects(kind):
        document = reference(kind, obj)
        if document is not None:
            expected[document.object_id] = vars(document)
    assert len(expected) >= 3
    for chunk_size in (1, 3, 500):
        with translation.override("en"):  # URLs stay in the default language, unprefixed
            documents = adapter.iter_documents(chunk_size=chunk_size)
            built = {d.object_id: vars(d) for d in documents}
        assert built == expected, chunk_size


def test_the_outbox_path_builds_the_same_documents(posts):
    for kind in ("question", "answer", "article"):
        adapter = registry.kinds()[kind]
        ids = list(_objects(kind).values_list("pk", flat=True))
        found, gone = adapter.documents(ids)
        assert {d.object_id: vars(d) for d in found} == {
            d.object_id: vars(d) for d in adapter.iter_documents()
        }
        assert all(reference(kind, obj) is None for obj in _objects(kind).filter(pk__in=gone))


def test_posts_exercise_links_versions_fallback_and_urls(posts):
    """The fixture covers what the comparison above is meant to check."""
    documents = {d.object_id: d for d in registry.kinds()["question"].iter_documents()}
    asked = documents[str(Question.objects.get(title="激光雷达与相机如何融合？").pk)]
    assert asked.resources == ["sim-kit", "fusion-kit", "fusion-kit@9.0"]  # links in pk order
    assert asked.platform == "a-later"
    assert asked.body.endswith("自动驾驶 · Autonomous driving · SimKit 仿真 · Fusion 开放平台")
    assert "if x < 1 and y > 2: print('<b>&amp;</b>')" in asked.body
    assert "[" not in asked.body and "**" not in asked.body
    bare = Question.objects.get(title="No HTML")
    assert bare.body_html == "" and documents[str(bare.pk)].body.startswith("感知 Perception")
    assert asked.url == f"/questions/{asked.object_id}/"
    answers = registry.kinds()["answer"].iter_documents()
    assert all(d.url.startswith("/questions/") and "#answer-" in d.url for d in answers)


def test_urls_fall_back_to_reverse_per_object_when_they_need_more_than_ids(posts, monkeypatch):
    from django.urls import reverse

    def with_title(question):
        return reverse("community:question_detail", kwargs={"pk": question.pk}) + question.title

    monkeypatch.setattr(Question, "get_absolute_url", with_title)
    documents = list(registry.kinds()["question"].iter_documents(chunk_size=4))
    assert len(documents) > 4
    for document in documents:
        assert document.url == f"/questions/{document.object_id}/{document.title}"


@pytest.mark.parametrize("kind", ["question", "answer", "article"])
def test_a_batch_reads_no_column_or_row_per_object(posts, kind):
    """Rows, tags, resource links, platforms: four queries, with ``only()`` deferring nothing used."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    adapter = registry.kinds()[kind]
    with CaptureQueriesContext(connection) as queries:
        documents = list(adapter.iter_documents(chunk_size=10_000))
    assert len(documents) >= 3
    assert len(queries) == 4 + 1, [q["sql"] for q in queries]  # + the empty page that ends it
