"""The per-user limit on questions a minute, and telling a refused user once."""

from __future__ import annotations

import time
from collections import OrderedDict, deque

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
        # users by their last question, and refused users by when they were told, the oldest first: the ones out of
        # the window are forgotten from the front, a few at each question, so that each user costs as long as they
        # ask. (Sifting every user once 10,000 had asked made each question past them cost them all: 30,000 users in
        # 30 s took 35 s of the event loop.)
        self._asked: OrderedDict[int, deque] = OrderedDict()
        self._told: OrderedDict[int, float] = OrderedDict()  # user -> when they may ask again, for users told to wait

    def wait(self, user: int) -> int:
        """0 when ``user`` may ask now (counting it), else the whole seconds until they may."""
        now = self.clock()
        self._forget(now)
        asked = self._asked.setdefault(user, deque())
        while asked and asked[0] <= now - self.window:
            asked.popleft()
        if len(asked) >= self.per_minute:
            return max(1, int(asked[0] + self.window - now + 0.999))
        asked.append(now)
        self._asked.move_to_end(user)
        return 0

    def tell(self, user: int, wait: int) -> bool:
        """Whether to tell ``user``, refused for ``wait`` s, to wait: once, then not until they may ask again."""
        now = self.clock()
        if self._told.get(user, now) > now:
            return False
        self._told[user] = now + wait
        self._told.move_to_end(user)
        return True

    def _forget(self, now: float) -> None:
        """Forget the users whose last question is out of the window, and the told whose wait is over."""
        while self._asked:
            user, asked = next(iter(self._asked.items()))
            if asked and asked[-1] > now - self.window:
                break
            del self._asked[user]
        while self._told:
            user, until = next(iter(self._told.items()))
            if until > now:
                break
            del self._told[user]
