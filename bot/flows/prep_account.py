"""/prep's account and attendees: what the account lacks, who will be there, a newcomer's title."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.engine.context import Ctx, Item
from bot.engine.steps.base import one_line
from bot.errors import UserError
from bot.flows.people import (
    account_contacts,
    account_context,
    account_of,
    attendee_items,
    contact_of,
)


def account_value(ctx: Ctx, field: str) -> Any:
    """What the account on file says (None for a new account)."""
    account = account_of(ctx)
    return getattr(account, field) if account else None


def account_lacks(field: str) -> Callable[[Ctx], bool]:
    """Asked only when the account has no tier, sales stage or lifecycle stage yet."""
    return lambda ctx: account_value(ctx, field) is None


def attendees_context(ctx: Ctx) -> dict[str, Any]:
    """The prompt names the account and says whether it has people on file."""
    return {**account_context(ctx), "has_contacts": bool(account_contacts(ctx))}


def picked_attendees(ctx: Ctx) -> list[Item]:
    """One item per person the rep will meet, those on file first."""
    return attendee_items(ctx, attendees_key="attendees")


def is_new_person(ctx: Ctx) -> bool:
    """Someone typed in, with nothing on file yet."""
    return contact_of(ctx) is None


def parse_title(text: str, ctx: Ctx) -> str:
    """A job title, short, in words (typed at the person's screen, beside its buttons)."""
    title = one_line(text)
    if not any(char.isalnum() for char in title):
        raise UserError("errors/not_a_title")
    return title
