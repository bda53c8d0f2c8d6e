"""People at an account as the flows see them: picked attendees, typed newcomers, known facts.

Attendee answers are `{"selected": [contact ids], "added": [typed names]}`; each attendee is an
`Each` item keyed `c<contact id>` or `n<index>`. Ids that do not belong to the account (a forged
or stale answer) are ignored, never loaded.
"""

from __future__ import annotations

import re
from typing import Any

from bot.coaching.checklist import Person
from bot.domain import SpinType
from bot.engine.flow import Ctx, Item, free_text
from bot.errors import UserError
from bot.flows import options
from bot.storage import repo
from bot.storage.models import Account, Contact, Visit

_PREFIXES = {
    SpinType.SITUATION.value: ("s", "背景"),
    SpinType.PROBLEM.value: ("p", "难点"),
    SpinType.IMPLICATION.value: ("i", "暗示"),
    SpinType.NEED_PAYOFF.value: ("n", "效益", "需求效益"),
}
_QUESTION_BREAK = re.compile(r"[\r\n;；]+")  # Enter sends in the terminal: ';' joins several
_PREFIX = re.compile(r"^\s*([a-zA-Z]|[\u4e00-\u9fff]{2,4})\s*[:：]\s*(.+)$")


def chosen_visit(ctx: Ctx) -> Visit | None:
    """The rep's own visit picked in this flow, if any."""
    picked = ctx.get("visit")
    if not picked or not str(picked).isdecimal():
        return None
    visit = ctx.remember(f"visit:{picked}", lambda: ctx.db.get(Visit, int(picked)))
    return visit if visit is not None and visit.rep_id == ctx.user.id else None


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
    people = [
        Person(
            name=person["name"],
            role=person["role"],
            stance=person["stance"],
            attending=True,
            met_before=person["key"].startswith("c") and int(person["key"][1:]) in engaged,
        )
        for person in attending
    ]
    for contact_id, contact in _contacts_by_id(ctx, account).items():
        if contact_id in attending_ids:
            continue
        people.append(
            Person(
                name=contact.name,
                role=contact.buying_role,
                stance=contact.stance,
                attending=False,
                met_before=contact_id in engaged,
            )
        )
    return people


def resolve_attendees(
    ctx: Ctx, *, account: Account, each_id: str, attendees_key: str
) -> list[tuple[Contact, bool]]:
    """The attendees as contact rows, creating newcomers; (contact, is_new) in plan order."""
    assert account.id is not None
    contacts = _contacts_by_id(ctx, account)
    resolved: list[tuple[Contact, bool]] = []
    new_keys: dict[str, str] = ctx.scratch.setdefault("new_keys", {})
    for item in attendee_items(ctx, attendees_key=attendees_key):
        if item.key.startswith("c"):
            resolved.append((contacts[int(item.key[1:])], False))
            continue
        contact = Contact(
            account_id=account.id,
            name=item.context["name"],
            created_at=ctx.now,
            updated_at=ctx.now,
        )
        ctx.db.add(contact)
        ctx.db.flush()
        new_keys[contact.name] = item.key
        resolved.append((contact, True))
    return resolved


def parse_own_questions(text: str, ctx: Ctx) -> list[dict[str, str | None]]:
    """One question per line or per ';'; 'I: ...' or '暗示：...' sets its SPIN type, else asked."""
    questions = []
    for line in _QUESTION_BREAK.split(free_text(text, ctx)):
        line = line.strip(" -•\t")
        if not line:
            continue
        spin_type = None
        found = _PREFIX.match(line)
        if found:
            prefix = found.group(1).lower()
            spin_type = next((kind for kind, words in _PREFIXES.items() if prefix in words), None)
            if spin_type is not None:
                line = found.group(2).strip()
        questions.append({"type": spin_type, "text": line})
    if not questions:
        raise UserError("errors/empty")
    return questions
