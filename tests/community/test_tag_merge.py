"""Moderators merge a tag into another: it becomes a synonym, its posts, followers and
synonyms move, counts stay right, search and cached pages follow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from community import services
from community.models import ModerationAction, QuestionTag, Tag
from search.selectors import search_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(ask, asker, voter, django_capture_on_commit_callbacks):
    """Two questions on [py] (one also on [python]), one on [python] only, one article on [py]."""
    with django_capture_on_commit_callbacks(execute=True):
        only_short = ask(title="How do I install the SDK with pip on Windows?", tags=["py", "sdk"])
        both = ask(title="Which interpreter version does the SDK need?", tags=["python", "py"])
        only_long = ask(title="Where does the SDK keep its cache?", tags=["python"])
        article = services.article_create(
            author=asker,
            title="Packaging our perception models as wheels, step by step",
            body="We build wheels for three platforms and publish them to our own package index. "
            "Here is how we set up the build matrix, signing and the upload step.",
            tags=["py"],
        )
    services.tag_follow(tag=Tag.objects.get(name="py"), user=voter)
    return {"only_short": only_short, "both": both, "only_long": only_long, "article": article}


def test_merge_moves_posts_followers_and_synonyms(
    client, tagged, moderator, voter, django_capture_on_commit_callbacks
):
    source, target = Tag.objects.get(name="py"), Tag.objects.get(name="python")
    with translation.override("en"):
        page = tagged["only_short"].get_absolute_url()
    assert 'href="/en/tags/py/"' in client.get(page).content.decode()  # now cached
    older = Tag.objects.create(name="python3", canonical=source)
    with django_capture_on_commit_callbacks(execute=True):
        merged = services.tag_merge(source=source, target=target, moderator=moderator)
    assert (merged.questions, merged.articles, merged.followers) == (2, 1, 1)
    source.refresh_from_db(), target.refresh_from_db(), older.refresh_from_db()
    assert source.canonical == target and older.canonical == target
    assert (source.question_count, target.question_count) == (0, 3)
    assert not QuestionTag.objects.filter(tag=source).exists()
    for question in tagged["only_short"], tagged["both"], tagged["only_long"]:
        assert list(question.tags.values_list("name", flat=True)).count("python") == 1
    assert list(tagged["only_short"].tags.values_list("name", flat=True)) == ["python", "sdk"]
    assert list(tagged["article"].tags.values_list("name", flat=True)) == ["python"]
    assert voter in target.followers.all() and not source.followers.exists()
    assert ModerationAction.objects.filter(action="tag_merged", actor=moderator).exists()
    html = client.get(page).content.decode()  # the cached thread follows
    assert 'href="/en/tags/python/"' in html and 'href="/en/tags/py/"' not in html
    # The index follows: [python] finds every post that had either tag.
    hits = {(h.kind, h.object_id) for h in search_query("[python]", {}).hits}
    assert ("question", str(tagged["only_short"].pk)) in hits
    assert ("article", str(tagged["article"].pk)) in hits
    # Asking with the old name now files under the main tag.
    question = services.question_ask(
        author=tagged["only_long"].author,
        title="Does the SDK support Python 3.13 yet?",
        body="I tried the new interpreter and the import fails with an ABI error.",
        tags=["py"],
    )
    assert list(question.tags.values_list("name", flat=True)) == ["python"]


def test_merge_refusals(tagged, moderator, voter):
    source, target = Tag.objects.get(name="py"), Tag.objects.get(name="python")
    with pytest.raises(PermissionDenied):
        services.tag_merge(source=source, target=target, moderator=voter)
    with pytest.raises(ValidationError):
        services.tag_merge(source=target, target=target, moderator=moderator)
    services.tag_merge(source=source, target=target, moderator=moderator)
    with pytest.raises(ValidationError):  # already a synonym
        services.tag_merge(source=source, target=target, moderator=moderator)
    with pytest.raises(ValidationError):  # into a synonym
        services.tag_merge(source=Tag.objects.get(name="sdk"), target=source, moderator=moderator)


def test_merge_page_for_moderators_only(client, tagged, moderator, voter, make_user):
    with translation.override("en"):
        url = reverse("community:tag_merge", kwargs={"slug": "python"})
        edit_url = reverse("community:tag_edit", args=["python"])
    client.force_login(voter)
    assert client.post(url, {"source": "py"}).status_code == 403
    assert Tag.objects.get(name="py").canonical is None
    from community import conf

    client.force_login(make_user("editor", reputation=conf.threshold("edit_others")))
    edit = client.get(edit_url)  # editors edit the wiki; only moderators merge
    assert edit.status_code == 200 and url not in edit.content.decode()
    client.force_login(moderator)
    with translation.override("en"):
        edit = client.get(edit_url).content.decode()
        assert url in edit
        missing = client.post(url, {"source": "no-such-tag"})
        assert missing.status_code == 400 and "There is no tag" in missing.content.decode()
        response = client.post(url, {"source": " Py "}, follow=True)
    assert response.redirect_chain[-1][0].endswith("/tags/python/")
    assert "Merged [py] into [python]" in response.content.decode()
    assert client.get(reverse("community:tag_detail", args=["py"])).status_code == 301


def test_merge_needs_post_and_csrf(tagged, moderator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    url = reverse("community:tag_merge", kwargs={"slug": "python"})
    assert client.get(url).status_code == 405
    assert client.post(url, {"source": "py"}).status_code == 403
    assert Tag.objects.get(name="py").canonical is None
