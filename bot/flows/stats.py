"""/stats (managers): team figures over a chosen period, as text and as a PNG chart."""

from __future__ import annotations

from bot.domain import Role
from bot.engine.flow import Flow
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Show
from bot.flows.stats_report import make_report, periods

FLOW = Flow(
    id="stats",
    roles=(Role.MANAGER, Role.ADMIN),
    steps=(
        Choose("period", options=periods),
        Show("report", on_done=make_report),
    ),
)
