"""Telegram's command menu per role: a rep's list for all, a manager's or admin's in their chat.

The commands a role gets are the flows it may start (`Engine.menu_for`), then help and cancel,
each described by its `command_<name>` label, in English by default and in Chinese for Chinese
clients. The default scope carries a rep's list; a manager's or admin's own private chat gets
theirs through a chat scope (`BotCommandScopeChat`), which Telegram prefers there.

`User.commands_role` remembers whose list a chat was given (NULL: none, the default applies), so
any worker can tell who is out of step, however it happened: a manager's invitation just
redeemed, `salescoach member role` or `deactivate` run in another process. A start sets every
chat's list afresh, each tick puts right whoever is out of step, and a join puts the newcomer
right at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select
from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.domain import Role
from bot.engine.runner import Engine
from bot.settings import Language
from bot.storage.models import User
from bot.text import Texts

log = logging.getLogger(__name__)

ALWAYS = ("help", "cancel")  # after the flows, in every list
# Each list in both languages: English for every client, Chinese for those set to Chinese.
MENUS: tuple[tuple[Language, str | None], ...] = (("en", None), ("zh", "zh"))


@dataclass(frozen=True)
class Chat:
    """A member whose chat's list is to be set (`wanted`) or taken away (`wanted` None)."""

    user_id: int
    chat_id: int
    wanted: Role | None


def wanted_role(user: User) -> Role | None:
    """Whose list this member's chat should hold: None for a rep's, the default one."""
    if not user.is_active or user.telegram_id is None or user.role == Role.REP:
        return None
    return user.role


class CommandMenus:
    """Sets the lists; the database says which chats need one (see the module docstring)."""

    def __init__(self, *, engine: Engine, db: sa.Engine, texts: Texts) -> None:
        self.engine = engine
        self.db = db
        self.texts = texts

    def commands(self, role: Role, language: Language) -> list[BotCommand]:
        names = (*self.engine.menu_for(role), *ALWAYS)
        return [BotCommand(name, self.texts.label(f"command_{name}", language)) for name in names]

    async def register(self, bot: Bot) -> None:
        """At start: the default list, then every manager's and admin's chat, whatever is noted."""
        for language, code in MENUS:
            await bot.set_my_commands(self.commands(Role.REP, language), language_code=code)
        await self._apply(bot, await asyncio.to_thread(self._chats, everyone=True))

    async def put_right(self, bot: Bot, *, telegram_id: int | None = None) -> None:
        """Every chat (or this person's) whose list is not the one their role calls for."""
        await self._apply(bot, await asyncio.to_thread(self._chats, telegram_id=telegram_id))

    def _chats(self, *, everyone: bool = False, telegram_id: int | None = None) -> list[Chat]:
        """Members who should have a list of their own or have one: few, managers and admins.

        With `everyone`, each of them; otherwise only those whose noted list is not wanted.
        """
        concerned = sa.or_(
            col(User.commands_role).is_not(None),
            sa.and_(col(User.is_active).is_(True), col(User.role) != Role.REP),
        )
        query = select(User).where(col(User.telegram_id).is_not(None), concerned)
        if telegram_id is not None:
            query = query.where(User.telegram_id == telegram_id)
        with Session(self.db) as session:
            users = session.exec(query.order_by(col(User.id))).all()
        return [
            Chat(user.id or 0, user.telegram_id or 0, wanted_role(user))
            for user in users
            if everyone or wanted_role(user) != user.commands_role
        ]

    async def _apply(self, bot: Bot, chats: list[Chat]) -> None:
        """Set or delete each chat's list in both languages, then note what it now holds.

        Telegram refusing a chat (blocked, gone) is noted as done, so no tick asks again until
        the next start; a network failure is not, and the next tick tries again.
        """
        for chat in chats:
            scope = BotCommandScopeChat(chat.chat_id)
            try:
                for language, code in MENUS:
                    if chat.wanted is None:
                        await bot.delete_my_commands(scope=scope, language_code=code)
                    else:
                        commands = self.commands(chat.wanted, language)
                        await bot.set_my_commands(commands, scope=scope, language_code=code)
            except (BadRequest, Forbidden) as error:
                log.warning("user %s: command list refused: %s", chat.user_id, error)
            except TelegramError as error:
                log.warning("user %s: command list not set, next tick: %s", chat.user_id, error)
                continue
            await asyncio.to_thread(self._note, chat)

    def _note(self, chat: Chat) -> None:
        with Session(self.db) as session:
            session.execute(
                sa.update(User)
                .where(col(User.id) == chat.user_id)
                .values(commands_role=chat.wanted)
            )
            session.commit()
