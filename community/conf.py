"""Reputation points, privilege thresholds and posting limits, overridable in settings.

Set any subset in settings, e.g. ``HUIJU_PRIVILEGES = {"edit_others": 1000}``;
missing keys keep these defaults (modelled on Stack Overflow's and Discourse's).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_REPUTATION = {
    "question_upvoted": 10,
    "question_downvoted": -2,
    "answer_upvoted": 10,
    "answer_downvoted": -2,
    "article_upvoted": 10,
    "article_downvoted": -2,
    "downvote_cast": -1,  # the voter pays a little for down-voting an answer
    "answer_accepted": 15,
    "accepted_an_answer": 2,  # the asker, for accepting someone else's answer
    "suggested_edit_approved": 2,
}

DEFAULT_PRIVILEGES = {
    "ask": 1,
    "flag": 15,
    "vote_up": 15,
    "comment": 50,
    "vote_down": 125,
    "edit_others": 2000,
    "close_reopen": 3000,
    "moderate": 10000,
    # Below this, posting limits for new members apply (stricter rates, few links).
    "established": 10,
}

# Rates in core.ratelimit syntax; "member" for established members, "new" below
# the "established" threshold, "ip" per client address whoever is signed in.
DEFAULT_RATE_LIMITS = {
    "question": {"member": "1/15s", "new": "1/2m", "ip": "20/h"},
    "question_daily": {"member": "50/d", "new": "5/d"},
    "answer": {"member": "1/10s", "new": "1/1m", "ip": "60/h"},
    "comment": {"member": "1/5s", "new": "1/30s", "ip": "120/h"},
    "vote": {"member": "30/m", "new": "10/m", "ip": "120/m"},
    "preview": {"member": "60/m", "new": "60/m", "ip": "120/m"},
    "flag": {"member": "10/m", "new": "3/m", "ip": "30/m"},
    "flag_daily": {"member": "100/d", "new": "10/d"},
    "suggest_edit": {"member": "1/30s", "new": "1/1m", "ip": "30/h"},
    "article": {"member": "1/1m", "new": "1/10m", "ip": "10/h"},
    "article_daily": {"member": "10/d", "new": "2/d"},
}

# Moderation: how many close (or reopen) votes decide, how many spam/rude flags
# hide a post until a moderator reviews it, and how fast members may flag.
DEFAULT_MODERATION = {
    "close_votes": 3,
    "reopen_votes": 3,
    "auto_hide_flags": 3,
}

DEFAULT_POSTING = {
    "new_member_max_links": 2,
    "duplicate_window_hours": 24,
}

PRIVILEGE_LABELS = {
    "ask": _("Ask questions and post answers"),
    "flag": _("Flag posts for moderators"),
    "vote_up": _("Vote up"),
    "comment": _("Comment on any post (you can always comment on your own posts)"),
    "vote_down": _("Vote down"),
    "edit_others": _("Edit other members' questions and answers"),
    "close_reopen": _("Close and reopen questions"),
    "moderate": _("Use moderation tools: lock, delete and undelete posts"),
    "established": _("Posting limits for new members lifted"),
}

REPUTATION_LABELS = {
    "question_upvoted": _("Your question is voted up"),
    "question_downvoted": _("Your question is voted down"),
    "answer_upvoted": _("Your answer is voted up"),
    "answer_downvoted": _("Your answer is voted down"),
    "article_upvoted": _("Your article is voted up"),
    "article_downvoted": _("Your article is voted down"),
    "downvote_cast": _("You vote down an answer"),
    "answer_accepted": _("Your answer is accepted"),
    "accepted_an_answer": _("You accept an answer to your question"),
    "suggested_edit_approved": _("Your suggested edit is approved"),
}


def _merged(name: str, defaults: dict) -> dict:
    return {**defaults, **getattr(settings, name, {})}


def reputation_points() -> dict[str, int]:
    return _merged("HUIJU_REPUTATION", DEFAULT_REPUTATION)


def points(kind: str) -> int:
    return int(reputation_points().get(kind, 0))


def privileges() -> dict[str, int]:
    return _merged("HUIJU_PRIVILEGES", DEFAULT_PRIVILEGES)


def threshold(privilege: str) -> int:
    return int(privileges()[privilege])


def rate_limits() -> dict[str, dict[str, str]]:
    merged = dict(DEFAULT_RATE_LIMITS)
    for action, rates in getattr(settings, "HUIJU_RATE_LIMITS", {}).items():
        merged[action] = {**merged.get(action, {}), **rates}
    return merged


def posting() -> dict[str, int]:
    return _merged("HUIJU_POSTING", DEFAULT_POSTING)


def moderation() -> dict[str, int]:
    """Close/reopen vote counts and the auto-hide flag threshold (``HUIJU_MODERATION``)."""
    return _merged("HUIJU_MODERATION", DEFAULT_MODERATION)
