"""The interface every search backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Health:
    ok: bool
    backend: str
    detail: dict = field(default_factory=dict)


class SearchBackend:
    name = "base"

    def __init__(self, config: dict) -> None:
        self.config = config

    def health(self) -> Health:
        """Whether the backend can answer queries now."""
        raise NotImplementedError
