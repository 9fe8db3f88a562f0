"""The Django admin audits posts; their text changes only through the site's edit flow."""

import pytest
from django.urls import reverse

from community import services
from community.models import Answer, Article, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user):
    user = make_user("root", reputation=1)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _change_form(client, obj):
    url = reverse(f"admin:community_{obj._meta.model_name}_change", args=[obj.pk])
    return url, client.get(url)


@pytest.mark.parametrize("model", [Question, Answer, Article])
def test_post_text_is_read_only_in_the_admin(client, admin_user, asker, answerer, model):
    question = services.question_ask(
        author=asker, title="How do I calibrate the lidar?", body="Calibration **fails** on every run of the tool.",
        tags=["lidar"], enforce_limits=False,
    )  # fmt: skip
    posts = {
        Question: question,
        Answer: services.answer_create(
            question=question, author=answerer, body="Run the **tool** again with the board in view.",
            enforce_limits=False,
        ),
        Article: services.article_create(
            author=asker, title="Lidar calibration notes", body="Notes **here** on how the calibration went: the board, the distances, the lighting and the tool versions we used on each run.",
            tags=["lidar"], enforce_limits=False,
        ),
    }  # fmt: skip
    post = posts[model]
    client.force_login(admin_user)
    url, page = _change_form(client, post)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "body" not in form.fields  # shown, not editable
    assert page.context["adminform"].readonly_fields
    before = (post.body, post.body_html)
    client.post(url, {"body": "Replaced behind the revision history."})
    post.refresh_from_db()
    assert (post.body, post.body_html) == before
