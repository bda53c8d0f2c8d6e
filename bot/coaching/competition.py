"""Which competitive strategy fits an account: competition.yaml's table, by the account's type
and our position there."""

from __future__ import annotations

from bot.playbooks.loader import Playbooks
from bot.playbooks.schema_account import Strategy
from bot.storage.models import Account


def strategy_of(playbooks: Playbooks, account: Account) -> Strategy | None:
    """The strategy the table chooses, once both the account's type and our position are known."""
    competition = playbooks.competition
    chosen = competition.choose.get(account.account_type or "", {}).get(account.our_position or "")
    return next((strategy for strategy in competition.strategies if strategy.id == chosen), None)
