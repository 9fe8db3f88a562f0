"""Signals other apps listen to; sent from ``transaction.on_commit`` so receivers see committed rows.

- ``registration_created(sender=Registration, registration=...)``: a member registered for a session.
"""

from django.dispatch import Signal

registration_created = Signal()
