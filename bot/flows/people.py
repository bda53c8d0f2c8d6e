"""Accounts and their people as the flows see them: picked attendees, typed newcomers, facts.

Attendee answers are `{"selected": [contact ids], "added": [typed names]}`; each attendee is an
`Each` item keyed `c<contact id>` or `n<index>`. Ids that do not belong to the account (a forged
or stale answer) are ignored, never loaded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.coaching.checklist import Person
from bot.engine.context import Ctx, Item, Option
from bot.flows import options
from bot.storage import repo
from bot.storage.models import Account, Contact, Visit


def team_accounts(ctx: Ctx) -> list[Option]:
    """The team's accounts, most recent first."""
    accounts = repo.team_accounts(session=ctx.db, team_id=ctx.user.team_id)
    return [Option(str(account.id), account.name) for account in accounts]


def account_contacts(ctx: Ctx) -> list[Option]:
    """The account's known people, with title when there is one."""
    account = account_of(ctx)
    if account is None or account.id is None:
        return []
    contacts = repo.account_contacts(session=ctx.db, account_id=account.id)
    return [
        Option(
            str(contact.id),
            f"{contact.name} · {contact.title}" if contact.title else contact.name,
            name=contact.name,
        )
        for contact in contacts
    ]


MAX_ID = 2**31 - 1  # a row id beyond any integer column: a forged argument, never a row


def is_row_id(text: str) -> bool:
    """Digits that can be a row's id (a forged "99999999999999999999" is not looked up)."""
    return text.isdecimal() and 0 < int(text) <= MAX_ID


def chosen_visit(ctx: Ctx) -> Visit | None:
    """The rep's own visit picked in this flow, if any."""
    picked = ctx.get("visit")
    if not picked or not is_row_id(str(picked)):
        return None
    visit = ctx.remember(f"visit:{picked}", lambda: ctx.db.get(Visit, int(picked)))
    return visit if visit is not None and visit.rep_id == ctx.user.id else None


def visit_stamp(ctx: Ctx, visit: Visit) -> str:
    """'Today 15:00', 'Tomorrow 09:00', '12-03 10:00' in the rep's time; '—' when unknown."""
    if visit.planned_at is None:
        return "—"
    when = visit.planned_at.astimezone(ctx.zone)
    relative = {
        ctx.today: ctx.labels("today"),
        ctx.today + timedelta(days=1): ctx.labels("tomorrow"),
    }
    return f"{relative.get(when.date(), when.strftime('%m-%d'))} {when.strftime('%H:%M')}"


def account_of(ctx: Ctx) -> Account | None:
    """The account the flow is about: the visit's, or the one picked (never another team's)."""
    visit = chosen_visit(ctx)
    account_id = visit.account_id if visit else None
    if account_id is None:
        picked = ctx.get("account") or {}
        account_id = int(picked["id"]) if str(picked.get("id", "")).isdecimal() else None
    if account_id is None:
        return None
    account = ctx.db.get(Account, account_id)
    return account if account is not None and account.team_id == ctx.user.team_id else None


def open_account(ctx: Ctx, account_id: str) -> bool:
    """Take account `account_id` as the flow's account if it is the user's team's."""
    if is_row_id(account_id):
        ctx.answers["account"] = {"id": account_id}
        if account_of(ctx) is not None:
            return True
        ctx.answers.pop("account")
    return False


def account_not_given(ctx: Ctx) -> bool:
    """The command named no account, so the rep finds one."""
    return "account" not in ctx.answers


def attendee_items(ctx: Ctx, *, attendees_key: str) -> list[Item]:
    """One item per attendee: existing contacts first, then people typed in."""
    answer = ctx.get(attendees_key) or {}
    account = account_of(ctx)
    contacts = _contacts_by_id(ctx, account)
    items = [
        Item(f"c{contact_id}", {"name": contacts[int(contact_id)].name, "new": False})
        for contact_id in answer.get("selected", [])
        if str(contact_id).isdecimal() and int(contact_id) in contacts
    ]
    items += [
        Item(f"n{index}", {"name": name, "new": True})
        for index, name in enumerate(answer.get("added", []))
    ]
    return items


def _contacts_by_id(ctx: Ctx, account: Account | None) -> dict[int, Contact]:
    if account is None or account.id is None:
        return {}
    contacts = repo.account_contacts(session=ctx.db, account_id=account.id)
    return {contact.id: contact for contact in contacts if contact.id is not None}


def contact_id(key: str) -> int | None:
    """The contact an attendee item stands for (`c12` is contact 12); None for someone new."""
    return int(key[1:]) if key.startswith("c") and key[1:].isdecimal() else None


def contact_of(ctx: Ctx) -> Contact | None:
    """The existing contact of the current attendee item; None for a newcomer or a stranger's."""
    account = account_of(ctx)
    if ctx.item is None or not ctx.item.key.startswith("c") or account is None:
        return None
    contact = ctx.db.get(Contact, int(ctx.item.key[1:]))
    return contact if contact is not None and contact.account_id == account.id else None


def known_labels(ctx: Ctx) -> dict[str, Any]:
    """What is on file about the current attendee, as labels, for the step's text."""
    contact = contact_of(ctx)
    if contact is None:
        return {"known": dict.fromkeys(("role", "stance", "influence", "stage"))}
    return {
        "known": {
            "role": options.label_of(options.roles(ctx), contact.buying_role),
            "stance": options.label_of(options.stances(ctx), contact.stance),
            "influence": options.label_of(options.influence(ctx), contact.influence),
            "stage": options.label_of(options.contact_stages(ctx), contact.relationship_stage),
        }
    }


def account_context(ctx: Ctx) -> dict[str, Any]:
    """Which account a step is about: the chosen one, or the name typed for a new one."""
    account = account_of(ctx)
    picked = ctx.get("account") or {}
    return {"account": account.name if account else picked.get("new", "")}


def known_people(ctx: Ctx, *, each_id: str, attendees_key: str) -> list[dict[str, Any]]:
    """Attendees with what is known of them: the database, overridden by this flow's answers."""
    contacts = _contacts_by_id(ctx, account_of(ctx))
    people = []
    for item in attendee_items(ctx, attendees_key=attendees_key):
        contact = contacts.get(int(item.key[1:])) if item.key.startswith("c") else None

        def value(
            step: str, field: str, item: Item = item, contact: Contact | None = contact
        ) -> Any:
            answered = ctx.of(each_id, item.key, step)
            return answered or (getattr(contact, field) if contact else None)

        people.append(
            {
                "key": item.key,
                "name": item.context["name"],
                "role": value("role", "buying_role"),
                "stance": value("stance", "stance"),
                "stage": value("stage", "relationship_stage"),
            }
        )
    return people


def people_view(ctx: Ctx, *, each_id: str, attendees_key: str) -> list[Person]:
    """Everyone at the account for the checklist: attendees as answered, the rest as stored."""
    account = account_of(ctx)
    engaged = (
        repo.engaged_contact_ids(session=ctx.db, account_id=account.id)
        if account and account.id
        else set()
    )
    attending = known_people(ctx, each_id=each_id, attendees_key=attendees_key)
    attending_ids = {
        int(person["key"][1:]) for person in attending if person["key"].startswith("c")
    }
    on_file = _contacts_by_id(ctx, account)
    people = [
        Person(
            name=person["name"],
            role=person["role"],
            stance=person["stance"],
            attending=True,
            met_before=person["key"].startswith("c") and int(person["key"][1:]) in engaged,
            personal_win=_win_on_file(on_file, person["key"]),
        )
        for person in attending
    ]
    for contact_id, contact in on_file.items():
        if contact_id in attending_ids:
            continue
        people.append(
            Person(
                name=contact.name,
                role=contact.buying_role,
                stance=contact.stance,
                attending=False,
                met_before=contact_id in engaged,
                personal_win=contact.personal_win,
            )
        )
    return people


def _win_on_file(on_file: dict[int, Contact], key: str) -> str | None:
    """The personal win on file for an attendee who is a contact (`c12`); None for others."""
    contact = on_file.get(int(key[1:])) if key.startswith("c") and key[1:].isdecimal() else None
    return contact.personal_win if contact else None
