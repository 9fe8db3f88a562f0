"""Posting, editing and closing; the board's filters, pagination and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from collaboration import services
from collaboration.models import CollaborationPost, Organisation, OrganisationMembership

from .conftest import AUTHOR_CONTACTS


def form_data(subdomain, **overrides):
    data = {
        "kind": "pilot",
        "title": "Pilot wanted: HD map QA",
        "description": "# Plan\n\n<script>alert(1)</script> We need **testers**.",
        "subdomain": subdomain.pk,
        "skills_text": "PyTorch, 点云，HD map, pytorch",
        "stage": "pilot",
        "engagement": "contract",
        "location": "上海",
        "remote": "on",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "contact_wechat": "wx_founder_secret",
    }
    data.update(overrides)
    return data


def test_member_creates_post_with_sanitized_markdown(client, founder, driving, apollo):
    client.force_login(founder)
    response = client.post(
        reverse("collaboration:post_create"), form_data(driving, resources=[apollo.pk])
    )
    post = CollaborationPost.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.author == founder and post.kind == "pilot" and post.remote
    assert [s.name for s in post.skills.order_by("pk")] == ["PyTorch", "点云", "HD map"]
    assert list(post.resources.all()) == [apollo]
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<strong>testers</strong>" in page
    assert "<script>alert(1)" not in page


def test_anonymous_cannot_post(client, driving):
    response = client.post(reverse("collaboration:post_create"), form_data(driving))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CollaborationPost.objects.exists()


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"contact_wechat": ""}, "at least one way to contact you"),
        (
            {"expires_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
            "cannot be in the past",
        ),
        (
            {"expires_on": (timezone.localdate() + datetime.timedelta(days=400)).isoformat()},
            "at most a year",
        ),
        ({"skills_text": ", ".join(f"s{i}" for i in range(11))}, "at most 10 skills"),
        ({"title": ""}, "This field is required"),
        ({"resources": []}, "Choose the platform resource you want to pilot on"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_lost(
    client, founder, driving, apollo, overrides, error
):
    client.force_login(founder)
    data = form_data(driving, **{"resources": [apollo.pk], **overrides})
    response = client.post(reverse("collaboration:post_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    assert "We need **testers**" in body  # the description survives
    assert not CollaborationPost.objects.exists()


def test_post_creation_is_rate_limited(client, founder, driving):
    client.force_login(founder)
    limit = int(services.RATE_POST.split("/")[0])
    data = form_data(driving, kind="seeking")
    for _ in range(limit):
        assert client.post(reverse("collaboration:post_create"), data).status_code == 302
    response = client.post(reverse("collaboration:post_create"), data)
    assert response.status_code == 200 and "too often" in response.content.decode()
    assert CollaborationPost.objects.count() == limit


def test_only_author_edits(client, post, developer, founder, driving):
    url = reverse("collaboration:post_edit", args=[post.pk])
    client.force_login(developer)
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(driving, kind="seeking", title="Hijacked")).status_code == 403
    client.force_login(founder)
    page = client.get(url)
    assert page.status_code == 200 and "PyTorch" in page.content.decode()
    assert client.post(url, form_data(driving, kind="seeking", title="Renamed")).status_code == 302
    post.refresh_from_db()
    assert post.title == "Renamed"


def test_only_author_or_moderator_closes_and_author_reopens(client, post, developer, founder):
    client.force_login(developer)
    assert client.post(reverse("collaboration:post_close", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.status == "open"
    client.force_login(founder)
    client.post(reverse("collaboration:post_close", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == "closed" and post.closed_at
    client.post(reverse("collaboration:post_reopen", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == "open" and post.closed_at is None


def test_close_needs_post_method(client, post, founder):
    client.force_login(founder)
    assert client.get(reverse("collaboration:post_close", args=[post.pk])).status_code == 405


def test_csrf_is_enforced(post, founder):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(founder)
    assert client.post(reverse("collaboration:post_close", args=[post.pk])).status_code == 403


def test_cannot_post_for_an_organisation_you_do_not_belong_to(founder, developer, driving):
    organisation = services.organisation_create(creator=developer, name="Other Co", kind="startup")
    with pytest.raises(services.CollaborationError, match="organisation you belong to"):
        services.post_create(
            author=founder,
            data={
                "kind": "seeking",
                "title": "t",
                "description": "d",
                "subdomain": driving,
                "stage": "idea",
                "engagement": "contract",
                "expires_on": timezone.localdate(),
                "organisation": organisation,
                **AUTHOR_CONTACTS,
            },
        )
    OrganisationMembership.objects.create(organisation=organisation, user=founder)
    assert Organisation.objects.get().posts.count() == 0


def test_list_filters(client, make_post, voice, make_user):
    lidar = make_post(title="Lidar partner", skills=["点云"])
    asr = make_post(
        title="ASR pilot",
        kind="pilot",
        subdomain=voice,
        stage="pilot",
        remote=False,
        skills=["ASR"],
    )
    closed = make_post(title="Old closed", status="closed")
    expired = make_post(
        title="Old expired", expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    hidden = make_post(title="Hidden spam", hidden_at=timezone.now())
    url = reverse("collaboration:post_list")

    def titles(**params):
        page = client.get(url, params).context["page"]
        return {post.title for post in page.object_list}

    assert titles() == {lidar.title, asr.title}
    assert titles(subdomain="intelligent-voice") == {asr.title}
    assert titles(skill="点云") == {lidar.title}
    assert titles(skill="asr") == {asr.title}  # case-insensitive skill match
    assert titles(kind="pilot") == {asr.title}
    assert titles(stage="prototype") == {lidar.title}
    assert titles(remote="on") == {lidar.title}
    assert titles(closed="on") == {lidar.title, asr.title, closed.title, expired.title}
    assert hidden.title not in titles(closed="on")
    # An unknown value drops that filter only and never errors.
    assert titles(subdomain="nope", kind="pilot") == {asr.title}


def test_list_paginates(client, make_post):
    for _ in range(25):
        make_post()
    first = client.get(reverse("collaboration:post_list"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("collaboration:post_list"), {"page": 2, "remote": "on"})
    assert len(second.context["page"].object_list) == 5
    assert 'rel="prev" href="?remote=on&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_is_constant(
    client, make_post, make_user, baidu, size, django_assert_num_queries
):
    staff = make_user("staff_author")
    baidu.staff.add(staff)
    for i in range(size):
        make_post(author=staff if i % 2 else None)
    # filter sub-domains, count, popular skills, header sub-domains, posts, and prefetches
    # of skills, author platforms and author organisations
    with django_assert_num_queries(8):
        response = client.get(reverse("collaboration:post_list"))
    assert response.status_code == 200
    assert "Verified · Baidu" in response.content.decode()


@pytest.mark.parametrize("interests", [1, 12])
def test_detail_query_count_is_constant_for_the_author(
    client, post, founder, make_user, interests, django_assert_num_queries, apollo
):
    post.resources.add(apollo)
    for i in range(interests):
        member = make_user(f"fan{i}")
        member.profile.skills = ["PyTorch"]
        member.profile.save()
        services.interest_express(
            post=post, member=member, message="hi", contacts={"contact_email": "x@y.cn"}
        )
    client.force_login(founder)
    # 22 + the header's moderator check for the flag-queue link (cached per member after).
    with django_assert_num_queries(23):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("others", [0, 10])
def test_detail_query_count_is_constant_for_visitors(
    client, make_post, others, django_assert_num_queries
):
    post = make_post()
    for _ in range(others):
        make_post()
    with django_assert_num_queries(7):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200


def test_hidden_post_is_404_except_for_author(client, make_post, founder, developer):
    post = make_post(hidden_at=timezone.now())
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(developer)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(founder)
    assert client.get(post.get_absolute_url()).status_code == 200
