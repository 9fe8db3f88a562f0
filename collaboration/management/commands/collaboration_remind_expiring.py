"""Remind authors of open collaboration posts that expire within a few days (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from collaboration.services import posts_remind_expiring


class Command(BaseCommand):
    help = "Notify authors whose open collaboration posts expire soon (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Look this many days ahead.")

    def handle(self, *args, days: int, **options):
        sent = posts_remind_expiring(days=days)
        self.stdout.write(self.style.SUCCESS(f"Reminded {sent} authors of expiring posts."))
