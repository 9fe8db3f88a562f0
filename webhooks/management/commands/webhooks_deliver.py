"""Send due webhook deliveries: once, or continuously with ``--loop``."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from webhooks.services import deliveries_prune, deliveries_send_due

PRUNE_EVERY = 3600  # seconds between clean-ups of old delivery logs in --loop mode


class Command(BaseCommand):
    help = (
        "POST due webhook deliveries to platforms' endpoints, retrying failures with "
        "exponential back-off, and delete finished deliveries older than WEBHOOK_LOG_DAYS. "
        "Run with --loop as a long-lived worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, polling for work.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between polls when idle (--loop)."
        )
        parser.add_argument(
            "--batch", type=int, default=50, help="Deliveries claimed per round (default 50)."
        )

    def handle(self, *args, loop: bool, interval: float, batch: int, **options):
        self._stop = False
        if loop:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
        totals = {"attempted": 0, "succeeded": 0, "retrying": 0, "failed": 0}
        self._prune()
        last_prune = time.monotonic()
        while True:
            if not connection.in_atomic_block:  # (tests run the command inside a transaction)
                close_old_connections()  # drop connections the database side has closed
            run = deliveries_send_due(limit=batch)
            for key in totals:
                totals[key] += getattr(run, key)
            if run.attempted:
                self.stdout.write(
                    f"attempted {run.attempted}: {run.succeeded} delivered, "
                    f"{run.retrying} to retry, {run.failed} failed"
                )
            if not loop:
                if run.attempted < batch:
                    break
                continue  # a full batch: there may be more due now
            if self._stop:
                break
            if time.monotonic() - last_prune > PRUNE_EVERY:
                self._prune()
                last_prune = time.monotonic()
            if run.attempted < batch:
                self._sleep(interval)
            if self._stop:
                break
        self.stdout.write(
            self.style.SUCCESS(
                f"done: {totals['attempted']} attempted, {totals['succeeded']} delivered, "
                f"{totals['retrying']} to retry, {totals['failed']} failed"
            )
        )

    def _prune(self) -> None:
        pruned = deliveries_prune()
        if pruned:
            self.stdout.write(f"deleted {pruned} old delivery log entries")

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def _request_stop(self, signum, frame) -> None:
        self._stop = True
