"""Log lines about a recurring condition (a full server, no descriptors left, timeouts) once per interval."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

#: The key in the ASGI scope's ``state`` that marks a request on a connection over the cap (its value: the cap).
OVER_CAPACITY = "egovgraph.over_capacity"


class RateLog:
    """Log a recurring condition at most once per interval, with how often it happened in between."""

    def __init__(self, logger: logging.Logger, level: int, interval: float) -> None:
        self.logger, self.level, self.interval = logger, level, interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._counts: dict[str, int] = {}

    def __call__(self, key: str, message: Callable[[int], str]) -> None:
        """Count one occurrence of ``key``; log ``message(count since the last line)`` if the interval passed."""
        now = time.monotonic()
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                return
            count, self._counts[key], self._last[key] = self._counts[key], 0, now
        self.logger.log(self.level, "%s", message(count))
