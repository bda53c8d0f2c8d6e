"""What the user meant by an event: a command, a menu entry, a navigation word, a number, an
answer to the current step, or a tap on a button from another screen.

The router decides; the `Turn` acts. Typed words are understood in both languages, whatever
the user's setting.
"""

from __future__ import annotations

import unicodedata

from bot.engine import codes
from bot.engine.events import Command, Event, NonText, Text
from bot.engine.matching import match
from bot.engine.steps.base import Typed
from bot.engine.turn import Turn
from bot.errors import UserError


class Router:
    """Routes one event of one turn."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn

    def dispatch(self, event: Event) -> None:
        turn = self.turn
        if isinstance(event, Command):
            turn.user_line = f"/{event.name} {event.argument}".strip()
            self.command(event.name.lower(), event.argument.strip())
        elif isinstance(event, NonText):
            turn.user_line = f"[{event.kind}]"
            if event.kind == "edited":
                turn.say("errors/edited")
            else:
                kinds = turn.runtime.texts.label_keys(turn.language)
                noun = f"kind_{event.kind}" if f"kind_{event.kind}" in kinds else "kind_attachment"
                turn.say("errors/not_text", kind=turn.label(noun))
            turn.show_current_or_menu()
        elif isinstance(event, Text):
            turn.user_line = event.text
            self.text(event.text)
        else:
            self.tap(event.data)

    def command(self, name: str, argument: str) -> None:
        turn = self.turn
        if name in ("start", "menu"):
            turn.say("menu/welcome", name=turn.user.display_name)
            turn.show_current_or_menu()
        elif name == "help":
            self.help()
        elif name == "cancel":
            turn.cancel()
        elif name in ("back", "skip") and turn.state:
            turn.navigate(name)
        elif name in turn.runtime.flows:
            turn.start_flow(name, argument)
        else:
            turn.say("errors/unknown_command", name=name)
            turn.show_current_or_menu()

    def help(self) -> None:
        turn = self.turn
        in_flow = turn.current() is not None
        commands = [
            (name, turn.label(f"command_{name}"))
            for name in (*turn.runtime.menu_for(turn.user.role), "help", "cancel")
        ]
        turn.say("help/general", in_flow=in_flow, commands=commands)
        turn.show_current_or_menu()

    def text(self, text: str) -> None:
        turn = self.turn
        word = turn.runtime.nav_word(text)
        if word == "help":
            self.help()
            return
        if word == "cancel":
            turn.cancel()
            return
        current = turn.current()
        if current is None:
            self.menu_text(text)
            return
        if word in ("back", "skip"):
            turn.navigate(word)
            return
        view = turn.view(current)
        number = typed_number(text)
        if number is not None and current.step.number_picks(text, view):
            shown = [choice for row in turn.choices(current) for choice in row]
            if not 1 <= number <= len(shown):
                names = current.step.takes_names
                error = UserError("errors/no_choice", number=number, count=len(shown), names=names)
                turn.render(current, error=error)
                return
            turn.tap(current, shown[number - 1].code)
            return
        turn.give(current, Typed(text))

    def menu_text(self, text: str) -> None:
        """Typed at the menu: an entry's number, label or name."""
        turn = self.turn
        entries = turn.runtime.menu_for(turn.user.role)
        number = typed_number(text)
        if number is not None and not 1 <= number <= len(entries):
            turn.say("errors/no_choice", number=number, count=len(entries), names=False)
            turn.menu()
            return
        flow = entries[number - 1] if number is not None else self.menu_word(text, entries)
        if flow:
            turn.start_flow(flow, "")
        else:
            turn.say("errors/no_flow")
            turn.menu()

    def menu_word(self, text: str, entries: list[str]) -> str | None:
        labels = [self.turn.label(f"menu_{flow}") for flow in entries]
        found = match(text, [*labels, *entries])
        return None if found.chosen is None else entries[found.chosen % len(entries)]

    def tap(self, data: str) -> None:
        turn = self.turn
        if codes.is_menu(data) or codes.is_confirmed(data):
            self.menu_tap(data)
            return
        tagged = codes.untag(data)
        current = turn.current()
        fresh = turn.state is not None and tagged.version == str(turn.state.version)
        if current is None or not fresh or not tagged.code:
            turn.user_line = "[button]"
            turn.stale()
            return
        turn.tap(current, tagged.code)

    def menu_tap(self, data: str) -> None:
        """A menu button; confirmed ("Open anyway"), it switches as a typed command would."""
        turn = self.turn
        flow, argument = codes.menu_target(data)
        if codes.is_confirmed(data):
            turn.user_line = f"[{turn.label('open_anyway')}]"
        else:
            labelled = f"menu_{flow}" in turn.runtime.texts.label_keys(turn.language)
            turn.user_line = f"[{turn.label('menu_' + flow) if labelled else data}]"
        if flow not in turn.runtime.flows:
            turn.stale()
        elif codes.is_confirmed(data) and (turn.state is None or turn.switch_asked(data)):
            turn.start_flow(flow, argument)
        else:  # an "Open anyway" about another flow than the one now in progress: ask again
            turn.start_tapped(flow, argument, codes.unconfirmed(data))


def typed_number(text: str) -> int | None:
    """A typed choice number such as '3' or '３', else None."""
    stripped = unicodedata.normalize("NFKC", text).strip()
    return int(stripped) if stripped.isdecimal() else None
