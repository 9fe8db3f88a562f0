"""Every question-list ordering is served by its own index (PostgreSQL plans)."""

from __future__ import annotations

import pytest
from django.db import connection

from community import selectors
from community.models import Tag

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("sort", "filters", "index"),
    [
        ("newest", {}, "question_newest_idx"),
        ("active", {}, "question_active_idx"),
        ("votes", {}, "question_votes_idx"),
        ("unanswered", {}, "question_unanswered_idx"),
        ("newest", {"subdomain": True}, "question_subdomain_idx"),
        ("newest", {"tag": True}, "questiontag_newest_idx"),
    ],
)
def test_list_ordering_uses_its_index(ask, subdomain, sort, filters, index):
    for _ in range(3):
        ask(subdomain=subdomain, tags=["indexed"])
    tag = Tag.objects.get(name="indexed")
    if filters.get("tag"):
        queryset = selectors.question_list_for_tag(tag=tag, sort=sort)
    else:
        queryset = selectors.question_list(
            sort=sort, subdomain=subdomain if filters.get("subdomain") else None
        )
    with connection.cursor() as cursor:
        # Tiny tables make sequential scans cheapest; forbid them to see which index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = queryset[:30].explain()
    assert index in plan, plan
