"""Print the health of every service and exit non-zero if one is down."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.health import check_all


class Command(BaseCommand):
    help = "Check database, cache, channel layer and search; exit 1 if any is down."

    def handle(self, *args, **options):
        results = check_all()
        for name, result in results.items():
            style = self.style.SUCCESS if result["ok"] else self.style.ERROR
            self.stdout.write(
                style(f"{name:14} {'ok' if result['ok'] else 'DOWN'}  {json.dumps(result)}")
            )
        if not all(r["ok"] for r in results.values()):
            raise CommandError("At least one service is down.")
