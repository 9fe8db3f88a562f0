"""Profile editing form."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile

MAX_SKILLS = 20
MAX_SKILL_LENGTH = 40
MAX_LINKS = 5
GITHUB_USERNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


def parse_skills(text: str) -> list[str]:
    """Split on commas (ASCII or Chinese) and keep each skill once, in the order typed."""
    seen: dict[str, str] = {}
    for raw in re.split(r"[,，、;；\n]+", text or ""):
        skill = " ".join(raw.split())
        if skill and skill.casefold() not in seen:
            seen[skill.casefold()] = skill
    return list(seen.values())


class ProfileForm(forms.ModelForm):
    skills_text = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Separate skills with commas, e.g. PyTorch, 点云, ASR."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    links_text = forms.CharField(
        label=_("Other links"),
        required=False,
        help_text=_("One https:// address per line, at most 5."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Profile
        fields = ["display_name", "bio", "organisation", "location", "website", "github", "avatar"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "avatar": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["skills_text"].initial = ", ".join(self.instance.skills or [])
            self.fields["links_text"].initial = "\n".join(self.instance.links or [])

    def clean_github(self) -> str:
        name = self.cleaned_data["github"].strip().lstrip("@")
        if name and not GITHUB_USERNAME.match(name):
            raise forms.ValidationError(_("Enter a valid GitHub username."))
        return name

    def clean_skills_text(self) -> list[str]:
        skills = parse_skills(self.cleaned_data["skills_text"])
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(_("List at most %(count)d skills.") % {"count": MAX_SKILLS})
        too_long = [s for s in skills if len(s) > MAX_SKILL_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Each skill can be at most %(length)d characters.") % {"length": MAX_SKILL_LENGTH}
            )
        return skills

    def clean_links_text(self) -> list[str]:
        validate = URLValidator(schemes=["http", "https"])
        links = [
            line.strip() for line in self.cleaned_data["links_text"].splitlines() if line.strip()
        ]
        if len(links) > MAX_LINKS:
            raise forms.ValidationError(_("List at most %(count)d links.") % {"count": MAX_LINKS})
        for link in links:
            try:
                validate(link)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(link)s” is not a valid http(s) address.") % {"link": link}
                ) from error
        return links

    def save(self, commit: bool = True) -> Profile:
        profile = super().save(commit=False)
        profile.skills = self.cleaned_data["skills_text"]
        profile.links = self.cleaned_data["links_text"]
        if commit:
            profile.save()
        return profile
