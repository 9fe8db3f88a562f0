"""Request hygiene shared by every page and the API."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNulQueryMiddleware:
    """Answer 400 to query strings carrying NUL bytes.

    Forms and serializers already refuse NUL in submitted fields, but list filters
    read ``request.GET`` directly, and PostgreSQL cannot store or compare text with
    NUL in it, so such a filter would otherwise end in a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("The address contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
