"""Remind registered members that a live session starts soon (run every few minutes)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from events.reminders import reminders_send


class Command(BaseCommand):
    help = "Notify and email members registered for live sessions starting within --within minutes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--within",
            type=int,
            default=60,
            help="Remind for sessions starting in the next N minutes (default 60).",
        )

    def handle(self, *args, **options):
        sent = reminders_send(within=timedelta(minutes=options["within"]), stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Reminded {sent} registrations."))
