"""The account plan: the seeds' account analysis in the rep's words, one view at a time
(background, economics, relationships and decision process, needs, risks), the account's type
and our position there (which choose the competitive strategy), what it values most, and the
competitors present. Opened from the card ("📝 Account plan") or `/account <id>`; the card
shows it in brief, "What this account needs now" the strategy's actions, the barriers to build
at the account's stages and what its buying orientation asks for.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.engine.events import Tap
from bot.engine.steps.ask import FREE_TEXT_LIMIT
from bot.storage.models import Account, AccountCompetitor, AccountPlanEntry, Team
from tests.engine.chat import Chat, add_user, at_step, every_page, play, tap_link
from tests.engine.scripts import SCRIPTS

WORDS = {
    "en": {
        "plan": "Account plan",
        "background": "Background",
        "type": "Account type",
        "strategic": "Strategic",
        "position": "Our position",
        "challenger": "Challenger",
        "competitors": "Competitors",
        "done": "Done",
        "another": "Another part",
        "needs": "What this account needs now",
        "saved": "Saved.",
    },
    "zh": {
        "plan": "客户计划",
        "background": "客户背景",
        "type": "客户类型",
        "strategic": "战略型",
        "position": "我方地位",
        "challenger": "一般挑战者",
        "competitors": "竞争对手",
        "done": "完成",
        "another": "其他部分",
        "needs": "这个客户现在需要什么",
        "saved": "已保存。",
    },
}


def _tap_exactly(chat: Chat, label: str) -> None:
    """The button whose label is `label` (another may contain it: "Strong challenger")."""
    [button] = [b for b in chat.with_buttons.all_buttons() if b.label == label]
    chat.send(Tap(button.value))


def _card(chat: Chat, language: str) -> str:
    chat.command("accounts")
    chat.tap({"en": "Huadong", "zh": "华东"}[language])
    return chat.text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_rep_fills_the_plan_from_the_card_and_the_card_shows_it_in_brief(
    request, language, database, playbooks
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    words = WORDS[language]
    prep, _ = SCRIPTS[language]
    play(chat, prep)
    assert {"en": "📝 Account plan 0/5", "zh": "📝 客户计划0/5"}[language] in _card(chat, language)
    tap_link(chat, words["plan"])
    assert at_step(chat) == "part"
    chat.tap(words["background"])
    view = next(v for v in playbooks.account_plan.views if v.id == "background")
    assert all(prompt.get(language) in chat.text for prompt in view.prompts), "what to write"
    said = "Two new lines next year; <b>cost</b> & delivery *_[first]_* 😀"
    chat.say(said)
    assert words["saved"] in chat.text and said[:30] in chat.text, "shown as typed, in brief"
    tap_link(chat, words["another"])
    chat.tap(words["type"])
    chat.tap(words["strategic"])
    tap_link(chat, words["another"])
    chat.tap(words["position"])
    _tap_exactly(chat, words["challenger"])
    tap_link(chat, words["another"])
    chat.tap(words["competitors"])
    chat.say("Sany, XCMG")
    chat.tap(words["done"])
    competition = playbooks.competition
    chosen = competition.choose["strategic"]["challenger"]
    strategy = next(s for s in competition.strategies if s.id == chosen)
    card = _card(chat, language)
    assert strategy.name.get(language) in card
    assert {"en": "Sany, XCMG", "zh": "Sany、XCMG"}[language] in card
    with Session(database) as session:
        [entry] = session.exec(select(AccountPlanEntry)).all()
        assert (entry.view_id, entry.text, entry.updated_by_id) == (
            "background",
            said,
            chat.user_id,
        )
        account = session.exec(select(Account)).one()
        assert (account.account_type, account.our_position) == ("strategic", "challenger")
    tap_link(chat, words["needs"])
    needs = every_page(chat, {"en": "More", "zh": "更多"}[language])[0]
    assert strategy.what.get(language) in needs
    assert all(action.get(language) in needs for action in strategy.actions)
    stage_barriers = [b for b in competition.barriers if "stable" in b.account_stages]
    assert stage_barriers and all(b.what.get(language) in needs for b in stage_barriers)


def test_what_the_account_values_most_is_chosen_with_what_each_orientation_means(
    rep_en, database, playbooks
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.command("account", "1")
    rep_en.tap("What they value")
    orientations = playbooks.segments.orientations
    assert all(o.what_matters.en in rep_en.text for o in orientations), "what each one means"
    rep_en.tap(orientations[0].name.en)
    assert f"Values most: {orientations[0].name.en}" in rep_en.text
    rep_en.command("guide", "account:1")
    guide = every_page(rep_en)[0]
    wanted = [p for p in playbooks.segments.propositions if p.id in orientations[0].propositions]
    assert wanted and all(p.promise.en in guide for p in wanted), "the propositions that answer it"
    with Session(database) as session:
        assert session.exec(select(Account.orientation)).one() == orientations[0].id


def test_competitors_are_kept_untick_one_to_drop_it_and_names_are_kept_as_typed(
    rep_en, database
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.command("account", "1")
    rep_en.tap("Competitors")
    rep_en.say("Sany, XCMG")
    rep_en.tap("Done")
    rep_en.command("account", "1")
    rep_en.tap("Competitors")
    rep_en.tap("Sany")  # untick
    rep_en.say("zoomlion")
    rep_en.tap("Done")
    with Session(database) as session:
        names = session.exec(select(AccountCompetitor.name).order_by(AccountCompetitor.id)).all()
    assert names == ["XCMG", "zoomlion"], "never matched to another name, never case-changed"


def test_bad_input_at_a_plan_view_gets_an_answer_and_loses_nothing(rep_en, database) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.command("account", "1")
    rep_en.tap("Background")
    rep_en.say("   ")
    assert at_step(rep_en) == "text"
    rep_en.say("x" * (FREE_TEXT_LIMIT + 1))
    assert at_step(rep_en) == "text" and "That is 4001 characters" in rep_en.text
    rep_en.photo()
    assert at_step(rep_en) == "text"
    rep_en.say("Kept after all that")
    with Session(database) as session:
        assert session.exec(select(AccountPlanEntry.text)).one() == "Kept after all that"


def test_another_teams_account_or_a_forged_one_is_refused_politely(
    rep_en, database, make_engine_for
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    with Session(database) as session:
        team = Team(name="West")
        session.add(team)
        session.flush()
        team_id = team.id
        session.commit()
    outsider = Chat(make_engine_for(), add_user(database, team_id, name="olga", language="en"))
    for argument in ("1", "99", "x", "1:2"):
        outsider.command("account", argument)
        assert "couldn't find that account" in outsider.text.lower() or "account" in outsider.text
    with Session(database) as session:
        assert session.exec(select(AccountPlanEntry)).all() == []


def test_a_restart_in_the_middle_keeps_the_place(rep_en, make_engine_for, database) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.command("account", "1")
    rep_en.tap("Risks")
    restarted = Chat(make_engine_for(), rep_en.user_id)
    restarted.say("The chief engineer may retire next year")
    assert "Saved." in restarted.text
    with Session(database) as session:
        assert session.exec(select(AccountPlanEntry.view_id)).one() == "risks"


def test_a_written_view_may_be_skipped_keeping_its_text_and_a_listed_competitor_is_not_doubled(
    rep_en, database
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.command("account", "1")
    rep_en.tap("Needs")
    assert "Skip" not in " ".join(rep_en.labels), "nothing to keep yet"
    rep_en.say("A pilot before the budget")
    rep_en.command("account", "1")
    rep_en.tap("Needs")
    rep_en.tap("Skip")
    assert "Nothing changed." in rep_en.text
    rep_en.command("account", "1")
    rep_en.tap("Competitors")
    rep_en.say("XCMG")
    rep_en.tap("Done")
    rep_en.command("account", "1")
    rep_en.tap("Competitors")
    rep_en.say("Zoomlion, xcmg")  # one of them listed already: not added twice
    rep_en.tap("Done")
    with Session(database) as session:
        assert session.exec(select(AccountPlanEntry.text)).one() == "A pilot before the budget"
        names = session.exec(select(AccountCompetitor.name).order_by(AccountCompetitor.id))
        assert names.all() == ["XCMG", "Zoomlion"]
