"""Keep the zh-hans / zh-hant / en catalogues current.

manage.py translations update   extract strings, fill zh_Hant from zh_Hans (OpenCC), compile .mo
manage.py translations check    fail if a zh_Hans/zh_Hant string is untranslated or a .mo is stale
manage.py translations apply --component APP --file zh.json
                                set zh_Hans strings from {"English msgid": "简体中文"}, then update
"""

import json

from django.core.management.base import BaseCommand, CommandError

from core import translations


class Command(BaseCommand):
    help = "Update (extract, fill Traditional Chinese, compile) or check translation catalogues."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "check", "compile", "apply"])
        parser.add_argument(
            "--component", action="append", help="site or an app label; default all"
        )
        parser.add_argument(
            "--file", help="JSON object of English msgid -> Simplified Chinese (apply)"
        )

    def handle(self, *args, action, component, file=None, **options):
        if action == "apply":
            if not component or not file:
                raise CommandError("apply needs --component and --file")
            with open(file, encoding="utf-8") as handle:
                strings = json.load(handle)
            for comp in [c for c in translations.components() if c.name in component]:
                applied = translations.apply_simplified(comp, strings)
                self.stdout.write(f"{comp.name}: set {applied} zh_Hans strings")
            action = "update"
        selected = [c for c in translations.components() if not component or c.name in component]
        problems = 0
        for comp in selected:
            if action == "update":
                translations.extract(comp)
                translations.normalise_headers(comp)
                filled = translations.fill_traditional(comp)
                translations.compile_catalogues(comp)
                todo = translations.missing(comp, "zh_Hans")
                self.stdout.write(
                    f"{comp.name:10} zh_Hant filled {filled:3}  zh_Hans to translate {len(todo)}"
                )
                for msgid in todo:
                    self.stdout.write(f"    - {msgid[:90]!r}")
            elif action == "compile":
                translations.compile_catalogues(comp)
            else:
                for locale in ("zh_Hans", "zh_Hant"):
                    for msgid in translations.missing(comp, locale):
                        problems += 1
                        self.stdout.write(f"{comp.name}/{locale}: untranslated {msgid[:90]!r}")
                for mo in translations.stale_mo(comp):
                    problems += 1
                    self.stdout.write(f"stale or missing compiled catalogue: {mo}")
        if problems:
            raise CommandError(
                f"{problems} translation problem(s); run 'manage.py translations update'."
            )
