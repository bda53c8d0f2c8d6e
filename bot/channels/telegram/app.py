"""The PTB Application: built once from Settings, served by polling or by webhook.

`main()`-style wiring only: the builder (base URL from SALESCOACH_BOT_API_URL, HTML by default,
AIORateLimiter so a 429 is waited out and retried rather than lost), one catch-all handler
feeding the engine, one error handler, the command menus (per role, in zh and en: commands.py),
and a JobQueue tick that sends due reminders from the database and keeps the menus in step.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)

from bot import outbox, reminders
from bot.channels.telegram.adapter import TelegramAdapter, send
from bot.channels.telegram.commands import CommandMenus
from bot.channels.telegram.sending import deliver
from bot.clock import utcnow
from bot.engine.runner import Engine
from bot.errors import ConfigError, Problem
from bot.settings import Settings
from bot.text import Texts

log = logging.getLogger(__name__)

TICK_SECONDS = 10.0  # reminders and comment notifications go out within this


def file_url(base_url: str) -> str:
    """Telegram serves files under /file/bot<token>; a local server follows the same layout."""
    return base_url[: -len("/bot")] + "/file/bot" if base_url.endswith("/bot") else base_url


def build_application(
    *,
    settings: Settings,
    engine: Engine,
    db: sa.Engine,
    texts: Texts,
    clock: Callable[[], datetime] = utcnow,
    tick_seconds: float = TICK_SECONDS,
    first_tick: float = 1.0,
    updater: bool = True,
    rate_limit: bool = True,
) -> Application:  # type: ignore[type-arg]
    """Wire the bot; nothing runs until the caller starts it."""
    if settings.bot_token is None:
        raise ConfigError([Problem("SALESCOACH_BOT_TOKEN", "config/token_missing")])
    worker = f"{os.uname().nodename}:{os.getpid()}"
    menus = CommandMenus(engine=engine, db=db, texts=texts)
    adapter = TelegramAdapter(
        engine=engine, db=db, texts=texts, settings=settings, worker=worker, menus=menus
    )

    async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send what is due, then put command menus right after role changes made elsewhere;
        the database decides both, so restarts lose nothing."""
        now = clock()
        await resend_undelivered(context.bot, now)
        due = await asyncio.to_thread(
            reminders.due_messages,
            db=db,
            now=now,
            worker=worker,
            texts=texts,
            zone=settings.zone,
            at=settings.next_step_time,
            playbooks=engine.runtime.playbooks,
        )
        for message in due:
            delivered = True
            try:
                await deliver(context.bot, message.telegram_id or 0, [message.reply])
            except TelegramError as error:
                delivered = False
                log.warning("reminder %s not delivered: %s", message.reminder_id, error)
            await asyncio.to_thread(
                reminders.settle,
                db=db,
                reminder_id=message.reminder_id,
                delivered=delivered,
                now=now,
            )
        await menus.put_right(context.bot)

    async def resend_undelivered(bot: Bot, now: datetime) -> None:
        """Replies a crashed worker committed but never sent (on start, then every tick)."""
        await asyncio.to_thread(outbox.prune, db=db, now=now)
        for pending in await asyncio.to_thread(
            outbox.claim_pending, db=db, now=now, worker=worker
        ):
            try:
                await send(
                    bot,
                    db=db,
                    outbox_id=pending.outbox_id,
                    address=pending.address,
                    replies=pending.replies,
                    worker=worker,
                )
            except TelegramError as error:
                log.warning("outbox %s not delivered: %s", pending.outbox_id, error)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with the traceback; the user already got an answer or will on retry."""
        log.error(
            "telegram error while handling %s", type(update).__name__, exc_info=context.error
        )

    async def on_start(application: Application) -> None:  # type: ignore[type-arg]
        """Set the command menus; let the engine wake the tick when a notice is due now."""
        await menus.register(application.bot)
        loop = asyncio.get_running_loop()
        job_queue = application.job_queue
        assert job_queue is not None

        def send_now() -> None:
            job_queue.run_once(tick, 0, name="reminders-now")

        def wake() -> None:  # called from the engine's worker thread
            loop.call_soon_threadsafe(send_now)

        engine.on_notice = wake

    builder = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.bot_api_url)
        .base_file_url(file_url(settings.bot_api_url))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .post_init(on_start)
    )
    if rate_limit:  # Telegram's flood limits: about 30 messages a second, 1 a second per chat
        # PTB's builder is generic in its rate limiter type; a split chain loses the inference.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if not updater:
        builder = builder.updater(None)
    application = builder.build()
    application.add_handler(TypeHandler(Update, adapter.on_update))
    application.add_error_handler(on_error)
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        tick, interval=tick_seconds, first=first_tick, name="reminders"
    )
    return application


def run_polling(application: Application) -> None:  # type: ignore[type-arg]
    """Long polling until SIGINT or SIGTERM; PTB stops cleanly on either."""
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def run_webhook(application: Application, *, url: str, listen: str, secret: str) -> None:  # type: ignore[type-arg]
    """Serve Telegram's webhook; requests without the secret token header are refused (403)."""
    host, _, port = listen.rpartition(":")
    if not host or not port.isdecimal():
        raise ConfigError([Problem("--listen", "config/bad_listen", given=listen)])
    path = urlsplit(url).path.lstrip("/")
    application.run_webhook(
        listen=host,
        port=int(port),
        url_path=path,
        webhook_url=url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
    )


def bot_username(settings: Settings) -> str | None:
    """Ask the Bot API who we are, for invitation deep links; no token, no link."""
    if settings.bot_token is None:
        return None
    token = settings.bot_token.get_secret_value()

    async def ask() -> str | None:
        async with Bot(token, base_url=settings.bot_api_url) as bot:
            return bot.username

    try:
        return asyncio.run(ask())
    except (TelegramError, OSError) as error:
        log.warning("could not ask the Bot API for the bot's name: %s", error)
        return None
