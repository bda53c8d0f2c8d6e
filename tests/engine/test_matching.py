"""Typed text finds the choice a rep meant, asks when unsure, and never guesses wildly."""

from __future__ import annotations

import pytest

from bot.engine.matching import match, match_name

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


# --- names: taken only when equal, never guessed --------------------------------------------


def test_a_name_is_taken_when_equal_after_folding_case_width_spaces_and_punctuation() -> None:
    assert match_name("wang  WEI", ["Wang Wei"]).equal == 0
    assert match_name("Ｗａｎｇ Ｗｅｉ", ["Wang Wei"]).equal == 0
    assert match_name("Wang-Wei.", ["Wang Wei"]).equal == 0
    assert match_name(" 王 伟 ", ["王伟"]).equal == 0


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("Wang Wei", "Wang Lei"),
        ("ABB China", "ABB"),
        ("ABB", "ABB China"),
        ("王伟", "王磊"),
        ("华东重卡", "华东重卡集团"),
        ("Anna Sun", "Sun Li"),
    ],
)
def test_a_close_name_is_offered_never_taken(typed: str, known: str) -> None:
    found = match_name(typed, [known, "Zhou Hui"])
    assert found.equal is None
    assert found.close == (0,)


def test_pinyin_is_not_the_characters_it_spells() -> None:
    found = match_name("Wang Wei", ["王伟"])
    assert found.equal is None and found.close == ()


def test_two_known_names_that_fold_alike_are_both_offered() -> None:
    found = match_name("li wei", ["Li Wei", "LI WEI", "Sun Li"])
    assert found.equal is None
    assert set(found.close) >= {0, 1}


def test_the_label_matcher_alone_would_have_guessed_wrong() -> None:
    """Why names need their own matcher: labels are matched fuzzily, on purpose."""
    assert match("Wang Wei", ["Wang Lei"]).chosen == 0


def test_symbols_are_part_of_a_name_punctuation_is_not() -> None:
    assert match_name("C++ Corp", ["C Corp"]).equal is None
    assert match_name("A+", ["A"]).equal is None
    assert match_name("Wang\u200bWei", ["Wang Wei"]).equal == 0, "invisible characters go"
