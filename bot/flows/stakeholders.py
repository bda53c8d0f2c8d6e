"""The stakeholder questions, asked of each attendee in /prep and in /debrief: one group, two uses.

Role, stance, influence and relationship stage, each a choice from the playbooks beside what
is on file. Prep asks what is not known yet (`unknown`), all on one screen; debrief asks what
the rep ticked as changed (`changed`), one screen each. The answers become the person in a
records draft (`drafted`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from bot.engine.context import Ctx, Item, Option
from bot.engine.steps.choose import Choose
from bot.engine.steps.choose_each import Question
from bot.flows import options
from bot.flows.guides import stages_link
from bot.flows.people import contact_id, contact_of, known_labels
from bot.storage.drafts import PersonDraft

Predicate = Callable[[Ctx], bool]
Options = Callable[[Ctx], Sequence[Option]]

# step id: (the contact's field it answers, its choices, buttons per row)
QUESTIONS: dict[str, tuple[str, Options, int]] = {
    "role": ("buying_role", options.roles, 2),
    "stance": ("stance", options.stances, 2),
    "influence": ("influence", options.influence, 3),
    "stage": ("relationship_stage", options.contact_stages, 2),
}


def stakeholder_questions(*, when: Callable[[str], Predicate]) -> tuple[Choose, ...]:
    """The group, each question asked `when(step id)` holds for the attendee at hand."""
    return tuple(
        Choose(
            step,
            options=choices,
            when=when(step),
            getter=known_labels,
            columns=columns,
            links=stages_link if step == "stage" else None,
        )
        for step, (_, choices, columns) in QUESTIONS.items()
    )


def stakeholder_fields(*, when: Callable[[str], Predicate]) -> tuple[Question, ...]:
    """The same group as questions of one screen (prep: a person's profile in one go)."""
    return tuple(
        Question(step, choices, when=when(step), columns=columns)
        for step, (_, choices, columns) in QUESTIONS.items()
    )


def unknown(step: str) -> Predicate:
    """Prep: ask only what is not on file about the person (everything, for someone new)."""
    field = QUESTIONS[step][0]

    def predicate(ctx: Ctx) -> bool:
        contact = contact_of(ctx)
        return contact is None or getattr(contact, field) is None

    return predicate


def changed(step: str) -> Predicate:
    """Debrief: ask only what the rep ticked as changed about the person."""

    def predicate(ctx: Ctx) -> bool:
        answer = ctx.here("changes") or {}
        return step in answer.get("selected", [])

    return predicate


def drafted(
    ctx: Ctx, item: Item, *, each_id: str, steps: Collection[str] = tuple(QUESTIONS)
) -> PersonDraft:
    """The attendee as a records draft: who they are, and their answers to `steps`."""

    def answer(step: str) -> str | None:
        return (ctx.of(each_id, item.key, step) or None) if step in steps else None

    return PersonDraft(
        key=item.key,
        name=item.context["name"],
        contact_id=contact_id(item.key),
        buying_role=answer("role"),
        stance=answer("stance"),
        influence=answer("influence"),
        relationship_stage=answer("stage"),
    )
