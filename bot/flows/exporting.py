"""/export (managers): the records they may see, as a file in the chat."""

from __future__ import annotations

from bot.domain import Role
from bot.engine.flow import Flow
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Show
from bot.flows.export_file import formats, make_export

FLOW = Flow(
    id="export",
    roles=(Role.MANAGER, Role.ADMIN),
    steps=(
        Choose("format", options=formats),
        Show("exported", on_done=make_export),
    ),
)
