from django.template import Context, Template
from django.test import RequestFactory

from core import slots


def test_render_slot_renders_registered_providers_in_order(tmp_path, settings):
    (tmp_path / "first.html").write_text("<p>first {{ value }}</p>")
    (tmp_path / "second.html").write_text("<p>second {{ thing }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    @slots.register_slot("test_slot", order=20)
    def second(request, *, thing, **kwargs):
        return "second.html", {}

    @slots.register_slot("test_slot", order=10)
    def first(request, *, thing, **kwargs):
        return "first.html", {"value": thing.upper()}

    @slots.register_slot("test_slot", order=30)
    def nothing(request, **kwargs):
        return None

    try:
        html = Template('{% load huiju %}{% render_slot "test_slot" thing="x<y" %}').render(
            Context({"request": RequestFactory().get("/")})
        )
    finally:
        slots._registry.pop("test_slot")
    assert html == "<p>first X&lt;Y</p><p>second </p>"
