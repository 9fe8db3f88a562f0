"""Atom and RSS feeds of the newest questions, overall and per tag, sub-domain and resource."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from community import services
from knowledge.models import OpenResource, Platform, Subdomain

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(db, make_user, django_capture_on_commit_callbacks):
    driving = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Driving",
    )
    voice = Subdomain.objects.create(
        slug="voice", name_zh_hans="智能语音", name_zh_hant="智能語音", name_en="Voice"
    )
    baidu = Platform.objects.create(
        slug="baidu",
        subdomain=driving,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )
    apollo = OpenResource.objects.create(platform=baidu, slug="apollo", name="Apollo", kind="sdk")
    asker = make_user("asker", reputation=200)
    return {"driving": driving, "voice": voice, "apollo": apollo, "asker": asker}


def _ask(world, title, *, tags=("lidar",), subdomain=None, resources=()):
    cache.clear()  # posting rate limits are not what these tests are about
    return services.question_ask(
        author=world["asker"],
        title=title,
        body=f"{title}: **details** of what I tried, with <script>alert(1)</script> and more text.",
        tags=list(tags),
        subdomain=subdomain,
        resources=[(r, None) for r in resources],
    )


def _xml(content: bytes):
    return ET.fromstring(content)  # noqa: S314 - our own feed, produced by the test


def _atom_titles(response) -> list[str]:
    root = _xml(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def _rss_titles(response) -> list[str]:
    root = _xml(response.content)
    return [item.find("title").text for item in root.iter("item")]


def test_newest_questions_feed_in_atom_and_rss(client, world):
    first = _ask(world, "How do I calibrate the lidar?")
    _ask(world, "Which Apollo version supports CUDA 12?", tags=["apollo"])

    atom = client.get(reverse("community:question_feed"))
    assert atom.status_code == 200
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert _atom_titles(atom) == [
        "Which Apollo version supports CUDA 12?",
        "How do I calibrate the lidar?",
    ]
    root = _xml(atom.content)
    entry = root.findall(f"{ATOM}entry")[1]
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/questions/{first.pk}/")
    assert entry.find(f"{ATOM}link").get("href").startswith("http")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "asker"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["lidar"]
    summary = entry.find(f"{ATOM}summary").text
    assert "details" in summary and "**" not in summary
    assert "<script>" not in summary and "&lt;script&gt;" in summary  # shown as text, not run

    rss = client.get(reverse("community:question_feed_rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert _rss_titles(rss)[0] == "Which Apollo version supports CUDA 12?"


def test_tag_subdomain_and_resource_feeds_only_hold_their_questions(client, world):
    _ask(
        world,
        "About Apollo in driving",
        tags=["apollo"],
        subdomain=world["driving"],
        resources=[world["apollo"]],
    )
    _ask(world, "A voice question here", tags=["asr"], subdomain=world["voice"])

    tag = client.get(reverse("community:tag_feed", args=["apollo"]))
    assert _atom_titles(tag) == ["About Apollo in driving"]
    sub = client.get(reverse("community:subdomain_feed_rss", args=["voice"]))
    assert _rss_titles(sub) == ["A voice question here"]
    res = client.get(reverse("community:resource_feed", args=["apollo"]))
    assert _atom_titles(res) == ["About Apollo in driving"]

    for name in ["tag_feed", "subdomain_feed", "resource_feed"]:
        assert client.get(reverse(f"community:{name}", args=["nope"])).status_code == 404


def test_deleted_questions_leave_the_feed(client, world):
    question = _ask(world, "Soon to be deleted question")
    question.is_deleted = True
    question.save()
    assert _atom_titles(client.get(reverse("community:question_feed"))) == []


def test_feed_title_follows_the_language(client, world):
    with translation.override("en"):
        url = reverse("community:subdomain_feed", args=["autonomous-driving"])
    root = _xml(client.get(url).content)
    assert "Driving" in root.find(f"{ATOM}title").text


def test_list_pages_announce_their_feeds(client, world):
    _ask(world, "Anything at all for the list", tags=["apollo"], resources=[world["apollo"]])
    pages = {
        reverse("community:question_list"): reverse("community:question_feed"),
        reverse("community:tag_detail", args=["apollo"]): reverse(
            "community:tag_feed", args=["apollo"]
        ),
        reverse("community:question_list_subdomain", args=["voice"]): reverse(
            "community:subdomain_feed", args=["voice"]
        ),
        reverse("community:question_list_resource", args=["apollo"]): reverse(
            "community:resource_feed", args=["apollo"]
        ),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html, page
        assert f'href="{feed}"' in html, page
        assert f'href="{feed}rss/"' in html, page


@pytest.mark.parametrize("count", [3, 12])
def test_feed_queries_do_not_grow_with_items(client, world, count, django_assert_num_queries):
    for index in range(count):
        _ask(world, f"Question number {index} about lidar", tags=["lidar", f"t{index % 3}"])
    with django_assert_num_queries(3):  # questions (+ author, profile), their tags, the site
        assert client.get(reverse("community:question_feed")).status_code == 200
