"""Moved to `bot.storage.scopes`, beside the queries it narrows; import it from there.

These names stay here only until the flows and tests that import `bot.scopes` are switched.
"""

from __future__ import annotations

from bot.storage.scopes import scope_accounts as scope_accounts
from bot.storage.scopes import scope_visits as scope_visits
from bot.storage.scopes import visible_people as visible_people
