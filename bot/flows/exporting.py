"""/export (managers): the records they may see, as a file in the chat."""

from __future__ import annotations

from typing import Any

from bot import export
from bot.domain import Role
from bot.engine.flow import Choose, Ctx, Flow, Option, Show
from bot.engine.output import Attachment

FORMATS = ("xlsx", "csv", "json", "html")


def formats(ctx: Ctx) -> list[Option]:
    """The four export formats, named for people rather than by extension."""
    return [Option(kind, ctx.labels(f"export_{kind}")) for kind in FORMATS]


def make_export(ctx: Ctx) -> None:
    """Build the file from the viewer's scope only, and attach it to the reply."""
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
    ctx.scratch["exported"] = len(visits)


def exported_context(ctx: Ctx) -> dict[str, Any]:
    return {"count": ctx.scratch.get("exported", 0)}


FLOW = Flow(
    id="export",
    roles=(Role.MANAGER, Role.ADMIN),
    steps=(
        Choose("format", options=formats),
        Show("exported", on_done=make_export, getter=exported_context),
    ),
)
