"""Apply queued search-index updates; with --loop, keep doing so (the search worker)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from search.models import SearchOutbox
from search.services import outbox_drain


class Command(BaseCommand):
    help = "Apply pending search-index updates from the outbox, retrying failures with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running (a worker).")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds to wait when idle (with --loop)."
        )
        parser.add_argument("--batch", type=int, default=500, help="Rows per batch.")

    def handle(self, *args, loop=False, interval=2.0, batch=500, **options):
        self.stopping = False
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        totals = {"indexed": 0, "deleted": 0, "failed": 0}
        while True:
            if loop:
                close_old_connections()  # a long-running worker must not keep a dead connection
            report = outbox_drain(limit=batch)
            for key in totals:
                totals[key] += getattr(report, key)
            if report.processed:
                self.stdout.write(
                    f"indexed {report.indexed}, removed {report.deleted}, failed {report.failed}"
                    + (f" ({report.errors[0]})" if report.errors else "")
                )
            if self.stopping:
                break
            if not loop:
                if report.processed and report.failed < report.processed:
                    continue  # more may be due
                break
            if not report.processed or report.failed == report.processed:
                time.sleep(interval)
        waiting = SearchOutbox.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: indexed {totals['indexed']}, removed {totals['deleted']}, "
                f"failed {totals['failed']}; {waiting} waiting in the outbox."
            )
        )

    def _stop(self, *args):
        self.stopping = True
