"""Who may do what in the Q&A, by reputation (see community.conf) and role.

Each ``can_*`` returns a bool for templates; services call :func:`require`,
which raises ``PermissionDenied`` with a message the member can act on.
Moderators (accounts.roles) hold every privilege.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from community import conf


def _active(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not getattr(user, "is_suspended", False)
    )


def has_privilege(user, privilege: str) -> bool:
    if not _active(user):
        return False
    return is_moderator(user) or user.reputation >= conf.threshold(privilege)


def is_new_member(user) -> bool:
    """New members get stricter posting limits until they earn a little reputation."""
    return not is_moderator(user) and user.reputation < conf.threshold("established")


def _question_of(post):
    """The thread a question or answer belongs to; None for an article (no thread)."""
    if post.kind == "article":
        return None
    return post if post.kind == "question" else post.question


def _locked(post) -> bool:
    question = _question_of(post)
    return question is not None and question.locked


def can_ask(user) -> bool:
    return has_privilege(user, "ask")


def can_write_article(user) -> bool:
    """Experience posts need the same (lowest) privilege as asking; limits do the rest."""
    return has_privilege(user, "ask")


def can_answer(user, question) -> bool:
    if not has_privilege(user, "ask") or question.is_deleted:
        return False
    if question.locked and not is_moderator(user):
        return False
    return not question.is_closed or is_moderator(user)


def can_comment(user, post) -> bool:
    """Anyone above the threshold; below it, on your own posts and on answers to your question."""
    if not _active(user) or post.is_deleted:
        return False
    if _locked(post) and not is_moderator(user):
        return False
    question = _question_of(post)
    if post.author_id == user.pk or (question is not None and question.author_id == user.pk):
        return True
    return has_privilege(user, "comment")


def can_vote(user, post, value: int) -> bool:
    if not _active(user) or post.is_deleted or post.author_id == user.pk:
        return False
    if _locked(post):
        return False
    return has_privilege(user, "vote_up" if value > 0 else "vote_down")


def can_edit(user, post) -> bool:
    if not _active(user) or (post.is_deleted and not is_moderator(user)):
        return False
    if _locked(post) and not is_moderator(user):
        return False
    if post.kind == "article":  # a signed personal account: its author and moderators only
        return post.author_id == user.pk or can_moderate(user)
    return post.author_id == user.pk or has_privilege(user, "edit_others")


def can_accept(user, answer) -> bool:
    question = answer.question
    return (
        _active(user)
        and question.author_id == user.pk
        and not answer.is_deleted
        and not question.is_deleted
        and not question.locked
    )


def can_close(user, question) -> bool:
    return not question.is_deleted and has_privilege(user, "close_reopen")


def can_delete(user, post) -> bool:
    """Authors delete their own posts unless an accepted answer hangs on them; moderators always."""
    if not _active(user):
        return False
    if is_moderator(user) or has_privilege(user, "moderate"):
        return True
    if post.author_id != user.pk or post.is_deleted:
        return False
    if post.kind == "question":
        return post.accepted_answer_id is None and post.answer_count == 0
    if post.kind == "article":
        return True
    return not post.is_accepted


def can_moderate(user) -> bool:
    return has_privilege(user, "moderate")


def suspension_message(user) -> str:
    """What a suspended member is told: until when, and why."""
    from django.utils import formats, timezone

    until = formats.date_format(timezone.localtime(user.suspended_until), "DATETIME_FORMAT")
    message = _("Your account is suspended until %(until)s.") % {"until": until}
    if user.suspension_reason:
        message += " " + _("Reason: %(reason)s") % {"reason": user.suspension_reason}
    return message


def require_not_suspended(user) -> None:
    """Suspended members may read but not write; every write service calls this first."""
    if getattr(user, "is_suspended", False):
        raise PermissionDenied(suspension_message(user))


def can_flag(user, post) -> bool:
    if not _active(user) or post.is_deleted or getattr(post, "author_id", None) == user.pk:
        return False
    return has_privilege(user, "flag")


def can_suggest_edit(user, post) -> bool:
    """Members below the edit threshold propose edits to others' posts for review."""
    if not _active(user) or post.is_deleted or post.kind == "article" or _locked(post):
        return False
    return not can_edit(user, post)


def can_review_edits(user) -> bool:
    return has_privilege(user, "edit_others")


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do that."))


def denial_reason(user, privilege: str) -> str:
    """Why a member may not do something yet, naming the reputation they need."""
    if not getattr(user, "is_authenticated", False):
        return _("Sign in first.")
    if getattr(user, "is_suspended", False):
        return suspension_message(user)
    return _("You need %(points)d reputation to do that (you have %(current)d).") % {
        "points": conf.threshold(privilege),
        "current": user.reputation,
    }
