"""Public knowledge pages: sub-domain landing, resource, tutorial listing and tutorial pages."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from knowledge.models import TutorialResource, TutorialSeries, reading_minutes
from knowledge.services import subdomain_page_ensure, tutorial_links_sync

pytestmark = pytest.mark.django_db


def en(url: str) -> str:
    """The English address of a path (page URLs follow whatever language was last active)."""
    return url if url.startswith("/en/") else f"/en{url}"


LONG_TEXT = "<h2>安装</h2><p>" + "字" * 900 + "</p><h3>检查</h3><p>ok</p><h2>安装</h2><p>again</p>"


def test_reading_minutes_counts_chinese_characters_and_english_words():
    assert reading_minutes("") == 1
    assert reading_minutes("字" * 900) == 3
    assert reading_minutes("word " * 400) == 2


def test_tutorial_knows_its_subdomain_reading_time_and_toc(platform, make_tutorial):
    tutorial = make_tutorial(platform.subdomain, blocks=[("text", LONG_TEXT)])
    assert tutorial.subdomain == platform.subdomain
    assert tutorial.reading_minutes == 4  # 900 CJK + a few words
    items, toc = tutorial.body_with_toc()
    assert [(t["level"], t["text"], t["id"]) for t in toc] == [
        (2, "安装", "安装"),
        (3, "检查", "检查"),
        (2, "安装", "安装-2"),
    ]
    assert '<h2 id="安装-2">' in items[0]["html"]


def test_publishing_stores_resource_links_and_unpublishing_clears_them(
    platform, make_resource, make_tutorial
):
    one, two = make_resource(platform), make_resource(platform)
    tutorial = make_tutorial(
        platform.subdomain,
        blocks=[
            ("resource", {"resource": one.pk, "version": "1.0", "note": ""}),
            ("resource", {"resource": two.pk, "version": "", "note": ""}),
            ("resource", {"resource": one.pk, "version": "2.0", "note": ""}),
        ],
    )
    links = {
        (link.resource_id, link.version)
        for link in TutorialResource.objects.filter(tutorial=tutorial)
    }
    assert links == {(one.pk, "1.0"), (two.pk, "")}
    tutorial.unpublish()
    assert not TutorialResource.objects.filter(tutorial=tutorial).exists()
    tutorial.refresh_from_db()
    assert tutorial_links_sync(tutorial=tutorial) == []


def test_subdomain_landing_shows_platform_staff_resources_by_kind_and_tutorials(
    client, platform, make_user, make_resource, make_tutorial
):
    staff = make_user("apollo_engineer")
    platform.staff.add(staff)
    make_resource(platform, name="Road dataset", kind="dataset")
    make_resource(platform, name="Planner SDK", kind="sdk")
    make_tutorial(platform.subdomain, title="Drive in simulation")
    body = client.get(f"/en/d/{platform.subdomain.slug}/").content.decode()
    assert "Platform 1" in body or platform.name_en in body
    assert "apollo_engineer" in body and "Verified" in body
    assert (
        body.index("Dataset")
        < body.index("Road dataset")
        < body.index("SDK")
        < body.index("Planner SDK")
    )
    assert "Drive in simulation" in body
    assert f"/d/{platform.subdomain.slug}/feed/" in body
    assert 'property="og:title"' in body


def test_subdomain_landing_empty_states(client, platform):
    body = client.get(f"/en/d/{platform.subdomain.slug}/").content.decode()
    assert "has not listed any open resources yet" in body
    assert "No tutorials yet." in body
    assert client.get("/en/d/no-such-field/").status_code == 404


def test_subdomain_page_serves_the_same_landing(client, platform):
    page = subdomain_page_ensure(subdomain=platform.subdomain)
    response = client.get(en(page.url))
    assert response.status_code == 200
    canonical = f'rel="canonical" href="http://testserver/en/d/{platform.subdomain.slug}/"'
    assert canonical in response.content.decode()


def test_resource_page_lists_versions_licence_links_and_tutorials(
    client, platform, make_resource, make_tutorial
):
    resource = make_resource(
        platform,
        versions=("1.0", "2.0"),
        url="https://example.com/r",
        docs_url="https://docs.example.com/",
    )
    make_tutorial(
        platform.subdomain,
        title="Use it",
        blocks=[("resource", {"resource": resource.pk, "version": "2.0", "note": ""})],
    )
    make_tutorial(
        platform.subdomain,
        title="Draft use",
        publish=False,
        blocks=[("resource", {"resource": resource.pk, "version": "", "note": ""})],
    )
    body = client.get(en(resource.get_absolute_url())).content.decode()
    assert "Apache-2.0" in body and "https://docs.example.com/" in body
    assert "1.0" in body and "2.0" in body
    assert "Use it" in body and "Draft use" not in body
    with translation.override("en"):
        try:
            ask = reverse("community:ask")
        except NoReverseMatch:  # the community app's ask form is not installed
            ask = None
    if ask:
        assert f'href="{ask}?resource={resource.slug}&amp;version=2.0"' in body
    else:
        assert "?resource=" not in body


def test_ask_action_carries_resource_and_version(client, platform, make_resource, monkeypatch):
    from knowledge import views

    monkeypatch.setattr(views, "_reverse_or_none", lambda name: "/questions/ask/")
    resource = make_resource(platform, slug="apollo", versions=("8.0", "9.0"))
    body = client.get("/en/resources/apollo/?version=8.0").content.decode()
    assert 'href="/questions/ask/?resource=apollo&amp;version=8.0"' in body
    body = client.get("/en/resources/apollo/").content.decode()
    assert "version=" in body and "Ask about this resource" in body
    assert resource.versions.count() == 2


def test_tutorial_page_shows_facts_toc_og_and_series_navigation(client, platform, make_tutorial):
    series = TutorialSeries.objects.create(
        slug="basics", title="Basics", subdomain=platform.subdomain
    )
    first = make_tutorial(
        platform.subdomain,
        title="Part one",
        series=series,
        series_order=1,
        blocks=[("text", LONG_TEXT)],
        tags=["python"],
        level="intermediate",
        estimated_minutes=42,
        prerequisites="Python 3\nDocker",
    )
    second = make_tutorial(platform.subdomain, title="Part two", series=series, series_order=2)
    body = client.get(en(first.url)).content.decode()
    assert "Intermediate" in body and "42 minutes" in body and "4 minutes" in body
    assert "Last updated" in body
    assert '<a href="#安装-2">' in body
    assert "<li>Python 3</li><li>Docker</li>" in body
    assert 'property="og:type" content="article"' in body
    assert f'property="og:url" content="http://testserver{en(first.url)}"' in body
    assert 'property="article:tag" content="python"' in body
    assert 'rel="next"' in body and "Part two" in body
    body = client.get(en(second.url)).content.decode()
    assert 'rel="prev"' in body and "Part one" in body and 'rel="next"' not in body


def test_tutorial_listing_filters_by_level_tag_and_subdomain(client, make_platform, make_tutorial):
    a, b = make_platform(), make_platform()
    make_tutorial(a.subdomain, title="Easy one", level="beginner", tags=["asr"])
    make_tutorial(a.subdomain, title="Hard one", level="advanced")
    make_tutorial(b.subdomain, title="Other field", level="beginner")
    make_tutorial(b.subdomain, title="Unpublished", publish=False)
    body = client.get("/en/tutorials/").content.decode()
    assert all(t in body for t in ("Easy one", "Hard one", "Other field"))
    assert "Unpublished" not in body
    body = client.get("/en/tutorials/", {"level": "beginner"}).content.decode()
    assert "Easy one" in body and "Other field" in body and "Hard one" not in body
    body = client.get("/en/tutorials/", {"tag": "asr"}).content.decode()
    assert "Easy one" in body and "Other field" not in body
    body = client.get("/en/tutorials/", {"subdomain": b.subdomain.slug}).content.decode()
    assert "Other field" in body and "Easy one" not in body
    body = client.get("/en/tutorials/", {"level": "bogus", "tag": "nothing"}).content.decode()
    assert "No tutorials match these filters." in body


def test_tutorial_index_page_lists_only_its_subdomain(client, make_platform, make_tutorial):
    a, b = make_platform(), make_platform()
    mine = make_tutorial(a.subdomain, title="Mine")
    make_tutorial(b.subdomain, title="Theirs")
    body = client.get(en(mine.get_parent().url)).content.decode()
    assert "Mine" in body and "Theirs" not in body


def test_atom_feed_lists_live_tutorials_of_the_subdomain(client, make_platform, make_tutorial):
    a, b = make_platform(), make_platform()
    make_tutorial(a.subdomain, title="Feed me", summary="A <b>bold</b> summary", tags=["asr"])
    make_tutorial(a.subdomain, title="Not yet", publish=False)
    make_tutorial(b.subdomain, title="Elsewhere")
    response = client.get(f"/en/d/{a.subdomain.slug}/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Feed me</title>" in body and "Not yet" not in body and "Elsewhere" not in body
    assert 'term="asr"' in body
    assert "example.com" not in body
    assert f'href="http://testserver/en/d/{a.subdomain.slug}/"' in body
    assert 'href="http://testserver/en/sd-' in body  # entry links are absolute
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert client.get("/en/d/nothing/feed/").status_code == 404


def test_sitemap_lists_pages_subdomains_and_resources(
    client, platform, make_resource, make_tutorial
):
    resource = make_resource(platform, slug="road-data")
    tutorial = make_tutorial(platform.subdomain, title="Mapped")
    make_tutorial(platform.subdomain, title="Hidden", publish=False)
    with translation.override("zh-hans"):
        tutorial_url = tutorial.url
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{tutorial_url}</loc>" in body  # page URLs use the Wagtail site's host
    assert "http://testserver/resources/road-data/" in body
    assert "http://testserver/en/resources/road-data/" in body  # language alternates
    assert f"http://testserver/d/{platform.subdomain.slug}/" in body
    assert "hidden" not in body.lower().replace("x-default", "")
    assert resource.slug in body


def _page_data(make_platform, make_resource, make_tutorial, n: int):
    platform = make_platform()
    platform.staff.add(*[_user(f"s{n}-{i}") for i in range(n)])
    resources = [make_resource(platform, kind=kind) for kind in ["dataset", "sdk", "api"] * n]
    blocks = [("text", "<h2>Step</h2><p>text</p>")]
    for resource in resources[: n * 2]:
        blocks.append(("resource", {"resource": resource.pk, "version": "1.0", "note": ""}))
        blocks.append(("code", {"language": "python", "code": "print(1)", "caption": ""}))
    series = TutorialSeries.objects.create(slug=f"series-{platform.slug}", title="S")
    tutorials = [
        make_tutorial(
            platform.subdomain,
            blocks=blocks,
            tags=[f"t{i}", "common"],
            series=series,
            series_order=i,
        )
        for i in range(n * 2)
    ]
    return platform, resources, tutorials


def _user(username):
    from accounts.models import User

    return User.objects.create_user(username=username, email=f"{username}@example.com")


@pytest.fixture
def no_slot_providers(monkeypatch):
    """Measure this app's pages alone: other apps' slot providers have their own tests."""
    from collections import defaultdict

    from core import slots

    monkeypatch.setattr(slots, "_registry", defaultdict(list))


@pytest.mark.parametrize("size", [1, 4])
def test_page_queries_do_not_grow_with_content(
    no_slot_providers,
    client,
    make_platform,
    make_resource,
    make_tutorial,
    django_assert_num_queries,
    size,
):
    platform, resources, tutorials = _page_data(make_platform, make_resource, make_tutorial, size)
    resource = resources[0]
    tutorial = tutorials[1]
    urls = {
        "landing": f"/en/d/{platform.subdomain.slug}/",
        "resource": f"/en/resources/{resource.slug}/",
        "index": en(tutorial.get_parent().url),
        "listing": "/en/tutorials/",
        "catalogue": "/en/resources/",
        "tutorial": en(tutorial.url),
    }
    for url in urls.values():  # warm the site-root and nav caches
        assert client.get(url).status_code == 200
    # Same counts at both sizes: Wagtail's routing walks the page tree (a query per
    # level), everything else is a fixed number of bulk queries.
    expected = {
        "landing": 10,
        "resource": 5,
        "index": 13,
        "listing": 6,
        "catalogue": 4,
        "tutorial": 16,
    }
    for name, url in urls.items():
        with django_assert_num_queries(expected[name]):
            response = client.get(url)
        assert response.status_code == 200, name


def test_stored_rich_text_is_cleaned_on_the_page(client, platform, make_tutorial):
    tutorial = make_tutorial(
        platform.subdomain,
        blocks=[
            (
                "text",
                '<h2 onclick="x()">Hi</h2><p>ok<script>alert(1)</script><a href="javascript:x()">l</a></p>',
            )
        ],
    )
    body = client.get(en(tutorial.url)).content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert "alert(1)" not in main and "onclick" not in main and "javascript:" not in main
    assert '<h2 id="hi">Hi</h2>' in main


def test_knowledge_setup_command_reports_and_is_idempotent(platform):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("knowledge_setup", stdout=out)
    assert f"created page for sub-domain {platform.subdomain.slug}" in out.getvalue()
    out = StringIO()
    call_command("knowledge_setup", stdout=out)
    assert "(0 created)" in out.getvalue()


def test_slots_show_an_empty_state_until_other_apps_fill_them(
    client, platform, make_resource, monkeypatch
):
    from collections import defaultdict

    from core import slots
    from knowledge import slots as knowledge_slots

    resource = make_resource(platform)
    registry = defaultdict(list)
    registry["subdomain_page"] = [(100, knowledge_slots.subdomain_empty_state)]
    registry["resource_page"] = [(100, knowledge_slots.resource_empty_state)]
    monkeypatch.setattr(slots, "_registry", registry)
    landing = en(platform.subdomain.get_absolute_url())
    assert "No questions or upcoming live sessions" in client.get(landing).content.decode()
    assert (
        "No questions or live sessions about this resource"
        in client.get(en(resource.get_absolute_url())).content.decode()
    )

    @slots.register_slot("subdomain_page", order=20)
    def questions(request, *, subdomain, **kwargs):
        return None  # another app's provider: its own content (or none) replaces the empty state

    body = client.get(landing).content.decode()
    assert "No questions or upcoming live sessions" not in body


def test_versions_newest_release_first_undated_last(platform, make_resource):
    import datetime

    from knowledge.selectors import resource_detail

    resource = make_resource(platform, versions=("0.9", "1.0", "2.0"))
    dates = {"0.9": None, "1.0": datetime.date(2023, 1, 1), "2.0": datetime.date(2024, 1, 1)}
    for version in resource.versions.all():
        version.released_on = dates[version.version]
        version.save()
    loaded = resource_detail(slug=resource.slug)
    assert [v.version for v in loaded.versions.all()] == ["2.0", "1.0", "0.9"]


def test_moving_a_tutorial_to_another_subdomain_follows_it(make_platform, make_tutorial):
    from knowledge.models import SubdomainPage, TutorialIndexPage

    a, b = make_platform(), make_platform()
    tutorial = make_tutorial(a.subdomain)
    make_tutorial(b.subdomain)  # creates b's pages
    target = TutorialIndexPage.objects.child_of(
        SubdomainPage.objects.get(subdomain=b.subdomain)
    ).get()
    tutorial.move(target, pos="last-child")
    tutorial.refresh_from_db()
    assert tutorial.subdomain == b.subdomain


def test_landing_shows_a_few_resources_per_kind_and_links_to_the_rest(
    client, platform, make_resource
):
    from knowledge.selectors import RESOURCES_PER_KIND

    for i in range(RESOURCES_PER_KIND + 2):
        make_resource(platform, name=f"Set {i:02d}", kind="dataset")
    make_resource(platform, name="Only SDK", kind="sdk")
    body = client.get(en(platform.subdomain.get_absolute_url())).content.decode()
    assert "Set 00" in body and f"Set {RESOURCES_PER_KIND - 1:02d}" in body
    assert f"Set {RESOURCES_PER_KIND:02d}" not in body
    assert f"All {RESOURCES_PER_KIND + 2} in Dataset" in body
    assert "kind=dataset" in body and "Only SDK" in body


def test_resource_catalogue_filters(client, make_platform, make_resource):
    a, b = make_platform(), make_platform()
    make_resource(a, name="Alpha set", kind="dataset", access="open")
    api = make_resource(a, name="Alpha API", kind="api", access="apply")
    api.tags.add("speech")
    api.save()
    make_resource(b, name="Beta model", kind="model")
    body = client.get("/en/resources/").content.decode()
    assert all(name in body for name in ("Alpha set", "Alpha API", "Beta model"))
    body = client.get("/en/resources/", {"subdomain": b.subdomain.slug}).content.decode()
    assert "Beta model" in body and "Alpha set" not in body
    body = client.get("/en/resources/", {"kind": "api"}).content.decode()
    assert "Alpha API" in body and "Alpha set" not in body
    body = client.get("/en/resources/", {"access": "apply"}).content.decode()
    assert "Alpha API" in body and "Beta model" not in body
    body = client.get("/en/resources/", {"tag": "speech"}).content.decode()
    assert "Alpha API" in body and "Alpha set" not in body
    body = client.get("/en/resources/", {"kind": "nonsense", "tag": "none"}).content.decode()
    assert "No resources match these filters." in body


def test_home_page_shows_the_latest_tutorials(client, make_platform, make_tutorial):
    a, b = make_platform(), make_platform()
    make_tutorial(a.subdomain, title="Fresh from A")
    make_tutorial(b.subdomain, title="Fresh from B")
    make_tutorial(b.subdomain, title="Draft", publish=False)
    body = client.get("/en/").content.decode()
    assert "Latest tutorials" in body and "Fresh from A" in body and "Fresh from B" in body
    assert "Draft" not in body
