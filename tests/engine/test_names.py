"""A typed name never becomes someone else; a number that is not on screen is not a name.

Where a rep types a name (an account, a person, a rep), only a name equal after folding case,
width, spaces and punctuation is taken without asking. Anything close is offered beside
"add as new", and a name close to nothing is added after one confirming tap.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.demo.loader import load_demo
from bot.engine.context import Item
from bot.engine.events import Command, Tap
from bot.engine.flow import Each, Flow
from bot.engine.steps.info import Info
from bot.errors import UserError
from bot.flows.debrief_people import parse_names
from bot.storage.models import Contact, User
from tests.conftest import START
from tests.engine.chat import Chat, play
from tests.engine.scripts import SCRIPTS, until

ACCOUNT = {"en": "Blue Ocean Logistics", "zh": "蓝海物流"}


def _at_attendees(chat: Chat, database, language: str) -> None:
    """Load the demo team for the rep and go to /prep's "Who will you meet?"."""
    with Session(database) as session:
        user = session.get(User, chat.user_id)
        load_demo(session=session, rep=user, language=language, now=START)
        session.commit()
    chat.command("prep")
    chat.say(ACCOUNT[language])
    assert ("Who will you meet" if language == "en" else "见谁") in chat.text
    for label in [label for label in chat.labels if label.startswith("✅ ")]:
        chat.tap(label)  # the last visit's people come preselected: start from none


def test_a_repeat_visit_starts_with_the_last_visits_people_ticked(rep_en, database) -> None:
    with Session(database) as session:
        user = session.get(User, rep_en.user_id)
        load_demo(session=session, rep=user, language="en", now=START)
        session.commit()
    rep_en.command("prep")
    rep_en.say(ACCOUNT["en"])
    assert _ticked(rep_en) == ["Li Wei · Warehouse lead"]


def _ticked(chat: Chat) -> list[str]:
    return [label[2:] for label in chat.labels if label.startswith("✅ ")]


@pytest.mark.parametrize("typed", ["Anna Sun", "Wei Zhang", "Sun Lei"])
def test_a_name_close_to_someone_on_file_is_offered_not_ticked(rep_en, database, typed) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say(typed)
    assert _ticked(rep_en) == []
    assert f"“{typed}” is not on the list exactly" in rep_en.text
    assert f"➕ Add “{typed}” as new" in rep_en.labels
    rep_en.tap(f"Add “{typed}” as new")
    assert _ticked(rep_en) == [typed]


def test_the_person_meant_is_one_tap_away(rep_en, database) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say("Sun Lee")
    rep_en.tap("👤 Sun Li")
    assert [label.split(" · ")[0] for label in _ticked(rep_en)] == ["Sun Li"]


def test_a_name_equal_after_folding_is_ticked_at_once(rep_en, database) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say("  sun   LI ")
    assert [label.split(" · ")[0] for label in _ticked(rep_en)] == ["Sun Li"]
    assert "not on the list" not in rep_en.text


@pytest.mark.parametrize("typed", ["Ada Lin", "Tom Li"])
def test_a_name_near_several_people_can_still_be_added(rep_en, database, typed) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say(typed)
    assert "matches more than one" not in rep_en.text
    rep_en.tap(f"Add “{typed}” as new")
    assert _ticked(rep_en) == [typed]


def test_a_name_close_to_nothing_is_added_after_one_tap(rep_en, database) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say("Xavier Quinn")
    assert "“Xavier Quinn” is not on the list yet" in rep_en.text
    assert _ticked(rep_en) == []
    rep_en.tap("Add “Xavier Quinn” as new")
    assert _ticked(rep_en) == ["Xavier Quinn"]


@pytest.mark.parametrize(("typed", "known"), [("孙总", "孙总监"), ("李 工", None), ("王磊", None)])
def test_chinese_names_follow_the_same_rule(rep_zh, database, typed, known) -> None:
    _at_attendees(rep_zh, database, "zh")
    rep_zh.say(typed)
    if known is None and typed.replace(" ", "") == "李工":
        assert [label.split(" · ")[0] for label in _ticked(rep_zh)] == ["李工"]
        return
    assert _ticked(rep_zh) == []
    assert f"➕ 新增“{typed}”" in rep_zh.labels
    if known:
        assert any(label.startswith(f"👤 {known}") for label in rep_zh.labels)


def test_pinyin_does_not_tick_the_person_in_characters(rep_zh, database) -> None:
    _at_attendees(rep_zh, database, "zh")
    rep_zh.say("Sun Zongjian")
    assert _ticked(rep_zh) == []
    assert "➕ 新增“Sun Zongjian”" in rep_zh.labels


def test_a_new_person_confirmed_is_saved_under_the_name_typed(rep_en, database) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say("Wang Wei")
    rep_en.tap("Add “Wang Wei” as new")
    rep_en.tap("Done")
    with Session(database) as session:
        names = set(session.exec(select(Contact.name)).all())
    assert "Wang Wei" not in names, "nobody is written before the plan is saved"
    assert "Wang Wei" in rep_en.text


@pytest.mark.parametrize(("typed", "known"), [("ABB China", "ABB"), ("Blue Ocean", None)])
def test_an_account_name_is_offered_never_taken_unless_equal(rep_en, database, typed, known):
    with Session(database) as session:
        user = session.get(User, rep_en.user_id)
        load_demo(session=session, rep=user, language="en", now=START)
        session.commit()
    rep_en.command("prep")
    if known:
        rep_en.say(known)  # make the account
        rep_en.tap(f"Create “{known}”")
        rep_en.command("cancel")
        rep_en.command("prep")
    rep_en.say(typed)
    assert "No exact match" in rep_en.text or "Nothing matches" in rep_en.text
    assert f"➕ Create “{typed}”" in rep_en.labels


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["99", "0"])
def test_a_number_not_on_screen_is_refused_not_added_as_a_person(rep_en, database, typed):
    _at_attendees(rep_en, database, "en")
    count = len(rep_en.labels)
    rep_en.say(typed)
    assert f"There is no choice {typed}: pick 1–{count}, or type a name." in rep_en.text
    assert _ticked(rep_en) == []


def test_a_number_on_screen_picks_that_button(rep_en, database) -> None:
    _at_attendees(rep_en, database, "en")
    first = rep_en.labels[0]
    rep_en.say("1")
    assert _ticked(rep_en) == [first[3:]]


def test_a_number_past_the_menu_is_refused_in_both_languages(rep_en, rep_zh) -> None:
    rep_en.command("start")
    rep_en.say("9")
    assert "There is no choice 9: pick 1–7." in rep_en.text
    rep_zh.command("start")
    rep_zh.say("9")
    assert "没有第9项：请选1–7。" in rep_zh.text


def test_a_number_on_the_menu_opens_that_entry(rep_en) -> None:
    rep_en.command("start")
    rep_en.say("1")
    assert "Which account" in rep_en.text


# --- lengths --------------------------------------------------------------------------------


def test_a_name_over_the_limit_is_refused_not_cut(rep_en, database) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say("A" * 201)
    assert "the limit here is 200" in rep_en.text
    assert _ticked(rep_en) == []


def test_newcomers_named_after_a_debrief_are_refused_when_too_long_not_cut() -> None:
    with pytest.raises(UserError) as refused:
        parse_names("Liu Fang, " + "B" * 201, ctx=None)  # type: ignore[arg-type]
    assert refused.value.template == "errors/too_long"
    assert parse_names("Liu Fang、 Chen  Gang；Zhou", ctx=None) == [
        "Liu Fang",
        "Chen Gang",
        "Zhou",
    ]  # type: ignore[arg-type]


def test_a_step_key_too_long_to_store_is_an_error_not_a_silent_cut(rep_en, make_engine_for):
    long_key = "x" * 130
    flow = Flow(
        id="long",
        steps=(Each("e", items=lambda ctx: [Item(long_key, {})], steps=(Info("i"),)),),
    )
    engine = make_engine_for()
    engine.flows["long"] = flow
    with pytest.raises(ValueError, match="step key over 120"):
        engine.handle(user_id=rep_en.user_id, event=Command("long"))


# --- people met for the first time, named after the visit -------------------------------------


def _debrief_newcomers(chat: Chat, typed: str) -> None:
    """Prepare and debrief the scripted visit up to the people, then type names met there."""
    prep, debrief = SCRIPTS["en"]
    play(chat, prep)
    play(chat, until(debrief, "people_changed"))
    chat.say(typed)
    chat.tap("No changes")


def test_a_newcomer_named_like_someone_on_file_is_that_person_not_a_twin(rep_en, database):
    _debrief_newcomers(rep_en, "zhao  ZONG")
    assert "close to someone on file" not in rep_en.text
    play(rep_en, [("tap", "Purchaser"), ("tap", "Skip"), ("say", "ok"), ("tap", "Still at"),
                  ("say", "Trial"), ("say", "12/2")])  # fmt: skip
    with Session(database) as session:
        names = session.exec(select(Contact.name)).all()
    assert sorted(names) == ["Wang Gong", "Zhao Zong"]


def test_a_newcomer_close_to_someone_on_file_is_asked_about(rep_en, database) -> None:
    _debrief_newcomers(rep_en, "Zhao Zhong")
    assert "Zhao Zhong is close to someone on file" in rep_en.text
    assert "👤 Zhao Zong" in rep_en.labels and "➕ Add “Zhao Zhong” as new" in rep_en.labels
    rep_en.tap("Add “Zhao Zhong” as new")
    play(rep_en, [("tap", "Purchaser"), ("tap", "Skip"), ("say", "ok"), ("tap", "Still at"),
                  ("say", "Trial"), ("say", "12/2")])  # fmt: skip
    with Session(database) as session:
        names = session.exec(select(Contact.name)).all()
    assert sorted(names) == ["Wang Gong", "Zhao Zhong", "Zhao Zong"]


def test_typing_the_newcomers_own_name_at_one_of_them_or_new_adds_them_as_new(rep_en, database):
    _debrief_newcomers(rep_en, "Zhao")
    assert "👤 Zhao Zong" in rep_en.labels
    rep_en.say("Zhao")  # the newcomer's own name, not a prefix of Zhao Zong's
    play(rep_en, [("tap", "Purchaser"), ("tap", "Skip"), ("say", "ok"), ("tap", "Still at"),
                  ("say", "Trial"), ("say", "12/2")])  # fmt: skip
    with Session(database) as session:
        names = session.exec(select(Contact.name)).all()
        zhao = session.exec(select(Contact).where(Contact.name == "Zhao Zong")).one()
    assert sorted(names) == ["Wang Gong", "Zhao", "Zhao Zong"]
    assert zhao.buying_role == "decision_maker", "the person on file keeps their role"


def test_two_people_with_the_same_name_are_both_offered_never_one_guessed(rep_en, database):
    _at_attendees(rep_en, database, "en")
    with Session(database) as session:
        li = session.exec(select(Contact).where(Contact.name == "Li Wei")).one()
        session.add(Contact(account_id=li.account_id, name="Li Wei"))  # no title
        session.commit()
    rep_en.command("prep")
    rep_en.say(ACCOUNT["en"])
    rep_en.tap("✅ Li Wei")  # preselected from the last visit
    rep_en.say("Li Wei")
    assert _ticked(rep_en) == []
    assert len([label for label in rep_en.labels if label.startswith("👤 Li Wei")]) == 2


@pytest.mark.parametrize(("typed", "position"), [("①", 0), ("２", 1)])
def test_circled_and_full_width_digits_pick_buttons_like_digits(rep_en, database, typed, position):
    _at_attendees(rep_en, database, "en")
    meant = rep_en.labels[position]
    rep_en.say(typed)
    assert _ticked(rep_en) == [meant[3:]]


@pytest.mark.parametrize(
    ("typed", "number"), [("²⁷", "27"), ("٣٣", "33"), ("99999999999", "99999999999")]
)
def test_odd_digits_are_answered_never_a_crash(rep_en, database, typed, number) -> None:
    _at_attendees(rep_en, database, "en")
    rep_en.say(typed)
    assert f"There is no choice {number}:" in rep_en.text
    version = rep_en.labels and rep_en.button("Done").value.split(".")[0]
    rep_en.send(Tap(f"{version}.t²"))  # a forged button with a superscript index
    assert "That button belongs to an earlier question" in rep_en.text
