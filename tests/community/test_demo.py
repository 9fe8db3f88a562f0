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
