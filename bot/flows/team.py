"""/team (managers): each rep's visits prepared and debriefed, advance rate, open flags.

A team of many reps comes in pages of a phone's screen: "More ▸" opens `/team :2`.
"""

from __future__ import annotations

from bot.domain import Role
from bot.engine.flow import Flow
from bot.engine.steps.info import Show
from bot.flows.team_report import TEAM_PAGES, team_report, team_wanted

FLOW = Flow(
    id="team",
    roles=(Role.MANAGER, Role.ADMIN),
    start=team_wanted,
    steps=(Show("report", getter=team_report, paged=TEAM_PAGES),),
)
