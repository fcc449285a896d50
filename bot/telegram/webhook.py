"""The webhook server: Telegram's POSTs read one update at a time, so that one the library cannot read stops nothing.

python-telegram-bot's own webhook answers an update it cannot parse with 400, and Telegram then sends that
update again and again, holding back the updates behind it: one malformed update would silence the bot, as
it did in polling mode before ``TolerantBot``. This server, python-telegram-bot's documented custom-webhook
route, checks the secret as the library does, drops such an update (logged once, answered 200) and puts the
others on the application's update queue. The secret is checked on the headers, before the body is read (a
stranger's body is never read), and a body is at most ``MAX_UPDATE_BYTES``: tornado's default let anyone make the
bot hold 100 MB per connection.

>>> server = await Webhook(app, listen="127.0.0.1", port=8443, url_path="citebot", secret_token=s).start()  # doctest: +SKIP
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from http import HTTPStatus

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.telegram.redaction import redact
from index.errors import CitebotError

log = logging.getLogger("citebot.telegram")

MAX_UPDATE_BYTES = 1 << 20  # an update is a message of 4,096 characters and what it replies to: tens of KB


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, app: Application, secret_token: str) -> None:
        self.app, self.secret_token = app, secret_token

    def prepare(self) -> None:
        """Refuses a request without the secret on its headers alone: its body is never read."""
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        token = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(token.encode(), self.secret_token.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        self.chunks: list[bytes] = []

    def data_received(self, chunk: bytes) -> None:
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            raw = json.loads(b"".join(self.chunks))
        except (ValueError, RecursionError):  # not JSON, or nested past what the parser reads: a 500 and a traceback
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        bot = self.app.bot
        kept = bot.readable(raw)  # the update, or its bare id when the library cannot read it (logged there)
        if kept is not None and len(kept) > 1:
            update = Update.de_json(kept, bot)
            bot.insert_callback_data(update)
            await self.app.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, typ, value, tb) -> None:
        if not isinstance(value, tornado.web.HTTPError):  # a refused request is not an error of ours
            super().log_exception(typ, value, tb)


class Webhook:
    """Serves ``app``'s webhook on ``listen``:``port`` at ``/url_path`` and registers ``webhook_url`` with Telegram.

    >>> webhook = Webhook(app, "127.0.0.1", 8443, "citebot", "https://bot.example.org/citebot", secret)  # doctest: +SKIP
    >>> await webhook.start(); ...; await webhook.stop()                                                # doctest: +SKIP
    """

    def __init__(self, app: Application, listen: str, port: int, url_path: str, webhook_url: str, secret_token: str):
        if not secret_token:
            raise ValueError("a webhook needs its secret token")
        self.app, self.listen, self.port = app, listen, port
        self.url_path, self.webhook_url, self.secret_token = url_path.strip("/"), webhook_url, secret_token
        self._server: tornado.httpserver.HTTPServer | None = None

    async def start(self, allowed_updates=Update.ALL_TYPES) -> Webhook:
        routes = [(rf"/{re.escape(self.url_path)}/?", _UpdateHandler, {"app": self.app, "secret_token": self.secret_token})]
        server = tornado.httpserver.HTTPServer(tornado.web.Application(routes, log_function=lambda handler: None),
                                               max_body_size=MAX_UPDATE_BYTES)
        try:
            server.listen(self.port, self.listen)
        except OSError as exc:  # the port taken, a host name that is no address of this machine's
            host = f"[{self.listen}]" if ":" in self.listen else self.listen
            raise CitebotError(f"cannot listen on {host}:{self.port} (--listen): {exc.strerror or exc}") from None
        self._server = server
        try:
            await self.app.bot.set_webhook(self.webhook_url, secret_token=self.secret_token,
                                           allowed_updates=allowed_updates)
        except BadRequest as exc:  # the library's BadRequest is a NetworkError: it read "cannot reach the Bot API"
            # a URL with the token in its path (an old python-telegram-bot example) shows "[hidden]"
            raise CitebotError(redact(f"Telegram refused --webhook-url {self.webhook_url}: {exc.message}")) from None
        return self

    async def stop(self) -> None:
        """Stops listening and closes the open connections: Telegram keeps its open, and an update taken on one
        while the bot stops would be acknowledged and never answered; refused, Telegram sends it again later."""
        if self._server is not None:
            server, self._server = self._server, None
            server.stop()
            await server.close_all_connections()
