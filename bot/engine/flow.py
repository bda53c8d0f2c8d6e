"""What a flow is declared with: the flow, its steps, and the repeating groups.

A step's id names its template (`<flow>/<step>`) and its answer. `Each` repeats a group of
steps for every item of a list (each attendee, each planned question); its answers are keyed
`each/item/step`. Getters and predicates are pure functions of `Ctx`. Each step kind lives in
its own module under `steps/`, so a new kind is one new file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain import Role
from bot.engine.context import Ctx, Item, Predicate
from bot.engine.steps.base import Step


@dataclass(frozen=True)
class Each:
    """Repeat `steps` for every item `items` returns, in order."""

    id: str
    items: Callable[[Ctx], Sequence[Item]]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Flow:
    """A named sequence of steps; `start` may fill answers from a command's argument.

    The id is its command (`/prep`); `menu` says whether it is a main-menu entry (label
    `menu_<id>`) and a command in Telegram's command menu (`command_<id>`), for `roles`. An
    `aside` flow only shows something; started while another flow is in progress (an old
    "More ▸" tapped mid-debrief), it shows its result and leaves that flow where it was.
    """

    id: str
    steps: tuple[Step | Each, ...]
    start: Callable[[Ctx, str], None] | None = None
    roles: tuple[Role, ...] = (Role.REP, Role.MANAGER, Role.ADMIN)
    menu: bool = True
    aside: bool = False  # read-only (a result shown): runs beside a flow in progress


def answer_is(step_id: str, value: str) -> Predicate:
    """The step `step_id` was answered with `value` (or it was set from the command): steps
    that follow one choice of a menu of actions are asked `when=answer_is("action", "move")`."""

    def predicate(ctx: Ctx) -> bool:
        return bool(ctx.get(step_id) == value)

    return predicate
