"""A visitor searches from the header, narrows by a facet, and opens a hit."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resources(db):
    from knowledge.models import OpenResource, Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )
    baidu = Platform.objects.create(
        slug="baidu",
        subdomain=subdomain,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )
    simulator = OpenResource(
        platform=baidu,
        slug="apollo-sim",
        name="Apollo 仿真平台",
        kind="toolkit",
        summary_zh_hans="自动驾驶仿真：场景编辑与回放。",
    )
    simulator.save()
    simulator.tags.add("仿真")
    simulator.save()
    maps = OpenResource(
        platform=baidu,
        slug="apollo-maps",
        name="Apollo 高精地图工具",
        kind="toolkit",
        summary_zh_hans="自动驾驶高精地图的采集与制作工具。",
    )
    maps.save()
    maps.tags.add("地图")
    maps.save()


def test_header_search_facet_and_open_a_hit(page, resources):
    page.goto("/")
    page.get_by_label("搜索汇聚").fill("自動駕駛")  # Traditional finds Simplified
    page.get_by_label("搜索汇聚").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".search-hit").count() == 2
    assert page.locator(".search-hit mark").first.inner_text() == "自动驾驶"

    page.locator('[data-facet="tag"]').get_by_role("link", name="仿真").click()
    page.wait_for_url("**tag=*")
    assert page.locator(".search-hit").count() == 1
    assert page.locator("#search-q").input_value() == "自動駕駛"

    page.locator(".search-hit__title a").first.click()
    page.wait_for_url("**/resources/apollo-sim/")
    assert page.get_by_role("heading", level=1).inner_text() == "Apollo 仿真平台"
