"""The moderator audit log: one :class:`ModerationAction` row per moderator action."""

from __future__ import annotations

from community.models import Answer, Article, Comment, ModerationAction, Question


def audit_record(*, actor, action: str, target=None, reason: str = "") -> ModerationAction:
    """Record that ``actor`` (None for the system) did ``action`` to a post or a member."""
    fields = {}
    if isinstance(target, Question):
        fields["question"] = target
    elif isinstance(target, Answer):
        fields["answer"] = target
    elif isinstance(target, Comment):
        fields["comment"] = target
    elif isinstance(target, Article):
        fields["article"] = target
    elif target is not None:
        fields["member"] = target
    return ModerationAction.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        reason=(reason or "")[:500],
        **fields,
    )
