"""A small text progress bar for long commands (no extra dependency)."""

from __future__ import annotations

import time


class ProgressBar:
    def __init__(self, stream, total: int, label: str, width: int = 30) -> None:
        self.stream, self.total, self.label, self.width = stream, max(total, 0), label, width
        self.started = time.monotonic()
        self.last_draw = 0.0

    def update(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_draw < 0.2:
            return
        self.last_draw = now
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        filled = int(fraction * self.width)
        rate = done / max(now - self.started, 1e-6)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r  {self.label:<14} [{bar}] {done}/{self.total} ({rate:,.0f}/s)", ending=""
        )
        self.stream.flush()

    def finish(self, done: int) -> float:
        self.update(done, force=True)
        self.stream.write("")
        return time.monotonic() - self.started
