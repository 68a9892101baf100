"""Progress of long commands: one line, redrawn in place on a terminal; nothing when
standard error is piped or a file (logs and scripts stay clean) or with ``-q``."""

from __future__ import annotations

import sys
import time

# Set by the ``newsmon`` group from -v/-q: below zero, no progress is shown.
VERBOSITY = 0


class Progress:
    def __init__(self, label: str, total: int | None = None, stream=None, enabled: bool | None = None,
                 interval: float = 0.1):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = VERBOSITY >= 0 and _is_terminal(self.stream)
        self.enabled = enabled
        self.interval, self._last, self._width = interval, 0.0, 0
        self.fields: dict = {}
        self.started = time.monotonic()

    def update(self, advance: int = 0, done: int | None = None, **fields):
        """Advance (or set) the count and any named figures; redraws at most every ``interval``."""
        self.done = done if done is not None else self.done + advance
        self.fields.update(fields)
        now = time.monotonic()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw()

    def line(self) -> str:
        parts = [self.label]
        if self.total:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 24)
            parts.append(f"[{bar:<24}] {self.done}/{self.total} {share:4.0%}")
        elif self.done:
            parts.append(str(self.done))
        parts.extend(f"{k.replace('_', ' ')} {v}" for k, v in self.fields.items())
        parts.append(f"{time.monotonic() - self.started:.0f}s")
        return "  ".join(parts)

    def _draw(self):
        text = self.line()
        pad = max(0, self._width - len(text))  # wipe what a longer previous line left
        self._width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()

    def echo(self, message: str):
        """A message of its own line, above the progress line (which is redrawn under it)."""
        if self.enabled:
            self.stream.write("\r" + " " * self._width + "\r")
        self.stream.write(message + "\n")
        if self.enabled:
            self._draw()
        self.stream.flush()

    def close(self):
        if self.enabled:
            self._last = 0.0
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
