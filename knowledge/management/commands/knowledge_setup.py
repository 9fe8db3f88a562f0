"""Ensure the CMS set-up for every sub-domain and platform (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from knowledge.services import knowledge_setup


class Command(BaseCommand):
    help = (
        "Create what is missing: a page and tutorial index per sub-domain, a CMS group per "
        "platform (its staff, editing only their own sub-domain), and the moderator approval "
        "workflow on every sub-domain page. Safe to run again."
    )

    def handle(self, *args, **options):
        report = knowledge_setup()
        for line in report.created:
            self.stdout.write(f"  created {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Knowledge set-up ready ({len(report.created)} created).")
        )
