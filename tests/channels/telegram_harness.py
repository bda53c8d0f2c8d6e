"""Run the real PTB application against the fake Bot API, and talk to it as a Telegram user."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from tests.fake_bot_api import FakeBotAPI, Sent, TelegramUser

_queries = itertools.count(1)


@dataclass
class Running:
    """A started application and the updates it has finished with."""

    application: Application
    done: dict[int, asyncio.Event] = field(default_factory=dict)

    def finished(self, update_id: int) -> asyncio.Event:
        return self.done.setdefault(update_id, asyncio.Event())

    async def tick(self) -> None:
        """Run the reminder job now, as the JobQueue would."""
        [job] = self.application.job_queue.get_jobs_by_name("reminders")
        await job.run(self.application)


@asynccontextmanager
async def running(application: Application, *, polling: bool = True) -> AsyncIterator[Running]:
    """Initialise, start and poll; stop and shut down on the way out, as a restart would."""
    state = Running(application)

    async def mark(update: Update, context: Any) -> None:
        state.finished(update.update_id).set()

    application.add_handler(TypeHandler(Update, mark), group=1)
    await application.initialize()
    if application.post_init is not None:  # run_polling and run_webhook call it here too
        await application.post_init(application)
    await application.start()
    if polling:
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield state
    finally:
        if application.updater and application.updater.running:
            await application.updater.stop()
        await application.stop()
        await application.shutdown()


@dataclass
class Phone:
    """A Telegram user's phone: sends updates, taps buttons, reads what the bot sent."""

    api: FakeBotAPI
    bot: Running
    user: TelegramUser
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def deliver(self, update: dict[str, Any], *, timeout: float = 15.0) -> list[str]:
        """Queue an update and wait until the bot has finished with it; return what it said."""
        before = len(self.api.calls)
        update = self.api.queue(update)
        await asyncio.wait_for(self.bot.finished(update["update_id"]).wait(), timeout)
        return [
            call.params["text"]
            for call in self.api.calls[before:]
            if call.ok
            and call.method in ("sendMessage", "editMessageText")
            and int(call.params["chat_id"]) == self.user.id
        ]

    async def say(self, text: str) -> list[str]:
        return await self.deliver(self.user.message(text, message_id=next(self._message_ids)))

    async def command(self, name: str, argument: str = "") -> list[str]:
        return await self.say(f"/{name} {argument}".strip())

    def keyboard(self) -> Sent:
        """The newest message to this user that carries buttons."""
        mine = [
            m for m in self.api.messages.values() if m.chat_id == self.user.id and m.reply_markup
        ]
        assert mine, "the bot has sent no buttons"
        return max(mine, key=lambda message: message.message_id)

    def button(self, label: str) -> tuple[Sent, str]:
        message = self.keyboard()
        for row in message.reply_markup["inline_keyboard"]:
            for button in row:
                if label in button["text"]:
                    return message, button["callback_data"]
        labels = [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]
        raise AssertionError(f"no button {label!r} in {labels}")

    def offered(self, label: str) -> tuple[Sent, str]:
        """The newest message with a button `label`, and its data: a button above the newest
        keyboard (the "Open anyway" above the question shown again)."""
        for message in sorted(
            self.api.messages.values(), key=lambda message: message.message_id, reverse=True
        ):
            if message.chat_id != self.user.id or not message.reply_markup:
                continue
            for row in message.reply_markup["inline_keyboard"]:
                for button in row:
                    if label in button["text"]:
                        return message, button["callback_data"]
        raise AssertionError(f"no message offers {label!r}")

    async def tap(self, label: str) -> list[str]:
        message, data = self.button(label)
        return await self.tap_data(message, data)

    async def tap_data(self, message: Sent, data: str) -> list[str]:
        query_id = f"q{next(_queries)}"
        said = await self.deliver(self.user.tap(message, data, query_id=query_id))
        assert query_id in self.api.answered, "every callback query is answered"
        return said

    def _offers(self, label: str) -> bool:
        """Whether the newest keyboard has a button with `label` (a question that is asked
        only at some times of day is taken only when it is there)."""
        try:
            self.button(label)
        except AssertionError:
            return False
        return True

    async def play(self, steps: list[tuple[str, str]]) -> list[str]:
        said: list[str] = []
        for step in steps:
            kind, argument = step
            if getattr(step, "only_there", False) and not self._offers(argument):
                continue
            if kind == "cmd":
                said = await self.command(argument)
            elif kind == "say":
                said = await self.say(argument)
            else:
                said = await self.tap(argument)
        return said
