"""The coaching flows; FLOWS is what the engine is handed."""

from __future__ import annotations

from bot.flows.account_plan import FLOW as ACCOUNT
from bot.flows.accounts import FLOW as ACCOUNTS
from bot.flows.corrections import FLOW as CORRECT
from bot.flows.debrief import FLOW as DEBRIEF
from bot.flows.exporting import FLOW as EXPORT
from bot.flows.guide import FLOW as GUIDE
from bot.flows.language import FLOW as LANGUAGE
from bot.flows.next_steps import FLOW as NEXT
from bot.flows.plan import FLOW as PLAN
from bot.flows.prep import FLOW as PREP
from bot.flows.review import COMMENTS, REVIEW, THREAD
from bot.flows.stats import FLOW as STATS
from bot.flows.team import FLOW as TEAM
from bot.flows.visits import FLOW as VISITS

FLOWS = (
    PREP,
    DEBRIEF,
    NEXT,
    VISITS,
    CORRECT,
    ACCOUNTS,
    ACCOUNT,
    LANGUAGE,
    TEAM,
    REVIEW,
    STATS,
    EXPORT,
    THREAD,
    COMMENTS,
    PLAN,
    GUIDE,
)
