"""Award every badge the data says is earned and missing (after imports, new badges, repairs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from community.badges import badges_backfill


class Command(BaseCommand):
    help = (
        "Back-fill badge awards from the posts, votes and reputation already stored. "
        "Idempotent: members keep the awards they have; no notifications are sent."
    )

    def handle(self, *args, **options):
        self.stdout.write("Checking every badge against the stored data…")
        added = badges_backfill(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{added} award(s) added."))
