"""/lang: switch between Chinese and English; everything after follows at once."""

from __future__ import annotations

from bot.engine.flow import Choose, Ctx, Flow, Option, Show


def languages(ctx: Ctx) -> list[Option]:
    """Each language named in itself, so either reader finds theirs."""
    return [Option("zh", ctx.labels("language_zh")), Option("en", ctx.labels("language_en"))]


def save_language(ctx: Ctx) -> None:
    """Store the choice on the user."""
    chosen = ctx.get("language")
    if chosen in ("zh", "en"):
        ctx.user.language = chosen
        ctx.db.add(ctx.user)


FLOW = Flow(
    id="lang",
    steps=(Choose("language", options=languages), Show("changed", on_done=save_language)),
)
