"""The people directory, profile skills as shared vocabulary, and suggested people."""

import pytest
from django.urls import reverse

from collaboration import expertise, selectors
from collaboration.models import MemberSkill


def with_skills(user, *skills):
    user.profile.skills = list(skills)
    user.profile.save()
    return user


def test_profile_skills_are_kept_in_step(make_user):
    user = with_skills(make_user("a"), "PyTorch", "点云")
    assert set(MemberSkill.objects.filter(user=user).values_list("skill__name", flat=True)) == {
        "PyTorch",
        "点云",
    }
    with_skills(user, "pytorch ", "ASR")  # same skill, other spelling: kept once
    assert set(MemberSkill.objects.filter(user=user).values_list("skill__key", flat=True)) == {
        "pytorch",
        "asr",
    }


def test_directory_filters_by_skill_and_subdomain(client, make_user, make_post, voice, baidu):
    with_skills(make_user("lidar_dev"), "点云", "PyTorch")
    asr = with_skills(make_user("asr_dev"), "ASR")
    staff = make_user("baidu_person")
    baidu.staff.add(staff)
    make_post(author=asr, subdomain=voice)
    url = reverse("collaboration:people")

    def names(**params):
        return {u.username for u in client.get(url, params).context["page"].object_list}

    assert {"lidar_dev", "asr_dev", "baidu_person"} <= names()
    assert names(skill="pytorch") == {"lidar_dev"}
    assert names(subdomain="intelligent-voice") == {"asr_dev"}  # posted there
    assert names(subdomain="autonomous-driving") == {"baidu_person"}  # platform staff there
    assert names(subdomain="no-such") == names()  # an unknown value is ignored
    page = client.get(url, {"skill": "点云"}).content.decode()
    assert "lidar_dev" in page


def test_directory_offers_the_expertise_filter(client, db):
    assert expertise.COMMUNITY_EXPERTISE
    form = client.get(reverse("collaboration:people")).context["form"]
    assert "expertise" in form.fields


@pytest.mark.parametrize("size", [3, 25])
def test_directory_query_count_is_constant(
    client, make_user, baidu, size, django_assert_num_queries
):
    for i in range(size):
        user = with_skills(make_user(f"p{i}"), "PyTorch", f"skill{i}")
        if i % 3 == 0:
            baidu.staff.add(user)
    # filter sub-domains, count, members, their skills, platforms, organisations, their
    # proven expertise (one aggregate), header
    with django_assert_num_queries(8):
        response = client.get(reverse("collaboration:people"), {"skill": "PyTorch"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size


def test_suggested_people_ranked_with_reasons(post, apollo, make_user, founder, client):
    post.resources.add(apollo)
    both = with_skills(make_user("both"), "PyTorch", "点云", "Go")
    one = with_skills(make_user("one"), "点云")
    with_skills(make_user("none"), "Excel")
    staff = make_user("apollo_staff")
    apollo.platform.staff.add(staff)
    with_skills(founder, "PyTorch")  # the author is never suggested
    post = selectors.post_get(pk=post.pk, viewer=founder)
    suggestions = selectors.suggested_people(post=post)
    assert [s.member.username for s in suggestions] == ["both", "apollo_staff", "one"]
    assert suggestions[0].reasons == ["Lists 2 wanted skills: PyTorch, 点云"]
    assert suggestions[1].reasons == ["Verified staff of Baidu, which publishes Apollo"]
    assert suggestions[2].reasons == ["Lists 1 wanted skill: 点云"]
    client.force_login(founder)
    body = client.get(post.get_absolute_url()).content.decode()
    assert "Suggested people" in body and "Lists 2 wanted skills: PyTorch, 点云" in body
    assert both.display_name in body and one.display_name in body


def test_suggestions_are_shown_to_the_author_only(post, make_user, client):
    with_skills(make_user("match"), "PyTorch")
    assert "Suggested people" not in client.get(post.get_absolute_url()).content.decode()
