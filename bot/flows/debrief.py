"""/debrief: turn a visit into a structured call record, then coach on it.

Pick the visit (today's planned first, then other open ones, or an unplanned visit), the
outcome, what was asked and heard, how each person moved, the dated next step. Saving writes
the debrief, SPIN items, stakeholder snapshots and stage changes in one transaction; the
feedback comes from the rules in coaching.yaml.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from bot.coaching.record import facts_of, visit_facts
from bot.coaching.rules import feedback
from bot.coaching.score import score
from bot.domain import Outcome, SnapshotPhase, SpinType, StageSubject, VisitStatus
from bot.engine.flow import (
    Ask,
    AskDate,
    Choose,
    ChooseMany,
    Ctx,
    Each,
    Flow,
    Item,
    Option,
    Pick,
    Show,
    free_text,
    one_line,
)
from bot.engine.matching import NameMatch, match_name
from bot.errors import UserError
from bot.flows import options
from bot.flows.people import (
    account_context,
    account_of,
    attendee_items,
    chosen_visit,
    known_labels,
    parse_own_questions,
    resolve_attendees,
)
from bot.flows.prep import account_contacts, team_accounts
from bot.storage import repo
from bot.storage.models import (
    Account,
    Contact,
    Debrief,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Visit,
)

UNPLANNED = "unplanned"
CHANGES = ("role", "stance", "influence", "stage", "absent")


def start(ctx: Ctx, argument: str) -> None:
    """`/debrief 42` (a reminder's button) opens the rep's own open visit 42 directly."""
    if not argument:
        return
    if argument.isdecimal():
        visit = ctx.db.get(Visit, int(argument))
        if (
            visit is not None
            and visit.rep_id == ctx.user.id
            and visit.status == VisitStatus.PLANNED
        ):
            ctx.answers["visit"] = argument
            ctx.scratch["preselected"] = True
            return
    raise UserError("errors/visit_not_found")


# --- which visit ------------------------------------------------------------------------------


def open_visits(ctx: Ctx) -> list[Option]:
    """Today's planned visits first, then the other open ones, then 'an unplanned visit'."""
    today = ctx.today
    rows = repo.open_visits(session=ctx.db, rep_id=ctx.user.id or 0)

    def local_day(visit: Visit) -> date | None:
        return visit.planned_at.astimezone(ctx.zone).date() if visit.planned_at else None

    ordered = sorted(rows, key=lambda row: (local_day(row[0]) != today, row[0].planned_at is None))
    relative = {today: ctx.labels("today"), today + timedelta(days=1): ctx.labels("tomorrow")}
    choices = []
    for visit, account in ordered:
        when = visit.planned_at.astimezone(ctx.zone) if visit.planned_at else None
        if when is None:
            stamp = "—"
        else:
            day = relative.get(when.date(), when.strftime("%m-%d"))
            stamp = f"{day} {when.strftime('%H:%M')}"
        choices.append(Option(str(visit.id), f"{stamp} · {account.name}"))
    choices.append(Option(UNPLANNED, ctx.labels("unplanned_visit")))
    return choices


def _not_preselected(ctx: Ctx) -> bool:
    return not ctx.scratch.get("preselected")


def _unplanned(ctx: Ctx) -> bool:
    return bool(ctx.get("visit") == UNPLANNED)


# --- what was asked ---------------------------------------------------------------------------


def planned_items(ctx: Ctx) -> list[Item]:
    """The visit's planned questions, in plan order."""
    visit = chosen_visit(ctx)
    if visit is None:
        return []
    items = ctx.remember(
        f"planned:{visit.id}",
        lambda: ctx.db.exec(
            select(SpinItem)
            .where(SpinItem.visit_id == visit.id, col(SpinItem.planned).is_(True))
            .order_by(col(SpinItem.position))
        ).all(),
    )
    names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    return [
        Item(str(item.id), {"question": item.question, "type": names[item.spin_type.value]})
        for item in items
    ]


def planned_options(ctx: Ctx) -> list[Option]:
    """The planned questions as tick boxes, labelled with their type's initial."""
    return [
        Option(item.key, f"{item.context['type']}: {item.context['question']}")
        for item in planned_items(ctx)
    ]


def asked_items(ctx: Ctx) -> list[Item]:
    """The planned questions the rep ticked as asked, for their answers."""
    ticked = set((ctx.get("asked") or {}).get("selected", []))
    return [item for item in planned_items(ctx) if item.key in ticked]


# --- people -----------------------------------------------------------------------------------


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


def change_options(ctx: Ctx) -> list[Option]:
    """What may have changed about a person, plus 'did not attend'."""
    return [Option(change, ctx.labels(f"change_{change}")) for change in CHANGES]


def _changed(what: str) -> Any:
    def predicate(ctx: Ctx) -> bool:
        answer = ctx.here("changes") or {}
        return what in answer.get("selected", [])

    return predicate


def parse_names(text: str, ctx: Ctx) -> list[str]:
    """Names separated by commas, 、 or new lines."""
    parts = [part for part in _split_names(free_text(text, ctx)) if part.strip()]
    names = [one_line(part) for part in parts]  # a name over the limit is refused, not cut
    if not names:
        raise UserError("errors/empty")
    return names


def _split_names(text: str) -> list[str]:
    for separator in ("，", "、", "\n", ";", "；"):
        text = text.replace(separator, ",")
    return text.split(",")


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
    found: NameMatch = ctx.remember(  # asked by the step's condition, options and save alike
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


def _newcomer_is_close(ctx: Ctx) -> bool:
    assert ctx.item is not None
    found = _newcomer_match(ctx, ctx.item.context["name"])
    return found.equal is None and bool(found.close)


def _newcomer_contact(ctx: Ctx, item: Item) -> Contact | None:
    """The contact on file a newcomer turned out to be: equal by name, or picked when close."""
    contacts = _on_file(ctx)
    found = _newcomer_match(ctx, item.context["name"])
    if found.equal is not None:
        return contacts[found.equal]
    picked = str(ctx.of("newcomer", item.key, "newcomer_same") or "")
    return next((contact for contact in contacts if str(contact.id) == picked), None)


def newcomer_items(ctx: Ctx) -> list[Item]:
    """People met for the first time, typed in at the end."""
    return [
        Item(f"m{index}", {"name": name}) for index, name in enumerate(ctx.get("new_people") or [])
    ]


# --- next step --------------------------------------------------------------------------------


def _next_step_optional(ctx: Ctx) -> bool:
    return ctx.get("outcome") not in (Outcome.ADVANCE.value, Outcome.CONTINUATION.value)


def _has_next_step(ctx: Ctx) -> bool:
    return bool(ctx.get("next_step"))


# --- saving -----------------------------------------------------------------------------------


def save_call_record(ctx: Ctx) -> None:
    """Write the debrief, SPIN answers, snapshots and stage changes; close the visit."""
    visit = chosen_visit(ctx)
    if visit is None:
        visit = _unplanned_visit(ctx)
    assert visit.id is not None
    account = ctx.db.get(Account, visit.account_id)
    assert account is not None and account.id is not None
    ticked = set((ctx.get("asked") or {}).get("selected", []))
    for item in planned_items(ctx):
        spin_item = ctx.db.get(SpinItem, int(item.key))
        if spin_item is None or spin_item.visit_id != visit.id:
            continue
        spin_item.asked = item.key in ticked
        spin_item.answer = ctx.of("question", item.key, "answer") if spin_item.asked else None
        ctx.db.add(spin_item)
    position = len(planned_items(ctx))
    for entry in ctx.get("other_questions") or []:
        position += 1
        ctx.db.add(
            SpinItem(
                visit_id=visit.id,
                position=position,
                spin_type=SpinType(entry.get("type") or SpinType.PROBLEM.value),
                question=entry["text"],
                planned=False,
                asked=True,
            )
        )
    _save_people(ctx, visit=visit, account=account)
    due = ctx.get("next_step_due")
    debrief = Debrief(
        visit_id=visit.id,
        rep_id=visit.rep_id,
        team_id=visit.team_id,
        outcome=Outcome(ctx.get("outcome")),
        summary=ctx.get("summary"),
        implied_needs=ctx.get("implied_needs"),
        explicit_needs=ctx.get("explicit_needs"),
        next_step=ctx.get("next_step"),
        next_step_due=date.fromisoformat(due["day"]) if due else None,
        created_at=ctx.now,
    )
    visit.status = VisitStatus.DONE
    visit.updated_at = ctx.now
    account.updated_at = ctx.now
    ctx.db.add_all([debrief, visit, account])
    ctx.db.flush()
    debrief.facts = visit_facts(session=ctx.db, visit=visit).as_dict()
    ctx.db.add(debrief)
    ctx.db.flush()
    ctx.scratch["visit_id"] = visit.id


def _unplanned_visit(ctx: Ctx) -> Visit:
    account = account_of(ctx)
    if account is None:
        account = Account(
            team_id=ctx.user.team_id, name=ctx.get("account")["new"], owner_id=ctx.user.id
        )
        ctx.db.add(account)
        ctx.db.flush()
    visit = Visit(
        account_id=account.id or 0,
        rep_id=ctx.user.id or 0,
        team_id=ctx.user.team_id,
        planned_at=ctx.now,
        status=VisitStatus.PLANNED,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.db.add(visit)
    ctx.db.flush()
    resolved = resolve_attendees(ctx, account=account, each_id="person", attendees_key="attendees")
    for contact, _ in resolved:
        ctx.db.add(
            StakeholderSnapshot(
                visit_id=visit.id or 0,
                contact_id=contact.id or 0,
                phase=SnapshotPhase.PREP,
                buying_role=contact.buying_role,
                stance=contact.stance,
                influence=contact.influence,
                relationship_stage=contact.relationship_stage,
                created_at=ctx.now,
            )
        )
    ctx.db.flush()
    ctx.scratch["unplanned_keys"] = {
        f"c{contact.id}": (
            ctx.scratch.get("new_keys", {}).get(contact.name) if is_new else f"c{contact.id}"
        )
        for contact, is_new in resolved
    }
    return visit


def _save_people(ctx: Ctx, *, visit: Visit, account: Account) -> None:
    assert visit.id is not None and account.id is not None
    attendees = repo.visit_attendees(session=ctx.db, visit_id=visit.id)
    answer_keys = ctx.scratch.get("unplanned_keys", {})
    for contact in attendees:
        key = answer_keys.get(f"c{contact.id}") or f"c{contact.id}"
        changes = (ctx.of("person", key, "changes") or {}).get("selected", [])
        previous_stage = contact.relationship_stage
        for field, step in (
            ("buying_role", "role"),
            ("stance", "stance"),
            ("influence", "influence"),
        ):
            if step in changes and ctx.of("person", key, step):
                setattr(contact, field, ctx.of("person", key, step))
        new_stage = ctx.of("person", key, "stage") if "stage" in changes else None
        if new_stage and new_stage != previous_stage:
            contact.relationship_stage = new_stage
            ctx.db.add(
                StageChange(
                    subject=StageSubject.CONTACT,
                    account_id=account.id,
                    contact_id=contact.id,
                    visit_id=visit.id,
                    from_stage=previous_stage,
                    to_stage=new_stage,
                    evidence=ctx.of("person", key, "evidence"),
                    changed_by_id=ctx.user.id,
                    changed_at=ctx.now,
                )
            )
        contact.updated_at = ctx.now
        ctx.db.add(contact)
        ctx.db.add(_snapshot(ctx, visit, contact, attended="absent" not in changes))
    snapshotted = {f"c{contact.id}" for contact in attendees}
    for item in newcomer_items(ctx):
        role = ctx.of("newcomer", item.key, "newcomer_role")
        stance = ctx.of("newcomer", item.key, "newcomer_stance")
        person = _newcomer_contact(ctx, item)  # a name on file is that person, never a twin
        if person is None:
            person = Contact(account_id=account.id, name=item.context["name"], created_at=ctx.now)
        person.buying_role = role or person.buying_role
        person.stance = stance or person.stance
        person.updated_at = ctx.now
        ctx.db.add(person)
        ctx.db.flush()
        if f"c{person.id}" not in snapshotted:
            snapshotted.add(f"c{person.id}")
            ctx.db.add(_snapshot(ctx, visit, person, attended=True))


def _snapshot(ctx: Ctx, visit: Visit, contact: Contact, *, attended: bool) -> StakeholderSnapshot:
    return StakeholderSnapshot(
        visit_id=visit.id or 0,
        contact_id=contact.id or 0,
        phase=SnapshotPhase.DEBRIEF,
        attended=attended,
        buying_role=contact.buying_role,
        stance=contact.stance,
        influence=contact.influence,
        relationship_stage=contact.relationship_stage,
        created_at=ctx.now,
    )


# --- feedback ---------------------------------------------------------------------------------


def feedback_context(ctx: Ctx) -> dict[str, Any]:
    """The saved record in brief, and the coaching that fired for it."""
    visit = ctx.db.get(Visit, ctx.scratch["visit_id"])
    assert visit is not None
    account = ctx.db.get(Account, visit.account_id)
    assert account is not None
    debrief = ctx.db.exec(select(Debrief).where(Debrief.visit_id == visit.id)).one()
    facts = facts_of(session=ctx.db, visit=visit, debrief=debrief)
    fired = feedback(ctx.playbooks.coaching, facts)
    card = score(ctx.playbooks.scorecard, facts)
    return {
        "score": {
            "points": card.points,
            "maximum": card.maximum,
            "lines": [
                {"label": ctx.t(item.label), "why": ctx.t(item.why), "met": met}
                for item, met in card.lines
            ],
        },
        "account": account.name,
        "outcome": ctx.labels(f"outcome_{facts.outcome}"),
        "asked": facts.questions_asked,
        "next_step": ctx.get("next_step"),
        "due": (ctx.get("next_step_due") or {}).get("day"),
        "strengths": [ctx.t(rule.message) for rule in fired if rule.kind == "strength"],
        "gaps": [
            {"message": ctx.t(rule.message), "action": ctx.t(rule.action) if rule.action else None}
            for rule in fired
            if rule.kind == "gap"
        ],
        "visit_id": visit.id,
    }


FLOW = Flow(
    id="debrief",
    start=start,
    steps=(
        Choose("visit", options=open_visits, columns=1, when=_not_preselected),
        Pick("account", candidates=team_accounts, when=_unplanned),
        ChooseMany(
            "attendees",
            options=account_contacts,
            allow_add=True,
            min_selected=1,
            when=_unplanned,
            getter=account_context,
        ),
        Choose("outcome", options=options.outcomes, getter=account_context),
        ChooseMany("asked", options=planned_options, when=lambda ctx: bool(planned_items(ctx))),
        Each("question", items=asked_items, steps=(Ask("answer", optional=True),)),
        Ask("other_questions", parse=parse_own_questions, optional=True, lines=True),
        Ask("implied_needs", optional=True),
        Ask("explicit_needs", optional=True),
        Each(
            "person",
            items=attendee_list,
            steps=(
                ChooseMany("changes", options=change_options, getter=known_labels),
                Choose("role", options=options.roles, when=_changed("role"), getter=known_labels),
                Choose(
                    "stance",
                    options=options.stances,
                    when=_changed("stance"),
                    getter=known_labels,
                ),
                Choose(
                    "influence",
                    options=options.influence,
                    when=_changed("influence"),
                    getter=known_labels,
                    columns=3,
                ),
                Choose(
                    "stage",
                    options=options.contact_stages,
                    when=_changed("stage"),
                    getter=known_labels,
                ),
                Ask("evidence", when=_changed("stage")),
            ),
        ),
        Ask("new_people", parse=parse_names, optional=True, lines=True),
        Each(
            "newcomer",
            items=newcomer_items,
            steps=(
                Choose(
                    "newcomer_same",
                    options=newcomer_same_options,
                    columns=1,
                    when=_newcomer_is_close,
                ),
                Choose("newcomer_role", options=options.roles, optional=True),
                Choose("newcomer_stance", options=options.stances, optional=True),
            ),
        ),
        Ask("summary", optional=True),
        Ask("next_step", optional=_next_step_optional),
        AskDate("next_step_due", optional=_next_step_optional, when=_has_next_step),
        Show("feedback", on_done=save_call_record, getter=feedback_context),
    ),
)
