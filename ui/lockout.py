"""Wrong admin passwords are rate-limited: after a few wrong guesses, exponential backoff.

The admin password guards the list of every assessment, so guessing it must be slow. Neither the
Streamlit session nor the client address identifies a guesser: a new session is one page reload
away, and behind a proxy every client has the proxy's address. So the count is kept per process
for the one thing guarded — the assessment list — whoever guesses. The price is that a stranger's
wrong guesses make the real administrator wait too (never longer than MAX_WAIT_S); the waiting time
is shown, and a right password after the wait clears the count. With several app processes each
counts its own guesses (a guesser gains at most a factor of the number of processes).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FREE_GUESSES = 3  # wrong guesses before the first wait (typos happen)
FIRST_WAIT_S = 5.0  # then 5 s, 10 s, 20 s … doubling with each further wrong guess
MAX_WAIT_S = 15 * 60.0
FORGET_AFTER_S = 60 * 60.0  # an hour without a wrong guess starts the count afresh


class Lockout:
    """Counts wrong guesses and says how long the next one must wait. Thread-safe (sessions are threads);
    the clock is injectable so tests need no sleeping."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._last_failure = 0.0
        self._locked_until = 0.0

    def wait(self) -> float:
        """Seconds before a guess may be checked; 0 when it may be checked now."""
        with self._lock:
            return max(0.0, self._locked_until - self.clock())

    def failed(self) -> float:
        """Record a wrong guess; returns the wait it starts (0 while guesses are still free)."""
        with self._lock:
            now = self.clock()
            if now - self._last_failure > FORGET_AFTER_S:
                self._failures = 0
            self._failures += 1
            self._last_failure = now
            extra = self._failures - FREE_GUESSES
            wait = 0.0 if extra < 0 else min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** extra)
            self._locked_until = now + wait
            return wait

    def succeeded(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._failures = 0
            self._last_failure = 0.0
            self._locked_until = 0.0


ADMIN = Lockout()
"""The admin list's lockout, one per process (see the module's docstring for why not per session)."""
