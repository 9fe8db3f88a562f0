"""Moderation writes: flags, close/reopen votes, suspensions and suggested edits.

Like ``community.services``: every function checks permission (suspended members
are refused first), validates, rate-limits where members can spam it, writes in
one transaction and records moderator actions in the audit log
(:class:`~community.models.ModerationAction`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from community import conf, selectors_moderation, services
from community import permissions as perms
from community.audit import audit_record
from community.models import (
    Answer,
    Article,
    CloseReason,
    CloseVote,
    Comment,
    Flag,
    ModerationAction,
    Question,
    Revision,
    SuggestedEdit,
)
from notifications.services import notify, notify_many

Action = ModerationAction.Action
FlaggablePost = Question | Answer | Comment | Article
HIDING_REASONS = (Flag.Reason.SPAM, Flag.Reason.RUDE)
FLAG_TEXT_MIN = 10
SUSPENSION_DAYS_MAX = 365


def post_kind(post: FlaggablePost) -> str:
    return "comment" if isinstance(post, Comment) else post.kind


def _on(post: FlaggablePost) -> dict:
    return {post_kind(post): post}


def _thread_of(post: FlaggablePost) -> Question | Article:
    """The page a post lives on: its question, or the article itself."""
    if isinstance(post, Question | Article):
        return post
    if isinstance(post, Comment) and post.article_id:
        return post.article
    if isinstance(post, Answer):
        return post.question
    return post.question or post.answer.question


# --- flags ------------------------------------------------------------------------------------


def flag_create(
    *,
    reporter,
    post: FlaggablePost,
    reason: str,
    text: str = "",
    duplicate_of: Question | None = None,
    ip: str | None = None,
) -> Flag:
    """Flag a question, answer or comment for moderators (one open flag per member and post).

    Spam and rude flags from enough members (``HUIJU_MODERATION["auto_hide_flags"]``)
    hide the post until a moderator reviews it.
    """
    perms.require_not_suspended(reporter)
    if getattr(post, "author_id", None) == reporter.pk:
        raise ValidationError({"reason": _("You cannot flag your own post.")})
    perms.require(perms.can_flag(reporter, post), perms.denial_reason(reporter, "flag"))
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    text = " ".join((text or "").split())
    if reason == Flag.Reason.OTHER and len(text) < FLAG_TEXT_MIN:
        raise ValidationError(
            {
                "text": _("Tell the moderators what is wrong in at least %(count)d characters.")
                % {"count": FLAG_TEXT_MIN}
            }
        )
    if len(text) > 500:
        raise ValidationError(
            {"text": _("Please keep it under %(count)d characters.") % {"count": 500}}
        )
    if reason == Flag.Reason.DUPLICATE:
        thread = _thread_of(post)
        if isinstance(thread, Article):
            raise ValidationError({"reason": _("Only questions can be duplicates.")})
        if duplicate_of is None or duplicate_of.is_deleted or duplicate_of.pk == thread.pk:
            raise ValidationError({"duplicate_of": _("Name the question this one duplicates.")})
    else:
        duplicate_of = None
    if Flag.objects.filter(reporter=reporter, status=Flag.Status.PENDING, **_on(post)).exists():
        raise ValidationError({"reason": _("You have already flagged this post.")})
    services._check_rate("flag", reporter, ip)
    services._check_rate("flag_daily", reporter, None)
    try:
        with transaction.atomic():
            first = not Flag.objects.filter(status=Flag.Status.PENDING, **_on(post)).exists()
            flag = Flag.objects.create(
                reporter=reporter, reason=reason, text=text, duplicate_of=duplicate_of, **_on(post)
            )
            if reason in HIDING_REASONS:
                _maybe_auto_hide(post)
            transaction.on_commit(selectors_moderation.open_flags_changed, robust=True)
            if first:  # the post enters the queue: tell the moderators once, not per flag
                transaction.on_commit(lambda: _notify_moderators(flag, post), robust=True)
    except IntegrityError:  # the same member's concurrent request won
        raise ValidationError({"reason": _("You have already flagged this post.")}) from None
    return flag


def _maybe_auto_hide(post: FlaggablePost) -> None:
    """Hide the post once enough distinct members flag it as spam or rude."""
    reporters = (
        Flag.objects.filter(status=Flag.Status.PENDING, reason__in=HIDING_REASONS, **_on(post))
        .values("reporter")
        .distinct()
        .count()
    )
    if reporters < conf.moderation()["auto_hide_flags"]:
        return
    post = type(post).objects.select_for_update().get(pk=post.pk)
    if post.is_deleted:
        return
    _hide(post, by=None)
    audit_record(
        actor=None,
        action=Action.AUTO_HIDDEN,
        target=post,
        reason=_("%(count)d spam or rude flags") % {"count": reporters},
    )


def _hide(post: FlaggablePost, *, by) -> None:
    if isinstance(post, Comment):
        services.comment_soft_delete(comment=post, by=by)
    else:
        services.post_soft_delete(post=post, by=by)


def _restore(post: FlaggablePost, *, moderator) -> None:
    if isinstance(post, Comment):
        with transaction.atomic():
            parent = post.post
            type(parent).objects.filter(pk=parent.pk).update(comment_count=F("comment_count") + 1)
            post.is_deleted, post.deleted_at, post.deleted_by = False, None, None
            post.save(update_fields=["is_deleted", "deleted_at", "deleted_by"])
            audit_record(actor=moderator, action=Action.UNDELETED, target=post)
            services._post_changed(parent)
    else:
        services.post_undelete(post=post, user=moderator)


def flags_resolve(
    *, moderator, post: FlaggablePost, helpful: bool, delete: bool = False, reason: str = ""
) -> int:
    """Handle every pending flag on ``post``; returns how many were handled.

    ``helpful`` marks them helpful (and with ``delete`` removes the post); otherwise
    they are declined and a post the flags had hidden is shown again.
    """
    perms.require_not_suspended(moderator)
    perms.require(perms.can_moderate(moderator), perms.denial_reason(moderator, "moderate"))
    with transaction.atomic():
        post = type(post).objects.select_for_update().get(pk=post.pk)
        pending = Flag.objects.filter(status=Flag.Status.PENDING, **_on(post))
        handled = pending.update(
            status=Flag.Status.HELPFUL if helpful else Flag.Status.DECLINED,
            handled_by=moderator,
            handled_at=timezone.now(),
        )
        audit_record(
            actor=moderator,
            action=Action.FLAG_HELPFUL if helpful else Action.FLAG_DISMISSED,
            target=post,
            reason=reason,
        )
        auto_hidden = post.is_deleted and post.deleted_by_id is None
        if helpful and delete:
            if auto_hidden:  # already hidden by the flags: make it the moderator's deletion
                type(post).objects.filter(pk=post.pk).update(deleted_by=moderator)
            elif not post.is_deleted:
                _hide(post, by=moderator)
            audit_record(actor=moderator, action=Action.DELETED, target=post, reason=reason)
        elif not helpful and auto_hidden:
            _restore(post, moderator=moderator)
        transaction.on_commit(selectors_moderation.open_flags_changed, robust=True)
    return handled


def _notify_moderators(flag: Flag, post: FlaggablePost) -> None:
    from django.urls import reverse

    from accounts.roles import moderators

    queue = reverse("community:moderation_queue")
    notify_many(
        recipients=moderators().exclude(pk=flag.reporter_id),
        kind="flag",
        actor=flag.reporter,
        target_url=f"{queue}#flagged-{post_kind(post)}-{post.pk}",
        target_title=_thread_of(post).title,
        excerpt=" — ".join(filter(None, [str(flag.get_reason_display()), flag.text])),
    )


# --- close and reopen votes --------------------------------------------------------------------


def close_vote_cast(
    *, user, question: Question, reason: str, duplicate_of: Question | None = None
) -> bool:
    """Vote to close; enough votes (or one moderator's) close it. Returns whether it closed.

    The question closes with the reason most voters gave; as a duplicate, of the
    target most of them named.
    """
    perms.require_not_suspended(user)
    perms.require(perms.can_close(user, question), perms.denial_reason(user, "close_reopen"))
    if question.is_closed:
        raise ValidationError({"reason": _("This question is already closed.")})
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == question.pk or duplicate_of.is_deleted:
            raise ValidationError({"duplicate_of": _("Name the question this one duplicates.")})
    else:
        duplicate_of = None
    if is_moderator(user):
        with transaction.atomic():
            services.question_close(
                question=question, user=user, reason=reason, duplicate_of=duplicate_of
            )
            _spend_votes(question, CloseVote.Kind.CLOSE)
        return True
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if CloseVote.objects.filter(
            question=question, user=user, kind=CloseVote.Kind.CLOSE, active=True
        ).exists():
            raise ValidationError({"reason": _("You have already voted to close this question.")})
        CloseVote.objects.create(
            question=question,
            user=user,
            kind=CloseVote.Kind.CLOSE,
            reason=reason,
            duplicate_of=duplicate_of,
        )
        votes = list(
            CloseVote.objects.filter(question=question, kind=CloseVote.Kind.CLOSE, active=True)
        )
        if len(votes) < conf.moderation()["close_votes"]:
            return False
        reason, _count = Counter(vote.reason for vote in votes).most_common(1)[0]
        target = None
        if reason == CloseReason.DUPLICATE:
            targets = Counter(v.duplicate_of_id for v in votes if v.duplicate_of_id)
            target = Question.objects.get(pk=targets.most_common(1)[0][0])
        services.question_close(question=question, user=user, reason=reason, duplicate_of=target)
        _spend_votes(question, CloseVote.Kind.CLOSE)
    return True


def reopen_vote_cast(*, user, question: Question) -> bool:
    """Vote to reopen a closed question; enough votes (or a moderator's) reopen it."""
    perms.require_not_suspended(user)
    perms.require(perms.can_close(user, question), perms.denial_reason(user, "close_reopen"))
    if not question.is_closed:
        raise ValidationError({"reason": _("This question is open.")})
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if not is_moderator(user):
            if CloseVote.objects.filter(
                question=question, user=user, kind=CloseVote.Kind.REOPEN, active=True
            ).exists():
                raise ValidationError(
                    {"reason": _("You have already voted to reopen this question.")}
                )
            CloseVote.objects.create(question=question, user=user, kind=CloseVote.Kind.REOPEN)
            count = CloseVote.objects.filter(
                question=question, kind=CloseVote.Kind.REOPEN, active=True
            ).count()
            if count < conf.moderation()["reopen_votes"]:
                return False
        services.question_reopen(question=question, user=user)
        _spend_votes(question, CloseVote.Kind.REOPEN)
    return True


def _spend_votes(question: Question, kind: str) -> None:
    CloseVote.objects.filter(question=question, kind=kind, active=True).update(active=False)


def close_votes_of(*, question: Question, user) -> dict:
    """How many close/reopen votes are pending and whether ``user`` cast one (for the page)."""
    votes = list(
        CloseVote.objects.filter(question=question, active=True).values_list("kind", "user_id")
    )
    return {
        "close": sum(1 for kind, _user in votes if kind == CloseVote.Kind.CLOSE),
        "reopen": sum(1 for kind, _user in votes if kind == CloseVote.Kind.REOPEN),
        "mine": {kind for kind, voter in votes if voter == getattr(user, "pk", None)},
        "needed_close": conf.moderation()["close_votes"],
        "needed_reopen": conf.moderation()["reopen_votes"],
    }


# --- suspensions --------------------------------------------------------------------------------


def member_suspend(*, moderator, member, days: int, reason: str):
    """Suspend ``member`` for ``days``: they keep reading but every write is refused.

    The suspension ends by itself when ``suspended_until`` passes.
    """
    perms.require_not_suspended(moderator)
    perms.require(perms.can_moderate(moderator), perms.denial_reason(moderator, "moderate"))
    if member.pk == moderator.pk or is_moderator(member):
        raise ValidationError({"days": _("Moderators cannot be suspended here.")})
    reason = " ".join((reason or "").split())
    errors = {}
    if not 1 <= int(days) <= SUSPENSION_DAYS_MAX:
        errors["days"] = _("Choose between 1 and %(max)d days.") % {"max": SUSPENSION_DAYS_MAX}
    if len(reason) < 5:
        errors["reason"] = _("Give the member a reason they can act on.")
    elif len(reason) > 200:
        errors["reason"] = _("Please keep it under %(count)d characters.") % {"count": 200}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member.suspended_until = timezone.now() + timedelta(days=int(days))
        member.suspension_reason = reason
        member.save(update_fields=["suspended_until", "suspension_reason"])
        audit_record(
            actor=moderator,
            action=Action.SUSPENDED,
            target=member,
            reason=_("%(days)d days: %(reason)s") % {"days": int(days), "reason": reason},
        )
    return member


def member_unsuspend(*, moderator, member, reason: str = ""):
    """Lift a suspension early."""
    perms.require_not_suspended(moderator)
    perms.require(perms.can_moderate(moderator), perms.denial_reason(moderator, "moderate"))
    with transaction.atomic():
        member.suspended_until = None
        member.suspension_reason = ""
        member.save(update_fields=["suspended_until", "suspension_reason"])
        audit_record(actor=moderator, action=Action.UNSUSPENDED, target=member, reason=reason)
    return member


# --- suggested edits ----------------------------------------------------------------------------


def _latest_revision(post: Question | Answer) -> Revision | None:
    return Revision.objects.filter(**{post.kind: post}).order_by("-number").first()


def suggested_edit_create(
    *,
    author,
    post: Question | Answer,
    body: str,
    comment: str,
    title: str = "",
    tags: Sequence[str] = (),
    ip: str | None = None,
) -> SuggestedEdit:
    """Propose an edit to someone else's post, for review by members who may edit."""
    perms.require_not_suspended(author)
    if perms.can_edit(author, post):
        raise ValidationError({"body": _("You can edit this post directly.")})
    perms.require(perms.can_suggest_edit(author, post), _("You cannot suggest an edit here."))
    errors: dict[str, list] = {}
    cleaned: dict = {}
    checks = [("body", lambda: services._clean_text(body, field="body", minimum=_minimum(post)))]
    if post.kind == "question":
        checks.append(("title", lambda: services._clean_title(title)))
    for field, check in checks:
        try:
            cleaned[field] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    comment = " ".join((comment or "").split())
    if len(comment) < 5:
        errors["comment"] = [_("Say briefly what your edit improves.")]
    tag_names: list[str] = []
    if post.kind == "question":
        tag_names = [services.normalize_tag_name(t) for t in tags if services.normalize_tag_name(t)]
        if not services.TAGS_MIN <= len(tag_names) <= services.TAGS_MAX:
            errors["tags"] = [
                _("Use between %(min)d and %(max)d tags.")
                % {"min": services.TAGS_MIN, "max": services.TAGS_MAX}
            ]
    if errors:
        raise ValidationError(errors)
    latest = _latest_revision(post)
    unchanged = cleaned["body"] == post.body and (
        post.kind == "answer"
        or (cleaned["title"] == post.title and tag_names == (latest.tags if latest else []))
    )
    if unchanged:
        raise ValidationError({"body": _("Your edit changes nothing.")})
    if SuggestedEdit.objects.filter(
        status=SuggestedEdit.Status.PENDING, **{post.kind: post}
    ).exists():
        raise ValidationError({"body": _("An edit to this post is already waiting for review.")})
    services._check_rate("suggest_edit", author, ip)
    try:
        with transaction.atomic():
            return SuggestedEdit.objects.create(
                author=author,
                base_revision=latest.number if latest else 1,
                title=cleaned.get("title", ""),
                body=cleaned["body"],
                tags=tag_names,
                comment=comment[:300],
                **{post.kind: post},
            )
    except IntegrityError:
        raise ValidationError(
            {"body": _("An edit to this post is already waiting for review.")}
        ) from None


def _minimum(post) -> int:
    return services.QUESTION_BODY_MIN if post.kind == "question" else services.ANSWER_BODY_MIN


def _reviewable(reviewer, suggestion: SuggestedEdit) -> SuggestedEdit:
    perms.require_not_suspended(reviewer)
    perms.require(perms.can_review_edits(reviewer), perms.denial_reason(reviewer, "edit_others"))
    suggestion = SuggestedEdit.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestedEdit.Status.PENDING:
        raise ValidationError({"status": _("This suggested edit has already been reviewed.")})
    if suggestion.author_id == reviewer.pk:
        raise ValidationError({"status": _("You cannot review your own suggested edit.")})
    return suggestion


def suggested_edit_approve(*, reviewer, suggestion: SuggestedEdit) -> Revision:
    """Apply a suggested edit as a revision credited to its author, who earns reputation.

    Refused (and left pending) when the post changed since the suggestion was made.
    """
    with transaction.atomic():
        suggestion = _reviewable(reviewer, suggestion)
        post = suggestion.post
        if post.kind == "question":
            revision = services.question_edit(
                question=post,
                editor=reviewer,
                title=suggestion.title,
                body=suggestion.body,
                tags=suggestion.tags,
                comment=suggestion.comment,
                base_revision=suggestion.base_revision,
            )
        else:
            revision = services.answer_edit(
                answer=post,
                editor=reviewer,
                body=suggestion.body,
                comment=suggestion.comment,
                base_revision=suggestion.base_revision,
            )
        if revision is None:
            raise ValidationError({"status": _("The post already reads like this.")})
        Revision.objects.filter(pk=revision.pk).update(author=suggestion.author)
        suggestion.status = SuggestedEdit.Status.APPROVED
        suggestion.reviewed_by = reviewer
        suggestion.reviewed_at = timezone.now()
        suggestion.revision = revision
        suggestion.save(update_fields=["status", "reviewed_by", "reviewed_at", "revision"])
        services._reputation_add([services.suggested_edit_event(suggestion)])
        audit_record(actor=reviewer, action=Action.EDIT_APPROVED, target=post)
        transaction.on_commit(lambda: _notify_suggester(suggestion, reviewer, approved=True))
        services._badges_later([suggestion.author_id], ("editor", "rising_star"))
    revision.author = suggestion.author
    return revision


def suggested_edit_reject(*, reviewer, suggestion: SuggestedEdit, comment: str = "") -> None:
    """Turn a suggested edit down, saying why."""
    with transaction.atomic():
        suggestion = _reviewable(reviewer, suggestion)
        suggestion.status = SuggestedEdit.Status.REJECTED
        suggestion.reviewed_by = reviewer
        suggestion.reviewed_at = timezone.now()
        suggestion.review_comment = " ".join((comment or "").split())[:300]
        suggestion.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        audit_record(
            actor=reviewer,
            action=Action.EDIT_REJECTED,
            target=suggestion.post,
            reason=suggestion.review_comment,
        )
        transaction.on_commit(lambda: _notify_suggester(suggestion, reviewer, approved=False))


def _notify_suggester(suggestion: SuggestedEdit, reviewer, *, approved: bool) -> None:
    post = suggestion.post
    notify(
        recipient=suggestion.author,
        kind="suggested_edit_approved" if approved else "suggested_edit_rejected",
        actor=reviewer,
        target_url=post.get_absolute_url(),
        target_title=_thread_of(post).title,
        excerpt=suggestion.review_comment,
    )
