"""Counts per kind: in the database vs in the search index, plus the outbox."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Count, Max

from search import registry
from search.backends import get_backend
from search.models import SearchOutbox


class Command(BaseCommand):
    help = "Report, per kind, how many objects the database has and the search index holds."

    def handle(self, *args, **options):
        backend = get_backend()
        health = backend.health()
        self.stdout.write(
            f"Backend: {backend.name} ({'up' if health.ok else 'DOWN'}) {health.detail or ''}"
        )
        try:
            indexed = backend.counts() if health.ok else {}
        except Exception as error:
            self.stderr.write(f"Cannot read the index: {type(error).__name__}: {error}")
            indexed = {}
        pending = dict(SearchOutbox.objects.values_list("kind").annotate(n=Count("id")).order_by())
        self.stdout.write(f"{'kind':<16}{'database':>10}{'indexed':>10}{'pending':>10}")
        for name, kind in registry.kinds().items():
            in_db = kind.count()
            in_index = indexed.get(name, "?" if not health.ok else 0)
            self.stdout.write(f"{name:<16}{in_db:>10}{in_index!s:>10}{pending.get(name, 0):>10}")
        failing = SearchOutbox.objects.filter(attempts__gt=0).aggregate(
            n=Count("id"), attempts=Max("attempts")
        )
        if failing["n"]:
            last = SearchOutbox.objects.filter(attempts__gt=0).order_by("-attempts").first()
            self.stdout.write(
                self.style.WARNING(
                    f"{failing['n']} outbox rows are retrying (up to {failing['attempts']} "
                    f"attempts); last error: {last.last_error[:200]}"
                )
            )
