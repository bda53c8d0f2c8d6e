"""/debrief's people: how each attendee moved, and who was met for the first time.

A newcomer's typed name follows the names rule: equal to someone on file (after folding) is
that person, never a twin; close to someone is one tap away ("one of them, or someone new?").
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine.context import Ctx, Item, Option
from bot.engine.matching import NameMatch, fold, match_name
from bot.engine.steps.ask import free_text
from bot.engine.steps.base import one_line, typed_name
from bot.errors import UserError
from bot.flows.people import account_of, attendee_items, chosen_visit
from bot.flows.stakeholders import drafted
from bot.storage import repo
from bot.storage.drafts import PersonDraft
from bot.storage.models import Contact

CHANGES = ("role", "stance", "influence", "stage", "personal_win", "absent")


def attendee_list(ctx: Ctx) -> list[Item]:
    """Planned attendees for a planned visit; the people picked for an unplanned one."""
    visit = chosen_visit(ctx)
    if visit is None:
        return attendee_items(ctx, attendees_key="attendees")
    people = ctx.remember(
        f"attendees:{visit.id}",
        lambda: repo.visit_attendees(session=ctx.db, visit_id=visit.id or 0),
    )
    return [Item(f"c{contact.id}", {"name": contact.name, "new": False}) for contact in people]


def has_attendees(ctx: Ctx) -> bool:
    """ "No changes for anyone" is one tap instead of one per person; names typed there are
    the people met for the first time."""
    return bool(attendee_list(ctx))


def people_changed_options(ctx: Ctx) -> list[Option]:
    """No changes at all, or go through the people one by one."""
    return [Option(key, ctx.labels(f"people_{key}")) for key in ("unchanged", "changed")]


def person_may_have_changed(ctx: Ctx) -> bool:
    """Each person is gone through unless the rep said nobody changed."""
    return bool(ctx.get("people_changed") != "unchanged")


def change_options(ctx: Ctx) -> list[Option]:
    """What may have changed about a person, plus 'did not attend'."""
    return [Option(change, ctx.labels(f"change_{change}")) for change in CHANGES]


def attendee_draft(ctx: Ctx, item: Item) -> PersonDraft:
    """An attendee as the rep saw them change: only what they ticked, and whether they came."""
    changes = (ctx.of("person", item.key, "changes") or {}).get("selected", [])
    return replace(
        drafted(ctx, item, each_id="person", steps=changes),
        personal_win=ctx.of("person", item.key, "personal_win")
        if "personal_win" in changes
        else None,
        evidence=ctx.of("person", item.key, "evidence"),
        attended="absent" not in changes,
    )


def parse_names(text: str, ctx: Ctx) -> list[str]:
    """Names separated by commas, 、 or new lines."""
    parts = [part for part in _split_names(free_text(text, ctx)) if part.strip()]
    names = [one_line(part) for part in parts]  # a name over the limit is refused, not cut
    if not names:
        raise UserError("errors/empty")
    return names


def more_names(text: str, ctx: Ctx, so_far: list[str]) -> list[str]:
    """Names typed at the people step, added to those typed before (each once)."""
    names = list(so_far)
    for name in map(typed_name, parse_names(text, ctx)):  # a name has a letter or a digit
        if all(fold(name) != fold(known) for known in names):
            names.append(name)
    return names


def _split_names(text: str) -> list[str]:
    for separator in ("，", "、", "\n", ";", "；"):
        text = text.replace(separator, ",")
    return text.split(",")


def newcomer_items(ctx: Ctx) -> list[Item]:
    """People met for the first time, typed in at the end."""
    return [
        Item(f"m{index}", {"name": name}) for index, name in enumerate(ctx.get("new_people") or [])
    ]


def _on_file(ctx: Ctx) -> list[Contact]:
    account = account_of(ctx)
    if account is None or account.id is None:
        return []
    account_id = account.id
    return list(
        ctx.remember(
            f"contacts:{account_id}",
            lambda: repo.account_contacts(session=ctx.db, account_id=account_id),
        )
    )


def _newcomer_match(ctx: Ctx, name: str) -> NameMatch:
    """The people on file a newcomer's typed name equals or is close to."""
    found: NameMatch = ctx.remember(  # asked by the step's condition and its options alike
        f"newcomer:{name}", lambda: match_name(name, [contact.name for contact in _on_file(ctx)])
    )
    return found


def newcomer_same_options(ctx: Ctx) -> list[Option]:
    """The close people on file, then "add as new": one tap settles who this is."""
    assert ctx.item is not None
    name = ctx.item.context["name"]
    contacts = _on_file(ctx)
    close = [contacts[index] for index in _newcomer_match(ctx, name).close]
    return [
        *(
            Option(
                str(c.id), f"👤 {c.name} · {c.title}" if c.title else f"👤 {c.name}", name=c.name
            )
            for c in close
        ),
        Option("new", ctx.texts.label("add_person", ctx.language, name=name), name=name),
    ]


def newcomer_is_close(ctx: Ctx) -> bool:
    """The name is close to someone on file but equal to no one: ask which, or someone new."""
    assert ctx.item is not None
    found = _newcomer_match(ctx, ctx.item.context["name"])
    return found.equal is None and bool(found.close)


def newcomer_drafts(ctx: Ctx, attendees: tuple[PersonDraft, ...]) -> tuple[PersonDraft, ...]:
    """Each newcomer as the person they are: someone on file, an attendee, or someone new.

    A name equal to one of the account's people is that person, whether on file or typed in
    as an attendee of this very visit; else the person picked when the name was close.
    A new account's typed attendees are not compared: all its people are new.
    """
    on_file = [
        PersonDraft(key=f"c{contact.id}", name=contact.name, contact_id=contact.id)
        for contact in _on_file(ctx)
    ]
    typed_in = [person for person in attendees if person.contact_id is None]
    known = on_file + (typed_in if account_of(ctx) is not None else [])
    drafts = []
    for item in newcomer_items(ctx):
        found = match_name(item.context["name"], [person.name for person in known])
        picked = str(ctx.of("newcomer", item.key, "newcomer_same") or "")
        same = (
            known[found.equal]
            if found.equal is not None
            else next((person for person in on_file if str(person.contact_id) == picked), None)
        )
        drafts.append(
            PersonDraft(
                key=same.key if same else item.key,
                name=item.context["name"],
                contact_id=same.contact_id if same else None,
                buying_role=ctx.of("newcomer", item.key, "newcomer_role") or None,
                stance=ctx.of("newcomer", item.key, "newcomer_stance") or None,
            )
        )
    return tuple(drafts)
