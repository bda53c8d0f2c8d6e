"""What /correct lists, shows and saves: the rep's debriefs of the last days, one debrief's
fields with the corrections not yet saved, and the save, which `bot.records` makes.

The answer `visit` is the id of the debriefed visit (one debrief per visit), as everywhere
else; `field` is the field picked last, and each field's new value is kept under its own id
(`outcome`, `summary`, ...) until the save, so a rep may correct several in one go and Back
or a restart loses none. A value equal to the saved one is no correction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot import records
from bot.coaching.record import facts_of
from bot.coaching.score import score
from bot.domain import CORRECTION_DAYS, DebriefField, Outcome
from bot.engine.context import Ctx, Getter, Option
from bot.engine.pages import cut_to_columns
from bot.engine.steps.base import Link
from bot.errors import UserError
from bot.flows.objective import (
    answer_label,
    objective_met_of,
    outcome_choices,
    outcome_label,
    outcome_of,
)
from bot.flows.people import is_row_id
from bot.storage import repo
from bot.storage.drafts import CorrectionDraft
from bot.storage.models import Account, Debrief, Visit

LISTED = 20
SAVE = "save"
SHOWN = 36  # columns of a text on the screen that picks a field (a phone has 45)
WAS = 16  # columns of what a pending correction replaces
NEEDS_A_STEP = (Outcome.ADVANCE.value, Outcome.CONTINUATION.value)
# The fields a rep picks to correct; how the visit stood against its objective is corrected with
# the outcome, which is asked the same way as in /debrief.
PICKED = tuple(field for field in DebriefField if field != DebriefField.OBJECTIVE_MET)


def start(ctx: Ctx, argument: str) -> None:
    """`/correct 42` (the Saved message's button) opens the rep's own debrief of visit 42.

    Another rep's visit, a forged id or a visit not debriefed is not found; the rep's own
    debrief saved longer ago than the window is refused, saying since when.
    """
    if not argument:
        return
    found = (
        repo.rep_debrief(session=ctx.db, visit_id=int(argument), rep_id=ctx.user.id or 0)
        if is_row_id(argument)
        else None
    )
    if found is None:
        raise UserError("errors/debrief_not_found", days=CORRECTION_DAYS)
    if not records.correction_open(found[0], ctx.now):
        raise UserError(
            "errors/correction_closed", days=CORRECTION_DAYS, saved=_stamp(ctx, found[0])
        )
    ctx.answers.update(visit=argument, opened=True)


def _recent(ctx: Ctx) -> list[tuple[Debrief, Visit, Account]]:
    rows: list[tuple[Debrief, Visit, Account]] = ctx.remember(
        "correct:recent",
        lambda: list(
            repo.recent_debriefs(
                session=ctx.db,
                rep_id=ctx.user.id or 0,
                since=ctx.now - timedelta(days=CORRECTION_DAYS),
            )
        ),
    )
    return rows


def _stamp(ctx: Ctx, debrief: Debrief) -> str:
    return debrief.created_at.astimezone(ctx.zone).strftime("%m-%d %H:%M")


def _visit_day(ctx: Ctx, visit: Visit) -> str:
    return visit.planned_at.astimezone(ctx.zone).strftime("%m-%d") if visit.planned_at else "—"


def nothing_to_correct(ctx: Ctx) -> bool:
    """No debrief named and none saved within the window."""
    return not ctx.get("visit") and not _recent(ctx)


def visit_not_given(ctx: Ctx) -> bool:
    """The command named no debrief, so the rep picks one."""
    return not ctx.get("opened")


def recent_debriefs(ctx: Ctx) -> list[Option]:
    """The rep's debriefs of the window, newest first, as 'visit day · account · outcome'."""
    return [
        Option(
            str(visit.id),
            f"{_visit_day(ctx, visit)} · {account.name} · "
            f"{ctx.labels(f'outcome_{debrief.outcome.value}')}",
        )
        for debrief, visit, account in _recent(ctx)[:LISTED]
    ]


def list_context(ctx: Ctx) -> dict[str, Any]:
    rows = _recent(ctx)
    return {"count": len(rows), "listed": min(len(rows), LISTED), "days": CORRECTION_DAYS}


def _debrief(ctx: Ctx) -> tuple[Debrief, Visit]:
    """The rep's own debrief picked or named; anyone else's (a forged answer) is refused."""
    picked = str(ctx.get("visit") or "")
    found: tuple[Debrief, Visit] | None = None
    if is_row_id(picked):
        found = ctx.remember(
            f"correct:{picked}",
            lambda: repo.rep_debrief(
                session=ctx.db, visit_id=int(picked), rep_id=ctx.user.id or 0
            ),
        )
    if found is None:
        raise UserError("errors/debrief_not_found", days=CORRECTION_DAYS)
    return found


def _given(ctx: Ctx, field: DebriefField) -> Any:
    """The new value answered for `field`, typed as the debrief row holds it (or None)."""
    if field == DebriefField.OBJECTIVE_MET:
        answered = ctx.get(DebriefField.OUTCOME.value)
        return objective_met_of(answered, _debrief(ctx)[1]) if answered else None
    answer = ctx.get(field.value)
    if answer is None:
        return None
    if field == DebriefField.OUTCOME:
        return outcome_of(answer)
    if field == DebriefField.NEXT_STEP_DUE:
        return date.fromisoformat(answer["day"])
    return answer


def pending(ctx: Ctx) -> dict[DebriefField, Any]:
    """The corrections answered and not saved yet: the fields whose new value differs."""
    debrief, _ = _debrief(ctx)
    given = {field: _given(ctx, field) for field in DebriefField}
    return {
        field: value
        for field, value in given.items()
        if value is not None and value != getattr(debrief, field.value)
    }


def field_options(ctx: Ctx) -> list[Option]:
    """The fields (✏️ on those corrected and not saved yet), then Save once there is any."""
    waiting = pending(ctx)
    lines = _lines_corrected(waiting)
    listed = [
        Option(
            field.value,
            f"✏️ {ctx.labels(f'field_{field.value}')}"
            if field in lines
            else ctx.labels(f"field_{field.value}"),
        )
        for field in PICKED
    ]
    if waiting:
        listed.append(Option(SAVE, ctx.labels("correct_save")))
    return listed


def _shown(ctx: Ctx, field: DebriefField, value: Any, columns: int = SHOWN) -> str | None:
    """A field's value as the rep reads it: the outcome's label, the day, the words cut to
    `columns` (a Chinese character takes two), so the screen stays one phone screen."""
    if value is None or value == "":
        return None
    if field == DebriefField.OUTCOME:
        return ctx.labels(f"outcome_{Outcome(value).value}")
    if field == DebriefField.OBJECTIVE_MET:
        return ctx.labels(f"objective_{value}")
    if isinstance(value, date):
        return value.isoformat()
    return cut_to_columns(" ".join(str(value).split()), columns)


def debrief_context(ctx: Ctx) -> dict[str, Any]:
    """The debrief as saved, each field with its correction not saved yet, and the window."""
    debrief, visit = _debrief(ctx)
    account = ctx.db.get(Account, visit.account_id)
    waiting = pending(ctx)
    until = debrief.created_at + timedelta(days=CORRECTION_DAYS)
    return {
        "account": account.name if account else "",
        "visited": _visit_day(ctx, visit),
        "fields": [_field_line(ctx, debrief, field, waiting) for field in PICKED],
        "pending": len(_lines_corrected(waiting)),
        "until": until.astimezone(ctx.zone).strftime("%m-%d %H:%M"),
        "open": records.correction_open(debrief, ctx.now),
    }


def _lines_corrected(waiting: dict[DebriefField, Any]) -> set[DebriefField]:
    """The fields screen's lines that show a correction: how the visit stood against its
    objective ('the best' for 'the minimum') shows on the outcome's line."""
    return {DebriefField.OUTCOME if f == DebriefField.OBJECTIVE_MET else f for f in waiting}


def _saved_outcome(ctx: Ctx, debrief: Debrief, columns: int = SHOWN) -> str:
    """The saved outcome with how it stood against the plan ('Advance · 🎯 the best planned')."""
    return cut_to_columns(outcome_label(ctx, debrief.outcome, debrief.objective_met), columns)


def _field_line(
    ctx: Ctx, debrief: Debrief, field: DebriefField, waiting: dict[DebriefField, Any]
) -> dict[str, Any]:
    """One line of the fields screen: the saved value, and the new one if corrected."""
    label = ctx.labels(f"field_{field.value}")
    corrected = field in _lines_corrected(waiting)
    if field == DebriefField.OUTCOME:
        if not corrected:
            return {"label": label, "saved": _saved_outcome(ctx, debrief), "new": None}
        new = answer_label(
            ctx,
            waiting.get(field, debrief.outcome),
            waiting.get(DebriefField.OBJECTIVE_MET, debrief.objective_met),
        )
        was = answer_label(ctx, debrief.outcome, debrief.objective_met)
        return {
            "label": label,
            "saved": cut_to_columns(was, SHOWN),  # a button's label: short, and read whole
            "new": cut_to_columns(new, SHOWN),
        }
    return {
        "label": label,
        "saved": _shown(ctx, field, getattr(debrief, field.value), WAS if corrected else SHOWN),
        "new": _shown(ctx, field, waiting[field]) if corrected else None,
    }


def about(field: DebriefField) -> Getter:
    """What the step that corrects `field` shows: its saved value, the account, the outcome."""

    def getter(ctx: Ctx) -> dict[str, Any]:
        debrief, visit = _debrief(ctx)
        account = ctx.db.get(Account, visit.account_id)
        return {
            "account": account.name if account else "",
            "saved": _saved_outcome(ctx, debrief)
            if field == DebriefField.OUTCOME
            else _shown(ctx, field, getattr(debrief, field.value)),
            "outcome": _shown(ctx, DebriefField.OUTCOME, _outcome(ctx)),
            "best": visit.objective_best,
            "minimum": visit.objective_minimum,
        }

    return getter


def outcomes(ctx: Ctx) -> list[Option]:
    """The outcomes as /debrief asked them: from the plan's objective where it set one."""
    return outcome_choices(ctx, _debrief(ctx)[1])


def _outcome(ctx: Ctx) -> Outcome:
    """The outcome as it will stand: the one answered, else the saved one."""
    answered = _given(ctx, DebriefField.OUTCOME)
    return answered if answered is not None else _debrief(ctx)[0].outcome


def _step_missing(ctx: Ctx) -> bool:
    """The outcome now calls for a next step, and the debrief has none saved."""
    return _outcome(ctx).value in NEEDS_A_STEP and not _debrief(ctx)[0].next_step


def after_outcome(ctx: Ctx) -> str:
    """An advance or a continuation needs a next step: asked at once if there is none."""
    return "next_step" if _step_missing(ctx) else "field"


def asks_next_step(ctx: Ctx) -> bool:
    """The next step was picked, or the corrected outcome needs one the debrief lacks."""
    return ctx.get("field") == "next_step" or (
        ctx.get("field") == "outcome" and _step_missing(ctx)
    )


def after_next_step(ctx: Ctx) -> str:
    """A step without a date saved gets its date asked next."""
    return "field" if _debrief(ctx)[0].next_step_due else "next_step_due"


def asks_due(ctx: Ctx) -> bool:
    """The due date was picked, or a next step was just given where none had a date."""
    if ctx.get("field") == "next_step_due":
        return True
    return asks_next_step(ctx) and not _debrief(ctx)[0].next_step_due


def due_optional(ctx: Ctx) -> bool:
    """Asked after a new next step, the date may be skipped; picked on its own it may not."""
    return bool(ctx.get("field") != "next_step_due")


def too_late(ctx: Ctx) -> bool:
    """Saving after the window closed (the flow was opened just before): refused."""
    return ctx.get("field") == SAVE and not records.correction_open(_debrief(ctx)[0], ctx.now)


def late_context(ctx: Ctx) -> dict[str, Any]:
    debrief, _ = _debrief(ctx)
    return {"days": CORRECTION_DAYS, "saved": _stamp(ctx, debrief)}


def _points(ctx: Ctx, debrief: Debrief, visit: Visit) -> tuple[int, int]:
    card = score(ctx.playbooks.scorecard, facts_of(session=ctx.db, visit=visit, debrief=debrief))
    return card.points, card.maximum


def save_corrections(ctx: Ctx) -> dict[str, Any]:
    """Save the corrections; say what changed, from what, and the score if it moved."""
    debrief, visit = _debrief(ctx)
    waiting = pending(ctx)
    before = {field: _shown(ctx, field, getattr(debrief, field.value)) for field in waiting}
    was = _points(ctx, debrief, visit)
    records.correct_debrief(
        session=ctx.db,
        draft=CorrectionDraft(
            visit_id=visit.id or 0, **{field.value: value for field, value in waiting.items()}
        ),
        rep=ctx.user,
        now=ctx.now,
        flow_session_id=ctx.flow_session_id,
    )
    now = _points(ctx, debrief, visit)
    account = ctx.db.get(Account, visit.account_id)
    return {
        "account": account.name if account else "",
        "changes": [
            {
                "label": ctx.labels(f"field_{field.value}"),
                "was": before[field],
                "now": _shown(ctx, field, getattr(debrief, field.value)),
            }
            for field in waiting
        ],
        "score": {"was": was[0], "now": now[0], "maximum": now[1]} if was != now else None,
    }


def correct_link(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """The Saved message's "✏️ Correct" button: /correct of the visit just debriefed."""
    visit_id = shown.get("visit_id")
    return [Link(ctx.labels("correct"), "correct", str(visit_id))] if visit_id else []
