"""Templates render safely: user text is escaped and a missing value is an error, not a blank."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bot.text import CATALOG, Texts, plain

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
CATALOGS = {"en": HEADER, "zh": HEADER + 'msgid "Hello"\nmsgstr "你好"\n'}


@pytest.fixture
def texts(tmp_path: Path) -> Texts:
    """One template, its word in a `{% trans %}` block; the Chinese from a catalog."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "greet.j2").write_text(
        "<b>{% trans %}Hello{% endtrans %}</b> {{ name }}\n", encoding="utf-8"
    )
    for language, po in CATALOGS.items():
        (tmp_path / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / "locale" / language / CATALOG).write_text(po, encoding="utf-8")
    return Texts(tmp_path / "templates", catalogs=tmp_path / "locale")


def test_user_text_is_escaped_so_it_cannot_break_telegram_html(texts: Texts) -> None:
    rendered = texts.render("greet", "en", name="<b>王</b> & *_[x]_*")
    assert rendered == "<b>Hello</b> &lt;b&gt;王&lt;/b&gt; &amp; *_[x]_*"


def test_the_language_picks_the_template(texts: Texts) -> None:
    assert texts.render("greet", "zh", name="张伟") == "<b>你好</b> 张伟"


def test_a_missing_value_is_an_error_not_a_blank(texts: Texts) -> None:
    with pytest.raises(jinja2.UndefinedError):
        texts.render("greet", "en")


def test_plain_text_drops_tags_and_restores_characters(texts: Texts) -> None:
    rendered = texts.render("greet", "en", name="<i>A & B</i> 😀")
    assert plain(rendered) == "Hello <i>A & B</i> 😀"
