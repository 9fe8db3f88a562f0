"""Translation catalogues: one per app (``<app>/locale``) plus ``locale/`` for site templates.

Source strings are English. ``zh_Hans`` is translated by hand; ``zh_Hant`` is
filled from it with OpenCC (s2twp: Taiwan standard with phrase conversion) where
no hand translation exists; ``en`` needs none. ``.mo`` files are compiled with
polib and committed, so a fresh checkout needs no gettext tools to run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

LOCALES = ["zh_Hans", "zh_Hant", "en"]
PROJECT_APPS = [
    "core",
    "accounts",
    "knowledge",
    "community",
    "search",
    "events",
    "notifications",
    "api",
    "collaboration",
    "webhooks",
]


@dataclass(frozen=True)
class Component:
    name: str
    source_dir: Path
    locale_dir: Path


def components() -> list[Component]:
    root = Path(settings.BASE_DIR)
    found = [Component("site", root, root / "locale")]
    found += [Component(app, root / app, root / app / "locale") for app in PROJECT_APPS]
    return found


def po_path(component: Component, locale: str) -> Path:
    return component.locale_dir / locale / "LC_MESSAGES" / "django.po"


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2twp")


def to_traditional(text: str) -> str:
    return _converter().convert(text)


@contextlib.contextmanager
def _chdir(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def extract(component: Component) -> None:
    """Run makemessages so the component's strings land in its own catalogue."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    for locale in LOCALES:
        (component.locale_dir / locale / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    ignore = [
        ".venv/*",
        "var/*",
        "staticfiles/*",
        "tests/*",
        "bench/*",
        "node_modules/*",
        "locale/*",
    ]
    if component.name == "site":
        ignore += [f"{app}/*" for app in PROJECT_APPS]
        locale_paths = [str(component.locale_dir)]
    else:
        locale_paths = []
    with _chdir(component.source_dir), override_settings(LOCALE_PATHS=locale_paths):
        call_command(
            "makemessages",
            locale=LOCALES,
            extensions=["html", "txt", "py"],
            ignore_patterns=ignore,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )


def fill_traditional(component: Component) -> int:
    """Fill empty or fuzzy zh_Hant entries from zh_Hans; returns how many were filled."""
    import polib

    hans_path, hant_path = po_path(component, "zh_Hans"), po_path(component, "zh_Hant")
    if not hans_path.exists() or not hant_path.exists():
        return 0
    hans = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(hans_path)) if not e.obsolete}
    hant = polib.pofile(str(hant_path))
    filled = 0
    for entry in hant:
        source = hans.get((entry.msgctxt, entry.msgid))
        if source is None or "fuzzy" in source.flags or not source.translated():
            continue
        if entry.translated() and "fuzzy" not in entry.flags:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {k: to_traditional(v) for k, v in source.msgstr_plural.items()}
        else:
            entry.msgstr = to_traditional(source.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    hant.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    hant.metadata["Language"] = "zh_Hant"
    hant.save()
    return filled


def normalise_headers(component: Component) -> None:
    import polib

    plural = {
        "zh_Hans": "nplurals=1; plural=0;",
        "zh_Hant": "nplurals=1; plural=0;",
        "en": "nplurals=2; plural=(n != 1);",
    }
    for locale in LOCALES:
        path = po_path(component, locale)
        if path.exists():
            catalogue = polib.pofile(str(path))
            catalogue.metadata["Plural-Forms"] = plural[locale]
            catalogue.metadata["Language"] = locale
            catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
            catalogue.save()


def compile_catalogues(component: Component) -> None:
    import polib

    for locale in LOCALES:
        path = po_path(component, locale)
        if path.exists():
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def missing(component: Component, locale: str) -> list[str]:
    """msgids still untranslated (or fuzzy) in ``locale``; English needs none."""
    import polib

    path = po_path(component, locale)
    if locale == "en" or not path.exists():
        return []
    catalogue = polib.pofile(str(path))
    return [
        e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]


def stale_mo(component: Component) -> list[Path]:
    """Catalogues whose committed .mo does not match their .po."""
    import polib

    stale = []
    for locale in LOCALES:
        path = po_path(component, locale)
        if not path.exists():
            continue
        mo = path.with_suffix(".mo")
        if not mo.exists():
            stale.append(mo)
            continue
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo))
        }
        expected = {
            (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
            for e in polib.pofile(str(path))
            if e.translated() and "fuzzy" not in e.flags and not e.obsolete
        }
        expected = {k: v for k, v in expected.items() if k[1]}
        compiled = {k: v for k, v in compiled.items() if k[1]}
        if compiled != expected:
            stale.append(mo)
    return stale


def apply_simplified(component: Component, strings: dict[str, str]) -> int:
    """Set zh_Hans translations from ``{msgid: msgstr}``; plural entries get the one Chinese form."""
    import polib

    path = po_path(component, "zh_Hans")
    catalogue = polib.pofile(str(path))
    applied = 0
    for entry in catalogue:
        if entry.msgid in strings:
            text = strings[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            applied += 1
    catalogue.save()
    return applied
