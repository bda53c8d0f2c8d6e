"""The file /export sends: the records the manager may see, in the format they chose."""

from __future__ import annotations

from typing import Any

from bot import export
from bot.engine.context import Ctx, Option
from bot.engine.output import Attachment

FORMATS = ("xlsx", "csv", "json", "html")


def formats(ctx: Ctx) -> list[Option]:
    """The four export formats, named for people rather than by extension."""
    return [Option(kind, ctx.labels(f"export_{kind}")) for kind in FORMATS]


def make_export(ctx: Ctx) -> dict[str, Any]:
    """Build the file from the viewer's scope only, attach it to the reply, say how many."""
    visits = export.records(session=ctx.db, playbooks=ctx.playbooks, viewer=ctx.user)
    kind = ctx.get("format")
    data = export.render(
        visits,
        kind,
        texts=ctx.texts,
        language=ctx.language,
        playbooks=ctx.playbooks,
        exported_at=ctx.now,
    )
    stamp = ctx.now.astimezone(ctx.zone).strftime("%Y%m%d-%H%M")
    ctx.attach(Attachment(f"salescoach-{stamp}.{kind}", data))
    return {"count": len(visits)}
