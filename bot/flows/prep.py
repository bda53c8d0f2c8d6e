"""/prep: prepare a visit and leave with a one-page call plan.

Account, attendees (asking only what is unknown about each), the decision-unit checklist, the
objective as an Advance, the SPIN plan with the worksheet, the relationship-stage actions, and
the time. Nothing is written to the accounts, contacts or visits tables until the plan is
shown, so a cancelled prep leaves no half-made records behind; every answer is in the flow
state and the transcript meanwhile.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import select

from bot.coaching.checklist import gaps
from bot.domain import SnapshotPhase, SpinType, StageSubject, VisitStatus
from bot.engine.dates import answer_datetime, parse_time, parse_when
from bot.engine.flow import (
    Ask,
    AskDate,
    Choose,
    ChooseMany,
    Confirm,
    Ctx,
    Each,
    Flow,
    Info,
    Item,
    Option,
    Pick,
    Show,
    free_text,
    one_line,
)
from bot.errors import UserError
from bot.flows import options
from bot.flows.people import (
    account_context,
    account_of,
    attendee_items,
    contact_of,
    known_labels,
    known_people,
    parse_own_questions,
    people_view,
    resolve_attendees,
)
from bot.reminders import schedule_debrief
from bot.storage import repo
from bot.storage.models import (
    Account,
    Contact,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Visit,
)

PROPOSED_PER_TYPE = 2
DEFAULT_VISIT_TIME = "09:00"
NINE = time(9)


# --- account ----------------------------------------------------------------------------------


def team_accounts(ctx: Ctx) -> list[Option]:
    """The team's accounts, most recent first."""
    accounts = repo.team_accounts(session=ctx.db, team_id=ctx.user.team_id)
    return [Option(str(account.id), account.name) for account in accounts]


def _account_value(ctx: Ctx, field: str) -> Any:
    account = account_of(ctx)
    return getattr(account, field) if account else None


# --- attendees --------------------------------------------------------------------------------


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


def attendees_context(ctx: Ctx) -> dict[str, Any]:
    """The prompt names the account and says whether it has people on file."""
    return {**account_context(ctx), "has_contacts": bool(account_contacts(ctx))}


def _unknown(field: str) -> Any:
    def predicate(ctx: Ctx) -> bool:
        contact = contact_of(ctx)
        return contact is None or getattr(contact, field) is None

    return predicate


def _is_new_person(ctx: Ctx) -> bool:
    return contact_of(ctx) is None


def parse_title(text: str, ctx: Ctx) -> str:
    """A job title, short."""
    return one_line(text)


# --- checklist --------------------------------------------------------------------------------


def checklist_context(ctx: Ctx) -> dict[str, Any]:
    """Open checklist items, each with the playbook's question and advice."""
    people = people_view(ctx, each_id="person", attendees_key="attendees")
    role_ids = [role.id for role in ctx.playbooks.decision_unit.roles]
    role_names = {option.id: option.label for option in options.roles(ctx)}
    items = {item.id: item for item in ctx.playbooks.decision_unit.checklist}
    found = []
    for gap in gaps(people, role_ids):
        if gap.item not in items:
            continue
        names = [role_names.get(name, name) for name in gap.names]
        entry = items[gap.item]
        found.append(
            {"question": ctx.t(entry.question), "advice": ctx.t(entry.advice), "names": names}
        )
    return {**account_context(ctx), "gaps": found}


# --- SPIN plan --------------------------------------------------------------------------------


def _attendee_tags(ctx: Ctx) -> tuple[set[str], set[str]]:
    roles: set[str] = set()
    stages: set[str] = set()
    for person in known_people(ctx, each_id="person", attendees_key="attendees"):
        if person["role"]:
            roles.add(person["role"])
        if person["stage"]:
            stages.add(person["stage"])
    return roles, stages


def proposed_questions(ctx: Ctx) -> list[Option]:
    """Bank questions that fit the attendees' roles and stages and the sales stage.

    Each question scores a point for a matching role, a matching contact stage and a matching
    sales stage; the best `PROPOSED_PER_TYPE` of each type are proposed, in SPIN order.
    """
    roles, stages = _attendee_tags(ctx)
    sales_stage = ctx.get("sales_stage") or _account_value(ctx, "sales_stage")
    chosen: list[Option] = []
    for spin_type in SpinType:
        scored = []
        for position, question in enumerate(ctx.playbooks.spin.questions):
            if question.type != spin_type:
                continue
            score = (
                (2 if roles & set(question.roles) else 0)
                + (1 if stages & set(question.contact_stages) else 0)
                + (1 if sales_stage in question.sales_stages else 0)
            )
            scored.append((-score, position, question))
        for _, _, question in sorted(scored, key=lambda entry: entry[:2])[:PROPOSED_PER_TYPE]:
            chosen.append(Option(question.id, ctx.t(question.text)))
    return chosen


def all_proposed(ctx: Ctx) -> list[str]:
    """Every proposal starts kept; the rep drops what does not fit."""
    return [option.id for option in proposed_questions(ctx)]


def questions_context(ctx: Ctx) -> dict[str, Any]:
    """The proposals grouped under their SPIN type names."""
    type_names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    bank = {question.id: question for question in ctx.playbooks.spin.questions}
    grouped: dict[str, list[str]] = {}
    for option in proposed_questions(ctx):
        grouped.setdefault(type_names[bank[option.id].type.value], []).append(option.label)
    return {"grouped": grouped}


def own_items(ctx: Ctx) -> list[Item]:
    """The rep's own questions that still need a SPIN type."""
    own = ctx.get("own_questions") or []
    return [
        Item(str(index), {"question": entry["text"]})
        for index, entry in enumerate(own)
        if entry.get("type") is None
    ]


def worksheet_items(ctx: Ctx) -> list[Item]:
    """One worksheet row per problem the playbook asks for."""
    count = ctx.playbooks.spin.worksheet.min_problems
    return [Item(str(number), {"number": number, "of": count}) for number in range(1, count + 1)]


def worksheet_context(ctx: Ctx) -> dict[str, Any]:
    """The worksheet's instructions and an example, for the first row."""
    worksheet = ctx.playbooks.spin.worksheet
    example = worksheet.examples[0]
    sections = {section.type.value: ctx.t(section.prompt) for section in worksheet.sections}
    return {
        "intro": ctx.t(worksheet.intro),
        "sections": sections,
        "example": {
            "problem": ctx.t(example.problem),
            "implication": ctx.t(example.implication),
            "need_payoff": ctx.t(example.need_payoff),
        },
        "problem": ctx.here("problem"),
    }


def _has_problem(ctx: Ctx) -> bool:
    return bool(ctx.here("problem"))


def planned_questions(ctx: Ctx) -> list[dict[str, Any]]:
    """The plan as it stands: kept bank questions, own questions, worksheet questions."""
    bank = {question.id: question for question in ctx.playbooks.spin.questions}
    kept = (ctx.get("questions") or {}).get("selected", [])
    plan: list[dict[str, Any]] = [
        {"type": bank[qid].type.value, "text": ctx.t(bank[qid].text), "bank_id": qid}
        for qid in kept
        if qid in bank
    ]
    for index, entry in enumerate(ctx.get("own_questions") or []):
        spin_type = entry.get("type") or ctx.of("own", str(index), "own_type")
        plan.append(
            {"type": spin_type or SpinType.PROBLEM.value, "text": entry["text"], "bank_id": None}
        )
    for item in worksheet_items(ctx):
        for field in ("problem", "implication", "need_payoff"):
            text = ctx.of("problem", item.key, field)
            if text:
                plan.append({"type": field, "text": text, "bank_id": None})
    order = options.SPIN_ORDER
    return sorted(plan, key=lambda entry: order.get(entry["type"], 0))


def plan_check_context(ctx: Ctx) -> dict[str, Any]:
    """Coaching warnings about the plan; the rep may go on regardless."""
    types = {entry["type"] for entry in planned_questions(ctx)}
    problems = sum(1 for item in worksheet_items(ctx) if ctx.of("problem", item.key, "problem"))
    warnings = []
    if not types:
        warnings.append("no_questions")
    if SpinType.IMPLICATION.value not in types:
        warnings.append("no_implication")
    if SpinType.NEED_PAYOFF.value not in types:
        warnings.append("no_need_payoff")
    if types == {SpinType.SITUATION.value}:
        warnings.append("only_situation")
    if problems < ctx.playbooks.spin.worksheet.min_problems:
        warnings.append("few_problems")
    counts = {spin_type.value: 0 for spin_type in SpinType}
    for entry in planned_questions(ctx):
        counts[entry["type"]] += 1
    return {
        "warnings": warnings,
        "counts": counts,
        "problems": problems,
        "min_problems": ctx.playbooks.spin.worksheet.min_problems,
    }


# --- stage actions ----------------------------------------------------------------------------


def stage_actions_context(ctx: Ctx) -> dict[str, Any]:
    """For each attendee and the account: the current stage's actions and warning signs."""
    stages = {stage.id: stage for stage in ctx.playbooks.relationship.contact_stages}
    people = []
    for person in known_people(ctx, each_id="person", attendees_key="attendees"):
        stage = stages.get(person["stage"] or "")
        people.append(
            {
                "name": person["name"],
                "stage": ctx.t(stage.name) if stage else None,
                "actions": [ctx.t(action) for action in stage.actions[:2]] if stage else [],
                "warnings": [ctx.t(warning) for warning in stage.warnings[:1]] if stage else [],
            }
        )
    account_stage_id = ctx.get("account_stage") or _account_value(ctx, "lifecycle_stage")
    account_stage = next(
        (s for s in ctx.playbooks.relationship.account_stages if s.id == account_stage_id), None
    )
    account = None
    if account_stage is not None:
        account = {
            "stage": ctx.t(account_stage.name),
            "actions": [ctx.t(action) for action in account_stage.actions[:2]],
            "warnings": [ctx.t(warning) for warning in account_stage.warnings[:1]],
        }
    return {**account_context(ctx), "people": people, "account_stage": account}


# --- time -------------------------------------------------------------------------------------


def _no_time_given(ctx: Ctx) -> bool:
    day = ctx.get("visit_day") or {}
    return not day.get("time")


def time_suggestions(ctx: Ctx) -> list[Option]:
    """Common meeting times as buttons."""
    return [Option(value, value) for value in ("09:00", "10:00", "14:00", "16:00")]


def parse_visit_time(text: str, ctx: Ctx) -> str:
    """'14:30', '下午3点', '3pm' as HH:MM."""
    return parse_time(text).strftime("%H:%M")


def _typed_when(ctx: Ctx) -> dict[str, str] | None:
    """The day and time as first given: the day's own time, else the time asked after it."""
    day = ctx.get("visit_day")
    if not day:
        return None
    return {
        "day": day["day"],
        "time": day.get("time") or ctx.get("visit_time") or DEFAULT_VISIT_TIME,
    }


def _at(when: dict[str, str], ctx: Ctx) -> datetime:
    return answer_datetime(dict(when), ctx.zone, default=NINE)


def planned_at(ctx: Ctx) -> datetime | None:
    """When the visit is planned: the corrected time if one was asked for, else day and time."""
    when = ctx.get("visit_again") or _typed_when(ctx)
    return _at(when, ctx) if when else None


def _in_the_past(ctx: Ctx) -> bool:
    """Asked once, after day and time: a time already gone is a visit to debrief, or a typo."""
    when = _typed_when(ctx)
    return when is not None and _at(when, ctx) <= ctx.now


def parse_future_when(text: str, ctx: Ctx) -> dict[str, str]:
    """A day and time still to come ('tomorrow 10:00', '周五下午3点'); the past is refused."""
    when = parse_when(text, ctx.today)
    hour = when.at.strftime("%H:%M") if when.at else DEFAULT_VISIT_TIME
    answer = {"day": when.day.isoformat(), "time": hour}
    if _at(answer, ctx) <= ctx.now:
        raise UserError("errors/time_passed")
    return answer


def _passed_context(ctx: Ctx) -> dict[str, Any]:
    when = _typed_when(ctx) or {"day": "", "time": ""}
    return {"when": f"{when['day']} {when['time']}"}


def _happened(ctx: Ctx) -> bool:
    return _in_the_past(ctx) and ctx.get("already_happened") is True


# --- the plan ---------------------------------------------------------------------------------


def save_plan(ctx: Ctx) -> None:
    """Write the account, people, visit, SPIN items and prep snapshots; remember the visit."""
    account = account_of(ctx)
    if account is None:
        account = Account(
            team_id=ctx.user.team_id, name=ctx.get("account")["new"], owner_id=ctx.user.id
        )
    for field, key in (
        ("tier", "tier"),
        ("sales_stage", "sales_stage"),
        ("lifecycle_stage", "account_stage"),
    ):
        if ctx.get(key):
            setattr(account, field, ctx.get(key))
    account.updated_at = ctx.now
    ctx.db.add(account)
    ctx.db.flush()
    assert account.id is not None
    attendees = resolve_attendees(
        ctx, account=account, each_id="person", attendees_key="attendees"
    )
    visit = Visit(
        account_id=account.id,
        rep_id=ctx.user.id or 0,
        team_id=ctx.user.team_id,
        planned_at=planned_at(ctx),
        objective_best=ctx.get("objective_best"),
        objective_minimum=ctx.get("objective_minimum"),
        status=VisitStatus.PLANNED,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.db.add(visit)
    ctx.db.flush()
    assert visit.id is not None
    for position, entry in enumerate(planned_questions(ctx)):
        ctx.db.add(
            SpinItem(
                visit_id=visit.id,
                position=position,
                spin_type=SpinType(entry["type"]),
                question=entry["text"],
                bank_question_id=entry["bank_id"],
                planned=True,
            )
        )
    for contact, is_new in attendees:
        _apply_person_answers(
            ctx, contact, account_id=account.id, visit_id=visit.id, is_new=is_new
        )
        assert contact.id is not None
        ctx.db.add(
            StakeholderSnapshot(
                visit_id=visit.id,
                contact_id=contact.id,
                phase=SnapshotPhase.PREP,
                attended=True,
                buying_role=contact.buying_role,
                stance=contact.stance,
                influence=contact.influence,
                relationship_stage=contact.relationship_stage,
                created_at=ctx.now,
            )
        )
    if not _happened(ctx):  # a visit already made is debriefed now, not reminded of
        schedule_debrief(
            session=ctx.db, visit=visit, delay=timedelta(hours=ctx.settings.debrief_reminder_hours)
        )
    ctx.scratch["visit_id"] = visit.id


def _apply_person_answers(
    ctx: Ctx, contact: Contact, *, account_id: int, visit_id: int, is_new: bool
) -> None:
    key = f"c{contact.id}" if not is_new else ctx.scratch["new_keys"][contact.name]
    answers = {
        field: ctx.of("person", key, step)
        for field, step in (
            ("title", "title"),
            ("buying_role", "role"),
            ("stance", "stance"),
            ("influence", "influence"),
            ("relationship_stage", "stage"),
        )
    }
    previous_stage = contact.relationship_stage
    for field, value in answers.items():
        if value:
            setattr(contact, field, value)
    contact.updated_at = ctx.now
    ctx.db.add(contact)
    if (
        answers["relationship_stage"]
        and answers["relationship_stage"] != previous_stage
        and not is_new
    ):
        ctx.db.add(
            StageChange(
                subject=StageSubject.CONTACT,
                account_id=account_id,
                contact_id=contact.id,
                visit_id=visit_id,
                from_stage=previous_stage,
                to_stage=answers["relationship_stage"],
                changed_by_id=ctx.user.id,
                changed_at=ctx.now,
            )
        )


def plan_context(ctx: Ctx) -> dict[str, Any]:
    """The one-page call plan, built from what was just saved."""
    visit = ctx.db.get(Visit, ctx.scratch["visit_id"])
    assert visit is not None
    account = ctx.db.get(Account, visit.account_id)
    assert account is not None
    people = []
    for contact in repo.visit_attendees(session=ctx.db, visit_id=visit.id or 0):
        people.append(
            {
                "name": contact.name,
                "title": contact.title,
                "role": options.label_of(options.roles(ctx), contact.buying_role),
                "stance": options.label_of(options.stances(ctx), contact.stance),
                "stage": options.label_of(options.contact_stages(ctx), contact.relationship_stage),
            }
        )
    items = ctx.db.exec(
        select(SpinItem).where(SpinItem.visit_id == visit.id).order_by(SpinItem.position)  # type: ignore[arg-type]
    ).all()
    type_names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    questions: dict[str, list[str]] = {}
    for item in items:
        questions.setdefault(type_names[item.spin_type.value], []).append(item.question)
    stage_actions = stage_actions_context(ctx)
    checklist = checklist_context(ctx)
    local = visit.planned_at.astimezone(ctx.zone) if visit.planned_at else None
    return {
        "account": account.name,
        "tier": options.label_of(options.tiers(ctx), account.tier),
        "sales_stage": options.label_of(options.sales_stages(ctx), account.sales_stage),
        "when": local.strftime("%Y-%m-%d %H:%M") if local else None,
        "people": people,
        "best": visit.objective_best,
        "minimum": visit.objective_minimum,
        "questions": questions,
        "stage_people": stage_actions["people"],
        "account_stage": stage_actions["account_stage"],
        "gaps": checklist["gaps"],
        "visit_id": visit.id,
        "happened": _happened(ctx),
    }


FLOW = Flow(
    id="prep",
    steps=(
        Pick("account", candidates=team_accounts),
        Choose(
            "tier",
            options=options.tiers,
            optional=True,
            getter=account_context,
            when=lambda ctx: _account_value(ctx, "tier") is None,
        ),
        Choose(
            "sales_stage",
            options=options.sales_stages,
            optional=True,
            getter=account_context,
            when=lambda ctx: _account_value(ctx, "sales_stage") is None,
        ),
        Choose(
            "account_stage",
            options=options.account_stages,
            optional=True,
            getter=account_context,
            when=lambda ctx: _account_value(ctx, "lifecycle_stage") is None,
        ),
        ChooseMany(
            "attendees",
            options=account_contacts,
            allow_add=True,
            min_selected=1,
            getter=attendees_context,
        ),
        Each(
            "person",
            items=lambda ctx: attendee_items(ctx, attendees_key="attendees"),
            steps=(
                Ask("title", parse=parse_title, optional=True, when=_is_new_person),
                Choose(
                    "role",
                    options=options.roles,
                    optional=True,
                    when=_unknown("buying_role"),
                    getter=known_labels,
                ),
                Choose(
                    "stance",
                    options=options.stances,
                    optional=True,
                    when=_unknown("stance"),
                    getter=known_labels,
                ),
                Choose(
                    "influence",
                    options=options.influence,
                    optional=True,
                    when=_unknown("influence"),
                    getter=known_labels,
                    columns=3,
                ),
                Choose(
                    "stage",
                    options=options.contact_stages,
                    optional=True,
                    when=_unknown("relationship_stage"),
                    getter=known_labels,
                ),
            ),
        ),
        Info("checklist", getter=checklist_context),
        Ask("objective_best", parse=free_text, getter=account_context),
        Ask("objective_minimum", parse=free_text),
        ChooseMany(
            "questions",
            options=proposed_questions,
            preselect=all_proposed,
            getter=questions_context,
        ),
        Ask("own_questions", parse=parse_own_questions, optional=True, lines=True),
        Each("own", items=own_items, steps=(Choose("own_type", options=options.spin_types),)),
        Each(
            "problem",
            items=worksheet_items,
            steps=(
                Ask("problem", optional=True, getter=worksheet_context),
                Ask("implication", optional=True, when=_has_problem, getter=worksheet_context),
                Ask("need_payoff", optional=True, when=_has_problem, getter=worksheet_context),
            ),
        ),
        Info("plan_check", getter=plan_check_context),
        Info("stage_actions", getter=stage_actions_context),
        AskDate("visit_day"),
        Ask(
            "visit_time",
            parse=parse_visit_time,
            optional=True,
            when=_no_time_given,
            suggestions=time_suggestions,
        ),
        Confirm("already_happened", when=_in_the_past, getter=_passed_context),
        Ask(
            "visit_again",
            parse=parse_future_when,
            when=lambda ctx: _in_the_past(ctx) and ctx.get("already_happened") is False,
        ),
        Show("plan", on_done=save_plan, getter=plan_context),
    ),
)
