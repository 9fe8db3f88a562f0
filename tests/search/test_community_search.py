"""Questions and answers reach search through the outbox, and leave it when deleted."""

import pytest

from community import services
from search.models import SearchEntry
from search.selectors import search_query
from tests.community import conftest as community_fixtures

pytestmark = pytest.mark.django_db

# The Q&A test fixtures (members, catalogue, ask/answer helpers).
answer_to = community_fixtures.answer_to
answerer = community_fixtures.answerer
ask = community_fixtures.ask
asker = community_fixtures.asker
moderator = community_fixtures.moderator
relaxed_rate_limits = community_fixtures.relaxed_rate_limits
resource = community_fixtures.resource
subdomain = community_fixtures.subdomain
voter = community_fixtures.voter


def _ids(text, **filters):
    return [(h.kind, h.object_id) for h in search_query(text, filters).hits]


@pytest.fixture
def question(ask, subdomain, resource, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ask(
            title="Apollo 仿真環境安裝失敗",
            body="按照**文档**安装仿真器时报错 `libcuda` missing",
            tags=["apollo", "仿真"],
            subdomain=subdomain,
            resources=[(resource, resource.versions.get())],
        )


def test_an_asked_question_is_found_with_its_operators(question):
    key = ("question", str(question.pk))
    assert _ids("仿真环境 安装") == [key]
    entry = SearchEntry.objects.get(kind="question")
    assert entry.body.startswith("按照文档安装")  # Markdown reduced to text
    assert "自动驾驶" in entry.body  # its sub-domain, so the field name finds it
    assert entry.platform == "baidu" and entry.author == "asker"
    assert _ids("[apollo] is:question is:unanswered") == [key]
    assert _ids("resource:apollo@9.0 user:asker subdomain:autonomous-driving") == [key]


def test_answers_votes_and_acceptance_update_the_index(
    question, answer_to, voter, asker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_to(question, body="先安装 CUDA 驱动再启动容器。")
    assert ("answer", str(answer.pk)) in _ids("CUDA 驱动")
    assert _ids("is:answered is:question") == [("question", str(question.pk))]
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=voter, post=question, value=1)
        services.answer_accept(answer=answer, user=asker)
    assert _ids("is:question score:1 is:accepted") == [("question", str(question.pk))]
    assert _ids("is:answer is:accepted") == [("answer", str(answer.pk))]


def test_deleted_posts_never_appear(
    question, answer_to, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_to(question, body="先安装 CUDA 驱动再启动容器。")
        services.post_delete(post=answer, user=moderator)
    assert _ids("CUDA") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=question, user=moderator)
    assert _ids("仿真") == [] and not SearchEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_undelete(post=question, user=moderator)
    assert _ids("仿真") == [("question", str(question.pk))]


def test_similar_questions_for_a_new_title(client, question):
    response = client.get("/search/similar/", {"title": "仿真器安裝報錯怎麼辦"})
    assert [r["url"] for r in response.json()["results"]] == [question.get_absolute_url()]


def test_the_ask_form_includes_the_similar_questions_widget(client, asker):
    client.force_login(asker)
    html = client.get("/questions/ask/").content.decode()
    assert "data-similar-questions" in html and 'data-input="id_title"' in html
