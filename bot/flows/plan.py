"""/plan: a call plan shown again, a page at a time (the "More" button under a long plan).

`/plan 42:2` is page 2 of visit 42's plan; `/plan` alone shows the rep's next planned visit.
The plan is read back from what /prep saved, so it is the same page whenever it is opened.
"""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.engine.steps.info import Show
from bot.flows.guides import plan_links
from bot.flows.plan_pages import PLAN_PAGES, has_plan, no_plan, plan_again, plan_wanted

FLOW = Flow(
    id="plan",
    start=plan_wanted,
    steps=(
        Show("none", when=no_plan),
        Show("plan", when=has_plan, getter=plan_again, paged=PLAN_PAGES, links=plan_links),
    ),
    menu=False,
    aside=True,
)
