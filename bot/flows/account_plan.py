"""/account: an account's plan, one part at a time (`account_planning`).

The plan is the seeds' account analysis in the rep's words (background, economics,
relationships and decision process, needs, risks: account_plan.yaml), and what chooses the
competitive strategy (the account's type and our position there, competition.yaml), what the
account values most (segments.yaml) and the competitors present. The card shows it in brief
and opens it ("📝 Account plan").
"""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.engine.steps.ask import Ask, free_text
from bot.engine.steps.beside import Beside
from bot.engine.steps.choose import Choose
from bot.engine.steps.choose_many import ChooseMany
from bot.engine.steps.info import Show
from bot.engine.steps.pick import Pick
from bot.flows.account_planning import (
    COMPETITORS,
    PROFILE,
    account_wanted,
    all_competitors,
    competitor_options,
    more_competitors,
    part_is,
    part_is_view,
    parts,
    plan_links,
    plan_view,
    profile_context,
    profile_options,
    save_part,
    view_context,
    view_filled,
)
from bot.flows.people import account_not_given, team_accounts

FLOW = Flow(
    id="account",
    menu=False,  # opened from the account card ("📝 Account plan"), or typed
    start=account_wanted,
    steps=(
        Pick("account", candidates=team_accounts, create=False, when=account_not_given),
        Choose("part", options=parts, columns=2, getter=plan_view),
        Ask(
            "text",
            parse=free_text,
            lines=True,
            optional=view_filled,
            when=part_is_view,
            getter=view_context,
        ),
        *(
            Choose(
                field, options=profile_options(field), when=part_is(field), getter=profile_context
            )
            for field in PROFILE
        ),
        ChooseMany(
            COMPETITORS,
            options=competitor_options,
            preselect=all_competitors,
            when=part_is(COMPETITORS),
            beside=Beside("new_competitors", parse=more_competitors),
        ),
        Show("saved", on_done=save_part, links=plan_links),
    ),
)
