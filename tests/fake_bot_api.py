"""A fake Telegram Bot API server on 127.0.0.1 that keeps Telegram's rules, for tests and benchmarks.

    with FakeBotApi(token="123:abc") as api:          # serves http://127.0.0.1:<port>/bot<token>/<method>
        api.user_says(chat_id=42, text="where is the summit?")
        reply = api.wait_for_messages(42, 1)[0]        # what the bot sent, as Telegram accepted it
        api.fault("sendMessage", status=429, retry_after=1)   # the next sendMessage is flood-controlled

It speaks HTTP like the real Bot API (form-encoded or JSON parameters, ``{"ok": ..., "result": ...}``
answers) and is strict where Telegram is: message text over 4096 UTF-16 code units, HTML that
Telegram's parser refuses, empty text and callback data over 64 bytes all get Telegram's 400 errors.
"""

from __future__ import annotations

import json
import logging
import re
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
BOT_USER = {"id": 777000123, "is_bot": True, "first_name": "Citebot", "username": "citebot_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
# The tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
         "span", "blockquote", "tg-emoji"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_JSON_PARAMS = {"reply_markup", "entities", "reply_parameters", "link_preview_options", "commands",
                "allowed_updates", "scope"}
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>]+))?)*)\s*>")


class BadRequest(Exception):
    """What Telegram answers with HTTP 400: ``description`` is its exact message, ``parameters`` its
    ResponseParameters (``migrate_to_chat_id``), when it gives any."""

    def __init__(self, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.parameters = parameters


class Conflict(Exception):
    """What Telegram answers with HTTP 409: getUpdates while a webhook is set, or cut short by another's getUpdates."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The plain text of Telegram-HTML ``text``, or BadRequest with Telegram's "can't parse entities"."""
    out, stack, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            offset = len(text[:i].encode())
            if not m:
                raise BadRequest(f"Bad Request: can't parse entities: Unsupported start tag at byte offset {offset}")
            closing, name = m.group(1), m.group(2).lower()
            if name not in _TAGS:
                raise BadRequest(f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" '
                                 f"at byte offset {offset}")
            if closing:
                if not stack or stack[-1] != name:
                    expected = f'expected "</{stack[-1]}>", ' if stack else ""
                    raise BadRequest(f"Bad Request: can't parse entities: Unmatched end tag at byte offset "
                                     f'{offset}, {expected}found "</{name}>"')
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif ch == ">":
            raise BadRequest(f"Bad Request: can't parse entities: Character '>' is reserved at byte offset "
                             f"{len(text[:i].encode())}")
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m or (not m.group(1).startswith("#") and m.group(1) not in _NAMED_ENTITIES):
                raise BadRequest(f"Bad Request: can't parse entities: Character '&' is reserved at byte offset "
                                 f"{len(text[:i].encode())}")
            ref = m.group(1)
            if ref.startswith("#x"):
                out.append(chr(int(ref[2:], 16)))
            elif ref.startswith("#"):
                out.append(chr(int(ref[1:])))
            else:
                out.append(_NAMED_ENTITIES[ref])
            i = m.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise BadRequest(f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag {stack[-1]}")
    return "".join(out)


def _check_markup(markup) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")


@dataclass
class Sent:
    """A message the bot sent (or edited) that Telegram accepted."""

    method: str
    chat_id: int
    message_id: int
    text: str                      # as the bot sent it (HTML when parse_mode is HTML)
    plain: str                     # as a user sees it
    params: dict
    received_at: float = 0.0       # perf_counter when the request arrived
    topic: int | None = None       # the forum topic it is in: the one named, or the one of the message it replies to

    @property
    def buttons(self) -> list[dict]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Fault:
    status: int = 0                # 0: answer normally (once ``hold`` is set, when there is one)
    retry_after: int | None = None
    hold: threading.Event | None = None
    description: str = "Internal Server Error"  # what Telegram says with ``status``


@dataclass
class _State:
    updates: list = field(default_factory=list)
    next_update_id: int = 1
    next_message_id: int = 1
    sent: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (method, description, params)
    abandoned: list = field(default_factory=list)  # (method, params) of held calls the client gave up on meanwhile
    calls: list = field(default_factory=list)     # (method, params) of every request, answered or not
    faults: dict = field(default_factory=dict)    # method -> [Fault]
    flooded: dict = field(default_factory=dict)   # str(chat_id) -> retry_after of that chat's flood control
    delivered_at: dict = field(default_factory=dict)  # update_id -> perf_counter when getUpdates returned it
    chats: dict = field(default_factory=dict)     # chat_id -> chat object
    files: dict = field(default_factory=dict)     # file_id -> bytes, for getFile and the file download
    webhook: dict = field(default_factory=dict)
    migrated: dict = field(default_factory=dict)  # str(group id) -> the id of the supergroup it became
    blocked: set = field(default_factory=set)     # str(chat id) of the users who blocked the bot
    muted: dict = field(default_factory=dict)     # str(chat id) -> the 400 a send there gets: the bot may not write
    deleted: set = field(default_factory=set)     # (chat id, message id) of the bot's messages a user deleted
    garbage: list = field(default_factory=list)   # results the next getUpdates calls return as they are
    rival: bool = False                           # another process long-polls with the bot's token
    revoked: bool = False                         # the token was revoked in @BotFather


class FakeBotApi:
    """The fake server; use as a context manager (serves on a free port of 127.0.0.1)."""

    def __init__(self, token: str, bot_user: dict | None = None):
        self.token = token
        self.bot_user = dict(bot_user or BOT_USER)
        self.state = _State()
        self.cond = threading.Condition(threading.RLock())
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with self.cond:
            self.cond.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # ---- scripting -----------------------------------------------------------------------
    def fault(self, method: str, status: int = 0, retry_after: int | None = None,
              hold: threading.Event | None = None, description: str = "Internal Server Error") -> None:
        """The next call of ``method`` fails with ``status`` (429 with ``retry_after``; another with
        ``description``), or answers only once the test sets ``hold`` (a server too slow for the client's timeout)."""
        with self.cond:
            self.state.faults.setdefault(method, []).append(Fault(status, retry_after, hold, description))

    def flood_control(self, chat_id: int, retry_after: int | None) -> None:
        """From now on every sendMessage to ``chat_id`` gets 429 "retry after ``retry_after``", as under Telegram's
        per-chat flood control (None lifts it)."""
        with self.cond:
            if retry_after is None:
                self.state.flooded.pop(str(chat_id), None)
            else:
                self.state.flooded[str(chat_id)] = retry_after

    def migrate(self, group: int, supergroup: int, user_id: int) -> None:
        """``user_id`` upgrades the basic group ``group`` to a supergroup, whose id is ``supergroup``: Telegram tells
        the bot in both chats (migrate_from_chat_id in the new, migrate_to_chat_id in the old), and from then on
        answers a call on the old id with 400 and the new id in ``parameters``."""
        with self.cond:
            self.state.migrated[str(group)] = supergroup
        self.push("message", self.message(supergroup, user_id=user_id, chat_type="supergroup",
                                          migrate_from_chat_id=group))
        self.push("message", self.message(group, user_id=user_id, chat_type="group", migrate_to_chat_id=supergroup))

    def block(self, chat_id: int) -> None:
        """The user of the private chat ``chat_id`` blocks the bot: from now on every call to that chat gets
        Telegram's 403 "Forbidden: bot was blocked by the user"."""
        with self.cond:
            self.state.blocked.add(str(chat_id))

    def mute(self, chat_id: int, description: str | None) -> None:
        """From now on every send to the group ``chat_id`` gets Telegram's 400 ``description``, as when the bot may not
        write there ("Bad Request: not enough rights to send text messages to the chat": only admins may; "Bad Request:
        TOPIC_CLOSED": an admin closed the forum topic); None lifts it (the topic reopened)."""
        with self.cond:
            if description is None:
                self.state.muted.pop(str(chat_id), None)
            else:
                self.state.muted[str(chat_id)] = description

    def delete(self, sent: Sent) -> None:
        """The user deletes the bot's message ``sent`` (in a private chat, for both sides): from now on an edit of it
        gets Telegram's 400 "Bad Request: message to edit not found"."""
        with self.cond:
            self.state.deleted.add((sent.chat_id, sent.message_id))

    def rival_polls(self, polling: bool = True) -> None:
        """Another process long-polls with the bot's token (a second bot started by mistake), or stops (False): as on
        Telegram, each getUpdates cuts short the one waiting, so from now on each long poll of the bot's is answered
        409 "terminated by other getUpdates request" by the rival's next; one with timeout 0 returns before that (the
        rival's own calls are not recorded)."""
        with self.cond:
            self.state.rival = polling
            self.cond.notify_all()

    def revoke(self) -> None:
        """The bot's owner revokes its token in @BotFather: from now on every call with it gets Telegram's 401."""
        with self.cond:
            self.state.revoked = True
            self.cond.notify_all()

    def garbage(self, result) -> None:
        """The next getUpdates answers ``result`` as it is, as a broken Bot API server or proxy might."""
        with self.cond:
            self.state.garbage.append(result)
            self.cond.notify_all()

    def push(self, kind: str, payload: dict) -> int:
        """Queue an update carrying ``payload`` under ``kind`` ("message", "callback_query", ...)."""
        with self.cond:
            update_id = self.state.next_update_id
            self.state.next_update_id += 1
            self.state.updates.append({"update_id": update_id, kind: payload})
            self.cond.notify_all()
        return update_id

    def message(self, chat_id: int, user_id: int | None = None, chat_type: str = "private",
                reply_to: Sent | None = None, topic: int | None = None, **content) -> dict:
        """A user's message as Telegram delivers it (``content``: text, sticker, photo, ...); ``topic``: the
        message thread id of a forum topic in a forum supergroup."""
        user_id = chat_id if user_id is None else user_id
        chat = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": "Ann"} if chat_type == "private" else {"title": "Readers"})
        if topic is not None:
            chat.update(type="supergroup", is_forum=True)
        with self.cond:
            self.state.chats[chat_id] = chat
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat,
                   "from": {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": "en"}}
        message.update(content)
        if topic is not None:
            message.update(message_thread_id=topic, is_topic_message=True)
        if "text" in content and "entities" not in content:
            entities = _entities(content["text"])
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self._as_message(reply_to)
        return message

    def user_says(self, chat_id: int, text: str, **kwargs) -> int:
        """A text message from a user; returns its update id."""
        return self.push("message", self.message(chat_id, text=text, **kwargs))

    def channel_posts(self, group: int, **content) -> dict:
        """A channel's post (``content``: text, or photo and caption) as Telegram forwards it into the channel's
        discussion group ``group`` (an automatic forward, sent by "Telegram"), pushed; returns it, to comment on."""
        channel = {"id": -1_000_000_000_009, "type": "channel", "title": "Newsroom"}
        origin = {"type": "channel", "chat": channel, "message_id": 5, "date": int(time.time())}
        post = self.message(group, user_id=777000, chat_type="supergroup", is_automatic_forward=True,
                            sender_chat=channel, forward_origin=origin, **content)
        post["from"].update(first_name="Telegram")
        self.push("message", post)
        return post

    def comment(self, post: dict, text: str, user_id: int, reply_to: dict | None = None) -> dict:
        """A reader's comment under ``post`` as Telegram delivers it: in the post's thread (``message_thread_id`` the
        post's id), a reply to the post, or to ``reply_to``, another comment there (which, as Telegram sends it, holds
        no reply of its own); pushed, and returned."""
        replied = {k: v for k, v in (reply_to or post).items() if k != "reply_to_message"}
        comment = self.message(post["chat"]["id"], user_id=user_id, chat_type="supergroup", text=text,
                               message_thread_id=post["message_id"], reply_to_message=replied)
        self.push("message", comment)
        return comment

    def user_edits(self, message: dict, **content) -> int:
        """``message`` (as ``message()`` made it) edited by its sender to ``content``: an edited_message update."""
        edited = {k: v for k, v in message.items() if k not in ("text", "entities", "caption", "caption_entities")}
        edited.update(content, edit_date=int(time.time()))
        if "text" in content and "entities" not in content and _entities(content["text"]):
            edited["entities"] = _entities(content["text"])
        return self.push("edited_message", edited)

    def user_sends_sticker(self, chat_id: int, **kwargs) -> int:
        sticker = {"file_id": "CAACAgIAAxkBAAEBsticker", "file_unique_id": "AgADsticker", "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return self.push("message", self.message(chat_id, sticker=sticker, **kwargs))

    def user_sends_document(self, chat_id: int, file_name: str, content: bytes, mime_type: str = "text/plain",
                            **kwargs) -> int:
        """A file sent as a document; the bot fetches it with getFile and a download, as from Telegram."""
        return self.push("message", self.message(chat_id, document=self.document(file_name, content, mime_type),
                                                 **kwargs))

    def document(self, file_name: str, content: bytes, mime_type: str = "text/plain") -> dict:
        """A message's document holding ``content``, which getFile and a download then serve."""
        with self.cond:
            file_id = f"BQACAgIAAxkBdoc{len(self.state.files) + 1}"
            self.state.files[file_id] = content
        return {"file_id": file_id, "file_unique_id": f"AgADdoc{len(self.state.files)}", "file_name": file_name,
                "mime_type": mime_type, "file_size": len(content)}

    def user_clicks(self, sent: Sent, data: str, user_id: int | None = None, language_code: str | None = None,
                    too_old: bool = False) -> int:
        """A press on an inline button of ``sent`` whose callback data is ``data``, by a user whose Telegram app is in
        ``language_code`` (when given); ``too_old``: ``sent`` is older than Telegram shows a bot (48 hours), and the
        query carries an InaccessibleMessage (its chat and id, date 0) in its place."""
        user_id = sent.chat_id if user_id is None else user_id
        sender = {"id": user_id, "is_bot": False, "first_name": "Ann"}
        if language_code:
            sender["language_code"] = language_code
        message = self._as_message(sent)
        if too_old:
            message = {"chat": message["chat"], "message_id": sent.message_id, "date": 0}
        query = {"id": f"cq{time.perf_counter_ns()}", "chat_instance": str(sent.chat_id), "data": data,
                 "from": sender, "message": message}
        return self.push("callback_query", query)

    def _as_message(self, sent: Sent) -> dict:
        chat = self.state.chats.get(sent.chat_id, {"id": sent.chat_id, "type": "private", "first_name": "Ann"})
        topic = {"message_thread_id": sent.topic, "is_topic_message": True} if sent.topic else {}
        return {"message_id": sent.message_id, "date": int(time.time()), "chat": chat, "from": self.bot_user,
                "text": sent.plain, **topic}

    # ---- observing -----------------------------------------------------------------------
    def messages(self, chat_id: int, method: str = "sendMessage") -> list[Sent]:
        with self.cond:
            return [s for s in self.state.sent if s.chat_id == chat_id and s.method == method]

    def wait_for_messages(self, chat_id: int, count: int, method: str = "sendMessage", timeout: float = 60) -> list[Sent]:
        """The first ``count`` messages sent to ``chat_id`` (waiting for them; AssertionError if they never come)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = [s for s in self.state.sent if s.chat_id == chat_id and s.method == method]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{method} to chat {chat_id}: got {len(found)} of {count}: "
                                         f"{[s.plain[:80] for s in found]}; rejected: {self.state.rejected}")
                self.cond.wait(left)

    def wait_for_call(self, method: str, timeout: float = 60) -> dict:
        """The parameters of the first ``method`` request (waiting for it)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for name, params in self.state.calls:
                    if name == method:
                        return params
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {method} request came")
                self.cond.wait(left)

    def wait_until(self, condition, timeout: float = 60) -> None:
        """Wait until ``condition(self)`` holds (AssertionError if it never does)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not condition(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the fake Bot API never saw what the test waited for")
                self.cond.wait(left)

    def calls(self, method: str) -> list[dict]:
        with self.cond:  # re-entrant: usable inside wait_until
            return [p for name, p in self.state.calls if name == method]

    @property
    def rejected(self) -> list:
        with self.cond:
            return list(self.state.rejected)

    @property
    def abandoned(self) -> list:
        """The (method, params) of calls held by a fault whose client closed the connection before the answer."""
        with self.cond:
            return list(self.state.abandoned)

    # ---- the Bot API ---------------------------------------------------------------------
    def _handler_class(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                api._serve(self)

            do_GET = do_POST

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        arrived = time.perf_counter()
        path = request.path.split("?", 1)
        download = re.fullmatch(r"/file/bot([^/]+)/documents/(\w+)", path[0])
        if download:
            return self._download(request, *map(unquote, download.groups()))
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path[0])
        params = _read_params(request, path[1] if len(path) > 1 else "")
        if params is None:  # the client gave up mid-request (a cancelled typing indicator): no call was made
            return None
        if not match:
            return _reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = match.groups()
        if token != self.token or self.state.revoked:
            return _reply(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        with self.cond:
            self.state.calls.append((method, params))
            faults = self.state.faults.get(method)
            fault = faults.pop(0) if faults else None
            if fault is None and method == "sendMessage" and str(params.get("chat_id")) in self.state.flooded:
                fault = Fault(429, self.state.flooded[str(params.get("chat_id"))])
            blocked = str(params.get("chat_id")) in self.state.blocked
            self.cond.notify_all()
        if fault is None and blocked:
            return _reply(request, 403, {"ok": False, "error_code": 403,
                                         "description": "Forbidden: bot was blocked by the user"})
        if fault and fault.hold:
            fault.hold.wait(120)
            if _gone(request):
                with self.cond:
                    self.state.abandoned.append((method, params))
                    self.cond.notify_all()
                return None
        if fault and fault.status == 429:
            return _reply(request, 429, {"ok": False, "error_code": 429,
                                         "description": f"Too Many Requests: retry after {fault.retry_after}",
                                         "parameters": {"retry_after": fault.retry_after}})
        if fault and fault.status:
            return _reply(request, fault.status, {"ok": False, "error_code": fault.status,
                                                  "description": fault.description})
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})
        try:
            self._check_not_migrated(params)
            result = handler(params, arrived)
        except Conflict as exc:
            return _reply(request, 409, {"ok": False, "error_code": 409, "description": str(exc)})
        except BadRequest as exc:
            with self.cond:
                self.state.rejected.append((method, str(exc), params))
                self.cond.notify_all()
            body = {"ok": False, "error_code": 400, "description": str(exc)}
            return _reply(request, 400, {**body, "parameters": exc.parameters} if exc.parameters else body)
        _reply(request, 200, {"ok": True, "result": result})

    def _check_not_migrated(self, params) -> None:
        with self.cond:
            supergroup = self.state.migrated.get(str(params.get("chat_id")))
        if supergroup is not None:
            raise BadRequest("Bad Request: group chat was upgraded to a supergroup chat",
                             {"migrate_to_chat_id": supergroup})

    def _download(self, request: BaseHTTPRequestHandler, token: str, file_id: str) -> None:
        with self.cond:
            content = self.state.files.get(file_id) if token == self.token else None
        status, body = (200, content) if content is not None else (404, b"Not Found")
        request.send_response(status)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _api_getFile(self, params, arrived):
        file_id = params.get("file_id")
        with self.cond:
            if file_id not in self.state.files:
                raise BadRequest("Bad Request: invalid file_id")
            size = len(self.state.files[file_id])
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size,
                "file_path": f"documents/{file_id}"}

    def _api_getMe(self, params, arrived):
        return self.bot_user

    def _api_getUpdates(self, params, arrived):
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self.cond:
            if self.state.webhook:
                raise Conflict("Conflict: can't use getUpdates method while webhook is active; "
                               "use deleteWebhook to delete the webhook first")
            if offset:  # Telegram forgets every update before the offset: they are confirmed
                self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            rival = self.state.rival and timeout > 0  # a call that waits is cut short by the rival's next one
            while not self.state.updates and not self.state.garbage and not rival and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
                rival = self.state.rival and timeout > 0
            if rival:
                raise Conflict("Conflict: terminated by other getUpdates request; "
                               "make sure that only one bot instance is running")
            if self.state.garbage:
                return self.state.garbage.pop(0)
            batch = self.state.updates[:limit]
            now = time.perf_counter()
            for update in batch:
                self.state.delivered_at.setdefault(update["update_id"], now)
            return batch

    def _api_sendMessage(self, params, arrived):
        chat_id = self._writable(params)
        text = _checked_text(params)
        _check_markup(params.get("reply_markup"))
        with self.cond:
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
            chat = self.state.chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "Ann"})
            where = _in_topic(chat, params) or self._topic_replied_to(chat_id, params)
            sent = Sent("sendMessage", chat_id, message_id, params["text"], text, params, arrived,
                        where.get("message_thread_id"))
            self.state.sent.append(sent)
            self.cond.notify_all()
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": self.bot_user, "text": text,
                **where}

    def _topic_replied_to(self, chat_id: int, params: dict) -> dict:
        """As Telegram does, a reply that names no topic goes into the one of the bot's message it replies to."""
        replied = int((params.get("reply_parameters") or {}).get("message_id") or 0)
        topics = [s.topic for s in self.state.sent if (s.chat_id, s.message_id) == (chat_id, replied)]
        return {"message_thread_id": topics[0], "is_topic_message": True} if topics and topics[0] else {}

    def _writable(self, params) -> int:
        """The id of the chat ``params`` send to, or BadRequest when the bot may not write there (``mute``)."""
        chat_id = _chat_id(params)
        with self.cond:
            refusal = self.state.muted.get(str(chat_id))
        if refusal is not None:
            raise BadRequest(refusal)
        return chat_id

    def _api_editMessageText(self, params, arrived):
        chat_id = _chat_id(params)
        text = _checked_text(params)
        _check_markup(params.get("reply_markup"))
        return self._edit(chat_id, params, arrived, "editMessageText", text)

    def _api_editMessageReplyMarkup(self, params, arrived):
        _check_markup(params.get("reply_markup"))
        return self._edit(_chat_id(params), params, arrived, "editMessageReplyMarkup", None)

    def _edit(self, chat_id, params, arrived, method, text):
        message_id = int(params.get("message_id") or 0)
        with self.cond:
            versions = [s for s in self.state.sent if s.chat_id == chat_id and s.message_id == message_id]
            if not versions or versions[0].method != "sendMessage" or (chat_id, message_id) in self.state.deleted:
                raise BadRequest("Bad Request: message to edit not found")
            now = versions[-1]  # the message as it reads after its last edit
            html_text = params.get("text", now.text) if text is not None else now.text
            # Telegram compares the text with its entities, and the markup; the same HTML makes the same entities
            markup = params.get("reply_markup") or None
            if html_text == now.text and markup == (now.params.get("reply_markup") or None):
                raise BadRequest("Bad Request: message is not modified: specified new message content and reply "
                                 "markup are exactly the same as a content and reply markup of the current message")
            plain = now.plain if text is None else text
            self.state.sent.append(Sent(method, chat_id, message_id, html_text, plain, params, arrived))
            self.cond.notify_all()
            chat = self.state.chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "Ann"})
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": self.bot_user, "text": plain}

    def _api_deleteMessage(self, params, arrived):
        chat_id, message_id = _chat_id(params), int(params.get("message_id") or 0)
        with self.cond:
            if not any((s.chat_id, s.message_id) == (chat_id, message_id) for s in self.state.sent) or \
                    (chat_id, message_id) in self.state.deleted:
                raise BadRequest("Bad Request: message to delete not found")
            self.state.deleted.add((chat_id, message_id))
            self.state.sent.append(Sent("deleteMessage", chat_id, message_id, "", "", params, arrived))
            self.cond.notify_all()
        return True

    def _api_answerCallbackQuery(self, params, arrived):
        if len(params.get("text") or "") > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        return True

    def _api_sendChatAction(self, params, arrived):
        self._writable(params)
        if params.get("action") not in {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                                        "upload_voice", "upload_document", "choose_sticker", "find_location",
                                        "record_video_note", "upload_video_note"}:
            raise BadRequest("Bad Request: wrong parameter action in request")
        return True

    def _api_setMyCommands(self, params, arrived):
        for command in params.get("commands") or []:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")) or not command.get("description"):
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
        return True

    def _api_deleteWebhook(self, params, arrived):
        with self.cond:
            self.state.webhook = {}
        return True

    def _api_setWebhook(self, params, arrived):
        url = urlsplit(str(params.get("url", "")))
        if url.scheme != "https":
            raise BadRequest("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if (url.port or 443) not in (80, 88, 443, 8443):
            raise BadRequest("Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        with self.cond:
            self.state.webhook = dict(params)
        return True

    def _api_getWebhookInfo(self, params, arrived):
        with self.cond:
            return {"url": self.state.webhook.get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": 0}

    def _api_close(self, params, arrived):
        return True


def _chat_id(params) -> int:
    try:
        return int(params["chat_id"])
    except (KeyError, ValueError, TypeError):
        raise BadRequest("Bad Request: chat not found") from None


def _in_topic(chat: dict, params: dict) -> dict:
    """What Telegram adds to a message sent with ``params`` into a forum topic of ``chat`` (General has no id)."""
    thread = params.get("message_thread_id")
    if not chat.get("is_forum") or thread in (None, ""):
        return {}
    return {"message_thread_id": int(thread), "is_topic_message": True}


def _checked_text(params) -> str:
    text = params.get("text")
    if not isinstance(text, str):
        raise BadRequest("Bad Request: message text is empty")
    plain = parse_html(text) if str(params.get("parse_mode", "")).upper() == "HTML" else text
    plain = plain.strip()
    if not plain:
        raise BadRequest("Bad Request: message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise BadRequest("Bad Request: message is too long")
    return plain


def _entities(text: str) -> list[dict]:
    """The entities Telegram's clients attach: a leading /command and @mentions (UTF-16 offsets)."""
    found = []
    for m in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@\w+)?)|(?:(?<![\w@])@\w{5,32})", text):
        kind = "bot_command" if m.group(0).startswith("/") else "mention"
        found.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))})
    return found


def _gone(request: BaseHTTPRequestHandler) -> bool:
    """True when the client has closed its end of the request's connection (it gave up on the answer)."""
    readable, _, _ = select.select([request.connection], [], [], 0)
    try:
        return bool(readable) and request.connection.recv(1, socket.MSG_PEEK) == b""
    except ConnectionError:
        return True


def _read_params(request: BaseHTTPRequestHandler, query: str) -> dict | None:
    """The request's parameters; None when its body ended before its Content-Length (the client went away)."""
    length = int(request.headers.get("Content-Length") or 0)
    body = request.rfile.read(length) if length else b""
    if len(body) < length:
        return None
    kind = request.headers.get("Content-Type", "")
    if "application/json" in kind:
        return json.loads(body or b"{}")
    pairs = parse_qsl(query, keep_blank_values=True) + parse_qsl(body.decode(), keep_blank_values=True)
    params = {}
    for key, value in pairs:
        # Bot API clients send objects and arrays as JSON strings inside the form
        if key in _JSON_PARAMS:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        params[key] = value
    return params


def _reply(request: BaseHTTPRequestHandler, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout): Telegram doesn't care
        pass


class _SaysReady(logging.Handler):
    """Sets ``event`` when ``bot.telegram`` logs "answering as @...": its webhook server listens then."""

    def __init__(self, event: threading.Event):
        super().__init__(logging.INFO)
        self.event = event

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("answering as @"):
            self.event.set()


class BotThread:
    """Serves a ``bot.telegram.TelegramBot`` on its own event loop in a thread, until the block ends.

        with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(engine, TOKEN, api_url=api.url), api):
            api.user_says(42, "where is the summit?")
    """

    def __init__(self, bot, api: FakeBotApi, ready_timeout: float = 60):
        self.bot = bot
        self.api = api
        self.ready_timeout = ready_timeout
        self.error: BaseException | None = None
        self._loop = None
        self._stop = None
        self._thread = threading.Thread(target=self._run, name="citebot-telegram", daemon=True)
        self._listening = threading.Event()  # set by the bot's "answering as @..." line, or when it stops
        self._said = _SaysReady(self._listening)

    @property
    def thread(self) -> threading.Thread:
        """The thread whose event loop serves the bot."""
        return self._thread

    def _run(self) -> None:
        import asyncio

        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        try:
            self._loop.run_until_complete(self.bot.serve(self.bot.application(), self._stop))
        except BaseException as exc:  # handed to the test thread
            self.error = exc
        finally:
            self._loop.close()
            logger = logging.getLogger("citebot.telegram")
            logger.removeHandler(self._said)
            logger.setLevel(self._level)
            self._listening.set()  # stopped: __enter__ reports the error instead of waiting
            with self.api.cond:
                self.api.cond.notify_all()

    def __enter__(self) -> BotThread:
        logger = logging.getLogger("citebot.telegram")
        self._level = logger.level
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)  # the ready line is an INFO record
        logger.addHandler(self._said)
        self._thread.start()
        ready = "setWebhook" if self.bot.webhook else "getUpdates"
        deadline = time.monotonic() + self.ready_timeout
        with self.api.cond:
            while not any(name == ready for name, _ in self.api.state.calls):
                if self.error is not None or not self._thread.is_alive():
                    raise AssertionError(f"the bot did not start: {self.error!r}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"the bot made no {ready} request")
                self.api.cond.wait(0.1)
        if self.bot.webhook:  # PTB registers the webhook first and listens right after: wait for it to say so
            if not self._listening.wait(max(0.0, deadline - time.monotonic())) or self.error is not None \
                    or not self._thread.is_alive():
                raise AssertionError(f"the webhook never listened: {self.error!r}")
        return self

    def signal_stop(self) -> None:
        """What SIGTERM does: the bot begins to stop (the block's end waits for it)."""
        self._loop.call_soon_threadsafe(self._stop.set)

    def __exit__(self, *exc) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)
        if self.error is not None and exc[0] is None:
            raise self.error
