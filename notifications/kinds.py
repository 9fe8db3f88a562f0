"""The kinds of notification Huiju sends, with their translatable wording.

Each kind says how one notification reads in the inbox and in the email digest.
Wording is stored as a lazy format string and rendered in the reader's language
at display time; only member-written parts (actor name, post title) are stored.
Apps add kinds with :func:`register_kind` (in ``AppConfig.ready``) so the inbox
and the preferences page need no knowledge of who sends what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise  # shown on the preferences page
    message: Promise  # "%(actor)s answered your question" etc.
    email_default: bool = True


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    return _kinds.get(key) or Kind(key, _("Other"), _("%(actor)s did something"))


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in _kinds.values()]


for _kind in [
    Kind("answer", _("Answers to my questions"), _("%(actor)s answered your question")),
    Kind("comment", _("Comments on my posts"), _("%(actor)s commented on your post")),
    Kind("mention", _("@mentions"), _("%(actor)s mentioned you")),
    Kind("accepted", _("Accepted answers"), _("%(actor)s accepted your answer")),
    Kind(
        "followed_tag", _("New questions in tags I follow"), _("New question in a tag you follow")
    ),
    Kind(
        "followed_question",
        _("Activity on questions I follow"),
        _("%(actor)s added an answer to a question you follow"),
    ),
    Kind("edit", _("Edits of my posts"), _("%(actor)s edited your post"), email_default=False),
    Kind("moderation", _("Moderation decisions"), _("A moderator reviewed your post")),
    Kind(
        "suggested_edit_approved",
        _("My suggested edits approved"),
        _("%(actor)s approved your suggested edit"),
    ),
    Kind(
        "suggested_edit_rejected",
        _("My suggested edits rejected"),
        _("%(actor)s rejected your suggested edit"),
    ),
    Kind(
        "flag",
        _("New flags for moderators"),
        _("%(actor)s flagged a post for moderators"),
        email_default=False,
    ),
    Kind(
        "collaboration",
        _("Collaboration board"),
        _("%(actor)s responded on the collaboration board"),
    ),
    Kind("live_session", _("Live sessions"), _("Live session update")),
    Kind("badge", _("Badges"), _("You earned a badge"), email_default=False),
]:
    register_kind(_kind)
