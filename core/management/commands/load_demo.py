"""Load demo data: the fifteen national platforms, users with roles, and sample content.

Idempotent: running it again updates what exists and creates nothing twice.
Each app contributes a ``<app>/demo.py`` with ``load(ctx)``; they run in order.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_PASSWORD, DemoContext

DEMO_MODULES = ["accounts.demo", "knowledge.demo", "community.demo", "events.demo", "search.demo"]
DEMO_MODULES += ["collaboration.demo"]  # after community, so Q&A tags exist


class Command(BaseCommand):
    help = "Create (or refresh) demo sub-domains, platforms, users and content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (demo accounts have a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG off; demo users share a published "
                "password. Use --force on a throw-away database."
            )
        ctx = DemoContext(stdout=self.stdout, style=self.style)
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name == module_name:
                    continue
                raise
            self.stdout.write(self.style.MIGRATE_HEADING(f"{module_name}"))
            with transaction.atomic():
                module.load(ctx)
            if hasattr(module, "after_commit"):
                module.after_commit(ctx)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: username 'admin', password '{DEMO_PASSWORD}' "
                f"(site {settings.SITE_URL}/ · CMS {settings.SITE_URL}/cms/ · "
                f"Django admin {settings.SITE_URL}/django-admin/)"
            )
        )
        self.stdout.write(
            f"Other demo users ({DEMO_PASSWORD}): "
            + ", ".join(f"{name} ({role})" for name, role in ctx.data.get("user_roles", []))
        )
