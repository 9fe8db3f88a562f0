"""Forms of the live-session pages (the no-JavaScript path; the room client uses WebSockets)."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
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


class UsernamesField(forms.CharField):
    """Usernames separated by commas or spaces; cleans to the list of those members."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(user, "username", str(user)) for user in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        names = list(dict.fromkeys(n for n in text.replace(",", " ").split() if n))
        if not names:
            return []
        from django.contrib.auth import get_user_model

        users = {
            user.username.lower(): user
            for user in get_user_model().objects.filter(username__in=names, is_active=True)
        }
        missing = [name for name in names if name.lower() not in users]
        if missing:
            raise forms.ValidationError(
                _("No such member: %(names)s.") % {"names": ", ".join(missing)}
            )
        return [users[name.lower()] for name in names]


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.platform.name}"


class LiveSessionForm(forms.Form):
    """Schedule or edit a session (platform staff; see services.live_session_schedule)."""

    platform = forms.ModelChoiceField(label=_("Host platform"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: what the session covers."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    resources = ResourceChoiceField(
        label=_("Linked resources"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the host platform's resources can be linked."),
    )
    stream_url = forms.URLField(
        label=_("Stream URL"),
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https"])],
        help_text=_("Optional; an https:// address of the video stream."),
    )
    premoderation = forms.BooleanField(
        label=_("Pre-moderate questions"),
        required=False,
        help_text=_("New questions stay hidden until a host or moderator approves them."),
    )
    hosts = UsernamesField(
        label=_("Co-hosts"),
        help_text=_("Usernames, separated by commas. You are a host already."),
    )
    moderators = UsernamesField(
        label=_("Moderators"),
        help_text=_("Usernames of members who may approve, hide and pin questions."),
    )

    def __init__(self, *args, user, session=None, **kwargs):
        from accounts.roles import is_moderator
        from knowledge.models import OpenResource, Platform

        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "platform": session.platform_id,
                    "title": session.title,
                    "description": session.description,
                    "starts_at": timezone.localtime(session.starts_at),
                    "ends_at": timezone.localtime(session.ends_at),
                    "resources": [r.pk for r in session.resources.all()],
                    "stream_url": session.stream_url,
                    "premoderation": session.premoderation,
                    "hosts": list(session.hosts.all()),
                    "moderators": list(session.moderators.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.session = session
        if session is not None:
            platforms = Platform.objects.filter(pk=session.platform_id)
            self.fields["platform"].disabled = True
            self.fields["hosts"].label = _("Hosts")
            self.fields["hosts"].required = True
            self.fields["hosts"].help_text = _("Usernames, separated by commas.")
        elif is_moderator(user):
            platforms = Platform.objects.all()
        else:
            platforms = Platform.objects.filter(staff=user)
        platforms = list(platforms)
        self.fields["platform"].queryset = Platform.objects.filter(pk__in=[p.pk for p in platforms])
        # choices without another query: the list above is iterated, not the queryset
        self.fields["platform"].choices = [("", "---------")] * (len(platforms) != 1) + [
            (p.pk, p.name) for p in platforms
        ]
        if len(platforms) == 1 and session is None:
            self.fields["platform"].initial = platforms[0].pk
        self.fields["resources"].queryset = (
            OpenResource.objects.filter(platform__in=[p.pk for p in platforms])
            .select_related("platform")
            .order_by("platform__slug", "name")
        )

    def clean(self):
        data = super().clean()
        platform = data.get("platform")
        resources = data.get("resources")
        if platform is not None and any(r.platform_id != platform.pk for r in resources or ()):
            self.add_error("resources", _("Only the host platform's resources can be linked."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        if starts and self.session is None and starts <= timezone.now():
            self.add_error("starts_at", _("A new session must start in the future."))
        return data
