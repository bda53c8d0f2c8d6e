"""Typed text finds the choice a rep meant, asks when unsure, and never guesses wildly."""

from __future__ import annotations

from bot.engine.matching import match

OUTCOMES_EN = ["Advance", "Continuation", "Order", "No sale"]
OUTCOMES_ZH = ["推进", "继续联系", "签单", "未成交"]


def test_a_typo_still_finds_the_choice() -> None:
    assert match("advnce", OUTCOMES_EN).chosen == 0
    assert match("continuaton", OUTCOMES_EN).chosen == 1


def test_case_punctuation_and_emoji_do_not_matter() -> None:
    assert match("  ORDER!! 😀", OUTCOMES_EN).chosen == 2


def test_chinese_labels_match_exactly_and_by_prefix() -> None:
    assert match("推进", OUTCOMES_ZH).chosen == 0
    assert match("继续", OUTCOMES_ZH).chosen == 1


def test_a_near_tie_returns_the_candidates_instead_of_guessing() -> None:
    found = match("王总", ["王总工", "王总监", "李总"])
    assert found.chosen is None
    assert set(found.candidates) == {0, 1}


def test_nothing_close_returns_nothing() -> None:
    found = match("qqqq", OUTCOMES_EN)
    assert found.chosen is None and found.candidates == ()


def test_one_latin_letter_is_too_little_to_pick_anything() -> None:
    assert match("c", ["Cancel", "Continue"]).chosen is None
    assert match("o", OUTCOMES_EN).chosen is None


def test_empty_text_matches_nothing() -> None:
    assert match("", OUTCOMES_EN).chosen is None
    assert match("   ", []).chosen is None
