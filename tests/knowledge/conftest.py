"""Fixtures for the knowledge app: sub-domains with platforms, resources and tutorials."""

from __future__ import annotations

import json
from itertools import count

import pytest

_n = count(1)


@pytest.fixture
def make_platform(db):
    from knowledge.models import Platform, Subdomain

    def make(slug: str | None = None) -> Platform:
        n = next(_n)
        slug = slug or f"platform-{n}"
        subdomain = Subdomain.objects.create(
            slug=f"sd-{slug}",
            name_zh_hans=f"领域{n}",
            name_zh_hant=f"領域{n}",
            name_en=f"Field {n}",
            description_en=f"Sub-domain {n}",
        )
        return Platform.objects.create(
            slug=slug,
            subdomain=subdomain,
            name_zh_hans=f"平台{n}",
            name_zh_hant=f"平臺{n}",
            name_en=f"Platform {n}",
            year_designated=2019,
        )

    return make


@pytest.fixture
def platform(make_platform):
    return make_platform("apollo-co")


@pytest.fixture
def make_resource(db):
    from knowledge.models import OpenResource, ResourceVersion

    def make(platform, *, versions=("1.0",), **fields) -> OpenResource:
        n = next(_n)
        defaults = {
            "slug": f"resource-{n}",
            "name": f"Resource {n}",
            "kind": OpenResource.Kind.DATASET,
            "summary_en": "An open dataset.",
            "licence": "Apache-2.0",
        }
        resource = OpenResource.objects.create(platform=platform, **{**defaults, **fields})
        for i, version in enumerate(versions):
            ResourceVersion.objects.create(resource=resource, version=version, sort_order=i)
        return resource

    return make


@pytest.fixture
def setup_pages(db):
    """Run knowledge_setup (pages, groups, workflow) for what exists now."""
    from knowledge.services import knowledge_setup

    def run():
        return knowledge_setup()

    return run


def body(*blocks) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


@pytest.fixture
def make_tutorial(db):
    """Create and publish a tutorial under the sub-domain's tutorial index."""
    from knowledge.models import SubdomainPage, TutorialIndexPage, TutorialPage
    from knowledge.services import subdomain_page_ensure

    def make(subdomain, *, title=None, blocks=None, publish=True, tags=(), **fields):
        page = SubdomainPage.objects.filter(subdomain=subdomain).first() or subdomain_page_ensure(
            subdomain=subdomain
        )
        index = TutorialIndexPage.objects.child_of(page).get()
        n = next(_n)
        tutorial = TutorialPage(
            title=title or f"Tutorial {n}",
            slug=f"tutorial-{n}",
            summary=fields.pop("summary", "Learn something useful."),
            body=body(*(blocks or [("text", "<h2>Start</h2><p>Hello world.</p>")])),
            live=publish,
            **fields,
        )
        index.add_child(instance=tutorial)
        if tags:
            tutorial.tags.add(*tags)
        revision = tutorial.save_revision()
        if publish:
            revision.publish()
            tutorial.refresh_from_db()
        return tutorial

    return make
