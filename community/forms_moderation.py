"""Forms for flagging, suspending and suggesting edits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.forms import TagsField
from community.models import Flag
from community.moderation import SUSPENSION_DAYS_MAX


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of question number"), required=False, min_value=1
    )
    text = forms.CharField(
        label=_("Details for the moderators"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days"), min_value=1, max_value=SUSPENSION_DAYS_MAX, initial=7
    )
    reason = forms.CharField(
        label=_("Reason shown to the member"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
    )


class SuggestEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 14}))
    tags = TagsField(label=_("Tags"), required=False)
    comment = forms.CharField(
        label=_("Edit summary"),
        max_length=300,
        help_text=_("Say what your edit improves; a reviewer reads it."),
    )

    def __init__(self, *args, kind: str = "question", **kwargs):
        super().__init__(*args, **kwargs)
        if kind != "question":
            del self.fields["title"]
            del self.fields["tags"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    comment = forms.CharField(max_length=300, required=False)
