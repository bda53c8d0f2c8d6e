"""User-facing text: one template tree, words from a gettext catalog per language.

Templates (`templates/<flow>/<step>.j2`) hold the layout once; their words sit in
`{% trans %}` blocks (`jinja2.ext.i18n`), looked up in `locale/<lang>/LC_MESSAGES/messages.po`,
which Babel keeps (see README, "Text and translation"). English is the source language: the
msgids are the English words, so the English catalog may leave a msgstr empty and the msgid
shows. Short labels and the words people type are catalog entries too, under the contexts
`label:<key>` and `words:<key>`, declared in `templates/labels.j2` and `templates/words.j2`.

Templates produce Telegram's HTML subset. Channels without HTML (terminal, CLI) use `plain`.
"""

from __future__ import annotations

import gettext
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bot.settings import Language
from bot.shipped import shipped_dir

LANGUAGES: tuple[Language, ...] = ("zh", "en")
CATALOG = "LC_MESSAGES/messages.po"
LABEL = "label:"
WORDS = "words:"
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class _Language:
    """What one language needs: an environment with its translations, its labels, its words."""

    environment: Environment
    labels: dict[str, str]
    words: dict[str, tuple[str, ...]]


class Texts:
    """Renders `templates/<key>.j2` in a language; a missing value is an error, never a blank."""

    def __init__(self, directory: Path | None = None, *, catalogs: Path | None = None) -> None:
        self.directory = directory or shipped_dir("templates")
        self.catalogs = catalogs or shipped_dir("locale")
        self._languages: dict[str, _Language] = {}

    def render(self, key: str, language: Language, **context: Any) -> str:
        """The text for `key` in `language`, with surrounding blank lines removed."""
        environment = self._language(language).environment
        return environment.get_template(f"{key}.j2").render(**context).strip()

    def keys(self, language: Language) -> set[str]:
        """Every template key; the tree is shared, so every language has the same keys."""
        root = self.directory
        return {
            path.relative_to(root).with_suffix("").as_posix()
            for path in root.rglob("*.j2")
            if len(path.relative_to(root).parts) > 1  # labels.j2, words.j2: catalog sources
        }

    def label(self, key: str, language: Language, **context: Any) -> str:
        """A short label (a button, a menu entry): catalog context `label:<key>`, %-formatted."""
        return self._language(language).labels[key] % context

    def label_keys(self, language: Language) -> set[str]:
        """Every label defined for `language`."""
        return set(self._language(language).labels)

    def words(self, key: str, language: Language) -> tuple[str, ...]:
        """Words a person may type for `key` (catalog context `words:<key>`, split at "|")."""
        return self._language(language).words[key]

    def _language(self, language: str) -> _Language:
        """Read a language's catalog on first use: start-up pays for one language, not all."""
        if language not in self._languages:
            self._languages[language] = self._load(language)
        return self._languages[language]

    def _load(self, language: str) -> _Language:
        # Babel is imported here, not at the top, so importing this module stays cheap.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with (self.catalogs / language / CATALOG).open("rb") as file:
            catalog = read_po(file)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # leaves out fuzzy and empty entries: the msgid shows
        compiled.seek(0)
        translations = gettext.GNUTranslations(compiled)

        environment = Environment(
            loader=FileSystemLoader(self.directory),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        environment.globals["language"] = language

        def render(key: str, **context: Any) -> Markup:
            """Another template inside this one, with its own context (`cli/config_error`)."""
            return rendered(environment.get_template(f"{key}.j2").render(**context).strip())

        environment.globals["render"] = render

        labels: dict[str, str] = {}
        words: dict[str, tuple[str, ...]] = {}
        for message in catalog:
            context = message.context or ""
            if not context.startswith((LABEL, WORDS)) or not isinstance(message.id, str):
                continue
            text = translations.pgettext(context, message.id)
            if context.startswith(LABEL):
                labels[context.removeprefix(LABEL)] = text
            else:
                found = tuple(word.strip() for word in text.split("|") if word.strip())
                words[context.removeprefix(WORDS)] = found
        return _Language(environment, labels, words)


def rendered(text: str) -> Markup:
    """Text a template rendered (escaped already), to be shown inside another as it is."""
    return Markup(text)  # noqa: S704  # autoescaped already: mark it, do not escape twice


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters; one that was cut ends in "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str) -> str:
    """Telegram HTML to plain text, for the terminal and the command line."""
    return html.unescape(_TAG.sub("", text))
