"""Forms of the live-session pages (the no-JavaScript path; the room client uses WebSockets)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH


class AskForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown is supported. Be specific: name the resource and version."),
    )
    anonymous = forms.BooleanField(
        label=_("Ask anonymously"),
        required=False,
        help_text=_("Other attendees do not see your name; hosts and moderators do."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Written answer"),
        max_length=MAX_ANSWER_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown. Kept on the session page and in the archived thread."),
    )
