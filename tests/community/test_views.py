"""Q&A pages: lists, asking with preview, the question page's forms, edits and tags."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from community import services
from community.models import Answer, Question, Tag, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(ask):
    return ask(tags=["apollo", "c++"])


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("sort", ["newest", "active", "unanswered", "votes", "bogus"])
def test_list_sorts(client, ask, answer_to, sort):
    answered = ask(title="An answered question about lidar")
    answer_to(answered)
    unanswered = ask(title="An unanswered question about radar")
    response = client.get(reverse("community:question_list"), {"sort": sort})
    assert response.status_code == 200
    html = response.content.decode()
    assert unanswered.title in html
    assert (answered.title in html) == (sort != "unanswered")


def test_list_is_paginated(client, ask, settings):
    for _ in range(31):
        ask()
    first = client.get(reverse("community:question_list")).content.decode()
    assert 'rel="next"' in first
    second = client.get(reverse("community:question_list"), {"page": 2})
    assert second.status_code == 200 and second.context["page_obj"].number == 2
    assert len(second.context["page_obj"].object_list) == 1


def test_deleted_questions_are_not_listed(client, ask, moderator):
    gone = ask(title="This one will be deleted soon")
    services.post_delete(post=gone, user=moderator)
    assert gone.title not in client.get(reverse("community:question_list")).content.decode()
    assert client.get(gone.get_absolute_url()).status_code == 404


def test_subdomain_and_resource_lists(client, ask, subdomain, resource):
    inside = ask(title="Apollo routing question here", subdomain=subdomain,
                 resources=[(resource, None)])  # fmt: skip
    outside = ask(title="Something unrelated entirely")
    for url in (
        reverse("community:question_list_subdomain", args=[subdomain.slug]),
        reverse("community:question_list_resource", args=[resource.slug]),
    ):
        html = client.get(url).content.decode()
        assert inside.title in html and outside.title not in html


def test_tag_page_synonym_redirect_and_follow(client, question, voter):
    tag = Tag.objects.get(name="apollo")
    Tag.objects.create(name="baidu-apollo", slug="baidu-apollo", canonical=tag)
    response = client.get(reverse("community:tag_detail", args=["baidu-apollo"]))
    assert response.status_code == 301 and response["Location"].endswith(tag.get_absolute_url())
    page = client.get(tag.get_absolute_url()).content.decode()
    assert question.title in page and "baidu-apollo" in page
    login(client, voter)
    client.post(reverse("community:tag_follow", args=[tag.slug]), {"follow": "1"})
    assert tag.followers.filter(pk=voter.pk).exists()
    client.post(reverse("community:tag_follow", args=[tag.slug]), {"follow": "0"})
    assert not tag.followers.exists()


def test_unicode_and_symbol_tag_urls(client, ask):
    ask(tags=["自动驾驶", "c#"])
    for name in ("自动驾驶", "c#"):
        tag = Tag.objects.get(name=name)
        assert client.get(tag.get_absolute_url()).status_code == 200


def test_tag_list_and_autocomplete(client, question):
    Tag.objects.create(name="apollo-cyber", slug="apollo-cyber")
    assert "apollo" in client.get(reverse("community:tag_list"), {"q": "apo"}).content.decode()
    data = client.get(reverse("community:tag_autocomplete"), {"q": "APO"}).json()
    names = [row["name"] for row in data["results"]]
    assert names[0] == "apollo"  # most used first
    assert "apollo-cyber" in names
    assert client.get(reverse("community:tag_autocomplete"), {"q": ""}).json() == {"results": []}


def test_ask_requires_login(client):
    response = client.get(reverse("community:question_ask"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_ask_page_prefills_from_resource_link(client, asker, resource):
    login(client, asker)
    response = client.get(
        reverse("community:question_ask"), {"resource": "apollo", "version": "9.0"}
    )
    form = response.context["form"]
    assert form.initial["resource"] == "apollo"
    assert form.initial["version"] == "9.0"
    assert form.initial["subdomain"] == resource.platform.subdomain_id


def test_ask_posts_and_links_resource_version(client, asker, resource, subdomain):
    login(client, asker)
    response = client.post(
        reverse("community:question_ask"),
        {
            "title": "How to run Apollo 9.0 on Ubuntu 22.04?",
            "body": "```bash\n./apollo.sh build\n```\nThe build stops with an error.",
            "tags": "apollo, ubuntu",
            "subdomain": subdomain.pk,
            "resource": "apollo",
            "version": "9.0",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    link = question.resource_links.get()
    assert link.version.version == "9.0"


def test_bad_ask_keeps_what_was_typed(client, asker, resource):
    login(client, asker)
    body = "A long enough body that must survive the round trip."
    with translation.override("en"):
        url = reverse("community:question_ask")
    response = client.post(
        url,
        {"title": "short", "body": body, "tags": "apollo", "resource": "apollo", "version": "1.0"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert body in html
    assert "no version" in html  # unknown version named clearly
    assert not Question.objects.exists()


def test_preview_renders_sanitized_markdown(client, asker):
    login(client, asker)
    response = client.post(
        reverse("community:preview"),
        {"body": "**bold** <script>alert(1)</script>"},
        headers={"X-Requested-With": "fetch"},
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<script" not in html
    full = client.post(reverse("community:preview"), {"body": "# Title"})
    assert "<h1>Title</h1>" in full.content.decode() and "<html" in full.content.decode()


def test_detail_shows_accepted_answer_first_and_counts_views(client, question, answer_to,
                                                             make_user, asker, voter):  # fmt: skip
    low = answer_to(question, body="The first answer, which nobody likes.")
    best = answer_to(question, author=make_user("expert", reputation=100),
                     body="The accepted answer that solved it.")  # fmt: skip
    top = answer_to(question, author=make_user("popular", reputation=100),
                    body="A popular answer with votes.")  # fmt: skip
    services.vote_cast(user=voter, post=top, value=1)
    services.answer_accept(answer=best, user=asker)
    response = client.get(question.get_absolute_url())
    html = response.content.decode()
    positions = [html.index(f'id="answer-{a.pk}"') for a in (best, top, low)]
    assert positions == sorted(positions)
    client.get(question.get_absolute_url())
    question.refresh_from_db()
    assert question.view_count == 1


def test_vote_without_js_and_with_json(client, question, voter):
    login(client, voter)
    url = reverse("community:vote", args=["question", question.pk])
    response = client.post(url, {"value": "1"})
    assert response.status_code == 302
    assert Vote.objects.get().value == 1
    page = client.get(question.get_absolute_url()).content.decode()
    assert (
        'aria-pressed="true"' in page and 'name="value" value="0"' in page
    )  # press again = retract
    data = client.post(url, {"value": "0"}, headers={"Accept": "application/json"}).json()
    assert data == {"score": 0, "value": 0}


def test_vote_refusals_are_clear(client, question, asker, newbie):
    url = reverse("community:vote", args=["question", question.pk])
    own = login(client, asker).post(url, {"value": "1"}, headers={"Accept": "application/json"})
    assert own.status_code == 400 and own.json()["error"]
    low = login(Client(), newbie).post(url, {"value": "-1"}, headers={"Accept": "application/json"})
    assert low.status_code == 403 and "125" in low.json()["error"]


def test_answer_comment_accept_flow(client, question, answerer, asker):
    login(client, answerer)
    response = client.post(
        reverse("community:answer_create", args=[question.pk]),
        {"body": "Use the docker image; it has every dependency."},
    )
    answer = Answer.objects.get()
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    client.post(
        reverse("community:comment_create", args=["answer", answer.pk]), {"body": "Which tag?"}
    )
    assert answer.comments.count() == 1
    login(client, asker)
    client.post(reverse("community:answer_accept", args=[answer.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == answer
    client.post(reverse("community:answer_accept", args=[answer.pk]), {"undo": "1"})
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_bad_answer_keeps_text(client, question, answerer):
    login(client, answerer)
    response = client.post(reverse("community:answer_create", args=[question.pk]), {"body": "meh"})
    assert response.status_code == 400 and "meh" in response.content.decode()


def test_accept_by_someone_else_is_refused(client, question, answer_to, voter):
    answer = answer_to(question)
    login(client, voter)
    response = client.post(
        reverse("community:answer_accept", args=[answer.pk]), headers={"Accept": "application/json"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_edit_page_revisions_diff_and_rollback(client, question, asker):
    login(client, asker)
    edit_url = reverse("community:question_edit", args=[question.pk])
    assert client.get(edit_url).status_code == 200
    client.post(
        edit_url,
        {
            "title": question.title,
            "body": question.body + "\n\nUpdate: it works with gcc 11.",
            "tags": "apollo c++ gcc",
            "comment": "added the fix",
        },
    )
    question.refresh_from_db()
    assert "gcc 11" in question.body
    page = client.get(reverse("community:revisions", args=["question", question.pk]))
    html = page.content.decode()
    assert "added the fix" in html and "diff_add" in html and "gcc" in html
    first = question.revisions.get(number=1)
    client.post(reverse("community:revision_rollback", args=[first.pk]))
    question.refresh_from_db()
    assert "gcc 11" not in question.body and question.revisions.count() == 3


def test_others_cannot_edit_without_privilege(client, question, voter):
    login(client, voter)
    assert client.get(reverse("community:question_edit", args=[question.pk])).status_code == 403
    first = question.revisions.get()
    response = client.post(
        reverse("community:revision_rollback", args=[first.pk]),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403


def test_writes_need_csrf(question, voter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(voter)
    response = client.post(
        reverse("community:vote", args=["question", question.pk]), {"value": "1"}
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_anonymous_writes_redirect_to_login(client, question):
    for url in (
        reverse("community:vote", args=["question", question.pk]),
        reverse("community:answer_create", args=[question.pk]),
        reverse("community:comment_create", args=["question", question.pk]),
    ):
        response = client.post(url, {"value": "1", "body": "x" * 30})
        assert response.status_code == 302 and "login" in response["Location"]


def test_get_is_not_allowed_for_writes(client, question, voter):
    login(client, voter)
    assert client.get(reverse("community:vote", args=["question", question.pk])).status_code == 405


def test_privileges_page_documents_settings(client, settings, voter):
    settings.HUIJU_PRIVILEGES = {"edit_others": 1234}
    login(client, voter)
    html = client.get(reverse("community:privileges")).content.decode()
    assert "1,234" in html or "1234" in html
    assert 'id="privilege-vote_down"' in html


def test_tag_wiki_edit_needs_privilege(client, question, voter, make_user):
    tag = Tag.objects.get(name="apollo")
    login(client, voter)
    assert client.get(reverse("community:tag_edit", args=[tag.slug])).status_code == 403
    login(client, make_user("editor", reputation=2500))
    client.post(
        reverse("community:tag_edit", args=[tag.slug]),
        {"wiki_excerpt": "Baidu's open autonomous driving platform.", "wiki_body": "**Apollo**"},
    )
    tag.refresh_from_db()
    assert tag.wiki_excerpt.startswith("Baidu") and "<strong>" in tag.wiki_html


def test_cached_thread_for_anonymous_readers_follows_every_write(
    client, question, answer_to, voter, asker, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        url = question.get_absolute_url()
    assert "No answers yet" in client.get(url).content.decode()

    def after(write):
        with django_capture_on_commit_callbacks(execute=True):
            result = write()
        return result, client.get(url).content.decode()

    answer, html = after(lambda: answer_to(question, body="A fresh answer that must appear."))
    assert "A fresh answer that must appear." in html
    _, html = after(lambda: services.vote_cast(user=voter, post=answer, value=1))
    assert (
        'name="csrfmiddlewaretoken"' not in html.split('id="question"')[1].split("your-answer")[0]
    )
    assert f'id="answer-{answer.pk}"' in html
    _, html = after(lambda: services.answer_accept(answer=answer, user=asker))
    assert "qa-answer--accepted" in html
    _, html = after(
        lambda: services.comment_create(author=voter, answer=answer, body="A comment shown now")
    )
    assert "A comment shown now" in html
    _, html = after(
        lambda: services.answer_edit(
            answer=answer, editor=answer.author, body="Edited answer body."
        )
    )
    assert "Edited answer body." in html
    # Signed-in members never get the anonymous rendering.
    client.force_login(voter)
    page = client.get(url).content.decode()
    assert f'action="/en/posts/answer/{answer.pk}/vote/"' in page


def test_anonymous_list_cache_shows_new_questions_at_once(
    client, ask, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    ask(title="The first question in the list")
    url = reverse("community:question_list")
    client.get(url)
    with django_assert_max_num_queries(1):  # the items come from the cache
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        ask(title="A brand new question to list")
    assert "A brand new question to list" in client.get(url).content.decode()


def test_moderators_lock_and_undelete_from_the_page(client, question, moderator, voter):
    login(client, voter)
    response = client.post(reverse("community:question_lock", args=[question.pk]))
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.locked  # refused: not a moderator
    login(client, moderator)
    client.post(reverse("community:question_lock", args=[question.pk]), {"locked": "1"})
    question.refresh_from_db()
    assert question.locked
    services.post_delete(post=question, user=moderator)
    assert client.get(question.get_absolute_url()).status_code == 200  # moderators still see it
    client.post(reverse("community:post_undelete", args=["question", question.pk]))
    question.refresh_from_db()
    assert not question.is_deleted
    login(client, voter)
    client.post(reverse("community:post_undelete", args=["question", question.pk]))


def test_concurrent_edit_is_refused_without_losing_text(client, question, asker, make_user):
    editor = make_user("wiki_editor", reputation=5000)
    login(client, asker)
    form = client.get(reverse("community:question_edit", args=[question.pk])).context["form"]
    base = form.initial["base_revision"]
    services.question_edit(  # someone else saves first
        question=question,
        editor=editor,
        title=question.title,
        body=question.body + "\n\nThe editor's addition.",
        tags=["apollo", "c++"],
    )
    mine = question.body + "\n\nMy own addition."
    data = {"title": question.title, "body": mine, "tags": "apollo c++", "base_revision": base}
    response = client.post(reverse("community:question_edit", args=[question.pk]), data)
    assert response.status_code == 400
    assert "My own addition." in response.content.decode()
    question.refresh_from_db()
    assert "The editor's addition." in question.body and "My own addition." not in question.body
    # Saving again (after reading the warning) applies on top of the newest revision.
    data["base_revision"] = response.context["form"].data["base_revision"]
    client.post(reverse("community:question_edit", args=[question.pk]), data)
    question.refresh_from_db()
    assert "My own addition." in question.body and question.revisions.count() == 3
