"""Collaboration posts are searchable, and their search documents never carry contact details."""

import datetime

import pytest
from django.utils import timezone

from collaboration import services
from collaboration.searchables import CollaborationPostKind
from search.models import SearchEntry
from search.selectors import search_query

from .conftest import AUTHOR_CONTACTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed_post(founder, driving, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.post_create(
            author=founder,
            data={
                "kind": "seeking",
                "title": "寻找激光雷达感知合伙人",
                "description": "We need **lidar** perception for robotaxis.",
                "subdomain": driving,
                "stage": "prototype",
                "engagement": "cofounder",
                "expires_on": timezone.localdate() + datetime.timedelta(days=30),
                **AUTHOR_CONTACTS,
            },
            skills=["点云", "PyTorch"],
        )


def test_post_is_found_and_its_document_has_no_contacts(indexed_post):
    hits = search_query("lidar", {}).hits
    assert [(h.kind, h.object_id) for h in hits] == [("collaboration", str(indexed_post.pk))]
    document = CollaborationPostKind().to_document(indexed_post)
    stored = " ".join(str(value) for value in vars(document).values())
    stored += " ".join(str(v) for v in SearchEntry.objects.values_list().get())
    for secret in AUTHOR_CONTACTS.values():
        assert secret not in stored


def test_hidden_post_leaves_the_index(indexed_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        indexed_post.hidden_at = timezone.now()
        indexed_post.save()
    assert search_query("lidar", {}).hits == []
