"""Fixtures for search tests: a backend, documents indexed straight into it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from search.registry import SearchDocument

CORPUS = Path(__file__).with_name("relevance_corpus.json")


def make_document(**fields) -> SearchDocument:
    days = fields.pop("days_ago", 30)
    fields.setdefault("url", f"/x/{fields['kind']}/{fields['object_id']}/")
    created = timezone.now() - timedelta(days=days)
    return SearchDocument(created_at=created, updated_at=created, **fields)


def corpus_documents() -> list[SearchDocument]:
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [
        make_document(**{**doc, "object_id": str(doc["object_id"])}) for doc in data["documents"]
    ]


@pytest.fixture
def backend(db):
    from search.backends.database import DatabaseBackend

    return DatabaseBackend({})


@pytest.fixture
def index_docs(backend):
    def index(*documents: SearchDocument) -> None:
        backend.index(list(documents))

    return index


@pytest.fixture
def corpus(backend):
    documents = corpus_documents()
    backend.index(documents)
    return documents


@pytest.fixture
def platform(db):
    from knowledge.models import Platform, Subdomain

    driving = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )
    return Platform.objects.create(
        slug="baidu",
        subdomain=driving,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )


@pytest.fixture
def make_resource(platform, django_capture_on_commit_callbacks):
    """Create an open resource the way the CMS does, running on-commit hooks."""
    from knowledge.models import OpenResource, ResourceVersion

    def make(slug="apollo", name="Apollo 开放平台", tags=("apollo",), versions=("9.0",), **fields):
        fields.setdefault("summary_zh_hans", "自动驾驶开放平台，包含感知、规划与仿真模块。")
        fields.setdefault("summary_en", "Open autonomous driving platform with simulation.")
        with django_capture_on_commit_callbacks(execute=True):
            resource = OpenResource(
                platform=platform, slug=slug, name=name, kind="toolkit", **fields
            )
            resource.save()
            resource.tags.add(*tags)
            resource.save()
            for version in versions:
                ResourceVersion.objects.create(resource=resource, version=version)
        return resource

    return make
