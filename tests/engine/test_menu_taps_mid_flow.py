"""A menu button on an old message, tapped in the middle of a flow, asks before it closes the
flow: "Open anyway" switches, anything else goes on where the user was. A typed command, a
page shown aside and a button of the screen in progress act at once."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.engine import codes
from bot.engine.events import Tap
from bot.engine.flow import Flow
from bot.engine.output import Button
from bot.engine.runner import Engine
from bot.engine.steps.base import Choice, Given, Outcome, Rows, Stale, Step, View
from bot.engine.steps.info import Show
from bot.engine.turn import SWITCH_ASKED
from bot.flows import FLOWS
from bot.settings import load_settings
from bot.shipped import shipped_dir
from bot.storage.models import FlowState
from bot.text import Texts
from tests.engine.chat import Chat, add_user, at_step, play
from tests.engine.scripts import SCRIPTS, until


def saved(chat: Chat) -> tuple[str, str, dict[str, Any], int] | None:
    """The flow in progress as stored: flow, step, its data (answers, history) and version;
    which button was asked about is noted beside them, and left out here."""
    with Session(chat.engine.db) as session:
        state = session.get(FlowState, chat.user_id)
        if state is None:
            return None
        data = {key: value for key, value in state.data.items() if key != SWITCH_ASKED}
        return (state.flow, state.step, data, state.version)


def old_menu_button(chat: Chat, label: str) -> Button:
    """A button of the main menu, kept from a message sent before the flow began."""
    chat.command("start")
    return chat.button(label)


def open_anyway(chat: Chat, data: str) -> Button:
    """Tap an old menu button mid-flow; the ask's one button, above the question shown again."""
    [button] = chat.send(Tap(data))[0].all_buttons()
    return button


def mid_debrief(chat: Chat, language: str = "en") -> None:
    """A prepared visit, debriefed up to the questions asked (the outcome already answered)."""
    prep, debrief = SCRIPTS[language]
    play(chat, prep + until(debrief, "asked"))
    assert at_step(chat) == "asked"


def test_an_old_menu_button_tapped_mid_debrief_asks_first_and_changes_nothing(rep_en) -> None:
    accounts = old_menu_button(rep_en, "Accounts")
    mid_debrief(rep_en)
    before = saved(rep_en)
    replies = rep_en.send(Tap(accounts.value))
    assert "You are in the middle of /debrief. Open /accounts anyway?" in rep_en.text
    assert "answers so far stay only in the transcript" in rep_en.text
    assert [button.label for button in replies[0].all_buttons()] == ["Open anyway"]
    assert "closed your unfinished" not in rep_en.text
    assert len(replies) == 2, "the question in progress is shown again under the ask"
    assert saved(rep_en) == before, "flow, step, answers and version stay as they were"


def test_after_the_ask_the_question_in_progress_goes_on_and_nothing_is_lost(rep_en) -> None:
    accounts = old_menu_button(rep_en, "Accounts")
    mid_debrief(rep_en)
    outcome = saved(rep_en)[2]["answers"]["outcome"]
    rep_en.send(Tap(accounts.value))
    _, debrief = SCRIPTS["en"]
    play(rep_en, debrief[len(until(debrief, "asked")) :][:4])  # the questions asked, then on
    assert at_step(rep_en) == "answer"
    assert saved(rep_en)[2]["answers"]["outcome"] == outcome


def test_open_anyway_switches_as_a_typed_command_would(rep_en) -> None:
    accounts = old_menu_button(rep_en, "Accounts")
    mid_debrief(rep_en)
    rep_en.send(Tap(open_anyway(rep_en, accounts.value).value))
    assert "I closed your unfinished session" in rep_en.text
    assert saved(rep_en)[0] == "accounts"


def test_a_typed_command_mid_debrief_switches_at_once(rep_en) -> None:
    mid_debrief(rep_en)
    rep_en.command("accounts")
    assert "I closed your unfinished session" in rep_en.text
    assert "anyway" not in rep_en.text
    assert saved(rep_en)[0] == "accounts"


def test_a_repeated_or_stale_open_anyway_with_no_flow_in_progress_just_opens_it(rep_en) -> None:
    accounts = old_menu_button(rep_en, "Accounts")
    mid_debrief(rep_en)
    anyway = open_anyway(rep_en, accounts.value)
    rep_en.send(Tap(anyway.value))
    rep_en.command("cancel")
    assert saved(rep_en) is None
    rep_en.send(Tap(anyway.value))
    assert saved(rep_en)[0] == "accounts"
    assert "middle of" not in rep_en.text and "closed your unfinished" not in rep_en.text


def test_an_old_more_button_of_a_plan_mid_debrief_shows_the_page_without_asking(rep_en) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep)
    [more] = [b for b in rep_en.last[-1].all_buttons() if "More" in b.label]
    play(rep_en, until(debrief, "asked"))
    before = saved(rep_en)
    rep_en.send(Tap(more.value))
    assert "Call plan · Huadong Heavy Truck · 2/" in rep_en.text
    assert "anyway" not in rep_en.text
    assert saved(rep_en) == before


def test_the_ask_is_in_chinese_for_a_chinese_rep(rep_zh) -> None:
    accounts = old_menu_button(rep_zh, "客户档案")
    mid_debrief(rep_zh, "zh")
    before = saved(rep_zh)
    assert open_anyway(rep_zh, accounts.value).label == "仍然打开"
    assert "你正在进行 /debrief。仍要打开 /accounts 吗？" in rep_zh.text
    assert saved(rep_zh) == before


def test_the_open_anyway_code_is_no_longer_than_the_menu_code_even_with_a_long_argument() -> None:
    argument = "move:" + "9" * (64 - len(codes.menu("visits", "move:")))
    menu_code = codes.menu("visits", argument)
    assert len(menu_code.encode()) == 64
    anyway = codes.confirmed(menu_code)
    assert len(anyway.encode()) <= 64
    assert codes.is_confirmed(anyway) and not codes.is_menu(anyway)
    assert codes.menu_target(anyway) == ("visits", argument) == codes.menu_target(menu_code)


@dataclass(frozen=True)
class OffersAccounts(Step):
    """A question whose own screen offers a menu button (the accounts)."""

    def choices(self, view: View) -> Rows:
        return [(Choice(view.label("menu_accounts"), codes.menu("accounts")),)]

    def accept(self, given: Given, view: View) -> Outcome:
        return Stale()


OFFERING = Flow(id="offering", steps=(OffersAccounts("offer"), Show("end")), menu=False)


def test_a_menu_button_of_the_screen_in_progress_acts_at_once(
    tmp_path: Path, database, team_id, playbooks, clock, sqlite_url
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(shipped_dir("templates"), templates)
    (templates / "offering").mkdir()
    (templates / "offering" / "offer.j2").write_text("Accounts?\n", encoding="utf-8")
    (templates / "offering" / "end.j2").write_text("End.\n", encoding="utf-8")
    engine = Engine(
        flows=(*FLOWS, OFFERING),
        db=database,
        texts=Texts(templates),
        playbooks=playbooks,
        settings=load_settings(database_url=sqlite_url),
        clock=clock,
    )
    chat = Chat(engine, add_user(database, team_id, name="amy", language="en"))
    chat.command("offering")
    assert chat.button("Accounts").value == codes.menu("accounts"), "a menu button stays one"
    chat.tap("Accounts")
    assert "anyway" not in chat.text
    assert "I closed your unfinished session" in chat.text
    assert saved(chat)[0] == "accounts"


def test_an_open_anyway_asked_about_one_flow_never_closes_another_opened_since(rep_en) -> None:
    accounts = old_menu_button(rep_en, "Accounts")
    mid_debrief(rep_en)
    anyway = open_anyway(rep_en, accounts.value)
    rep_en.command("prep")
    before = saved(rep_en)
    rep_en.send(Tap(anyway.value))
    assert "You are in the middle of /prep. Open /accounts anyway?" in rep_en.text
    assert saved(rep_en) == before, "the /prep opened since is asked about, not closed"


def test_open_anyway_tapped_twice_opens_once_and_then_asks(rep_en) -> None:
    accounts = old_menu_button(rep_en, "Accounts")
    mid_debrief(rep_en)
    anyway = open_anyway(rep_en, accounts.value)
    rep_en.send(Tap(anyway.value))
    opened = saved(rep_en)
    assert opened is not None and opened[0] == "accounts"
    rep_en.send(Tap(anyway.value))  # the same button again, a second update
    assert "You are in the middle of /accounts." in rep_en.text
    assert saved(rep_en) == opened, "the /accounts it opened is not closed by its own button"
