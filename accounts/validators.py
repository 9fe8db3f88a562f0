"""Validators for passwords and profile fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_AVATAR_BYTES = 2 * 1024 * 1024


class MaximumLengthValidator:
    """Reject absurdly long passwords (ASVS allows ≥ 64 characters; we allow 128)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password can be up to %(max_length)d character long; passphrases are welcome.",
            "Your password can be up to %(max_length)d characters long; passphrases are welcome.",
            self.max_length,
        ) % {"max_length": self.max_length}


def validate_avatar_size(file) -> None:
    if file and file.size > MAX_AVATAR_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."), code="avatar_too_large")
