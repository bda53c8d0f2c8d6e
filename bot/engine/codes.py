"""The button-code protocol, defined once.

A step's button carries `<version>.<code>`: the flow state's version, so a stale or repeated
tap is recognised, and a code the step reads (`o3`: its fourth option). Menu buttons carry
`m.<flow>[:argument]` and are valid whatever the state; tapped on an old message while a flow
is in progress, one is asked about first, and "Open anyway" carries it confirmed,
`m!<flow>[:argument]`. Every code fits Telegram's 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

MENU_PREFIX = "m."
# A menu button the user confirmed ("Open anyway"): as long as the `m.` code it stands for,
# so it fits Telegram's 64 bytes wherever that did.
CONFIRMED_PREFIX = "m!"

# Navigation, read by the engine before a step sees the tap.
BACK = "b"
SKIP = "k"
CANCEL = "x"
NAV = {BACK: "back", SKIP: "skip", CANCEL: "cancel"}

# Codes of the step kinds: a prefix followed by an index, or a word of its own.
OPTION = "o"  # Choose, Pick: the option at that index
TICK = "t"  # ChooseMany: tick or untick the option at that index
ADDED = "a"  # ChooseMany: untick a typed new name
PERSON = "p"  # ChooseMany: the offered close person at that index
NEW = "n"  # ChooseMany, Pick: add or create what was typed
DONE = "d"  # ChooseMany: finished
SUGGESTION = "s"  # Ask: a suggested answer
DAY = "d"  # AskDate: today plus that many days
CONTINUE = "c"  # Info, CheckLabels
LABEL = "l"  # CheckLabels: item and label, one index (item * labels + label)
TYPED = "y"  # Choose, ChooseMany: take back the typed entry at that index (see Beside)
YES = "yes"  # Confirm
NO = "no"  # Confirm
MORE = "more"  # Choose: the next page of a long list


@dataclass(frozen=True)
class Tagged:
    """A step button's data, split."""

    version: str
    code: str


def tag(version: int, code: str) -> str:
    """A step button's data for the state at `version`."""
    return f"{version}.{code}"


def untag(data: str) -> Tagged:
    """The version and the code of a step button (either may be empty when forged)."""
    version, _, code = data.partition(".")
    return Tagged(version, code)


def indexed(prefix: str, index: int) -> str:
    """A code such as 'o3'."""
    return f"{prefix}{index}"


def index_of(code: str, prefix: str, size: int) -> int | None:
    """The index in a code such as 'o3', or None when malformed or out of range."""
    if not code.startswith(prefix) or not code[len(prefix) :].isdecimal():
        return None
    index = int(code[len(prefix) :])
    return index if 0 <= index < size else None


def menu(flow_id: str, argument: str = "") -> str:
    """A menu button: start `flow_id`, with an argument such as a visit id."""
    return f"{MENU_PREFIX}{flow_id}:{argument}" if argument else f"{MENU_PREFIX}{flow_id}"


def is_menu(data: str) -> bool:
    """Menu buttons are valid whatever the flow state."""
    return data.startswith(MENU_PREFIX)


def confirmed(data: str) -> str:
    """The "Open anyway" button for menu button `data`: the same flow and argument, marked as
    asked and answered, and no longer than `data`."""
    return CONFIRMED_PREFIX + data.removeprefix(MENU_PREFIX)


def unconfirmed(data: str) -> str:
    """The menu button an "Open anyway" was asked about."""
    return MENU_PREFIX + data.removeprefix(CONFIRMED_PREFIX) if is_confirmed(data) else data


def is_confirmed(data: str) -> bool:
    """A confirmed menu button starts its flow like a typed command."""
    return data.startswith(CONFIRMED_PREFIX)


def menu_target(data: str) -> tuple[str, str]:
    """The flow and the argument of a menu button, confirmed or not."""
    prefix = CONFIRMED_PREFIX if is_confirmed(data) else MENU_PREFIX
    flow, _, argument = data.removeprefix(prefix).partition(":")
    return flow, argument
