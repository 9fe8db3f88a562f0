"""Profile editing form."""

from __future__ import annotations

import io
import re

from allauth.account import forms as allauth_forms
from django import forms
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from accounts.models import AccessToken, Profile

MAX_SKILLS = 20
MAX_SKILL_LENGTH = 40
MAX_LINKS = 5
AVATAR_SIZE = 256
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
GITHUB_USERNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


def parse_skills(text: str) -> list[str]:
    """Split on commas (ASCII or Chinese) and keep each skill once, in the order typed."""
    seen: dict[str, str] = {}
    for raw in re.split(r"[,，、;；\n]+", text or ""):
        skill = " ".join(raw.split())
        if skill and skill.casefold() not in seen:
            seen[skill.casefold()] = skill
    return list(seen.values())


def reencode_avatar(upload) -> ContentFile:
    """A square PNG of at most AVATAR_SIZE pixels, decoded and encoded by Pillow."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in AVATAR_FORMATS:
                raise forms.ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."))
            if image.width * image.height > AVATAR_MAX_PIXELS:
                raise forms.ValidationError(_("The image has too many pixels."))
            image = ImageOps.exif_transpose(image).convert("RGBA")
            image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
    except (OSError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(_("This file is not an image we can read.")) from error
    return ContentFile(buffer.getvalue(), name="avatar.png")


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

    def clean_avatar(self):
        """Re-encode a new upload: strips metadata and anything hidden after the image data."""
        avatar = self.cleaned_data.get("avatar")
        if not avatar or not hasattr(avatar, "content_type"):
            return avatar  # unchanged, cleared, or none
        return reencode_avatar(avatar)

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


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form, labelled for what Huiju accepts: a username or an email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs.update(
            {"placeholder": "", "autocomplete": "username", "autocapitalize": "none"}
        )


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “CI sync of our dataset catalogue”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=AccessToken.SCOPES,
        widget=forms.CheckboxSelectMultiple,
        initial=[AccessToken.SCOPE_READ],
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"),
        coerce=int,
        choices=[
            (30, _("in 30 days")),
            (90, _("in 90 days")),
            (365, _("in a year")),
            (0, _("never")),
        ],
        initial=90,
    )
