"""Rebuild reputation from votes and accepted answers; prove the incremental values right."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from community.services import reputation_recompute


class Command(BaseCommand):
    help = (
        "Recompute every member's reputation from scratch (votes and accepted answers) and "
        "rebuild the reputation ledger. With --check, only report differences."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with an error when any stored reputation differs.",
        )

    def handle(self, *args, check: bool = False, **options):
        self.stdout.write("Recomputing reputation from votes and accepted answers…")
        changes = reputation_recompute(apply=not check)
        names = dict(
            get_user_model().objects.filter(pk__in=list(changes)).values_list("pk", "username")
        )
        for user_id, (was, now) in sorted(changes.items()):
            self.stdout.write(f"  {names.get(user_id, user_id)}: {was} → {now}")
        if not changes:
            self.stdout.write(self.style.SUCCESS("Every stored reputation is correct."))
        elif check:
            raise CommandError(f"{len(changes)} member(s) have a wrong reputation.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Corrected {len(changes)} member(s)."))
