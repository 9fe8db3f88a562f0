"""The webhook event types platforms may subscribe to, with their documented payloads.

Every delivery body has the same envelope::

    {
      "event": "answer.accepted",
      "delivery": "3f1c…",             # also in the X-Huiju-Delivery header
      "emitted_at": "2026-11-25T09:30:00+00:00",
      "platform": {"slug": "baidu", "name": "百度"},
      "data": { … }                    # the event's own shape, documented below
    }

Apps add event types with :func:`register_event`; the settings page lists them
(with the example) so platform staff know what they will receive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PING = "ping"


@dataclass(frozen=True)
class EventType:
    key: str
    label: Promise
    description: Promise
    example: dict[str, Any] = field(default_factory=dict)
    subscribable: bool = True  # ``ping`` is sent on request only


_events: dict[str, EventType] = {}


def register_event(event: EventType) -> EventType:
    _events[event.key] = event
    return event


def get_event(key: str) -> EventType | None:
    return _events.get(key)


def subscribable_events() -> list[EventType]:
    return [event for event in _events.values() if event.subscribable]


def event_choices() -> list[tuple[str, Promise]]:
    return [(event.key, event.label) for event in subscribable_events()]


_USER = {
    "username": "lihua",
    "display_name": "李华",
    "url": "https://huiju.example.cn/users/lihua/",
}
_RESOURCE = {
    "slug": "apollo",
    "name": "Apollo",
    "kind": "toolkit",
    "url": "https://huiju.example.cn/resources/apollo/",
}
_QUESTION = {
    "id": 1024,
    "title": "Apollo 9.0 的感知模块如何接入自定义激光雷达？",
    "url": "https://huiju.example.cn/questions/1024/",
    "tags": ["apollo", "lidar"],
    "subdomain": "autonomous-driving",
    "author": _USER,
    "excerpt": "我们使用的是 32 线激光雷达……",
    "created_at": "2026-11-25T09:30:00+00:00",
}

register_event(
    EventType(
        key=PING,
        label=_("Ping"),
        description=_("Sent when you press “Send test ping”, to check the receiver."),
        example={"message": "Hello from Huiju", "endpoint": 7},
        subscribable=False,
    )
)
register_event(
    EventType(
        key="question.about_resource",
        label=_("Question about one of our resources"),
        description=_(
            "A member asked a question linked to one of your platform's open resources. "
            "Sent once per linked resource."
        ),
        example={"question": _QUESTION, "resource": _RESOURCE},
    )
)
register_event(
    EventType(
        key="answer.accepted",
        label=_("Answer accepted"),
        description=_(
            "The asker accepted an answer on a question linked to one of your resources."
        ),
        example={
            "question": _QUESTION,
            "answer": {
                "id": 2048,
                "url": "https://huiju.example.cn/questions/1024/#answer-2048",
                "author": _USER,
                "excerpt": "在 modules/perception 下新增驱动……",
            },
            "resources": [_RESOURCE],
        },
    )
)
register_event(
    EventType(
        key="live.registration",
        label=_("Live session registration"),
        description=_("A member registered for one of your platform's live sessions."),
        example={
            "session": {
                "id": 12,
                "title": "Apollo 感知模块答疑",
                "url": "https://huiju.example.cn/live/12/",
                "starts_at": "2026-12-01T14:00:00+08:00",
            },
            "attendee": _USER,
            "registrations": 87,
        },
    )
)
register_event(
    EventType(
        key="resource.updated",
        label=_("Resource created or updated"),
        description=_(
            "One of your open resources was created, edited or got a new version "
            "(from the site, the CMS or the API)."
        ),
        example={
            "change": "version_added",
            "resource": {**_RESOURCE, "versions": ["9.0", "9.1"], "updated_at": "…"},
            "version": {"version": "9.1", "released_on": "2026-11-20", "notes": "…"},
        },
    )
)
