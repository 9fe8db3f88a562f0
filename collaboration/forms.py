"""Forms of the collaboration board. Validation that needs the database lives in services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import parse_skills
from collaboration.models import CollaborationPost, Flag, Interest, Organisation
from collaboration.services import MAX_POST_SKILLS, MAX_SKILL_LENGTH
from knowledge.models import OpenResource, Subdomain


def _clean_skills(text: str, limit: int) -> list[str]:
    skills = parse_skills(text)
    if len(skills) > limit:
        raise forms.ValidationError(_("List at most %(count)d skills.") % {"count": limit})
    if any(len(skill) > MAX_SKILL_LENGTH for skill in skills):
        raise forms.ValidationError(
            _("Each skill can be at most %(length)d characters.") % {"length": MAX_SKILL_LENGTH}
        )
    return skills


class ContactFormMixin:
    """At least one contact field must be filled in."""

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in CollaborationPost.CONTACT_FIELDS):
            raise forms.ValidationError(
                _("Give at least one way to contact you (email, WeChat, phone or link).")
            )
        return cleaned


class PostForm(ContactFormMixin, forms.ModelForm):
    skills_text = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Skills wanted or offered, separated by commas, e.g. PyTorch, 点云, ASR."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = CollaborationPost
        fields = [
            "kind",
            "title",
            "description",
            "subdomain",
            "skills_text",
            "resources",
            "stage",
            "engagement",
            "location",
            "remote",
            "expires_on",
            "organisation",
            *CollaborationPost.CONTACT_FIELDS,
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 10}),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "resources": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "description": _("Markdown. What you are building, what you need, what you offer."),
            "location": _("City, or leave empty if it does not matter."),
            "resources": _("Platform datasets, models or APIs this is about (optional)."),
            "organisation": _("Post on behalf of an organisation you belong to (optional)."),
            "contact_email": _(
                "Contact details are shown only to members whose interest you accept."
            ),
        }

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.Meta.fields)
        self.fields["resources"].label_from_instance = lambda r: f"{r.name} · {r.platform.name}"
        self.fields["subdomain"].queryset = Subdomain.objects.order_by("sort_order")
        self.fields["resources"].queryset = OpenResource.objects.select_related(
            "platform"
        ).order_by("platform__subdomain__sort_order", "name")
        self.fields["resources"].required = False
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=author)
        if not self.is_bound:
            if self.instance.pk:
                self.fields["skills_text"].initial = ", ".join(
                    skill.name for skill in self.instance.skills.all()
                )
            else:
                self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(
                    days=60
                )
                self.fields["contact_email"].initial = author.email

    def clean_skills_text(self) -> list[str]:
        return _clean_skills(self.cleaned_data["skills_text"], MAX_POST_SKILLS)

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        return value

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in {"skills_text", "resources"}
        }


class InterestForm(ContactFormMixin, forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["message", *Interest.CONTACT_FIELDS]
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        help_texts = {
            "message": _("Who you are and why you are a good fit. Markdown."),
            "contact_email": _("Shared with the author only if they accept."),
        }

    def contacts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in Interest.CONTACT_FIELDS}


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Flag.Reason.choices)
    note = forms.CharField(label=_("Details"), required=False, max_length=500)


class PostFilterForm(forms.Form):
    """The list's filters; unknown values are simply ignored."""

    subdomain = forms.SlugField(required=False)
    skill = forms.CharField(required=False, max_length=MAX_SKILL_LENGTH, label=_("Skill"))
    kind = forms.ChoiceField(
        required=False, choices=[("", _("Any kind")), *CollaborationPost.Kind.choices]
    )
    stage = forms.ChoiceField(
        required=False, choices=[("", _("Any stage")), *CollaborationPost.Stage.choices]
    )
    engagement = forms.ChoiceField(
        required=False,
        choices=[("", _("Any engagement")), *CollaborationPost.Engagement.choices],
    )
    remote = forms.BooleanField(required=False, label=_("Remote possible"))
    closed = forms.BooleanField(required=False, label=_("Include closed and expired"))

    def __init__(self, *args, subdomains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdomain"] = forms.ChoiceField(
            required=False,
            label=_("Sub-domain"),
            choices=[("", _("All sub-domains"))] + [(s.slug, s.name) for s in subdomains],
        )
        self.fields["kind"].label = _("Kind")
        self.fields["stage"].label = _("Stage")
        self.fields["engagement"].label = _("Engagement")


class PeopleFilterForm(forms.Form):
    skill = forms.CharField(required=False, max_length=MAX_SKILL_LENGTH, label=_("Skill"))
    expertise = forms.CharField(
        required=False, max_length=MAX_SKILL_LENGTH, label=_("Proven expertise in")
    )

    def __init__(self, *args, subdomains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdomain"] = forms.ChoiceField(
            required=False,
            label=_("Sub-domain"),
            choices=[("", _("All sub-domains"))] + [(s.slug, s.name) for s in subdomains],
        )


class AlertForm(forms.Form):
    skills_text = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Separated by commas. Leave both empty to turn alerts off."),
    )
    subdomains = forms.ModelMultipleChoiceField(
        label=_("Sub-domains"),
        queryset=Subdomain.objects.order_by("sort_order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_skills_text(self) -> list[str]:
        return _clean_skills(self.cleaned_data["skills_text"], 20)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
