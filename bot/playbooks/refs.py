"""Ids one playbook file takes from another, checked while the file is validated.

The loader validates the files that define stages and roles first and hands their ids to the
later files as pydantic's validation context. A reference is then refused where it stands,
with its key path and line, like any other bad value. Without that file's ids (it did not load)
the reference is let through: the broken file is reported on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from bot.playbooks.schema import Id

# What each kind of reference names, and where it is defined: the validator's words.
KINDS = {
    "contact_stages": "a contact stage of relationship.yaml",
    "account_stages": "an account stage of relationship.yaml",
    "sales_stages": "a sales stage of process.yaml",
    "roles": "a buying role of decision_unit.yaml",
}

Known = Mapping[str, tuple[str, ...]]


def known_ids(context: object, kind: str) -> tuple[str, ...] | None:
    """The ids of `kind` in the validation context, or None when that file did not load."""
    if isinstance(context, Mapping):
        ids = context.get(kind)
        if isinstance(ids, tuple):
            return ids
    return None


def _refers_to(kind: str) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        known = known_ids(info.context, kind)
        if known is not None and value not in known:
            raise ValueError(f"expected {KINDS[kind]} ({', '.join(known)})")
        return value

    return check


ContactStageRef = Annotated[Id, AfterValidator(_refers_to("contact_stages"))]
AccountStageRef = Annotated[Id, AfterValidator(_refers_to("account_stages"))]
SalesStageRef = Annotated[Id, AfterValidator(_refers_to("sales_stages"))]
RoleRef = Annotated[Id, AfterValidator(_refers_to("roles"))]
