"""Signals other apps (search indexing, webhooks, feeds) listen to.

Services send them from ``transaction.on_commit``, so a receiver only ever sees
committed data and a failing receiver cannot undo the write.

- ``post_saved(sender=Question|Answer|Article|Comment, instance, created)``
- ``post_deleted(sender=Question|Answer|Article|Comment, instance)`` — soft delete (``is_deleted``)
- ``answer_accepted(sender=Answer, instance, question)``
"""

from django.dispatch import Signal

post_saved = Signal()
post_deleted = Signal()
answer_accepted = Signal()
