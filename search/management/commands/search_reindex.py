"""Rebuild the search index from the database, one kind at a time, without downtime."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import registry
from search.backends import get_backend
from search.management.commands._progress import ProgressBar
from search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index: each kind goes into a new index (Elasticsearch: then the "
        "alias is swapped; database: one transaction), so searches keep working meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            help="Only this kind (repeatable). Default: every registered kind.",
        )

    def handle(self, *args, kinds=None, **options):
        known = registry.kinds()
        kinds = kinds or list(known)
        unknown = sorted(set(kinds) - set(known))
        if unknown:
            raise CommandError(
                f"Unknown kind(s): {', '.join(unknown)}. Known: {', '.join(known) or 'none'}"
            )
        backend = get_backend()
        self.stdout.write(f"Rebuilding {', '.join(kinds)} in the {backend.name} backend")
        total = 0
        for kind in kinds:
            bar = ProgressBar(self.stdout, known[kind].count(), kind)
            count = index_rebuild(kind=kind, backend=backend, progress=bar.update)
            seconds = bar.finish(count)
            total += count
            self.stdout.write(f"  {kind}: {count} documents in {seconds:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} documents."))
