"""/team (managers): each rep's visits prepared and debriefed, advance rate, open flags."""

from __future__ import annotations

from bot.domain import Role
from bot.engine.flow import Flow
from bot.engine.steps.info import Show
from bot.flows.team_report import team_report

FLOW = Flow(
    id="team",
    roles=(Role.MANAGER, Role.ADMIN),
    steps=(Show("report", getter=team_report),),
)
