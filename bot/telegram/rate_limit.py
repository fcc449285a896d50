"""The per-user limit on questions a minute, and telling a refused user once."""

from __future__ import annotations

import time
from collections import deque

from index.errors import CitebotError


class RateLimit:
    """At most ``per_minute`` questions per user in any 60 seconds; a user refused is told so once, not at each refusal.

    >>> limit = RateLimit(2, clock=lambda: 100.0)
    >>> [limit.wait(7) for _ in range(3)]
    [0, 0, 60]
    >>> limit.tell(7, 60), limit.tell(7, 60)
    (True, False)
    """

    def __init__(self, per_minute: int, window: float = 60.0, clock=time.monotonic):
        if not isinstance(per_minute, int) or per_minute < 1:
            raise CitebotError("the rate limit must be at least 1 question a minute")
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._asked: dict[int, deque] = {}
        self._told: dict[int, float] = {}  # user -> when they may ask again, for users told to wait

    def wait(self, user: int) -> int:
        """0 when ``user`` may ask now (counting it), else the whole seconds until they may."""
        now = self.clock()
        asked = self._asked.setdefault(user, deque())
        while asked and asked[0] <= now - self.window:
            asked.popleft()
        if len(asked) >= self.per_minute:
            return max(1, int(asked[0] + self.window - now + 0.999))
        asked.append(now)
        if len(self._asked) > 10_000:  # forget users who have not asked within the window
            self._asked = {u: q for u, q in self._asked.items() if q and q[-1] > now - self.window}
        return 0

    def tell(self, user: int, wait: int) -> bool:
        """Whether to tell ``user``, refused for ``wait`` s, to wait: once, then not until they may ask again."""
        now = self.clock()
        if self._told.get(user, now) > now:
            return False
        self._told[user] = now + wait
        if len(self._told) > 10_000:
            self._told = {u: until for u, until in self._told.items() if until > now}
        return True
