"""/accounts: find an account and see its card (`account_card`)."""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.engine.steps.info import Show
from bot.engine.steps.pick import Pick
from bot.flows.account_card import CARD_PAGES, card_context, start
from bot.flows.guides import card_links
from bot.flows.people import account_not_given, team_accounts

FLOW = Flow(
    id="accounts",
    start=start,
    steps=(
        Pick("account", candidates=team_accounts, create=False, when=account_not_given),
        Show("card", getter=card_context, paged=CARD_PAGES, links=card_links),
    ),
)
