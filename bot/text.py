"""User-facing text: Jinja2 templates per language, rendered with autoescape and strict names.

Templates produce Telegram's HTML subset. Channels without HTML (terminal, CLI) use `plain`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from ruamel.yaml import YAML

from bot.settings import Language
from bot.shipped import shipped_dir

LANGUAGES: tuple[Language, ...] = ("zh", "en")
_TAG = re.compile(r"<[^>]+>")


class Texts:
    """Renders `templates/<lang>/<key>.j2`; a missing variable is an error, never a blank."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or shipped_dir("templates")
        self._env = Environment(
            loader=FileSystemLoader(self.directory),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

        self._labels: dict[str, dict[str, str]] = {}

    def label(self, key: str, language: Language, **context: Any) -> str:
        """A short label (a button, a menu entry) from `templates/<lang>/labels.yaml`."""
        return self._labels_of(language)[key].format(**context)

    def label_keys(self, language: Language) -> set[str]:
        """Every label defined for `language`."""
        return set(self._labels_of(language))

    def _labels_of(self, language: Language) -> dict[str, str]:
        """Read once per language; labels are small and asked for on every reply."""
        if language not in self._labels:
            path = self.directory / language / "labels.yaml"
            loaded = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
            self._labels[language] = {str(name): str(value) for name, value in loaded.items()}
        return self._labels[language]

    def render(self, key: str, language: Language, **context: Any) -> str:
        """The text for `key` in `language`, with surrounding blank lines removed."""
        return self._env.get_template(f"{language}/{key}.j2").render(**context).strip()

    def keys(self, language: Language) -> set[str]:
        """Every template key that exists for `language`."""
        root = self.directory / language
        return {path.relative_to(root).with_suffix("").as_posix() for path in root.rglob("*.j2")}


def plain(text: str) -> str:
    """Telegram HTML to plain text, for the terminal and the command line."""
    return html.unescape(_TAG.sub("", text))
