"""What /prep does not know about an account or a person is asked on one screen, not five.

The rep taps what they know (a tap again clears it), types a new person's job title, and
taps Done for the rest; the last answer given finishes the screen. Only what is not on file
is asked. A new account's first typed person is added at once: there is nobody to take the
name for.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bot.engine.events import Tap
from bot.storage.models import Account, Contact
from tests.engine.chat import Chat, at_step, play
from tests.engine.scripts import PREP_EN, SCRIPTS, until


def _at_new_person(chat: Chat) -> None:
    play(
        chat,
        [("cmd", "prep"), ("say", "Blue Ocean"), ("tap", "Create"), ("tap", "Done"),
         ("say", "Sun Li"), ("tap", "Done")],
    )  # fmt: skip
    assert at_step(chat) == "profile"


def _finish_prep(chat: Chat) -> None:
    play(chat, [("say", "A trial"), ("say", "A call back"), ("tap", "Done"), ("tap", "Skip"),
                ("tap", "Skip"), ("say", "tomorrow 16:00")])  # fmt: skip
    assert "Call plan" in chat.text


def _sun_li(database) -> Contact:
    with Session(database) as session:
        return session.exec(select(Contact).where(Contact.name == "Sun Li")).one()


def test_a_new_persons_title_and_four_answers_are_one_screen(rep_en, database) -> None:
    _at_new_person(rep_en)
    assert "Job title (type it): —" in rep_en.text and "Buying role: —" in rep_en.text
    rep_en.say("Head of <b>fleet</b>")
    assert "Job title (type it): Head of <b>fleet</b>" in rep_en.text
    for label in ("Purchaser", "Supporter", "Medium"):
        rep_en.tap(label)
        assert at_step(rep_en) == "profile"
    assert "✅ Purchaser" in rep_en.labels
    rep_en.tap("Familiar")  # the last one unanswered: the screen is done
    assert at_step(rep_en) == "objective_best"
    _finish_prep(rep_en)
    sun = _sun_li(database)
    assert (sun.title, sun.buying_role, sun.stance, sun.influence, sun.relationship_stage) == (
        "Head of <b>fleet</b>",
        "purchaser",
        "supporter",
        "medium",
        "familiar",
    )


def test_done_leaves_the_rest_unknown_and_a_second_tap_clears_an_answer(rep_en, database):
    _at_new_person(rep_en)
    rep_en.tap("Coach")
    rep_en.tap("✅ Coach")  # tapped again: not known after all
    rep_en.say("high")  # a typed label answers its own question
    assert "Influence on the decision: High" in rep_en.text
    rep_en.tap("Done")
    _finish_prep(rep_en)
    sun = _sun_li(database)
    assert (sun.title, sun.stance, sun.influence) == (None, None, "high")


def test_a_typed_title_is_taken_back_with_one_tap_and_a_title_needs_words(rep_en) -> None:
    _at_new_person(rep_en)
    rep_en.say("😀🎉")
    assert "A job title needs words" in rep_en.text
    rep_en.say("Fleet manager")
    rep_en.tap("✅ Fleet manager")
    assert "Job title (type it): —" in rep_en.text
    assert at_step(rep_en) == "profile"


def test_forged_and_repeated_taps_on_the_screen_change_nothing(rep_en) -> None:
    _at_new_person(rep_en)
    version = rep_en.button("Purchaser").value.split(".")[0]
    rep_en.send(Tap(f"{version}.f999"))
    rep_en.send(Tap(f"{version}.f99"))
    assert not any(label.startswith("✅") for label in rep_en.labels)
    purchaser = rep_en.button("Purchaser").value
    rep_en.send(Tap(purchaser))
    rep_en.send(Tap(purchaser))  # the same tap again is an earlier screen's: not a clear
    assert "✅ Purchaser" in rep_en.labels


def test_the_answers_on_the_screen_survive_a_restart(rep_en, make_engine_for) -> None:
    _at_new_person(rep_en)
    rep_en.tap("Purchaser")
    restarted = Chat(make_engine_for(), rep_en.user_id)
    restarted.command("help")  # anything: the flow resumes where it was
    assert "Buying role: Purchaser" in restarted.text


def test_only_what_is_not_on_file_is_asked_of_a_known_person(rep_en, database) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    with Session(database) as session:
        wang = session.exec(select(Contact).where(Contact.name == "Wang Gong")).one()
        wang.stance = None
        session.add(wang)
        session.commit()
    play(rep_en, [("cmd", "prep"), ("tap", "Huadong"), ("tap", "Done")])
    assert at_step(rep_en) == "profile"
    assert "Where they stand on us: —" in rep_en.text
    assert "Buying role" not in rep_en.text and "Job title" not in rep_en.text
    rep_en.tap("Coach")  # the only question: one tap and on
    assert at_step(rep_en) == "objective_best"


def test_a_new_accounts_tier_and_stages_are_one_screen(rep_en, database) -> None:
    play(rep_en, until(PREP_EN, "account_profile"))
    assert "Tier: —" in rep_en.text and "Where the sale is now: —" in rep_en.text
    rep_en.tap("Key prospect")
    rep_en.tap("Done")
    assert at_step(rep_en) == "attendees"
    play(rep_en, [("say", "Sun Li"), ("tap", "Done"), ("tap", "Done")])
    _finish_prep(rep_en)
    with Session(database) as session:
        account = session.exec(select(Account)).one()
    assert (account.tier, account.sales_stage, account.lifecycle_stage) == (
        "prospect",
        None,
        None,
    )


def test_a_new_name_on_an_account_with_people_still_waits_for_a_tap(rep_en) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    play(rep_en, [("cmd", "prep"), ("tap", "Huadong"), ("say", "Sun Li")])
    assert "Add “Sun Li”" in " ".join(rep_en.labels)
    assert "✅ Sun Li" not in rep_en.labels


def test_a_title_like_done_is_a_title_and_taps_survive_going_back(rep_en) -> None:
    _at_new_person(rep_en)
    rep_en.say("Don")  # a title, not a mistyped Done
    assert at_step(rep_en) == "profile"
    assert "Job title (type it): Don" in rep_en.text
    rep_en.tap("Purchaser")
    rep_en.tap("Back")
    assert at_step(rep_en) == "attendees"
    rep_en.tap("Done")
    assert "Buying role: Purchaser" in rep_en.text and "Job title (type it): Don" in rep_en.text
