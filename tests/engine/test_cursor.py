"""The cursor walks a flow's layout without a database: on, back, and where `next` says."""

from __future__ import annotations

import pytest

from bot.engine.context import Item
from bot.engine.cursor import Cursor
from bot.engine.flow import Each, Flow
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Info, Show


def no_options(ctx) -> list:
    return []


def pages(ctx) -> list[Item]:
    return [Item(str(number), {"number": number, "of": 2}) for number in (1, 2)]


def last_page_back_to_action(ctx) -> str | None:
    return "action" if ctx["item"].context["number"] == 2 else None


def cursor_over(flow: Flow, answers: dict | None = None, history: list | None = None) -> Cursor:
    data = {"answers": answers or {}, "history": history or []}
    return Cursor(flow, data, lambda instance: {"item": instance.item if instance else None})


LOOP = Flow(
    id="loop",
    steps=(
        Choose("action", options=no_options),
        Each("page", items=pages, steps=(Info("read", next=last_page_back_to_action),)),
        Info("comment", when=lambda ctx: False),
        Show("done"),
    ),
)


def keys(cursor: Cursor) -> list[str]:
    return [instance.key for instance in cursor.layout()]


def test_the_layout_repeats_a_group_for_each_item_and_keys_answers_by_item() -> None:
    assert keys(cursor_over(LOOP)) == ["action", "page/1/read", "page/2/read", "comment", "done"]


def test_without_next_an_answer_leads_to_the_following_step_that_applies() -> None:
    cursor = cursor_over(LOOP)
    first_page = cursor.after(cursor.at("action"))
    assert first_page.key == "page/1/read"
    assert cursor.after(first_page).key == "page/2/read"


def test_a_step_that_names_where_to_go_next_loops_back_there() -> None:
    cursor = cursor_over(LOOP)
    assert cursor.after(cursor.at("page/2/read")).key == "action"


def test_going_to_a_group_starts_at_its_first_item() -> None:
    flow = Flow(
        id="again",
        steps=(Each("page", items=pages, steps=(Info("read"),)), Info("end", next="page")),
    )
    cursor = cursor_over(flow)
    assert cursor.after(cursor.at("end")).key == "page/1/read"


def test_a_next_step_that_does_not_exist_is_an_error_naming_the_flow() -> None:
    flow = Flow(id="broken", steps=(Info("only", next="nowhere"),))
    cursor = cursor_over(flow)
    with pytest.raises(ValueError, match="broken: no step 'nowhere'"):
        cursor.after(cursor.at("only"))


def test_back_returns_to_the_latest_answered_step_that_still_applies() -> None:
    cursor = cursor_over(LOOP, history=["action", "comment", "page/1/read"])
    assert cursor.back().key == "page/1/read"
    assert cursor.back().key == "action", "'comment' no longer applies"
    assert cursor.back() is None


def test_a_saved_step_gone_from_the_layout_resumes_at_the_first_unanswered_one() -> None:
    cursor = cursor_over(LOOP, answers={"action": "read", "page/1/read": True})
    assert cursor.at("page/9/read").key == "page/2/read"


def test_a_step_answered_again_after_a_loop_cuts_back_the_history_so_back_goes_home_once() -> None:
    cursor = cursor_over(LOOP)
    for key in ("action", "page/1/read", "page/2/read", "action"):
        cursor.answered(key)
    assert cursor.history == ["action"]
    assert cursor.back().key == "action"
    assert cursor.back() is None


def meeting_with(people: list[str]) -> Flow:
    """An account, a role per person in `people` (read live, so a test can change it), a stage."""
    return Flow(
        id="meeting",
        steps=(
            Choose("account", options=no_options),
            Each(
                "person",
                items=lambda ctx: [Item(key, {}) for key in people],
                steps=(Info("role"),),
            ),
            Info("stage"),
            Show("done"),
        ),
    )


def test_an_answer_whose_item_left_the_group_goes_on_without_replaying_answered_steps() -> None:
    """An old flow state (saved before a layout change, or an item that left the list) still
    knows what was answered: the flow goes on from there, it does not start over."""
    people = ["a", "b", "c"]
    flow = meeting_with(people)
    answers = {"account": "x", "person/a/role": True}
    cursor = cursor_over(flow, answers=answers, history=["account", "person/a/role"])
    leaving = cursor.at("person/b/role")
    answers[leaving.key] = True
    people.remove("b")
    cursor.invalidate()
    assert cursor.after(leaving).key == "person/c/role"


def test_an_answered_step_that_left_the_layout_resumes_after_its_place_in_the_flow() -> None:
    people = ["a"]
    flow = meeting_with(people)
    answers = {"account": "x", "stage": True}
    cursor = cursor_over(flow, answers=answers)
    leaving = cursor.at("person/a/role")
    answers[leaving.key] = True
    people.clear()
    cursor.invalidate()
    assert cursor.after(leaving).key == "done", "'stage' was answered already"
