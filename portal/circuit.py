"""A circuit breaker: after consecutive failures, stop calling a service for a while.

Closed: calls go through, failures are counted and a success resets the count. Open (after
`threshold` consecutive failures): calls are refused at once, without waiting for a timeout,
for `cooldown` seconds. Half-open (then): one call goes through as a probe; its success closes
the circuit, its failure opens it again for another `cooldown`. Other calls during the probe
are refused. The clock is injected, so tests drive the transitions without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitBreaker:
    def __init__(
        self,
        threshold: int = 5,
        cooldown: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold, self.cooldown, self.clock = threshold, cooldown, clock
        self.failures = 0
        self.opened_at = 0.0
        self._state = CLOSED
        self._probing = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            if self._state == OPEN and self.clock() - self.opened_at >= self.cooldown:
                return HALF_OPEN
            return self._state

    def allow(self) -> bool:
        """Whether a call may go to the service now (in half-open state: the one probe)."""
        with self._lock:
            if self._state == CLOSED:
                return True
            if self._state == OPEN and self.clock() - self.opened_at >= self.cooldown:
                self._state = HALF_OPEN
                self._probing = False
            if self._state == HALF_OPEN and not self._probing:
                self._probing = True
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            self._state, self.failures, self._probing = CLOSED, 0, False

    def failed(self) -> bool:
        """Count a failure; True when it opened the circuit."""
        with self._lock:
            self.failures += 1
            if self._state == HALF_OPEN or self.failures >= self.threshold:
                opened = self._state != OPEN
                self._state, self.opened_at, self._probing = OPEN, self.clock(), False
                return opened
            return False
