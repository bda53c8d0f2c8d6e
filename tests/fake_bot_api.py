"""A local Bot API server that behaves like Telegram's where it matters to us.

It runs under uvicorn on 127.0.0.1 (port 0) in a thread, so PTB's real HTTP stack talks to it.
It enforces Telegram's rules: message text at most 4096 characters after entity parsing,
well-formed HTML of Telegram's subset, callback data at most 64 bytes, callback queries
answered once, "message is not modified" on an identical edit, command lists (1-32 of a-z 0-9 _,
descriptions 1-256 characters, at most 100) per scope and language, shown to a chat the way
Telegram picks among them (`commands_shown`). A method it does not implement
is answered 404 and remembered, and the fixture fails the test. Updates are queued by the test
and served by getUpdates (long polling), or POSTed to a webhook.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
        "tg-spoiler", "span", "blockquote"}  # fmt: skip
BOT = {"id": 7000000001, "is_bot": True, "first_name": "SalesCoach", "username": "salescoach_bot"}
COMMAND = re.compile(r"[a-z0-9_]{1,32}")
SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
          "chat_administrators", "chat_member"}  # fmt: skip
# A scope as a key of FakeBotAPI.commands: its type and, for the chat scopes, the chat.
Scope = tuple[str, int | None]


class TelegramError(Exception):
    """A Bot API error response."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.only_text: str | None = None
        self.description = description
        self.retry_after = retry_after


class _Entities(HTMLParser):
    """Parses text the way Telegram's HTML mode does, or says why it can't."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.plain: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problem = self.problem or f'unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problem = self.problem or f'unexpected end tag "{tag}"'
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problem = self.problem or "unescaped < or >"
        self.plain.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.problem = self.problem or f"unsupported entity &{name};"
        self.plain.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.plain.append(html.unescape(f"&#{name};"))


def parse_html(text: str) -> str:
    """The plain text Telegram would show, or TelegramError 400 for malformed markup."""
    parser = _Entities()
    parser.feed(text)
    parser.close()
    if parser.problem or parser.stack:
        problem = parser.problem or f'unclosed tag "{parser.stack[-1]}"'
        raise TelegramError(400, f"Bad Request: can't parse entities: {problem}")
    return "".join(parser.plain)


@dataclass
class Sent:
    """A message the bot sent, as the server stored it."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None


@dataclass
class Call:
    """One Bot API request, as received."""

    method: str
    params: dict[str, Any]
    ok: bool
    error: str | None = None


@dataclass
class FakeBotAPI:
    """State of the fake server; methods are called from the server thread and the test."""

    token: str = "123456:TEST-TOKEN"
    calls: list[Call] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    messages: dict[int, Sent] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)
    pending_queries: set[str] = field(default_factory=set)
    failures: dict[str, list[TelegramError]] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    # The command lists set, by scope and language code ("" for every language), as Telegram
    # keeps them: a later setMyCommands replaces one, deleteMyCommands removes it.
    commands: dict[tuple[Scope, str], list[dict[str, str]]] = field(default_factory=dict)
    gone: set[int] = field(default_factory=set)  # chats Telegram no longer knows (account deleted)
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _lock: threading.Condition = field(default_factory=threading.Condition)
    base_url: str = ""

    # --- what a test does ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        text: str | None = None,
    ) -> None:
        """Make the next call of `method` fail as Telegram would (e.g. 429 with retry_after);
        with `text`, the next call whose text contains it."""
        error = TelegramError(code, description, retry_after)
        error.only_text = text
        with self._lock:
            self.failures.setdefault(method, []).append(error)

    def queue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates, numbering it if it has no update_id yet."""
        with self._lock:
            update.setdefault("update_id", next(self._update_ids))
            if "callback_query" in update:
                self.pending_queries.add(update["callback_query"]["id"])
            self.updates.append(update)
            self._lock.notify_all()
            return update

    def commands_shown(self, chat_id: int, language_code: str | None) -> list[str]:
        """The commands a private chat's menu shows a client in `language_code`: Telegram takes
        the first list set among the chat's, all private chats' and the default scope's, each
        for the client's language first and for every language next."""
        languages = [language_code, ""] if language_code else [""]
        with self._lock:
            for scope in (("chat", chat_id), ("all_private_chats", None), ("default", None)):
                for language in languages:
                    listed = self.commands.get((scope, language))
                    if listed is not None:
                        return [command["command"] for command in listed]
        return []

    def seen(self, method: str) -> list[Call]:
        """Successful calls of `method` so far."""
        with self._lock:
            return [call for call in self.calls if call.method == method and call.ok]

    async def next_call(self, method: str, *, after: int, timeout: float = 15.0) -> Call:
        """Wait (without blocking the event loop) for the successful call number `after`+1."""
        return await asyncio.to_thread(self._wait_for, method, after, timeout)

    def _wait_for(self, method: str, after: int, timeout: float) -> Call:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                matching = [c for c in self.calls if c.method == method and c.ok]
                if len(matching) > after:
                    return matching[after]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {method} call number {after + 1} within {timeout}s")
                self._lock.wait(remaining)

    # --- the Bot API --------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        with self._lock:
            queued = self.failures.get(method, [])
            text = str(params.get("text", ""))
            due = [e for e in queued if e.only_text is None or e.only_text in text]
            if due:
                error = due[0]
                queued.remove(error)
                self._record(method, params, ok=False, error=error.description)
                raise error
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            with self._lock:
                self.unknown.append(method)
            raise TelegramError(404, "Not Found: method not found")
        try:
            result = handler(params)
        except TelegramError as error:
            self._record(method, params, ok=False, error=error.description)
            raise
        self._record(method, params, ok=True)
        return result

    def _record(
        self, method: str, params: dict[str, Any], *, ok: bool, error: str | None = None
    ) -> None:
        with self._lock:
            self.calls.append(Call(method, params, ok, error))
            self._lock.notify_all()

    def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **BOT,
            "id": int(self.token.split(":")[0]),  # as Telegram: a token starts with its bot's id
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    def api_setWebhook(self, params: dict[str, Any]) -> bool:
        if not str(params.get("url", "")).startswith(("https://", "http://")):
            raise TelegramError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self.webhook = params
        return True

    def _scope(self, params: dict[str, Any]) -> tuple[Scope, str]:
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        kind = scope.get("type")
        if kind not in SCOPES:
            raise TelegramError(400, "Bad Request: wrong bot command scope type specified")
        chat: int | None = None
        if kind.startswith("chat"):
            if not str(scope.get("chat_id", "")).lstrip("-").isdecimal():
                raise TelegramError(400, "Bad Request: chat not found")
            chat = int(scope["chat_id"])
            if chat in self.gone:
                raise TelegramError(400, "Bad Request: chat not found")
        if kind == "chat_member" and not str(scope.get("user_id", "")).isdecimal():
            raise TelegramError(400, "Bad Request: user not found")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise TelegramError(400, "Bad Request: invalid language code specified")
        return (kind, chat), language

    def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        if isinstance(commands, str):
            commands = json.loads(commands)
        if len(commands) > 100:
            raise TelegramError(400, "Bad Request: too many commands specified")
        for command in commands:
            if not COMMAND.fullmatch(str(command.get("command", ""))):
                raise TelegramError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not (1 <= len(str(command.get("description", ""))) <= 256):
                raise TelegramError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope(params)
        with self._lock:
            if commands:
                self.commands[key] = [
                    {"command": c["command"], "description": c["description"]} for c in commands
                ]
            else:  # an empty list, as Telegram has it, is the same as deleting the list
                self.commands.pop(key, None)
        return True

    def api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        key = self._scope(params)
        with self._lock:
            self.commands.pop(key, None)
        return True

    def api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        key = self._scope(params)
        with self._lock:
            return list(self.commands.get(key, []))

    def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 1.0)
        with self._lock:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            return list(self.updates)

    def _check_markup(self, markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise TelegramError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not (1 <= len(data.encode()) <= 64):
                    raise TelegramError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _check_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        plain = parse_html(text) if params.get("parse_mode") == "HTML" else text
        if not plain.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if len(plain) > 4096:
            raise TelegramError(400, "Bad Request: message is too long")
        return text

    def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(params)
        markup = self._check_markup(params.get("reply_markup"))
        chat_id = int(params["chat_id"])
        with self._lock:
            sent = Sent(next(self._ids), chat_id, text, markup)
            self.messages[sent.message_id] = sent
        return self._message(sent)

    def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(params)
        markup = self._check_markup(params.get("reply_markup"))
        message_id = int(params["message_id"])
        with self._lock:
            sent = self.messages.get(message_id)
            if sent is None or sent.chat_id != int(params["chat_id"]):
                raise TelegramError(400, "Bad Request: message to edit not found")
            if sent.text == text and sent.reply_markup == markup:
                raise TelegramError(400, "Bad Request: message is not modified")
            sent.text, sent.reply_markup = text, markup
        return self._message(sent)

    def _upload(self, params: dict[str, Any], field: str) -> dict[str, Any]:
        upload = params.get(field)
        if not isinstance(upload, dict) or not upload.get("content"):
            raise TelegramError(400, f"Bad Request: there is no {field} in the request")
        if len(upload["content"]) > 50 * 1024 * 1024:
            raise TelegramError(413, "Request Entity Too Large")
        with self._lock:
            sent = Sent(next(self._ids), int(params["chat_id"]), "", None)
            self.messages[sent.message_id] = sent
            self.files.append((field, upload["filename"], upload["content"]))
        return {
            **self._message(sent),
            field: {"file_id": f"F{sent.message_id}", "file_unique_id": f"U{sent.message_id}"},
        }

    def api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._upload(params, "document")

    def api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        upload = self._upload(params, "photo")
        upload["photo"] = [{**upload["photo"], "width": 800, "height": 500}]
        return upload

    def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        with self._lock:
            if query_id not in self.pending_queries or query_id in self.answered:
                raise TelegramError(
                    400,
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid",
                )
            self.answered.add(query_id)
        return True

    def _message(self, sent: Sent) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": "private"},
            "from": BOT,
            "text": sent.text,
        }
        if sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        return message


def _decode(value: str) -> Any:
    if value[:1] in "[{" or value in ("true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def build_app(api: FakeBotAPI) -> Starlette:
    """The ASGI app: POST /bot<token>/<method>, answered like the Bot API."""

    async def endpoint(request: Request) -> JSONResponse:
        if request.path_params["token"] != api.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
            )
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            params = await request.json()
        elif content_type.startswith("multipart/form-data"):
            form = await request.form()
            params = {}
            for key, value in form.multi_items():
                if isinstance(value, str):
                    params[key] = _decode(value)
                else:
                    params[key] = {"filename": value.filename, "content": await value.read()}
        else:
            body = (await request.body()).decode()
            params = {
                key: _decode(value) for key, value in parse_qsl(body, keep_blank_values=True)
            }
        try:
            result = await asyncio.to_thread(api.handle, request.path_params["method"], params)
        except TelegramError as error:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.code,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return JSONResponse(body, error.code)
        return JSONResponse({"ok": True, "result": result})

    return Starlette(routes=[Route("/bot{token}/{method}", endpoint, methods=["POST", "GET"])])


class Server(uvicorn.Server):
    """uvicorn in a thread, the way httpx's own tests run their server."""

    def install_signal_handlers(self) -> None:  # the test runner owns signals
        pass


def serve(api: FakeBotAPI) -> tuple[Server, threading.Thread]:
    """Start the fake API on 127.0.0.1 and a free port; returns once it accepts connections."""
    sock = socket.socket()
    # Small replies must not wait for a delayed ACK (Nagle): ~40 ms per request otherwise.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(build_app(api), log_level="warning", lifespan="off")
    server = Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    api.base_url = f"http://127.0.0.1:{port}/bot"
    return server, thread


# --- building updates as Telegram sends them ----------------------------------------------------


@dataclass
class TelegramUser:
    """A person on Telegram: who sends the updates in a test."""

    id: int
    first_name: str
    language_code: str = "en"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def message(self, text: str, *, message_id: int = 1) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": self.id, "type": "private"},
            "from": self.as_dict(),
            "text": text,
        }
        if text.startswith("/"):
            body["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return {"message": body}

    def photo(self, *, message_id: int = 1) -> dict[str, Any]:
        return {
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": self.id, "type": "private"},
                "from": self.as_dict(),
                "photo": [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}],
            }
        }

    def sticker(self, *, message_id: int = 1) -> dict[str, Any]:
        return {
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": self.id, "type": "private"},
                "from": self.as_dict(),
                "sticker": {
                    "file_id": "CAAD",
                    "file_unique_id": "s1",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                },
            }
        }

    def edited(self, text: str, *, message_id: int = 1) -> dict[str, Any]:
        update = self.message(text, message_id=message_id)
        message = update.pop("message")
        message["edit_date"] = int(time.time())
        return {"edited_message": message}

    def tap(self, sent: Sent, data: str, *, query_id: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": query_id,
                "from": self.as_dict(),
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": sent.message_id,
                    "date": int(time.time()),
                    "chat": {"id": sent.chat_id, "type": "private"},
                    "from": BOT,
                    "text": sent.text,
                },
            }
        }
