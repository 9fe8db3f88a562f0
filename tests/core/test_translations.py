"""Every catalogue is complete in both Chinese scripts and its compiled .mo is current."""

import pytest

from core import translations


@pytest.mark.parametrize("component", translations.components(), ids=lambda c: c.name)
def test_catalogue_is_complete_and_compiled(component):
    for locale in ("zh_Hans", "zh_Hant"):
        missing = translations.missing(component, locale)
        assert not missing, f"{component.name}/{locale} untranslated: {missing[:10]}"
    assert not translations.stale_mo(component), "run: manage.py translations update"


def test_traditional_is_derived_from_simplified_with_taiwan_phrasing():
    assert translations.to_traditional("软件开发者登录") == "軟體開發者登入"
