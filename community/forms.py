"""Forms for the Q&A pages; validation that needs the database lives in the services."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.models import CloseReason, Comment
from community.services import TAGS_MAX, TITLE_MAX


class TagsField(forms.CharField):
    """Tags typed as one line separated by spaces or commas."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [part for part in text.replace(",", " ").replace("，", " ").split() if part]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return " ".join(value)
        return value


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("Be specific: what are you trying to do, and what goes wrong?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Details"),
        help_text=_("Markdown: fenced code blocks with ``` and a language, tables, links."),
        widget=forms.Textarea(attrs={"rows": 14, "data-preview": "body-preview"}),
    )
    tags = TagsField(
        label=_("Tags"),
        help_text=_("1 to %(max)d tags separated by spaces, e.g. apollo c++ 点云")
        % {"max": TAGS_MAX},
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-tag-input": ""}),
    )
    subdomain = forms.ModelChoiceField(
        label=_("Sub-domain"), queryset=None, required=False, empty_label=_("— none —")
    )
    resource = forms.ModelChoiceField(
        label=_("About this open resource"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
        to_field_name="slug",
    )
    version = forms.CharField(label=_("Version"), max_length=40, required=False)
    comment = forms.CharField(
        label=_("Edit summary"),
        max_length=300,
        required=False,
        help_text=_("Briefly say what you changed."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from knowledge.models import OpenResource, Subdomain

        self.fields["tags"].widget.attrs["data-autocomplete-url"] = reverse(
            "community:tag_autocomplete"
        )
        self.fields["subdomain"].queryset = Subdomain.objects.all()
        self.fields["resource"].queryset = OpenResource.objects.select_related("platform")
        if not editing:
            del self.fields["comment"]
            del self.fields["base_revision"]

    def clean(self):
        data = super().clean()
        resource, version = data.get("resource"), (data.get("version") or "").strip()
        data["version_obj"] = None
        if version:
            if resource is None:
                self.add_error("version", _("Choose the resource this version belongs to."))
            else:
                match = resource.versions.filter(version=version).first()
                if match is None:
                    self.add_error(
                        "version",
                        _("%(resource)s has no version “%(version)s”.")
                        % {"resource": resource.name, "version": version},
                    )
                data["version_obj"] = match
        return data

    def resources(self) -> list[tuple]:
        resource = self.cleaned_data.get("resource")
        return [(resource, self.cleaned_data.get("version_obj"))] if resource else []


class ArticleForm(QuestionForm):
    """An experience post: the question form's fields with wording for a long read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _(
            "What did you build or learn? e.g. “Running Apollo perception on a Jetson Orin”."
        )
        self.fields["body"].label = _("Article")
        self.fields["body"].help_text = _(
            "Markdown: headings, fenced code blocks with ``` and a language, tables, links."
        )
        self.fields["body"].widget.attrs["rows"] = 22


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 10, "data-preview": "answer-preview"}),
    )
    comment = forms.CharField(label=_("Edit summary"), max_length=300, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["comment"]
            del self.fields["base_revision"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": Comment.MAX_LENGTH}),
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[("1", "+1"), ("-1", "-1"), ("0", "0")], coerce=int, empty_value=0
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of question number"), required=False, min_value=1
    )


class TagMergeForm(forms.Form):
    source = forms.CharField(
        label=_("Tag to merge into this one"),
        max_length=80,
        help_text=_(
            "Its questions and articles move here, its followers follow this tag, and its "
            "page redirects here. This cannot be undone from the site."
        ),
    )


class TagWikiForm(forms.Form):
    wiki_excerpt = forms.CharField(
        label=_("Excerpt"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wiki_body = forms.CharField(
        label=_("Wiki"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
