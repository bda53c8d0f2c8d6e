"""The two languages /lang offers, and keeping the choice on the user."""

from __future__ import annotations

from bot import users
from bot.engine.context import Ctx, Option


def languages(ctx: Ctx) -> list[Option]:
    """Each language named in itself, so either reader finds theirs."""
    return [Option("zh", ctx.labels("language_zh")), Option("en", ctx.labels("language_en"))]


def save_language(ctx: Ctx) -> None:
    """Store the choice on the user."""
    chosen = ctx.get("language")
    if chosen in ("zh", "en"):
        users.set_language(session=ctx.db, user=ctx.user, language=chosen)
