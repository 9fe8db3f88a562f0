"""Live-session questions reach search only while every attendee can see them."""

import pytest

from events import services
from events.models import LiveQuestion
from search.models import SearchEntry
from search.selectors import search_query
from tests.events import conftest as events_fixtures

pytestmark = pytest.mark.django_db

host = events_fixtures.host
live_session = events_fixtures.live_session
make_session = events_fixtures.make_session
platform = events_fixtures.platform


def _ids(text):
    return [(h.kind, h.object_id) for h in search_query(text).hits]


@pytest.fixture
def attendee(make_user):
    return make_user("attendee")


@pytest.fixture
def asked(live_session, attendee, django_capture_on_commit_callbacks):
    def ask(body, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return services.question_ask(session=live_session, user=attendee, body=body, **options)

    return ask


def test_an_approved_question_and_its_answer_are_found(
    asked, host, live_session, django_capture_on_commit_callbacks
):
    question = asked("激光雷达标定怎么做？")
    key = ("live", str(question.pk))
    assert _ids("激光雷达 标定 is:live") == [key]
    assert _ids("激光雷達") == [key]  # traditional finds simplified
    hit = search_query("激光雷达").hits[0]
    assert hit.url.endswith(f"{live_session.get_absolute_url()}#q{question.pk}")
    assert hit.author == "attendee" and hit.subdomain == "autonomous-driving"
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            question=question, user=host, answer="先用 **Apollo** 的标定工具。"
        )
    assert _ids("标定工具 is:answered") == [key]
    assert "**" not in SearchEntry.objects.get(kind="live").body


def test_hidden_and_pending_questions_are_not_found(
    asked, host, live_session, django_capture_on_commit_callbacks
):
    question = asked("点云配准失败")
    assert _ids("点云配准")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_hide(question=question, user=host)
    assert _ids("点云配准") == []
    assert not SearchEntry.objects.filter(kind="live").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.question_approve(question=question, user=host)
    assert _ids("点云配准") == [("live", str(question.pk))]


def test_premoderated_questions_wait_for_approval(
    make_session, attendee, host, django_capture_on_commit_callbacks
):
    session = make_session(status="live", premoderation=True)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(session=session, user=attendee, body="量化 精度 下降")
    assert question.status == LiveQuestion.Status.PENDING
    assert _ids("量化 精度") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.question_approve(question=question, user=host)
    assert _ids("量化 精度") == [("live", str(question.pk))]


def test_anonymous_askers_stay_anonymous(asked):
    asked("匿名提问 仿真器崩溃", anonymous=True)
    entry = SearchEntry.objects.get(kind="live")
    assert entry.author == ""
    assert "attendee" not in entry.body
    assert _ids("user:attendee 仿真器") == []


def test_deleting_the_session_removes_its_questions(
    asked, live_session, django_capture_on_commit_callbacks
):
    asked("地图 更新 频率")
    with django_capture_on_commit_callbacks(execute=True):
        live_session.delete()
    assert _ids("地图 更新") == []
    assert not SearchEntry.objects.filter(kind="live").exists()


def test_renaming_the_session_reindexes_its_questions(
    asked, live_session, django_capture_on_commit_callbacks
):
    question = asked("感知模块 延迟")
    with django_capture_on_commit_callbacks(execute=True):
        live_session.title = "Perception deep dive"
        live_session.save()
    assert _ids("perception deep dive") == [("live", str(question.pk))]
