"""The community demo data: realistic threads whose reputation adds up."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_threads_are_complete_and_consistent(settings):
    from community.models import Answer, Comment, Question, Tag, Vote

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert Question.objects.count() >= 20
    assert Answer.objects.count() >= 15 and Comment.objects.exists() and Vote.objects.exists()
    assert Question.objects.filter(accepted_answer__isnull=False).count() >= 10
    assert Question.objects.filter(answer_count=0).exists()  # the unanswered list has content
    assert Question.objects.filter(title__contains="Apollo").exists()
    assert Question.objects.exclude(subdomain=None).count() == Question.objects.count()
    assert Tag.objects.get(name="torch").canonical.name == "pytorch"
    # Threads link to the knowledge demo's open resources ("Ask about this resource").
    assert Question.objects.filter(resource_links__isnull=False).count() >= 10
    call_command("recompute_reputation", "--check", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Question.objects.count() == len({q.title for q in Question.objects.all()})


def test_demo_articles_and_badges_are_idempotent(settings):
    from community.models import Article, BadgeAward, Comment

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    titles = set(Article.objects.values_list("title", flat=True))
    assert len(titles) == 3 and any("Jetson" in t for t in titles)
    assert any(t.isascii() for t in titles) and not all(t.isascii() for t in titles)
    assert Article.objects.filter(score__gt=0).count() == 3
    assert Comment.objects.filter(article__isnull=False).exists()
    awards = set(BadgeAward.objects.values_list("user_id", "badge"))
    assert ("writer" in {badge for _user, badge in awards}) and len(awards) > 10
    call_command("recompute_reputation", "--check", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Article.objects.count() == 3
    assert set(BadgeAward.objects.values_list("user_id", "badge")) == awards
