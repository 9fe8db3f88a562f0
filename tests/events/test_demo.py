"""Demo data has a live, upcoming and archived session, with questions, and is idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from events.models import LiveEvent, LiveQuestion, LiveSession

pytestmark = pytest.mark.django_db


def test_demo_sessions(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    statuses = dict(LiveSession.objects.values_list("slug", "status"))
    assert statuses["apollo-perception-office-hours"] == "live"
    assert statuses["iflytek-asr-streaming-qa"] == "scheduled"
    assert statuses["sensetime-openmmlab-detection-recap"] == "archived"
    archived = LiveSession.objects.get(slug="sensetime-openmmlab-detection-recap")
    assert archived.questions.filter(status="answered").count() == 2
    # The log matches the counter, so demo rooms resync like real ones.
    assert archived.events.count() == archived.sequence
    questions, events = LiveQuestion.objects.count(), LiveEvent.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert (LiveQuestion.objects.count(), LiveEvent.objects.count()) == (questions, events)
