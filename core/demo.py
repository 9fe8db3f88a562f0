"""Shared pieces of the demo-data loaders (``manage.py load_demo``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "huiju-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only


@dataclass
class DemoContext:
    """Passed from loader to loader so later ones can use what earlier ones created."""

    stdout: Any
    style: Any
    users: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        self.stdout.write(f"  {message}")
