"""Proven expertise from the Q&A forum: accepted answers and up-votes per tag,
sub-domain and resource, feeding suggestions, the directory and profiles."""

import pytest
from django.urls import reverse

from collaboration import expertise, selectors
from collaboration.services import skills_resolve
from community.models import Answer, Question, QuestionResource, QuestionTag, Tag, tag_slug

pytestmark = pytest.mark.skipif(not expertise.COMMUNITY_EXPERTISE, reason="community Q&A missing")


def ask(author, tags=(), subdomain=None, resources=(), deleted=False):
    question = Question.objects.create(
        author=author,
        title="How do I?",
        body="b",
        body_html="<p>b</p>",
        subdomain=subdomain,
        is_deleted=deleted,
    )
    for position, name in enumerate(tags):
        tag, _ = Tag.objects.get_or_create(name=name, defaults={"slug": tag_slug(name)})
        QuestionTag.objects.create(
            question=question, tag=tag, position=position, question_created_at=question.created_at
        )
    for resource in resources:
        QuestionResource.objects.create(question=question, resource=resource)
    return question


def answer(question, author, score=0, accepted=False, deleted=False):
    return Answer.objects.create(
        question=question,
        author=author,
        body="a",
        body_html="<p>a</p>",
        score=score,
        is_accepted=accepted,
        is_deleted=deleted,
    )


@pytest.fixture
def expert(make_user, driving, apollo):
    asker, expert = make_user("asker"), make_user("expert")
    for _ in range(3):
        answer(ask(asker, ["点云", "pytorch"], driving, [apollo]), expert, score=2, accepted=True)
    answer(ask(asker, ["点云"]), expert, score=4)
    answer(ask(asker, ["点云"]), expert, score=0)  # neither accepted nor up-voted: no evidence
    answer(ask(asker, ["点云"]), expert, score=9, deleted=True)  # deleted: ignored
    answer(ask(asker, ["点云"], deleted=True), expert, score=9)  # on a deleted question: ignored
    return expert


def test_expertise_rows_in_one_query(expert, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = expertise.expertise_rows(user_ids=[expert.pk])
    found = {(r.dimension, r.key): (r.accepted, r.upvotes) for r in rows}
    assert found == {
        ("tag", "点云"): (3, 10),
        ("tag", "pytorch"): (3, 6),
        ("subdomain", "autonomous-driving"): (3, 6),
        ("resource", "apollo"): (3, 6),
    }


def test_suggestions_rank_proven_expertise_with_reasons(expert, post, founder, make_user):
    lister = make_user("lister")
    lister.profile.skills = ["PyTorch"]
    lister.profile.save()
    post = selectors.post_get(pk=post.pk, viewer=founder)
    suggestions = selectors.suggested_people(post=post)
    assert suggestions[0].member == expert
    assert "3 accepted answers in [点云]" in suggestions[0].reasons
    assert "3 accepted answers in [pytorch]" in suggestions[0].reasons
    assert "3 accepted answers in Autonomous driving" in suggestions[0].reasons
    assert "lister" in [s.member.username for s in suggestions]


def test_directory_filters_by_expertise_and_subdomain(expert, client, make_user):
    make_user("bystander")
    url = reverse("collaboration:people")
    page = client.get(url, {"expertise": "点云"})
    assert [p.username for p in page.context["page"].object_list] == ["expert"]
    assert "3 accepted answers in [点云]" in page.content.decode()
    by_subdomain = client.get(url, {"subdomain": "autonomous-driving"}).context["page"]
    assert "expert" in [p.username for p in by_subdomain.object_list]


def test_profile_shows_proven_expertise(expert, client):
    body = client.get(expert.get_absolute_url()).content.decode()
    assert "Proven expertise" in body
    assert "3 accepted answers in [点云]" in body
    assert "3 accepted answers in Apollo" in body


def test_post_skills_link_to_the_matching_qa_tags(expert, post, client):
    Tag.objects.create(name="3d-检测", slug=tag_slug("3d-检测"))
    post.skills.add(*skills_resolve(names=["3D 检测"]))
    body = client.get(post.get_absolute_url()).content.decode()
    assert "Related Q&A tags" in body
    for name in ("点云", "pytorch", "3d-检测"):
        tag = Tag.objects.get(name=name)
        assert f'href="{tag.get_absolute_url()}">[{name}]</a>' in body
