"""Scheduling and editing live sessions from the site (platform staff, not the admin)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from events import services
from events.models import LiveSession

pytestmark = pytest.mark.django_db

NEW = reverse("events:session_schedule")


def _t(message: str) -> str:
    """``message`` as the pages show it (in the site's default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return escape(gettext(message))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def staffer(make_user, platform):
    user = make_user("staffer")
    platform.staff.add(user)
    return user


@pytest.fixture
def other_platform(platform):
    from knowledge.models import OpenResource, Platform

    other = Platform.objects.create(
        slug="iflytek",
        subdomain=platform.subdomain,
        name_zh_hans="科大讯飞",
        name_zh_hant="科大訊飞",
        name_en="iFlytek",
        year_designated=2017,
    )
    other.resource = OpenResource.objects.create(
        platform=other, slug="spark", name="Spark", kind="model"
    )
    return other


def _data(platform, **overrides):
    starts = timezone.now() + timedelta(days=2)
    data = {
        "platform": platform.pk,
        "title": "Apollo perception deep dive",
        "description": "We cover **lidar** fusion.",
        "starts_at": _local(starts),
        "ends_at": _local(starts + timedelta(hours=1)),
        "stream_url": "https://live.example.com/apollo",
        "premoderation": "on",
        "hosts": "",
        "moderators": "",
    }
    data.update(overrides)
    return data


def test_staff_schedule_a_session(client, staffer, platform, resource, make_user):
    helper = make_user("helper")
    client.force_login(staffer)
    page = client.get(NEW).content.decode()
    assert f'<option value="{platform.pk}" selected>' in page  # the only platform, preselected
    response = client.post(NEW, _data(platform, resources=[resource.pk], hosts="helper"))
    assert response.status_code == 302
    session = LiveSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert session.slug == "apollo-perception-deep-dive"
    assert session.status == LiveSession.Status.SCHEDULED
    assert session.subdomain == platform.subdomain
    assert session.premoderation
    assert set(session.hosts.all()) == {staffer, helper}
    assert list(session.resources.all()) == [resource]
    assert (
        "Apollo perception deep dive" in client.get(reverse("events:session_list")).content.decode()
    )
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "<strong>lidar</strong>" in detail  # Markdown rendered like every description
    assert reverse("events:session_edit", args=[session.slug]) in detail


def test_unknown_usernames_are_refused(client, staffer, platform):
    client.force_login(staffer)
    response = client.post(NEW, _data(platform, moderators="nobody-here"))
    assert response.status_code == 400
    assert "nobody-here" in response.content.decode()
    assert not LiveSession.objects.exists()


def test_slug_is_unique_and_falls_back_for_non_ascii_titles(staffer, platform):
    starts = timezone.now() + timedelta(days=1)
    fields = {"user": staffer, "platform": platform, "starts_at": starts}
    first = services.live_session_schedule(
        title="Office hours", ends_at=starts + timedelta(hours=1), **fields
    )
    second = services.live_session_schedule(
        title="Office hours", ends_at=starts + timedelta(hours=1), **fields
    )
    chinese = services.live_session_schedule(
        title="自动驾驶答疑", ends_at=starts + timedelta(hours=1), **fields
    )
    new = services.live_session_schedule(title="New", ends_at=starts + timedelta(hours=1), **fields)
    assert first.slug == "office-hours"
    assert second.slug.startswith("office-hours-") and second.slug != first.slug
    assert chinese.slug.startswith("live-")
    assert new.slug != "new"  # /live/new/ is the scheduling page
    for session in (first, second, chinese, new):
        assert Client().get(session.get_absolute_url()).status_code == 200


def test_schedule_link_only_for_those_who_may(client, staffer, member):
    client.force_login(member)
    assert NEW not in client.get(reverse("events:session_list")).content.decode()
    client.force_login(staffer)
    assert NEW in client.get(reverse("events:session_list")).content.decode()


def test_non_staff_get_403(client, member, platform):
    assert client.get(NEW).status_code == 302  # anonymous: to the sign-in page
    client.force_login(member)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _data(platform)).status_code == 403
    assert not LiveSession.objects.exists()


def test_staff_of_one_platform_cannot_use_another(
    client, staffer, platform, resource, other_platform
):
    client.force_login(staffer)
    page = client.get(NEW).content.decode()
    assert f'name="resources" value="{resource.pk}"' in page
    assert f'<option value="{platform.pk}"' in page
    assert f'<option value="{other_platform.pk}"' not in page
    assert f'name="resources" value="{other_platform.resource.pk}"' not in page
    response = client.post(NEW, _data(other_platform))
    assert response.status_code == 400
    response = client.post(NEW, _data(platform, resources=[other_platform.resource.pk]))
    assert response.status_code == 400
    assert not LiveSession.objects.exists()


def test_service_refuses_another_platforms_resources(staffer, platform, other_platform):
    from django.core.exceptions import PermissionDenied, ValidationError

    starts = timezone.now() + timedelta(days=1)
    times = {"starts_at": starts, "ends_at": starts + timedelta(hours=1)}
    with pytest.raises(PermissionDenied):
        services.live_session_schedule(user=staffer, platform=other_platform, title="X", **times)
    with pytest.raises(ValidationError):
        services.live_session_schedule(
            user=staffer, platform=platform, title="X", resources=[other_platform.resource], **times
        )


def test_moderators_may_pick_any_platform(client, make_user, platform, other_platform):
    from django.contrib.auth.models import Group

    moderator = make_user("mod")
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    client.force_login(moderator)
    page = client.get(NEW).content.decode()
    assert f'<option value="{platform.pk}"' in page
    assert f'<option value="{other_platform.pk}"' in page
    assert client.post(NEW, _data(other_platform)).status_code == 302
    assert LiveSession.objects.get().platform == other_platform


@pytest.mark.parametrize(
    ("field", "hours", "message"),
    [
        ("ends_at", 1, "The session must end after it starts."),
        ("starts_at", -50, "A new session must start in the future."),
    ],
)
def test_bad_times_are_refused_and_the_input_kept(client, staffer, platform, field, hours, message):
    client.force_login(staffer)
    starts = timezone.now() + timedelta(days=2)
    if field == "ends_at":
        times = {"starts_at": _local(starts), "ends_at": _local(starts - timedelta(hours=hours))}
    else:
        past = timezone.now() + timedelta(hours=hours)
        times = {"starts_at": _local(past), "ends_at": _local(past + timedelta(hours=1))}
    response = client.post(NEW, _data(platform, title="Keep this title", **times))
    assert response.status_code == 400
    body = response.content.decode()
    assert _t(message) in body
    assert 'value="Keep this title"' in body
    assert f'value="{times["starts_at"]}"' in body
    assert not LiveSession.objects.exists()


def test_host_edits_and_stranger_gets_403(client, make_session, host, member, platform, resource):
    session = make_session(title="Before")
    url = reverse("events:session_edit", args=[session.slug])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, _data(platform, title="Hijacked", hosts="member")).status_code == 403
    client.force_login(host)
    page = client.get(url).content.decode()
    assert 'value="Before"' in page and 'value="host"' in page  # prefilled
    starts = session.starts_at + timedelta(days=1)
    response = client.post(
        url,
        _data(
            platform,
            title="After",
            hosts="host",
            resources=[resource.pk],
            starts_at=_local(starts),
            ends_at=_local(starts + timedelta(hours=2)),
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "After"
    assert session.ends_at - session.starts_at == timedelta(hours=2)
    assert list(session.resources.all()) == [resource]
    assert session.events.filter(type="session.status").exists()  # open rooms hear of it


def test_platform_staff_edit_but_not_ended_sessions(client, make_session, staffer, platform):
    session = make_session(status="ended")
    client.force_login(staffer)
    assert client.get(reverse("events:session_edit", args=[session.slug])).status_code == 403
    live = make_session(status="live", starts_at=timezone.now() - timedelta(minutes=5))
    url = reverse("events:session_edit", args=[live.slug])
    moderate = client.get(reverse("events:moderate", args=[live.slug]))
    assert moderate.status_code == 403  # staff edit; they moderate only when hosts
    starts = live.starts_at
    response = client.post(
        url,
        _data(
            platform,
            title="Still live",
            hosts="host",
            starts_at=_local(starts),
            ends_at=_local(starts + timedelta(hours=3)),
        ),
    )
    assert response.status_code == 302  # a started session keeps its past start
    live.refresh_from_db()
    assert live.title == "Still live"


def test_csrf_is_enforced(staffer, platform):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staffer)
    assert client.post(NEW, _data(platform)).status_code == 403
    assert not LiveSession.objects.exists()
    token = client.get(NEW).cookies["csrftoken"].value
    response = client.post(NEW, _data(platform) | {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_scheduling_is_rate_limited_without_losing_input(client, settings, staffer, platform):
    settings.HUIJU = {**settings.HUIJU, "LIVE_RATES": {"schedule": "2/h"}}
    client.force_login(staffer)
    for i in range(2):
        assert client.post(NEW, _data(platform, title=f"Session {i}")).status_code == 302
    response = client.post(NEW, _data(platform, title="One too many"))
    assert response.status_code == 400
    body = response.content.decode()
    assert _t("Too many requests; wait %(seconds)d seconds.").split("%")[0] in body
    assert 'value="One too many"' in body
    assert LiveSession.objects.count() == 2


@pytest.mark.parametrize("n", [1, 15])
def test_form_page_queries_are_bounded(client, staffer, platform, n, django_assert_max_num_queries):
    from knowledge.models import OpenResource

    for i in range(n):
        OpenResource.objects.create(platform=platform, slug=f"r{i}", name=f"R{i}", kind="model")
    client.force_login(staffer)
    with django_assert_max_num_queries(10):
        response = client.get(NEW)
    assert response.status_code == 200
    assert response.content.decode().count('name="resources"') == n
