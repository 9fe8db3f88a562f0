"""Conditional GET for detail endpoints: a strong ETag over the representation."""

from __future__ import annotations

import hashlib
import json

from rest_framework import status
from rest_framework.response import Response


class ETagRetrieveMixin:
    """Adds ``ETag`` to detail responses and answers ``If-None-Match`` with 304."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
        if_none_match = request.headers.get("If-None-Match", "")
        if etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match == "*":
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(data)
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response
