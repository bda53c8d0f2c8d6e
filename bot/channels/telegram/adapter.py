"""Telegram updates in, engine events through, Telegram messages out. No flow logic here.

Every update is checked against membership before anything else: an uninvited user gets one
polite refusal and sees nothing. The engine runs in a worker thread (it uses the database
synchronously), and it commits before the reply is sent, so a network error while replying
loses no answer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session
from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import access, outbox
from bot.channels.telegram.commands import CommandMenus
from bot.channels.telegram.sending import deliver
from bot.clock import utcnow
from bot.engine.events import Command, Event, NonText, Tap, Text
from bot.engine.output import Reply
from bot.engine.runner import Engine, Queued
from bot.errors import UserError
from bot.settings import Language, Settings, as_language
from bot.text import Texts

log = logging.getLogger(__name__)

NON_TEXT = (
    "photo", "sticker", "voice", "video", "video_note", "audio", "document", "animation",
    "contact", "location", "venue", "poll", "dice",
)  # fmt: skip


@dataclass(frozen=True)
class Incoming:
    """What the adapter needs of an update, read once."""

    telegram_id: int
    chat_id: int
    name: str
    language_code: str | None
    event: Event
    tapped_id: int | None  # the message whose button was tapped, for replies that edit it


class TelegramAdapter:
    """The one handler PTB calls for every update."""

    def __init__(
        self,
        *,
        engine: Engine,
        db: sa.Engine,
        texts: Texts,
        settings: Settings,
        worker: str,
        menus: CommandMenus,
    ) -> None:
        self.engine = engine
        self.db = db
        self.texts = texts
        self.settings = settings
        self.worker = worker  # who claims the outbox rows of the events handled here
        self.menus = menus

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer the callback first, check membership, hand the event to the engine, reply."""
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()  # stops the spinner on the rep's phone
            except TelegramError as error:  # a redelivered tap's query is too old: harmless
                log.info("update %s: callback query not answered: %s", update.update_id, error)
        incoming = read(update)
        if incoming is None:
            return
        event_id = f"tg:{context.bot.id}:{update.update_id}"  # update ids restart per bot
        try:
            queued = await asyncio.to_thread(self.replies_for, incoming, event_id)
        except Exception:
            log.exception("update %s failed", update.update_id)
            queued = Queued(None, [await asyncio.to_thread(self.apology, incoming)])
        if queued.outbox_id is not None:  # a reply stranded by a crash goes before this one
            await self.send_stranded(context.bot, before=queued.outbox_id)
        await send(
            context.bot,
            db=self.db,
            outbox_id=queued.outbox_id,
            address=address_of(incoming),
            replies=queued.replies,
            worker=self.worker,
        )
        event = incoming.event
        if isinstance(event, Command) and event.name == "start" and event.argument:
            # Perhaps someone just joined as a manager: their own menu now, not at a tick.
            await self.menus.put_right(context.bot, telegram_id=incoming.telegram_id)

    def language(self, incoming: Incoming) -> Language:
        """A newcomer's language, from their Telegram client; members have a stored one."""
        return access.language_of(incoming.language_code, self.settings.default_language)

    async def send_stranded(self, bot: Bot, *, before: int) -> None:
        """The same user's replies a dead worker committed but never sent, oldest first."""
        stranded = await asyncio.to_thread(
            outbox.claim_earlier,
            db=self.db,
            outbox_id=before,
            now=self.engine.clock(),
            worker=self.worker,
        )
        for pending in stranded:
            await send(
                bot,
                db=self.db,
                outbox_id=pending.outbox_id,
                address=pending.address,
                replies=pending.replies,
                worker=self.worker,
            )

    def apology(self, incoming: Incoming) -> Reply:
        """In the member's stored language (they may have chosen another with /lang); in the
        client's for a stranger, or when the database cannot say."""
        language = self.language(incoming)
        try:
            with Session(self.db) as session:
                user = access.member(session=session, telegram_id=incoming.telegram_id)
                if user is not None:
                    language = as_language(user.language)
        except sa.exc.SQLAlchemyError as error:
            log.warning("apology: no stored language, the client's instead: %s", error)
        return Reply(self.texts.render("errors/unexpected", language))

    def replies_for(self, incoming: Incoming, event_id: str) -> Queued:
        """Members talk to the engine, replies queued in its commit; others may only join."""
        with Session(self.db) as session:
            user = access.member(session=session, telegram_id=incoming.telegram_id)
            user_id = user.id if user else None
        if user_id is not None:
            return self.engine.handle_queued(
                user_id=user_id,
                event=incoming.event,
                event_id=event_id,
                address=address_of(incoming),
                worker=self.worker,
            )
        event = incoming.event
        if isinstance(event, Command) and event.name == "start" and event.argument:
            return Queued(None, self.join(incoming, event.argument))
        return Queued(None, [Reply(self.texts.render("access/refused", self.language(incoming)))])

    def join(self, incoming: Incoming, code: str) -> list[Reply]:
        """Redeem a code; a refused one is committed too, since it counts towards the limit."""
        language = self.language(incoming)
        with Session(self.db) as session:
            try:
                user = access.redeem(
                    session=session,
                    code=code,
                    telegram_id=incoming.telegram_id,
                    display_name=incoming.name,
                    language=language,
                    now=utcnow(),
                )
            except UserError as error:
                session.commit()
                return [Reply(self.texts.render(error.template, language, **error.context))]
            session.commit()
            user_id = user.id or 0
        return self.engine.handle(user_id=user_id, event=Command("start"))


def read(update: Update) -> Incoming | None:
    """The sender, chat and engine event of an update; None for what we ignore (groups)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != "private":
        return None
    query = update.callback_query
    event: Event
    tapped_id: int | None = None
    if query is not None:
        event = Tap(query.data or "")
        tapped_id = query.message.message_id if isinstance(query.message, Message) else None
    elif update.edited_message is not None:
        event = NonText("edited")
    elif update.message is not None:
        event = _message_event(update.message)
    else:
        return None
    return Incoming(user.id, chat.id, user.full_name, user.language_code, event, tapped_id)


def address_of(incoming: Incoming) -> dict[str, Any]:
    """Where the replies go, as the outbox row keeps it."""
    return {"chat_id": incoming.chat_id, "edit_message_id": incoming.tapped_id}


async def send(
    bot: Bot,
    *,
    db: sa.Engine,
    outbox_id: int | None,
    address: dict[str, Any],
    replies: list[Reply],
    worker: str,
) -> None:
    """Deliver, then mark the outbox row: delivered, or released for the tick to retry.

    A failure part-way keeps only the replies not yet sent, so a retry repeats none.
    """
    sent = 0
    failed: TelegramError | None = None
    try:
        for reply in replies:
            await deliver(
                bot,
                int(address["chat_id"]),
                [reply],
                edit_message_id=address.get("edit_message_id"),
            )
            sent += 1
    except TelegramError as error:
        failed = error
    if outbox_id is not None:
        await asyncio.to_thread(
            outbox.settle,
            db=db,
            outbox_id=outbox_id,
            delivered=failed is None,
            now=utcnow(),
            worker=worker,
            unsent=replies[sent:],
        )
    if failed is not None:
        raise failed


def _message_event(message: Message) -> Event:
    text = message.text
    if text is None:
        kind = next((kind for kind in NON_TEXT if getattr(message, kind, None)), "attachment")
        return NonText(kind)
    if text.startswith("/"):
        head, _, argument = text[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        if name:
            return Command(name, argument.strip())
    return Text(text)
