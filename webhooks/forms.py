"""The endpoint form on the platform's webhook settings page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import event_choices
from webhooks.models import WebhookDelivery


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Payload URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Huiju POSTs JSON here. It must use https and a public address."),
        widget=forms.URLInput(attrs={"placeholder": "https://ci.example.cn/huiju-webhook"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("A note for your colleagues, e.g. what receives these events."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Inactive endpoints receive nothing until you turn them back on."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = event_choices()


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *WebhookDelivery.Status.choices],
    )
    event = forms.ChoiceField(label=_("Event"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            ("", _("All events")),
            ("ping", _("Ping")),
            *event_choices(),
        ]
