"""/guide: a piece of the playbooks in full, an aside one tap from the screen it helps (the
call plan's people, the questions, the account card, a relationship stage); see `guides`."""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.engine.steps.info import Show
from bot.flows.guides import GUIDE_PAGES, GUIDES, NOT_FOUND, guide_context, guide_is, guide_wanted

FLOW = Flow(
    id="guide",
    menu=False,
    aside=True,
    start=guide_wanted,
    steps=(
        Show(NOT_FOUND, when=guide_is(NOT_FOUND)),
        *(
            Show(kind, when=guide_is(kind), getter=guide_context, paged=GUIDE_PAGES)
            for kind in GUIDES
        ),
    ),
)
