"""PTB's rate limiter for every Bot API call: waits out flood control and retries timeouts and 5xx."""

from __future__ import annotations

import asyncio
import logging
import warnings
from contextvars import ContextVar

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger("citebot.telegram")

# The longest flood-control wait (429) the Bot API calls of the current task sit out: _notice sets 0.
_MAX_WAIT: ContextVar[float] = ContextVar("citebot_max_wait", default=float("inf"))


class _Retrying(BaseRateLimiter):
    """Every Bot API call: waits out flood control (429) and retries timeouts and 5xx, ``attempts`` times in all.

    A call made while ``_MAX_WAIT`` is ``s`` waits out a 429 only of ``s`` seconds or less: a notice nobody will miss
    must not hold one of the bot's concurrent updates for minutes."""

    def __init__(self, attempts: int = 4, backoff: float = 0.5):
        self.attempts = attempts
        self.backoff = backoff

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        for attempt in range(1, self.attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
                    warnings.simplefilter("ignore")
                    wait = exc.retry_after
                wait = wait.total_seconds() if hasattr(wait, "total_seconds") else wait
                if attempt == self.attempts or wait > _MAX_WAIT.get():
                    raise
                log.warning("flood control on %s: waiting %s s", endpoint, wait)
                await asyncio.sleep(float(wait) + 0.1)
            except NetworkError as exc:  # timeouts, 5xx, dropped connections; BadRequest is the caller's fault
                if isinstance(exc, BadRequest) or attempt == self.attempts:
                    raise
                log.warning("%s failed (%s); retrying", endpoint, exc)
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
