"""The errors the program raises on purpose.

    Exception
    ├── UserError    a person gave input we cannot use; carries a template key and its context
    └── ConfigError  the deployment is misconfigured (bad playbook, bad setting); the CLI prints
                     it and exits 2

Only the channel edge and the CLI catch these; everything else lets them rise.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Raised by parsers and flows; the channel renders `template` in the user's language."""

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__(template)
        self.template = template
        self.context = context


class ConfigError(Exception):
    """Raised at start-up; each problem names where it is, so an admin can fix it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
