"""Reading what getUpdates returns one update at a time, so that one update the library cannot read stops nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot

log = logging.getLogger("citebot.telegram")


class TolerantBot(ExtBot):
    """An ``ExtBot`` whose getUpdates keeps an update python-telegram-bot cannot parse as its bare id.

    The library parses a batch whole: one update with a malformed field (a ``date`` of "yesterday", a
    ``chat`` without a ``type``) failed the batch, the offset never moved past it, and polling fetched
    the same batch in a tight loop for ever, no chat answered. Kept as ``{"update_id": N}``, the update
    reaches no handler and the next poll starts after it.

    ``polled`` hears how each getUpdates ended (None: it answered); raising there stops polling for good.

    >>> bot = TolerantBot(token="123:abc")   # doctest: +SKIP
    """

    def __init__(self, *args, polled: Callable[[TelegramError | None], None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # the library's objects refuse new attributes once made
            self.polled = polled or (lambda error: None)

    async def _post(self, endpoint: str, data=None, *args, **kwargs):
        if endpoint != "getUpdates":
            return await super()._post(endpoint, data, *args, **kwargs)
        try:
            result = await super()._post(endpoint, data, *args, **kwargs)
        except TelegramError as exc:
            self.polled(exc)
            raise
        self.polled(None)
        if isinstance(result, list):
            result = [kept for kept in map(self.readable, result) if kept is not None]
        return result

    def readable(self, raw):
        """``raw`` when it parses; else its bare id (logged once), or None when not even the id is whole."""
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            # the library takes any id, and the next offset is the last id plus one: "7" + 1 stopped polling for good
            log.warning("update %r dropped: its update_id is no whole number", update_id)
            return None
        try:
            Update.de_json(raw, self)
            return raw
        except Exception as exc:  # the library raises whatever the malformed field makes it raise
            log.warning("update %s dropped: python-telegram-bot cannot read it (%s: %s)", update_id,
                        type(exc).__name__, exc)
            return {"update_id": update_id}
