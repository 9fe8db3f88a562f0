"""Search in the project's own database (PostgreSQL full text, or SQLite for the demo)."""

from __future__ import annotations

from django.db import connection

from search.backends.base import Health, SearchBackend


class DatabaseBackend(SearchBackend):
    name = "database"

    def health(self) -> Health:
        connection.ensure_connection()
        return Health(ok=True, backend=self.name, detail={"vendor": connection.vendor})
