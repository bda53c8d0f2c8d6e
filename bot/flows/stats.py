"""/stats (managers): team figures over a chosen period, as text and as a PNG chart.

A long report (a team of several reps) comes in pages of a phone's screen: "More ▸" opens
`/stats 30:2`, the same period's next page, without asking the period again or sending the
chart twice.
"""

from __future__ import annotations

from bot.domain import Role
from bot.engine.flow import Flow
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Show
from bot.flows.stats_report import STATS_PAGES, make_report, period_to_ask, periods, stats_wanted

FLOW = Flow(
    id="stats",
    roles=(Role.MANAGER, Role.ADMIN),
    start=stats_wanted,
    steps=(
        Choose("period", options=periods, when=period_to_ask),
        Show("report", on_done=make_report, paged=STATS_PAGES),
    ),
)
