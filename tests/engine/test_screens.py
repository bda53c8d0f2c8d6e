"""What a rep reads on each screen is laid out as lines, in both languages."""

from __future__ import annotations

import pytest

from tests.engine.test_names import _at_attendees

PERSON = {
    "en": ("Sun Li", "Known: Decision maker · High · Stranger"),
    "zh": ("孙总监", "已知：决策者 · 高 · 陌生"),
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_persons_name_and_what_is_known_of_them_are_separate_lines(
    request, database, language
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    _at_attendees(chat, database, language)
    name, known = PERSON[language]
    chat.tap(name)
    chat.tap("Done" if language == "en" else "完成")
    assert f"{name}\n{known}\n" in chat.text
    assert f"{name}{known}" not in chat.text
