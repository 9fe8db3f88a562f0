"""Email each member a digest of unread notifications they have not been emailed about.

Run it from cron (e.g. daily). Kinds a member opted out of by email are skipped
but still stamped, so they are never emailed later.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import digest_send


class Command(BaseCommand):
    help = "Send the notification email digest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age-days",
            type=int,
            default=14,
            help="Ignore notifications older than this (default 14).",
        )

    def handle(self, *args, max_age_days, **options):
        since = timezone.now() - timedelta(days=max_age_days)
        sent = digest_send(since=since, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} digest email(s)."))
