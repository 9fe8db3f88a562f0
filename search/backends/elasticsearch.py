"""Search in Elasticsearch (enabled by ``ELASTICSEARCH_URL``)."""

from __future__ import annotations

from functools import cached_property

from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exceptions

from search.backends.base import Health, SearchBackend


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    @cached_property
    def client(self) -> Elasticsearch:
        return Elasticsearch(
            self.config["ELASTICSEARCH_URL"],
            request_timeout=self.config.get("TIMEOUT", 5),
            max_retries=1,
            retry_on_timeout=False,
        )

    def health(self) -> Health:
        try:
            info = self.client.cluster.health(timeout="2s")
        except (
            es_exceptions.ConnectionError,
            es_exceptions.TransportError,
            es_exceptions.ApiError,
        ) as error:
            return Health(ok=False, backend=self.name, detail={"error": type(error).__name__})
        status = info.get("status", "red")
        return Health(
            ok=status in {"green", "yellow"}, backend=self.name, detail={"status": status}
        )
