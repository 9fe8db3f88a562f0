"""Every write in the Q&A: asking, answering, commenting, voting, accepting, editing.

Services check permission, validate, apply rate limits and the duplicate-content
block, then write in one transaction; counters move with ``F()`` so concurrent
writers never lose updates. Notifications and the ``community.signals`` (search
indexing, webhooks) run in ``transaction.on_commit``.

Bad input raises ``ValidationError`` keyed by field, a missing privilege
``PermissionDenied`` and a spent rate limit :class:`RateLimited`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from community import conf, selectors, signals
from community import permissions as perms
from community.audit import audit_record
from community.models import (
    TAG_NAME_MAX,
    Answer,
    Article,
    ArticleResource,
    ArticleTag,
    CloseReason,
    Comment,
    ModerationAction,
    PostStatus,
    Question,
    QuestionResource,
    QuestionTag,
    ReputationEvent,
    Revision,
    SuggestedEdit,
    Tag,
    Vote,
    tag_slug,
)
from core.markdown import markdown_to_text, render_markdown
from core.ratelimit import hit
from notifications.services import notify, notify_many, notify_mentions

User = get_user_model()

TITLE_MIN, TITLE_MAX = 8, 150
QUESTION_BODY_MIN = 20
ANSWER_BODY_MIN = 10
COMMENT_MIN = 3
BODY_MAX = 30_000
TAGS_MIN, TAGS_MAX = 1, 5
TAG_NAME = re.compile(r"^[\w][\w.+#-]*$")
LINK = re.compile(r"<(a|img)\s", re.IGNORECASE)
ARTICLE_BODY_MIN = 80
Post = Question | Answer | Article


class RateLimited(Exception):
    """Too many posts/votes too quickly; ``retry_after`` seconds until the window resets."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


# --- checks shared by the writers ------------------------------------------------------


def _check_rate(action: str, user, ip: str | None) -> None:
    rates = conf.rate_limits()[action]
    tier = "new" if perms.is_new_member(user) else "member"
    checks = []
    if rates.get(tier):
        checks.append((f"community:{action}:u{user.pk}", rates[tier]))
    if ip and rates.get("ip"):
        checks.append((f"community:{action}:ip:{ip}", rates["ip"]))
    for key, rate in checks:
        result = hit(key, rate)
        if not result.allowed:
            raise RateLimited(
                _("You are doing that too often. Please wait %(seconds)d seconds and try again.")
                % {"seconds": result.retry_after},
                result.retry_after,
            )


def _clean_text(value: str, *, field: str, minimum: int, maximum: int = BODY_MAX) -> str:
    text = (value or "").strip()
    visible = markdown_to_text(text) if field != "title" else text
    if len(visible) < minimum:
        raise ValidationError(
            {field: _("Please write at least %(count)d characters.") % {"count": minimum}}
        )
    if len(text) > maximum:
        raise ValidationError(
            {field: _("Please keep it under %(count)d characters.") % {"count": maximum}}
        )
    return text


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    return _clean_text(title, field="title", minimum=TITLE_MIN, maximum=TITLE_MAX)


def _check_links(user, html: str, *, field: str = "body") -> None:
    limit = conf.posting()["new_member_max_links"]
    if perms.is_new_member(user) and len(LINK.findall(html)) > limit:
        raise ValidationError(
            {
                field: _(
                    "New members may include at most %(count)d links or images in a post. "
                    "Earn a little reputation to post more."
                )
                % {"count": limit}
            }
        )


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_duplicate(user, queryset, body: str, *, field: str = "body") -> None:
    """Refuse the same text from the same member twice within the duplicate window."""
    since = timezone.now() - timedelta(hours=conf.posting()["duplicate_window_hours"])
    wanted = _normalized(body)
    recent = queryset.filter(author=user, created_at__gte=since).values_list("body", flat=True)
    if any(_normalized(existing) == wanted for existing in recent[:200]):
        raise ValidationError(
            {field: _("You have already posted this. Please add something new instead.")}
        )


def normalize_tag_name(name: str) -> str:
    return "-".join((name or "").strip().lower().split())


def _resolve_tags(names: Iterable[str]) -> list[Tag]:
    """Tags for ``names`` in order, synonyms mapped to their canonical tag; creates new tags."""
    cleaned: list[str] = []
    for raw in names:
        name = normalize_tag_name(raw)
        if not name:
            continue
        if len(name) > TAG_NAME_MAX or not TAG_NAME.match(name):
            raise ValidationError(
                {
                    "tags": _(
                        "“%(name)s” is not a valid tag: use letters, digits and . + # - "
                        "(at most %(max)d characters)."
                    )
                    % {"name": name[:40], "max": TAG_NAME_MAX}
                }
            )
        if name not in cleaned:
            cleaned.append(name)
    if not TAGS_MIN <= len(cleaned) <= TAGS_MAX:
        raise ValidationError(
            {
                "tags": _("Use between %(min)d and %(max)d tags.")
                % {"min": TAGS_MIN, "max": TAGS_MAX}
            }
        )
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    tags: list[Tag] = []
    for name in cleaned:
        tag = existing.get(name)
        if tag is None:
            tag, _created = Tag.objects.get_or_create(
                name=name, defaults={"slug": _free_slug(name)}
            )
        if tag.canonical_id:
            tag = Tag.objects.get(pk=tag.canonical_id)
        if tag not in tags:
            tags.append(tag)
    return tags


def _free_slug(name: str) -> str:
    base = tag_slug(name)
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _set_tags(question: Question, tags: Sequence[Tag]) -> None:
    """Make the question's tags exactly ``tags`` (in order), keeping question_count right."""
    current = {link.tag_id: link for link in question.question_tags.all()}
    wanted = [tag.pk for tag in tags]
    removed = [tag_id for tag_id in current if tag_id not in wanted]
    if removed:
        QuestionTag.objects.filter(question=question, tag_id__in=removed).delete()
        if not question.is_deleted:
            Tag.objects.filter(pk__in=removed).update(question_count=F("question_count") - 1)
    added = [tag_id for tag_id in wanted if tag_id not in current]
    for position, tag_id in enumerate(wanted):
        if tag_id in current:
            if current[tag_id].position != position:
                QuestionTag.objects.filter(pk=current[tag_id].pk).update(position=position)
        else:
            QuestionTag.objects.create(
                question=question,
                tag_id=tag_id,
                position=position,
                question_created_at=question.created_at,
            )
    if added and not question.is_deleted:
        Tag.objects.filter(pk__in=added).update(question_count=F("question_count") + 1)


def _set_resources(question: Question, resources: Iterable[tuple]) -> None:
    QuestionResource.objects.filter(question=question).delete()
    seen = set()
    for resource, version in resources:
        if resource.pk in seen:
            continue
        seen.add(resource.pk)
        if version is not None and version.resource_id != resource.pk:
            raise ValidationError({"resources": _("That version belongs to another resource.")})
        QuestionResource.objects.create(question=question, resource=resource, version=version)


def _touch(question: Question, user) -> None:
    Question.objects.filter(pk=question.pk).update(
        last_activity_at=timezone.now(), last_activity_by=user
    )


def _send(signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), robust=True)


def _lists_changed() -> None:
    transaction.on_commit(selectors.lists_changed, robust=True)


def _badges_later(user_ids: Iterable[int | None], keys: Sequence[str] | None = None) -> None:
    """Award the badges ``keys`` (default: all) the members now qualify for, once committed."""
    ids = sorted({pk for pk in user_ids if pk})
    if not ids:
        return
    from community.badges import badges_check

    transaction.on_commit(lambda: badges_check(user_ids=ids, keys=keys), robust=True)


def _thread_changed(question_id: int) -> None:
    """The question page's cached rendering is stale once this transaction commits."""
    transaction.on_commit(lambda: selectors.thread_changed(question_id), robust=True)


def _thread_of(post) -> int:
    return post.pk if post.kind == "question" else post.question_id


def _post_changed(post) -> None:
    """Invalidate what caches the post's page: a question's thread (articles are not cached)."""
    if post.kind != "article":
        _thread_changed(_thread_of(post))


# --- asking, answering, commenting -------------------------------------------------------


def question_ask(
    *,
    author,
    title: str,
    body: str,
    tags: Sequence[str],
    subdomain=None,
    resources: Iterable[tuple] = (),
    ip: str | None = None,
    enforce_limits: bool = True,
) -> Question:
    """Post a question with 1–5 tags, optional sub-domain and ``(resource, version)`` links.

    ``enforce_limits=False`` skips rate limits, link caps and the duplicate block, for
    content the site itself publishes (archived live sessions, imports, demo data).
    """
    perms.require_not_suspended(author)
    perms.require(perms.can_ask(author), perms.denial_reason(author, "ask"))
    errors: dict[str, list] = {}
    for _field, check in (
        ("title", lambda: _clean_title(title)),
        ("body", lambda: _clean_text(body, field="body", minimum=QUESTION_BODY_MIN)),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    title, body = _clean_title(title), body.strip()
    html = render_markdown(body)
    if enforce_limits:
        _check_links(author, html)
        _check_duplicate(author, Question.objects.all(), body)
    with transaction.atomic():
        tag_objects = _resolve_tags(tags)
        if enforce_limits:
            _check_rate("question", author, ip)
            _check_rate("question_daily", author, None)
        question = Question.objects.create(
            author=author,
            title=title,
            body=body,
            body_html=html,
            subdomain=subdomain,
            last_activity_by=author,
        )
        _set_tags(question, tag_objects)
        _set_resources(question, resources)
        Revision.objects.create(
            question=question,
            number=1,
            author=author,
            title=title,
            body=body,
            tags=[tag.name for tag in tag_objects],
        )
        question.followers.add(author)
        transaction.on_commit(lambda: _notify_new_question(question, tag_objects))
        _badges_later([author.pk], ("student",))
        _send(signals.post_saved, Question, instance=question, created=True)
        _lists_changed()
    return question


def _notify_new_question(question: Question, tags: Sequence[Tag]) -> None:
    url = question.get_absolute_url()
    author = question.author
    mentioned = notify_mentions(
        text=question.body, actor=author, target_url=url, target_title=question.title
    )
    del mentioned
    followers = User.objects.filter(followed_tags__in=[tag.pk for tag in tags]).distinct()
    notify_many(
        recipients=list(followers),
        kind="followed_tag",
        actor=author,
        target_url=url,
        target_title=question.title,
        excerpt=markdown_to_text(question.body),
    )


def answer_create(
    *,
    question: Question,
    author,
    body: str,
    ip: str | None = None,
    enforce_limits: bool = True,
) -> Answer:
    """Answer a question; the asker and the question's followers are told.

    ``enforce_limits=False`` as for :func:`question_ask`.
    """
    perms.require_not_suspended(author)
    perms.require(perms.can_answer(author, question), _("This question does not accept answers."))
    body = _clean_text(body, field="body", minimum=ANSWER_BODY_MIN)
    html = render_markdown(body)
    if enforce_limits:
        _check_links(author, html)
        _check_duplicate(author, Answer.objects.filter(question=question), body)
        _check_rate("answer", author, ip)
    with transaction.atomic():
        answer = Answer.objects.create(question=question, author=author, body=body, body_html=html)
        Revision.objects.create(answer=answer, number=1, author=author, body=body)
        Question.objects.filter(pk=question.pk).update(
            answer_count=F("answer_count") + 1,
            last_activity_at=timezone.now(),
            last_activity_by=author,
        )
        question.followers.add(author)
        transaction.on_commit(lambda: _notify_new_answer(answer))
        _badges_later([author.pk], ("helper",))
        _send(signals.post_saved, Answer, instance=answer, created=True)
        _lists_changed()
        _thread_changed(question.pk)
    return answer


def _notify_new_answer(answer: Answer) -> None:
    question, author = answer.question, answer.author
    url = answer.get_absolute_url()
    told = []
    if question.author is not None and notify(
        recipient=question.author,
        kind="answer",
        actor=author,
        target_url=url,
        target_title=question.title,
        excerpt=markdown_to_text(answer.body),
    ):
        told.append(question.author)
    followers = question.followers.exclude(pk__in=[u.pk for u in told if u])
    notify_many(
        recipients=list(followers),
        kind="followed_question",
        actor=author,
        target_url=url,
        target_title=question.title,
        excerpt=markdown_to_text(answer.body),
    )
    notify_mentions(
        text=answer.body,
        actor=author,
        target_url=url,
        target_title=question.title,
        exclude=[question.author],
    )


def comment_create(
    *,
    author,
    body: str,
    question: Question | None = None,
    answer: Answer | None = None,
    article: Article | None = None,
    ip: str | None = None,
) -> Comment:
    """Comment on exactly one of ``question``, ``answer`` or ``article``; its author is told."""
    if sum(post is not None for post in (question, answer, article)) != 1:
        raise ValueError("comment_create needs exactly one of question, answer or article")
    post = question or answer or article
    perms.require_not_suspended(author)
    perms.require(perms.can_comment(author, post), perms.denial_reason(author, "comment"))
    body = _clean_text(body, field="body", minimum=COMMENT_MIN, maximum=Comment.MAX_LENGTH)
    html = render_markdown(body)
    _check_links(author, html)
    same_post = Comment.objects.filter(question=question, answer=answer, article=article)
    _check_duplicate(author, same_post, body)
    _check_rate("comment", author, ip)
    thread = article or question or answer.question
    with transaction.atomic():
        comment = Comment.objects.create(
            question=question,
            answer=answer,
            article=article,
            author=author,
            body=body,
            body_html=html,
        )
        type(post).objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        if article is None:
            _touch(thread, author)
        transaction.on_commit(lambda: _notify_comment(comment, post, thread))
        _send(signals.post_saved, Comment, instance=comment, created=True)
        _post_changed(post)
    return comment


def _notify_comment(comment: Comment, post: Post, thread: Question | Article) -> None:
    url = comment.get_absolute_url()
    notify(
        recipient=post.author,
        kind="comment",
        actor=comment.author,
        target_url=url,
        target_title=thread.title,
        excerpt=comment.body,
    )
    notify_mentions(
        text=comment.body,
        actor=comment.author,
        target_url=url,
        target_title=thread.title,
        exclude=[post.author],
    )


# --- votes and reputation ------------------------------------------------------------------


@dataclass(frozen=True)
class VoteOutcome:
    score: int
    value: int  # the member's vote now: 1, -1 or 0 (none)


def _reputation_add(events: list[ReputationEvent]) -> None:
    events = [event for event in events if event.user_id and event.points]
    if not events:
        return
    ReputationEvent.objects.bulk_create(events)
    totals: dict[int, int] = defaultdict(int)
    for event in events:
        totals[event.user_id] += event.points
    for user_id in sorted(totals):
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + totals[user_id])


def _reputation_remove(queryset) -> None:
    totals = list(queryset.values("user_id").annotate(total=Sum("points")).order_by("user_id"))
    queryset.delete()
    for row in totals:
        User.objects.filter(pk=row["user_id"]).update(reputation=F("reputation") - row["total"])


def vote_events(vote: Vote, post: Post) -> list[ReputationEvent]:
    """The ledger lines a vote earns (also used by the recompute command)."""
    kind = post.kind
    events = []
    direction = "upvoted" if vote.value > 0 else "downvoted"
    link = {kind: post}
    if post.author_id:
        event_kind = f"{kind}_{direction}"
        events.append(
            ReputationEvent(
                user_id=post.author_id,
                kind=event_kind,
                points=conf.points(event_kind),
                vote=vote,
                created_at=vote.updated_at,
                **link,
            )
        )
    if kind == "answer" and vote.value < 0:
        events.append(
            ReputationEvent(
                user_id=vote.user_id,
                kind=ReputationEvent.Kind.DOWNVOTE_CAST,
                points=conf.points("downvote_cast"),
                vote=vote,
                answer=post,
                created_at=vote.updated_at,
            )
        )
    return events


def vote_cast(*, user, post: Post, value: int, ip: str | None = None) -> VoteOutcome:
    """Set the member's vote on a question, answer or article to +1, −1 or 0 (retract)."""
    perms.require_not_suspended(user)
    if value not in (1, -1, 0):
        raise ValidationError({"value": _("A vote is +1, −1 or 0.")})
    if post.author_id == user.pk:
        raise ValidationError({"value": _("You cannot vote on your own post.")})
    if value:
        privilege = "vote_up" if value > 0 else "vote_down"
        perms.require(perms.can_vote(user, post, value), perms.denial_reason(user, privilege))
    _check_rate("vote", user, ip)
    model = type(post)
    target = {post.kind: post}
    with transaction.atomic():
        vote = Vote.objects.select_for_update().filter(user=user, **target).first()
        old = vote.value if vote else 0
        if old == value:
            return VoteOutcome(model.objects.get(pk=post.pk).score, value)
        if vote is not None:
            _reputation_remove(ReputationEvent.objects.filter(vote=vote))
        if value == 0:
            vote.delete()
        elif vote is None:
            try:
                with transaction.atomic():
                    vote = Vote.objects.create(user=user, value=value, **target)
            except IntegrityError:  # the same member's concurrent request won the insert
                vote = Vote.objects.select_for_update().get(user=user, **target)
                old = vote.value
                _reputation_remove(ReputationEvent.objects.filter(vote=vote))
                vote.value = value
                vote.save(update_fields=["value", "updated_at"])
        else:
            vote.value = value
            vote.save(update_fields=["value", "updated_at"])
        if value != old:
            model.objects.filter(pk=post.pk).update(score=F("score") + (value - old))
        if value:
            _reputation_add(vote_events(vote, post))
        score = model.objects.values_list("score", flat=True).get(pk=post.pk)
        _post_changed(post)
        if value > 0 and post.author_id:
            _badges_later([post.author_id], (f"nice_{post.kind}", "rising_star"))
    return VoteOutcome(score, value)


def accept_events(answer: Answer, question: Question) -> list[ReputationEvent]:
    """Ledger lines for accepting ``answer`` (none for accepting your own)."""
    if answer.author_id is None or answer.author_id == question.author_id:
        return []
    return [
        ReputationEvent(
            user_id=answer.author_id,
            kind=ReputationEvent.Kind.ANSWER_ACCEPTED,
            points=conf.points("answer_accepted"),
            answer=answer,
            question=question,
        ),
        ReputationEvent(
            user_id=question.author_id,
            kind=ReputationEvent.Kind.ACCEPTED_AN_ANSWER,
            points=conf.points("accepted_an_answer"),
            answer=answer,
            question=question,
        ),
    ]


def _unaccept(question: Question) -> None:
    old_id = question.accepted_answer_id
    if old_id is None:
        return
    Answer.objects.filter(pk=old_id).update(is_accepted=False)
    _reputation_remove(
        ReputationEvent.objects.filter(
            answer_id=old_id,
            kind__in=[
                ReputationEvent.Kind.ANSWER_ACCEPTED,
                ReputationEvent.Kind.ACCEPTED_AN_ANSWER,
            ],
        )
    )
    question.accepted_answer = None
    if question.status == PostStatus.ANSWERED:
        question.status = PostStatus.OPEN


def answer_accept(*, answer: Answer, user) -> Answer:
    """The asker marks ``answer`` as the one that solved it (replacing an earlier choice)."""
    perms.require_not_suspended(user)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        answer.question = question
        perms.require(perms.can_accept(user, answer), _("Only the asker can accept an answer."))
        if question.accepted_answer_id == answer.pk:
            return answer
        _unaccept(question)
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
        answer.is_accepted = True
        question.accepted_answer = answer
        if question.status == PostStatus.OPEN:
            question.status = PostStatus.ANSWERED
        question.last_activity_at = timezone.now()
        question.last_activity_by = user
        question.save(
            update_fields=["accepted_answer", "status", "last_activity_at", "last_activity_by"]
        )
        _reputation_add(accept_events(answer, question))
        if answer.author_id and answer.author_id != question.author_id:
            _badges_later([answer.author_id], ("solver", "rising_star"))
            _badges_later([question.author_id], ("scholar",))
        transaction.on_commit(
            lambda: notify(
                recipient=answer.author,
                kind="accepted",
                actor=user,
                target_url=answer.get_absolute_url(),
                target_title=question.title,
            )
        )
        _send(signals.answer_accepted, Answer, instance=answer, question=question)
        _thread_changed(question.pk)
    return answer


def suggested_edit_event(suggestion: SuggestedEdit) -> ReputationEvent:
    """The ledger line for an approved suggested edit (also used by the recompute)."""
    return ReputationEvent(
        user_id=suggestion.author_id,
        kind=ReputationEvent.Kind.EDIT_APPROVED,
        points=conf.points("suggested_edit_approved"),
        question_id=suggestion.question_id,
        answer_id=suggestion.answer_id,
        created_at=suggestion.reviewed_at or suggestion.created_at,
    )


def answer_unaccept(*, answer: Answer, user) -> None:
    """The asker withdraws their acceptance; its reputation is given back."""
    perms.require_not_suspended(user)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        answer.question = question
        perms.require(perms.can_accept(user, answer), _("Only the asker can accept an answer."))
        if question.accepted_answer_id != answer.pk:
            return
        _unaccept(question)
        answer.is_accepted = False
        question.save(update_fields=["accepted_answer", "status"])
        _send(signals.post_saved, Question, instance=question, created=False)
        _thread_changed(question.pk)


# --- edits and revisions ---------------------------------------------------------------------

_UNCHANGED = object()


def _check_base_revision(base: int | None, **post) -> None:
    if base is None:
        return
    latest = _next_revision_number(**post) - 1
    if base != latest:
        raise ValidationError(
            {
                "body": _(
                    "Someone else saved a new version (revision %(latest)d) while you were "
                    "editing revision %(base)d. Your text is kept below: compare it with the "
                    "current post, then save again."
                )
                % {"latest": latest, "base": base}
            }
        )


def _next_revision_number(**post) -> int:
    return (Revision.objects.filter(**post).aggregate(n=Max("number"))["n"] or 0) + 1


@dataclass(frozen=True)
class _TitledEdit:
    tags: list[Tag]
    tag_names: list[str]
    tags_changed: bool
    changed: bool


def _titled_edit(post, *, title: str, body: str, tags: Sequence[str], subdomain) -> _TitledEdit:
    """What an edit of a question or article changes: its resolved tags, and whether the
    title, body, tags or sub-domain differ from what is stored (inside the edit's lock)."""
    tag_objects = _resolve_tags(tags)
    old_names = list(
        post.tags.order_by(f"{post.kind}_tags__position").values_list("name", flat=True)
    )
    names = [tag.name for tag in tag_objects]
    subdomain_changed = (
        subdomain is not _UNCHANGED and getattr(subdomain, "pk", None) != post.subdomain_id
    )
    tags_changed = names != old_names
    return _TitledEdit(
        tags=tag_objects,
        tag_names=names,
        tags_changed=tags_changed,
        changed=title != post.title or body != post.body or tags_changed or subdomain_changed,
    )


def question_edit(
    *,
    question: Question,
    editor,
    title: str,
    body: str,
    tags: Sequence[str],
    comment: str = "",
    subdomain=_UNCHANGED,
    resources=_UNCHANGED,
    rollback_of: Revision | None = None,
    base_revision: int | None = None,
) -> Revision | None:
    """Edit a question, keeping a revision; returns None when nothing changed.

    ``base_revision`` is the revision the editor started from; if someone saved a
    newer one meanwhile the edit is refused (nothing is overwritten silently).
    """
    perms.require_not_suspended(editor)
    perms.require(perms.can_edit(editor, question), perms.denial_reason(editor, "edit_others"))
    errors: dict[str, list] = {}
    for check in (
        lambda: _clean_title(title),
        lambda: _clean_text(body, field="body", minimum=QUESTION_BODY_MIN),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    title, body = _clean_title(title), body.strip()
    html = render_markdown(body)
    if editor.pk == question.author_id:
        _check_links(editor, html)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        _check_base_revision(base_revision, question=question)
        edit = _titled_edit(question, title=title, body=body, tags=tags, subdomain=subdomain)
        if resources is not _UNCHANGED:
            _set_resources(question, resources)
        if not edit.changed:
            return None
        now = timezone.now()
        question.title, question.body, question.body_html = title, body, html
        if subdomain is not _UNCHANGED:
            question.subdomain = subdomain
        question.edited_at = question.last_activity_at = now
        question.last_activity_by = editor
        question.save(
            update_fields=[
                "title", "body", "body_html", "subdomain", "edited_at",
                "last_activity_at", "last_activity_by",
            ]
        )  # fmt: skip
        _set_tags(question, edit.tags)
        revision = Revision.objects.create(
            question=question,
            number=_next_revision_number(question=question),
            author=editor,
            comment=comment.strip()[:300],
            title=title,
            body=body,
            tags=edit.tag_names,
            rollback_of=rollback_of,
        )
        _after_edit(question, question, editor)
    return revision


def answer_edit(
    *,
    answer: Answer,
    editor,
    body: str,
    comment: str = "",
    rollback_of: Revision | None = None,
    base_revision: int | None = None,
) -> Revision | None:
    """Edit an answer, keeping a revision; returns None when nothing changed (see
    :func:`question_edit` for ``base_revision``)."""
    perms.require_not_suspended(editor)
    perms.require(perms.can_edit(editor, answer), perms.denial_reason(editor, "edit_others"))
    body = _clean_text(body, field="body", minimum=ANSWER_BODY_MIN)
    html = render_markdown(body)
    if editor.pk == answer.author_id:
        _check_links(editor, html)
    with transaction.atomic():
        answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
        _check_base_revision(base_revision, answer=answer)
        if body == answer.body:
            return None
        now = timezone.now()
        answer.body, answer.body_html, answer.edited_at = body, html, now
        answer.save(update_fields=["body", "body_html", "edited_at"])
        _touch(answer.question, editor)
        revision = Revision.objects.create(
            answer=answer,
            number=_next_revision_number(answer=answer),
            author=editor,
            comment=comment.strip()[:300],
            body=body,
            rollback_of=rollback_of,
        )
        _after_edit(answer, answer.question, editor)
    return revision


def _after_edit(post: Post, question: Question | Article, editor) -> None:
    if post.author_id and post.author_id != editor.pk:
        transaction.on_commit(
            lambda: notify(
                recipient=post.author,
                kind="edit",
                actor=editor,
                target_url=post.get_absolute_url(),
                target_title=question.title,
            )
        )
        _badges_later([editor.pk], ("editor",))
    _send(signals.post_saved, type(post), instance=post, created=False)
    _post_changed(post)


def revision_rollback(*, revision: Revision, user, comment: str = "") -> Revision | None:
    """Make an earlier revision current again, as a new revision pointing back at it."""
    summary = comment.strip()  # pages describe an empty summary with ``rollback_of``
    if revision.article_id:
        return article_edit(
            article=revision.article,
            editor=user,
            title=revision.title,
            body=revision.body,
            tags=revision.tags,
            comment=summary,
            rollback_of=revision,
        )
    if revision.question_id:
        return question_edit(
            question=revision.question,
            editor=user,
            title=revision.title,
            body=revision.body,
            tags=revision.tags,
            comment=summary,
            rollback_of=revision,
        )
    return answer_edit(
        answer=revision.answer,
        editor=user,
        body=revision.body,
        comment=summary,
        rollback_of=revision,
    )


# --- experience posts (articles) --------------------------------------------------------------


def _clean_article(title: str, body: str) -> tuple[str, str]:
    errors: dict[str, list] = {}
    for check in (
        lambda: _clean_title(title),
        lambda: _clean_text(body, field="body", minimum=ARTICLE_BODY_MIN),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return _clean_title(title), body.strip()


def _set_article_tags(article: Article, tags: Sequence[Tag]) -> None:
    ArticleTag.objects.filter(article=article).delete()
    ArticleTag.objects.bulk_create(
        ArticleTag(article=article, tag=tag, position=position) for position, tag in enumerate(tags)
    )


def _set_article_resources(article: Article, resources: Iterable[tuple]) -> None:
    ArticleResource.objects.filter(article=article).delete()
    seen = set()
    for resource, version in resources:
        if resource.pk in seen:
            continue
        seen.add(resource.pk)
        if version is not None and version.resource_id != resource.pk:
            raise ValidationError({"resources": _("That version belongs to another resource.")})
        ArticleResource.objects.create(article=article, resource=resource, version=version)


def article_create(
    *,
    author,
    title: str,
    body: str,
    tags: Sequence[str],
    subdomain=None,
    resources: Iterable[tuple] = (),
    ip: str | None = None,
    enforce_limits: bool = True,
) -> Article:
    """Publish an experience post with 1–5 tags, optional sub-domain and resource links.

    New members get the same link cap and duplicate block as for questions, and
    the ``article``/``article_daily`` rate limits apply (``enforce_limits=False``
    skips them for content the site publishes itself, such as demo data).
    """
    perms.require_not_suspended(author)
    perms.require(perms.can_write_article(author), perms.denial_reason(author, "ask"))
    title, body = _clean_article(title, body)
    html = render_markdown(body)
    if enforce_limits:
        _check_links(author, html)
        _check_duplicate(author, Article.objects.all(), body)
    with transaction.atomic():
        tag_objects = _resolve_tags(tags)
        if enforce_limits:
            _check_rate("article", author, ip)
            _check_rate("article_daily", author, None)
        article = Article.objects.create(
            author=author, title=title, body=body, body_html=html, subdomain=subdomain
        )
        _set_article_tags(article, tag_objects)
        _set_article_resources(article, resources)
        Revision.objects.create(
            article=article,
            number=1,
            author=author,
            title=title,
            body=body,
            tags=[tag.name for tag in tag_objects],
        )
        transaction.on_commit(
            lambda: notify_mentions(
                text=article.body,
                actor=author,
                target_url=article.get_absolute_url(),
                target_title=article.title,
            )
        )
        _send(signals.post_saved, Article, instance=article, created=True)
        _lists_changed()
        _badges_later([author.pk], ("writer",))
    return article


def article_edit(
    *,
    article: Article,
    editor,
    title: str,
    body: str,
    tags: Sequence[str],
    comment: str = "",
    subdomain=_UNCHANGED,
    resources=_UNCHANGED,
    rollback_of: Revision | None = None,
    base_revision: int | None = None,
) -> Revision | None:
    """Edit an article (its author or a moderator), keeping a revision; None if unchanged.

    ``base_revision`` works as for :func:`question_edit`.
    """
    perms.require_not_suspended(editor)
    perms.require(
        perms.can_edit(editor, article), _("Only the author or a moderator can edit this.")
    )
    title, body = _clean_article(title, body)
    html = render_markdown(body)
    if editor.pk == article.author_id:
        _check_links(editor, html)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        _check_base_revision(base_revision, article=article)
        edit = _titled_edit(article, title=title, body=body, tags=tags, subdomain=subdomain)
        if resources is not _UNCHANGED:
            _set_article_resources(article, resources)
        if not edit.changed:
            return None
        article.title, article.body, article.body_html = title, body, html
        if subdomain is not _UNCHANGED:
            article.subdomain = subdomain
        article.edited_at = timezone.now()
        article.save(update_fields=["title", "body", "body_html", "subdomain", "edited_at"])
        if edit.tags_changed:
            _set_article_tags(article, edit.tags)
        revision = Revision.objects.create(
            article=article,
            number=_next_revision_number(article=article),
            author=editor,
            comment=comment.strip()[:300],
            title=title,
            body=body,
            tags=edit.tag_names,
            rollback_of=rollback_of,
        )
        _after_edit(article, article, editor)
    return revision


def article_view(*, article: Article, viewer_key: str) -> bool:
    """Count a view once per viewer (member or address) per hour; returns whether it counted."""
    result = hit(f"community:article-view:{article.pk}:{viewer_key}", "1/h")
    if result.allowed:
        Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    return result.allowed


# --- status, following, deleting ------------------------------------------------------------


def question_close(
    *, question: Question, user, reason: str, duplicate_of: Question | None = None
) -> Question:
    """Close a question (or mark it a duplicate of another); needs the close privilege."""
    perms.require_not_suspended(user)
    perms.require(perms.can_close(user, question), perms.denial_reason(user, "close_reopen"))
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == question.pk or duplicate_of.is_deleted:
            raise ValidationError({"duplicate_of": _("Name the question this one duplicates.")})
    else:
        duplicate_of = None
    question.status = PostStatus.DUPLICATE if duplicate_of else PostStatus.CLOSED
    question.close_reason = reason
    question.duplicate_of = duplicate_of
    question.closed_at = timezone.now()
    question.closed_by = user
    with transaction.atomic():
        question.save(
            update_fields=["status", "close_reason", "duplicate_of", "closed_at", "closed_by"]
        )
        audit_record(
            actor=user,
            action=ModerationAction.Action.CLOSED,
            target=question,
            reason=question.get_close_reason_display(),
        )
        _send(signals.post_saved, Question, instance=question, created=False)
        _thread_changed(question.pk)
    return question


def question_reopen(*, question: Question, user) -> Question:
    """Open a closed question again (the outcome of reopen votes, or a moderator's)."""
    perms.require_not_suspended(user)
    perms.require(perms.can_close(user, question), perms.denial_reason(user, "close_reopen"))
    question.status = PostStatus.ANSWERED if question.accepted_answer_id else PostStatus.OPEN
    question.close_reason = ""
    question.duplicate_of = None
    question.closed_at = None
    question.closed_by = None
    with transaction.atomic():
        question.save(
            update_fields=["status", "close_reason", "duplicate_of", "closed_at", "closed_by"]
        )
        audit_record(actor=user, action=ModerationAction.Action.REOPENED, target=question)
        _send(signals.post_saved, Question, instance=question, created=False)
        _thread_changed(question.pk)
    return question


def question_lock(*, question: Question, user, locked: bool, reason: str = "") -> Question:
    """Moderators freeze a thread (no answers, comments, votes or edits) or thaw it."""
    perms.require_not_suspended(user)
    perms.require(perms.can_moderate(user), perms.denial_reason(user, "moderate"))
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(locked=locked)
        audit_record(
            actor=user,
            action=ModerationAction.Action.LOCKED if locked else ModerationAction.Action.UNLOCKED,
            target=question,
            reason=reason,
        )
    question.locked = locked
    selectors.thread_changed(question.pk)
    return question


def tag_follow(*, tag: Tag, user, follow: bool = True) -> None:
    perms.require(getattr(user, "is_authenticated", False), _("Sign in first."))
    (tag.followers.add if follow else tag.followers.remove)(user)


def question_follow(*, question: Question, user, follow: bool = True) -> None:
    perms.require(getattr(user, "is_authenticated", False), _("Sign in first."))
    (question.followers.add if follow else question.followers.remove)(user)


def tag_wiki_edit(*, tag: Tag, editor, excerpt: str, body: str) -> Tag:
    """Edit a tag's excerpt and wiki; needs the edit privilege."""
    perms.require_not_suspended(editor)
    perms.require(
        perms.has_privilege(editor, "edit_others"), perms.denial_reason(editor, "edit_others")
    )
    excerpt = " ".join((excerpt or "").split())
    if len(excerpt) > 500:
        raise ValidationError({"wiki_excerpt": _("Keep the excerpt under 500 characters.")})
    tag.wiki_excerpt = excerpt
    tag.wiki_body = (body or "").strip()[:BODY_MAX]
    tag.wiki_html = render_markdown(tag.wiki_body)
    tag.wiki_edited_at = timezone.now()
    tag.wiki_edited_by = editor
    tag.save()
    return tag


@dataclass(frozen=True)
class TagMerge:
    questions: int
    articles: int
    followers: int


def tag_merge(*, source: Tag, target: Tag, moderator) -> TagMerge:
    """Make ``source`` a synonym of ``target`` (Stack Overflow's "merge tags").

    Questions and articles tagged ``source`` get ``target`` instead (keeping their tag
    order; posts that had both keep one), ``source``'s followers follow ``target``, its
    own synonyms point at ``target``, and its page redirects there from now on. Counts,
    the search index, cached threads and lists follow on commit. Moderators only.
    """
    perms.require_not_suspended(moderator)
    perms.require(perms.can_moderate(moderator), perms.denial_reason(moderator, "moderate"))
    if source.pk == target.pk:
        raise ValidationError({"source": _("A tag cannot be merged into itself.")})
    with transaction.atomic():
        locked = {
            t.pk: t for t in Tag.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        }
        source, target = locked[source.pk], locked[target.pk]
        if target.canonical_id:
            raise ValidationError(
                {
                    "source": _("“%(tag)s” is itself a synonym; merge into its main tag.")
                    % {"tag": target.name}
                }
            )
        if source.canonical_id:
            raise ValidationError(
                {"source": _("“%(tag)s” is already a synonym.") % {"tag": source.name}}
            )
        question_ids = list(
            QuestionTag.objects.filter(tag=source).values_list("question_id", flat=True)
        )
        article_ids = list(
            ArticleTag.objects.filter(tag=source).values_list("article_id", flat=True)
        )
        QuestionTag.objects.filter(
            tag=source, question_id__in=QuestionTag.objects.filter(tag=target).values("question_id")
        ).delete()
        QuestionTag.objects.filter(tag=source).update(tag=target)
        ArticleTag.objects.filter(
            tag=source, article_id__in=ArticleTag.objects.filter(tag=target).values("article_id")
        ).delete()
        ArticleTag.objects.filter(tag=source).update(tag=target)
        follower_ids = list(source.followers.values_list("pk", flat=True))
        target.followers.add(*follower_ids)
        source.followers.clear()
        Tag.objects.filter(canonical=source).update(canonical=target)
        target.question_count = QuestionTag.objects.filter(
            tag=target, question__is_deleted=False
        ).count()
        target.save(update_fields=["question_count"])
        source.canonical, source.question_count = target, 0
        source.save(update_fields=["canonical", "question_count"])
        audit_record(
            actor=moderator,
            action=ModerationAction.Action.TAG_MERGED,
            reason=f"[{source.name}] → [{target.name}]",
        )
        from search.services import outbox_enqueue

        answer_ids = Answer.objects.filter(question_id__in=question_ids).values_list(
            "pk", flat=True
        )
        outbox_enqueue(
            items=[
                *(("question", pk, "upsert") for pk in question_ids),
                *(("answer", pk, "upsert") for pk in answer_ids),
                *(("article", pk, "upsert") for pk in article_ids),
            ]
        )
        for pk in question_ids:
            _thread_changed(pk)
        _lists_changed()
    return TagMerge(
        questions=len(question_ids), articles=len(article_ids), followers=len(follower_ids)
    )


def question_view(*, question: Question, viewer_key: str) -> bool:
    """Count a view once per viewer (member or address) per hour; returns whether it counted."""
    result = hit(f"community:view:{question.pk}:{viewer_key}", "1/h")
    if result.allowed:
        Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)
    return result.allowed


def post_delete(*, post: Post, user, reason: str = "") -> None:
    """Soft-delete a question, answer or article (audit fields kept); counters follow.

    A deletion of someone else's post is a moderator action and goes in the audit log.
    """
    perms.require_not_suspended(user)
    post.refresh_from_db()
    perms.require(perms.can_delete(user, post), _("You cannot delete this post."))
    if post.is_deleted:
        return
    with transaction.atomic():
        post_soft_delete(post=post, by=user)
        if post.author_id != user.pk:
            audit_record(
                actor=user, action=ModerationAction.Action.DELETED, target=post, reason=reason
            )


def post_soft_delete(*, post: Post, by=None) -> None:
    """Hide a question or answer and move the counters; callers check permission and audit."""
    with transaction.atomic():
        if post.kind == "answer":
            question = Question.objects.select_for_update().get(pk=post.question_id)
            if question.accepted_answer_id == post.pk:
                _unaccept(question)
                question.save(update_fields=["accepted_answer", "status"])
            Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") - 1)
        elif post.kind == "question":
            tag_ids = list(post.question_tags.values_list("tag_id", flat=True))
            Tag.objects.filter(pk__in=tag_ids).update(question_count=F("question_count") - 1)
        post.is_deleted, post.deleted_at, post.deleted_by = True, timezone.now(), by
        post.save(update_fields=["is_deleted", "deleted_at", "deleted_by"])
        _send(signals.post_deleted, type(post), instance=post)
        _lists_changed()
        _post_changed(post)


def post_undelete(*, post: Post, user) -> None:
    """Moderators restore a soft-deleted post."""
    perms.require_not_suspended(user)
    perms.require(
        is_moderator(user) or perms.can_moderate(user), perms.denial_reason(user, "moderate")
    )
    if not post.is_deleted:
        return
    with transaction.atomic():
        if post.kind == "answer":
            Question.objects.filter(pk=post.question_id).update(answer_count=F("answer_count") + 1)
        elif post.kind == "question":
            tag_ids = list(post.question_tags.values_list("tag_id", flat=True))
            Tag.objects.filter(pk__in=tag_ids).update(question_count=F("question_count") + 1)
        post.is_deleted, post.deleted_at, post.deleted_by = False, None, None
        post.save(update_fields=["is_deleted", "deleted_at", "deleted_by"])
        audit_record(actor=user, action=ModerationAction.Action.UNDELETED, target=post)
        _send(signals.post_saved, type(post), instance=post, created=False)
        _lists_changed()
        _post_changed(post)


def comment_delete(*, comment: Comment, user) -> None:
    """Authors and moderators remove a comment (soft); a moderator's removal is audited."""
    perms.require_not_suspended(user)
    perms.require(
        comment.author_id == user.pk or perms.can_moderate(user),
        _("You cannot delete this comment."),
    )
    if comment.is_deleted:
        return
    with transaction.atomic():
        comment_soft_delete(comment=comment, by=user)
        if comment.author_id != user.pk:
            audit_record(actor=user, action=ModerationAction.Action.DELETED, target=comment)


def comment_soft_delete(*, comment: Comment, by=None) -> None:
    """Hide a comment and move its post's counter; callers check permission and audit."""
    with transaction.atomic():
        post = comment.post
        type(post).objects.filter(pk=post.pk).update(comment_count=F("comment_count") - 1)
        comment.is_deleted, comment.deleted_at, comment.deleted_by = True, timezone.now(), by
        comment.save(update_fields=["is_deleted", "deleted_at", "deleted_by"])
        _send(signals.post_deleted, Comment, instance=comment)
        _post_changed(post)


def reputation_adjust(*, user, points: int, by=None) -> ReputationEvent:
    """Add a moderator's (or the demo loader's) adjustment to the ledger; kept by recomputes."""
    if by is not None:
        perms.require(perms.can_moderate(by), perms.denial_reason(by, "moderate"))
    with transaction.atomic():
        event = ReputationEvent(
            user_id=user.pk, kind=ReputationEvent.Kind.ADJUSTMENT, points=points
        )
        _reputation_add([event])
        _badges_later([user.pk], ("rising_star",))
    user.refresh_from_db(fields=["reputation"])
    return event


# --- reputation from scratch -----------------------------------------------------------------


def reputation_recompute(*, apply: bool = True) -> dict[int, tuple[int, int]]:
    """Rebuild the ledger from votes and acceptances; returns ``{user_id: (was, now)}`` changes.

    With ``apply=False`` nothing is written: the result lists members whose stored
    reputation differs from what their votes and accepted answers give.
    """
    events: list[ReputationEvent] = []
    questions = Question.objects.only("id", "author_id")
    answers = Answer.objects.only("id", "author_id", "question_id")
    posts = {("question", q.pk): q for q in questions}
    posts.update({("answer", a.pk): a for a in answers})
    posts.update({("article", a.pk): a for a in Article.objects.only("id", "author_id")})
    for vote in Vote.objects.all().iterator(chunk_size=2000):
        if vote.article_id:
            key = ("article", vote.article_id)
        elif vote.question_id:
            key = ("question", vote.question_id)
        else:
            key = ("answer", vote.answer_id)
        events.extend(vote_events(vote, posts[key]))
    for question in Question.objects.filter(accepted_answer__isnull=False).select_related(
        "accepted_answer"
    ):
        events.extend(accept_events(question.accepted_answer, question))
    for suggestion in SuggestedEdit.objects.filter(status=SuggestedEdit.Status.APPROVED):
        events.append(suggested_edit_event(suggestion))
    kept = ReputationEvent.objects.exclude(
        kind__in=[
            *(
                f"{k}_{d}"
                for k in ("question", "answer", "article")
                for d in ("upvoted", "downvoted")
            ),
            ReputationEvent.Kind.DOWNVOTE_CAST,
            ReputationEvent.Kind.ANSWER_ACCEPTED,
            ReputationEvent.Kind.ACCEPTED_AN_ANSWER,
            ReputationEvent.Kind.EDIT_APPROVED,
        ]
    )
    expected: dict[int, int] = defaultdict(lambda: 1)
    for event in events:
        expected[event.user_id] += event.points
    for row in kept.values("user_id").annotate(total=Sum("points")):
        expected[row["user_id"]] += row["total"]
    changes = {}
    for user_id, stored in User.objects.values_list("pk", "reputation"):
        wanted = expected.get(user_id, 1)
        if stored != wanted:
            changes[user_id] = (stored, wanted)
    if apply:
        with transaction.atomic():
            ReputationEvent.objects.exclude(pk__in=kept.values("pk")).delete()
            ReputationEvent.objects.bulk_create(
                [e for e in events if e.user_id and e.points], batch_size=2000
            )
            for user_id, (_was, now) in changes.items():
                User.objects.filter(pk=user_id).update(reputation=now)
    return changes
