"""Webhooks for Q&A activity: ``question.about_resource`` and ``answer.accepted``.

The community app sends its signals from ``transaction.on_commit`` (see
community/signals.py), so these receivers see committed data and only queue
deliveries; a failure is logged by ``webhook_emit`` and never reaches the asker.
"""

from __future__ import annotations

from collections import defaultdict

from django.dispatch import receiver

from community import signals as community_signals
from community.models import Answer, Question, QuestionResource
from webhooks.payloads import answer_payload, question_payload, resource_payload
from webhooks.services import webhook_emit


def _links(question: Question) -> list[QuestionResource]:
    return list(
        QuestionResource.objects.filter(question=question).select_related("resource", "version")
    )


def _resource(link: QuestionResource) -> dict:
    data = resource_payload(link.resource)
    data["version"] = link.version.version if link.version_id else None
    return data


@receiver(community_signals.post_saved, sender=Question, dispatch_uid="webhooks.question_asked")
def question_asked(sender, instance: Question, created: bool, **kwargs) -> None:
    """A new question linked to resources: one event per resource, to its platform."""
    if not created or instance.is_deleted:
        return
    links = _links(instance)
    if not links:
        return
    question = question_payload(instance)
    for link in links:
        webhook_emit(
            platform=link.resource.platform_id,
            event="question.about_resource",
            payload={"question": question, "resource": _resource(link)},
        )


@receiver(community_signals.answer_accepted, sender=Answer, dispatch_uid="webhooks.accepted")
def answer_accepted(sender, instance: Answer, question: Question, **kwargs) -> None:
    """An accepted answer, to every platform whose resources the question is about."""
    by_platform: dict[int, list] = defaultdict(list)
    for link in _links(question):
        by_platform[link.resource.platform_id].append(_resource(link))
    if not by_platform:
        return
    data = {"question": question_payload(question), "answer": answer_payload(instance)}
    for platform_id, resources in by_platform.items():
        webhook_emit(
            platform=platform_id,
            event="answer.accepted",
            payload={**data, "resources": resources},
        )
