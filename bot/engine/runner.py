"""Engine.handle: one event of one user, applied in one database transaction.

The user's row is locked for the event (`FOR UPDATE` on PostgreSQL), the flow state is loaded,
the input applied, the state and transcript saved and committed, and only then are the replies
returned to the channel. A crash before the commit loses nothing that was acknowledged; a crash
after it resumes at the saved step. Buttons carry the state's version, so a stale or repeated
tap is recognised and never applied twice; channel event ids (Telegram update_id) are recorded
so a re-delivered event is ignored outright.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, func, select

from bot.clock import utcnow
from bot.domain import FlowStatus, Role, Speaker
from bot.engine.dates import parse_when
from bot.engine.events import Command, Event, NonText, Text
from bot.engine.flow import (
    Ask,
    AskDate,
    Choose,
    ChooseMany,
    Confirm,
    Ctx,
    Each,
    Flow,
    Info,
    Item,
    Option,
    Pick,
    Show,
    Step,
    one_line,
)
from bot.engine.matching import Match, fold, match, match_name, normalise
from bot.engine.output import Attachment, Button, Reply, reply_to_data
from bot.errors import UserError
from bot.playbooks.loader import Playbooks
from bot.settings import Language, Settings
from bot.storage.models import (
    STEP_KEY_LENGTH,
    FlowSession,
    FlowState,
    OutboxMessage,
    ProcessedEvent,
    TranscriptLine,
    User,
)
from bot.text import Texts

log = logging.getLogger(__name__)

NAV = ("back", "skip", "cancel")
YES_NO_WORDS = {  # typed answers to a yes/no step beyond the two button labels
    "yes": ("y", "yes", "yeah", "ok", "是", "是的", "对", "好", "有"),
    "no": ("n", "no", "nope", "否", "不", "不是", "没有", "没"),
}


@dataclass(frozen=True)
class Queued:
    """What an event produced, and the outbox row that carries it (None when not queued)."""

    outbox_id: int | None
    replies: list[Reply]


@dataclass(frozen=True)
class Instance:
    """A step at a place in the flow: top level, or inside one item of an `Each` group."""

    key: str
    step: Step
    item: Item | None = None

    @property
    def prefix(self) -> str:
        """The key prefix of answers in the same item."""
        return self.key[: -len(self.step.id)] if self.item else ""


class Engine:
    """Runs flows for every channel; holds nothing per user in memory."""

    def __init__(
        self,
        *,
        flows: Sequence[Flow],
        db: sa.Engine,
        texts: Texts,
        playbooks: Playbooks,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.flows = {flow.id: flow for flow in flows}
        self.db = db
        self.texts = texts
        self.playbooks = playbooks
        self.settings = settings
        self.clock = clock
        # Called (from the worker thread) after a commit that left messages due now in the
        # outbox, such as a comment notification; a channel sets it to send them at once.
        self.on_notice: Callable[[], None] | None = None

    def handle(self, *, user_id: int, event: Event, event_id: str | None = None) -> list[Reply]:
        """Apply one event and return what to send; a repeated `event_id` returns nothing."""
        return self.handle_queued(user_id=user_id, event=event, event_id=event_id).replies

    def handle_queued(
        self,
        *,
        user_id: int,
        event: Event,
        event_id: str | None = None,
        address: dict[str, Any] | None = None,
        worker: str = "",
    ) -> Queued:
        """Apply one event; with an `address`, its replies go into the outbox in the same commit.

        The outbox row is claimed by `worker`, who sends it right after and marks it delivered
        (`bot.outbox`); if the worker dies first, the row is sent by whoever ticks next.
        """
        with Session(self.db, expire_on_commit=False) as db:
            user = db.exec(select(User).where(User.id == user_id).with_for_update()).one()
            if not user.is_active:  # deactivated while a chat was open: nothing more is shown
                log.info("user %s is deactivated: event refused", user_id)
                language: Language = "en" if user.language == "en" else "zh"
                return Queued(None, [Reply(self.texts.render("access/refused", language))])
            if event_id is not None:
                seen = db.exec(
                    select(ProcessedEvent.id).where(
                        ProcessedEvent.user_id == user_id, ProcessedEvent.event_id == event_id
                    )
                ).first()
                if seen is not None:
                    log.info("user %s: event %s already applied", user_id, event_id)
                    return Queued(None, [])
                db.add(ProcessedEvent(user_id=user_id, event_id=event_id, created_at=self.clock()))
            turn = _Turn(self, db, user)
            turn.dispatch(event)
            turn.save()
            queued = None
            if address is not None and turn.replies:
                queued = OutboxMessage(
                    user_id=user_id,
                    address=address,
                    replies=[reply_to_data(reply) for reply in turn.replies],
                    created_at=turn.now,
                    claimed_by=worker,
                    claimed_at=turn.now,
                )
                db.add(queued)
            db.commit()
        if turn.notices and self.on_notice is not None:
            self.on_notice()
        return Queued(queued.id if queued is not None else None, turn.replies)

    def menu_for(self, role: Role) -> list[str]:
        """The flows `role` may start from the menu and the command list, in declared order."""
        return [flow.id for flow in self.flows.values() if flow.menu and role in flow.roles]

    def nav_word(self, text: str) -> str | None:
        """Typed 'back', '返回', 'help', '帮助'... in either language, exactly."""
        wanted = text.strip().lower().lstrip("/")
        for word in (*NAV, "help"):
            words = {word, *(self.texts.label(word, lang).lower() for lang in ("zh", "en"))}
            if wanted in words:
                return word
        return None

    def apology(self, *, user_id: int) -> Reply:
        """What a channel sends when handling failed: the flow is still at its saved step."""
        with Session(self.db) as db:
            user = db.get(User, user_id)
            language: Language = "en" if user is not None and user.language == "en" else "zh"
        return Reply(self.texts.render("errors/unexpected", language))

    def resume(self, *, user_id: int) -> list[Reply]:
        """What a user sees on return: their step in progress, or the menu."""
        with Session(self.db, expire_on_commit=False) as db:
            user = db.exec(select(User).where(User.id == user_id)).one()
            turn = _Turn(self, db, user)
            turn.show_current_or_menu(resumed=True)
            return turn.replies


class _Turn:
    """The work of one event: state in, replies and transcript out."""

    def __init__(self, engine: Engine, db: Session, user: User) -> None:
        self.engine = engine
        self.db = db
        self.user = user
        self.now = engine.clock()
        self.zone = ZoneInfo(user.timezone or engine.settings.timezone)
        self.state = db.exec(
            select(FlowState).where(FlowState.user_id == user.id).with_for_update()
        ).first()
        self.replies: list[Reply] = []
        self.user_line: str | None = None
        self.session_id: int | None = self.state.session_id if self.state else None
        self.changed = False
        self._layout: list[Instance] | None = None
        self.memo: dict[str, Any] = {}  # per-event facts that no answer can change
        self.outbox: list[Attachment] = []  # files the event's flow produced
        self.notices: list[int] = []  # people with a message due now (see Engine.on_notice)

    @property
    def language(self) -> Language:
        """Read on every render, so /lang answers in the language just chosen."""
        return "en" if self.user.language == "en" else "zh"

    # --- dispatch ------------------------------------------------------------------------------

    def dispatch(self, event: Event) -> None:
        if isinstance(event, Command):
            self.user_line = f"/{event.name} {event.argument}".strip()
            self.on_command(event.name.lower(), event.argument.strip())
        elif isinstance(event, NonText):
            self.user_line = f"[{event.kind}]"
            if event.kind == "edited":
                self.say("errors/edited")
            else:
                kinds = self.engine.texts.label_keys(self.language)
                noun = f"kind_{event.kind}" if f"kind_{event.kind}" in kinds else "kind_attachment"
                self.say("errors/not_text", kind=self.label(noun))
            self.show_current_or_menu()
        elif isinstance(event, Text):
            self.user_line = event.text
            self.on_text(event.text)
        else:
            self.on_tap(event.data)

    def on_command(self, name: str, argument: str) -> None:
        if name in ("start", "menu"):
            self.say("menu/welcome", name=self.user.display_name)
            self.show_current_or_menu()
        elif name == "help":
            self.on_help()
        elif name == "cancel":
            self.cancel()
        elif name in ("back", "skip") and self.state:
            self.on_nav(name)
        elif name in self.engine.flows:
            self.start_flow(name, argument)
        else:
            self.say("errors/unknown_command", name=name)
            self.show_current_or_menu()

    def on_help(self) -> None:
        current = self.current()
        kind = type(current.step).__name__.lower() if current else None
        self.say("help/general", kind=kind)
        self.show_current_or_menu()

    def on_text(self, text: str) -> None:
        word = self.nav_word(text)
        if word == "help":
            self.on_help()
            return
        if word == "cancel":
            self.cancel()
            return
        current = self.current()
        if current is None:
            entries = self.menu_entries()
            number = _number(text)
            if number is not None and not 1 <= number <= len(entries):
                self.say("errors/no_choice", number=number, count=len(entries), names=False)
                self.menu()
                return
            flow = entries[number - 1] if number is not None else self.menu_word(text)
            if flow:
                self.start_flow(flow, "")
            else:
                self.say("errors/no_flow")
                self.menu()
            return
        if word in ("back", "skip"):
            self.on_nav(word)
            return
        self.apply(current, text=text)

    def on_tap(self, data: str) -> None:
        if data.startswith("m."):
            flow, _, argument = data[2:].partition(":")
            known = [entry.id for entry in self.engine.flows.values() if entry.menu]
            self.user_line = f"[{self.label('menu_' + flow) if flow in known else data}]"
            if flow in self.engine.flows:
                self.start_flow(flow, argument)
            else:
                self.stale()
            return
        version, _, code = data.partition(".")
        current = self.current()
        if current is None or not self.state or version != str(self.state.version) or not code:
            self.user_line = "[button]"
            self.stale()
            return
        self.user_line = f"[{self.tapped_label(current, code)}]"
        if code in ("b", "k", "x"):
            self.on_nav({"b": "back", "k": "skip", "x": "cancel"}[code])
            return
        self.apply(current, code=code)

    # --- flow lifecycle ----------------------------------------------------------------------

    def start_flow(self, flow_id: str, argument: str) -> None:
        if self.user.role not in self.engine.flows[flow_id].roles:
            log.info("user %s (%s) refused flow %s", self.user.id, self.user.role, flow_id)
            self.say("errors/not_allowed", command=flow_id)
            self.show_current_or_menu()
            return
        if self.state is not None:
            self.close_session(FlowStatus.CANCELLED)
            self.say("menu/switched")
        session = FlowSession(user_id=self.user.id or 0, flow=flow_id, started_at=self.now)
        self.db.add(session)
        self.db.flush()
        self.session_id = session.id
        self.state = FlowState(
            user_id=self.user.id or 0,
            session_id=session.id,
            flow=flow_id,
            step="",
            data={"answers": {}, "scratch": {}, "history": [], "ui": {}},
            version=0,
            updated_at=self.now,
        )
        self.db.add(self.state)
        self._layout = None
        flow = self.engine.flows[flow_id]
        if flow.start is not None:
            try:
                flow.start(self.ctx(), argument)
            except UserError as error:
                self.say(error.template, **error.context)
            self._layout = None
        self.changed = True
        self.move_to(self.next_instance(after=None))

    def cancel(self) -> None:
        if self.state is None:
            self.say("menu/nothing_to_cancel")
            self.menu()
            return
        self.close_session(FlowStatus.CANCELLED)
        self.say("menu/cancelled")
        self.menu()

    def close_session(self, status: FlowStatus) -> None:
        """End the flow: its session keeps the transcript, the in-progress row goes."""
        if self.state is None:
            return
        session = (
            self.db.get(FlowSession, self.state.session_id) if self.state.session_id else None
        )
        if session is not None:
            session.status = status
            session.finished_at = self.now
            visit_id = self.scratch.get("visit_id")
            if visit_id:
                session.visit_id = int(visit_id)
            self.db.add(session)
        if sa.inspect(self.state).pending:  # a flow that ended in the event it started in
            self.db.expunge(self.state)
        else:
            self.db.delete(self.state)
        self.db.flush()
        self.state = None
        self._layout = None
        self.changed = False

    def move_to(self, instance: Instance | None) -> None:
        """Go to `instance`; past the last step the flow is finished."""
        assert self.state is not None
        if instance is None:
            self.say("menu/done")
            self.close_session(FlowStatus.DONE)
            self.menu()
            return
        if isinstance(instance.step, Show):
            self.finish(instance)
            return
        self.state.step = instance.key
        self.changed = True
        self.render(instance)

    def finish(self, instance: Instance) -> None:
        assert isinstance(instance.step, Show)
        ctx = self.ctx(instance)
        result = instance.step.on_done(ctx) if instance.step.on_done is not None else None
        self.render(instance, extra=result or {})
        self.close_session(FlowStatus.DONE)

    # --- where we are --------------------------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        assert self.state is not None
        return self.state.data

    @property
    def answers(self) -> dict[str, Any]:
        return self.data.setdefault("answers", {}) if self.state else {}

    @property
    def scratch(self) -> dict[str, Any]:
        return self.data.setdefault("scratch", {}) if self.state else {}

    @property
    def ui(self) -> dict[str, Any]:
        ui: dict[str, Any] = self.data.setdefault("ui", {})
        return ui

    def flow(self) -> Flow | None:
        return self.engine.flows.get(self.state.flow) if self.state else None

    def ctx(self, instance: Instance | None = None) -> Ctx:
        return Ctx(
            db=self.db,
            user=self.user,
            language=self.language,
            playbooks=self.engine.playbooks,
            now=self.now,
            zone=self.zone,
            answers=self.answers,
            scratch=self.scratch,
            labels=self.label,
            settings=self.engine.settings,
            texts=self.engine.texts,
            flow_session_id=self.session_id,
            item=instance.item if instance else None,
            prefix=instance.prefix if instance else "",
            memo=self.memo,
            outbox=self.outbox,
            notices=self.notices,
        )

    def instances(self) -> list[Instance]:
        """The flow laid out for the current answers (an `Each` grows with its items).

        Laying out runs the item queries of every `Each`, so it is kept for the rest of the
        event and recomputed only after an answer, a navigation or a flow start changes it.
        """
        if self._layout is None:
            self._layout = self._lay_out()
        return self._layout

    def _lay_out(self) -> list[Instance]:
        flow = self.flow()
        if flow is None:
            return []
        laid_out: list[Instance] = []
        for entry in flow.steps:
            if isinstance(entry, Each):
                for item in entry.items(self.ctx()):
                    for step in entry.steps:
                        laid_out.append(Instance(f"{entry.id}/{item.key}/{step.id}", step, item))
            else:
                laid_out.append(Instance(entry.id, entry))
        for instance in laid_out:
            if len(instance.key) > STEP_KEY_LENGTH:  # item keys are ids, never typed text
                raise ValueError(f"step key over {STEP_KEY_LENGTH} characters: {instance.key!r}")
        return laid_out

    def current(self) -> Instance | None:
        if self.state is None:
            return None
        laid_out = self.instances()
        for instance in laid_out:
            if instance.key == self.state.step:
                return instance
        # The layout changed under us (an edited list): continue at the first unanswered step.
        return next(
            (
                instance
                for instance in laid_out
                if instance.key not in self.answers and self.applies(instance)
            ),
            None,
        )

    def applies(self, instance: Instance) -> bool:
        predicate = instance.step.when
        return predicate is None or bool(predicate(self.ctx(instance)))

    def next_instance(self, *, after: Instance | None) -> Instance | None:
        laid_out = self.instances()
        start = 0
        if after is not None:
            keys = [instance.key for instance in laid_out]
            start = keys.index(after.key) + 1 if after.key in keys else 0
        for instance in laid_out[start:]:
            if self.applies(instance):
                return instance
        return None

    # --- applying input ------------------------------------------------------------------------

    def apply(
        self, instance: Instance, *, text: str | None = None, code: str | None = None
    ) -> None:
        step = instance.step
        try:
            number = self.choice_number(instance, text) if text is not None else None
            if number is not None:
                self.on_number(instance, number)
                return
            handler = {
                Choose: self.apply_choose,
                ChooseMany: self.apply_choose_many,
                Ask: self.apply_ask,
                Pick: self.apply_pick,
                AskDate: self.apply_date,
                Confirm: self.apply_confirm,
                Info: self.apply_info,
            }[type(step)]
            handler(instance, text, code)
        except UserError as error:
            self.render(instance, error=error)

    def choice_number(self, instance: Instance, text: str) -> int | None:
        """A typed number where buttons are the answer (the terminal numbers them), else None.

        A name that is a number ("360", an account) is a name, not a number.
        """
        step = instance.step
        number = _number(text)
        if number is None or not isinstance(step, Choose | ChooseMany | Pick | Confirm):
            return None
        if self.takes_names(step):
            names = [option.typed_as for option in self.options(instance)]
            return number if match_name(text, names).equal is None else None
        return number

    @staticmethod
    def takes_names(step: Step) -> bool:
        return isinstance(step, Pick) or (isinstance(step, ChooseMany) and step.allow_add)

    def on_number(self, instance: Instance, number: int) -> None:
        """The numbered button, in reading order, or a clear word on a number not shown."""
        shown = [button for row in self.buttons(instance) for button in row]
        if not 1 <= number <= len(shown):
            names = self.takes_names(instance.step)
            raise UserError("errors/no_choice", number=number, count=len(shown), names=names)
        self.on_tap(shown[number - 1].value)

    def answer(self, instance: Instance, value: Any) -> None:
        self.answers[instance.key] = value
        self._layout = None
        self.ui.pop(instance.key, None)
        self.data.setdefault("history", []).append(instance.key)
        self.changed = True
        self.move_to(self.next_instance(after=instance))

    def on_nav(self, word: str) -> None:
        current = self.current()
        if current is None or self.state is None:
            self.show_current_or_menu()
            return
        if word == "cancel":
            self.cancel()
        elif word == "skip":
            if current.step.is_optional(self.ctx(current)):
                self.answer(current, None)
            else:
                self.render(current, error=UserError("errors/not_optional"))
        else:
            history = self.data.setdefault("history", [])
            laid_out = {instance.key: instance for instance in self.instances()}
            while history:
                previous = laid_out.get(history.pop())
                if previous is not None and self.applies(previous):
                    self.changed = True
                    self.ui.pop(current.key, None)
                    self.state.step = previous.key
                    self.render(previous)
                    return
            self.render(current, error=UserError("errors/cannot_go_back"))

    def options(self, instance: Instance) -> list[Option]:
        step = instance.step
        assert isinstance(step, Choose | ChooseMany | Pick)
        source = step.candidates if isinstance(step, Pick) else step.options
        return list(source(self.ctx(instance)))

    def apply_choose(self, instance: Instance, text: str | None, code: str | None) -> None:
        options = self.options(instance)
        if code is not None:
            index = _index(code, "o", len(options))
            if index is None:
                self.stale()
                return
            self.answer(instance, options[index].id)
            return
        assert text is not None
        if any(option.name for option in options):  # options that are people: names rule
            named = match_name(text, [option.typed_as for option in options])
            found = Match(named.equal, named.close)
        else:
            found = match(text, [option.label for option in options])
        if found.chosen is not None:
            self.answer(instance, options[found.chosen].id)
        elif found.candidates:
            self.ui[instance.key] = {"only": list(found.candidates)}
            self.changed = True
            self.render(instance, error=UserError("errors/did_you_mean"))
        else:
            self.ui.pop(instance.key, None)
            self.render(instance, error=UserError("errors/not_understood"))

    def selection(self, instance: Instance) -> dict[str, Any]:
        step = instance.step
        assert isinstance(step, ChooseMany)
        saved = self.ui.get(instance.key)
        if saved is None:
            previous = self.answers.get(instance.key)
            if isinstance(previous, dict):
                saved = {"selected": list(previous["selected"]), "added": list(previous["added"])}
            else:
                chosen = step.preselect(self.ctx(instance)) if step.preselect else []
                saved = {"selected": list(chosen), "added": []}
            self.ui[instance.key] = saved
        return saved

    def apply_choose_many(self, instance: Instance, text: str | None, code: str | None) -> None:
        step = instance.step
        assert isinstance(step, ChooseMany)
        options = self.options(instance)
        chosen = self.selection(instance)
        if code == "d" or (text is not None and self.is_done(step, text)):
            count = len(chosen["selected"]) + len(chosen["added"])
            if count < step.min_selected:
                raise UserError("errors/choose_more", minimum=step.min_selected)
            self.answer(instance, {"selected": chosen["selected"], "added": chosen["added"]})
            return
        if code is not None:
            if not self.apply_tick(instance, chosen, code):
                self.stale()
                return
            chosen.pop("offer", None)
            self.changed = True
            self.render(instance, edit=True)
            return
        assert text is not None
        if step.allow_add:
            self.type_name(instance, chosen, text)
            return
        found = match(text, [option.label for option in options])
        if found.chosen is not None:
            self.toggle(chosen, options[found.chosen].id)
        elif found.candidates:
            raise UserError("errors/did_you_mean_many")
        else:
            raise UserError("errors/not_understood")
        self.changed = True
        self.render(instance)

    def apply_tick(self, instance: Instance, chosen: dict[str, Any], code: str) -> bool:
        """A tap on a multi-select: tick, untick a typed name, or settle an offered name."""
        options = self.options(instance)
        offer = chosen.get("offer")
        if code == "n" and offer is not None:
            if offer["name"] not in chosen["added"]:
                chosen["added"].append(offer["name"])
            return True
        if code.startswith("p") and offer is not None:
            index = _index(code, "p", len(offer["close"]))
            ids = {option.id for option in options}
            if index is None or offer["close"][index] not in ids:
                return False
            if offer["close"][index] not in chosen["selected"]:
                chosen["selected"].append(offer["close"][index])
            return True
        if code.startswith("a"):
            index = _index(code, "a", len(chosen["added"]))
            if index is None:
                return False
            chosen["added"].pop(index)
            return True
        index = _index(code, "t", len(options))
        if index is None:
            return False
        self.toggle(chosen, options[index].id)
        return True

    def type_name(self, instance: Instance, chosen: dict[str, Any], text: str) -> None:
        """A typed name ticks the person it equals; anything else waits for a confirming tap."""
        name = _name(text)
        options = self.options(instance)
        found = match_name(name, [option.typed_as for option in options])
        same_name = [option for option in options if fold(option.typed_as) == fold(name)]
        if found.equal is None and not same_name:  # a whole label typed, "Sun Li · Director"
            found = match_name(name, [option.label for option in options])
        self.changed = True
        chosen.pop("offer", None)
        if found.equal is not None:
            self.toggle(chosen, options[found.equal].id)
            self.render(instance)
            return
        if any(fold(added) == fold(name) for added in chosen["added"]):
            self.render(instance)
            return
        close = [options[index].id for index in found.close]
        chosen["offer"] = {"name": name, "close": close}
        template = "errors/name_close" if close else "errors/name_new"
        self.render(instance, error=UserError(template, name=name))

    @staticmethod
    def toggle(chosen: dict[str, Any], option_id: str) -> None:
        if option_id in chosen["selected"]:
            chosen["selected"].remove(option_id)
        else:
            chosen["selected"].append(option_id)

    def apply_ask(self, instance: Instance, text: str | None, code: str | None) -> None:
        step = instance.step
        assert isinstance(step, Ask)
        if code is not None:
            suggestions = list(step.suggestions(self.ctx(instance))) if step.suggestions else []
            index = _index(code, "s", len(suggestions))
            if index is None:
                self.stale()
                return
            text = suggestions[index].label
        assert text is not None
        self.answer(instance, step.parse(text, self.ctx(instance)))

    def apply_pick(self, instance: Instance, text: str | None, code: str | None) -> None:
        step = instance.step
        assert isinstance(step, Pick)
        candidates = self.options(instance)
        by_id = {option.id: option for option in candidates}
        pending = self.ui.get(instance.key, {})
        if code == "n" and step.create and pending.get("new"):
            self.answer(instance, {"new": pending["new"]})
            return
        if code is not None:
            shown = pending.get("shown") or [option.id for option in candidates[: step.shown]]
            index = _index(code, "o", len(shown))
            if index is None or shown[index] not in by_id:
                self.stale()
                return
            self.answer(instance, {"id": shown[index]})
            return
        assert text is not None
        name = _name(text)
        found = match_name(name, [option.typed_as for option in candidates])
        if found.equal is not None:
            self.answer(instance, {"id": candidates[found.equal].id})
            return
        shown_ids = [candidates[index].id for index in found.close]
        self.ui[instance.key] = {"shown": shown_ids, "new": name if step.create else None}
        self.changed = True
        error = "errors/did_you_mean" if shown_ids else "errors/no_match"
        self.render(instance, error=UserError(error, name=name))

    def apply_date(self, instance: Instance, text: str | None, code: str | None) -> None:
        step = instance.step
        assert isinstance(step, AskDate)
        today = self.now.astimezone(self.zone).date()
        if code is not None:
            offsets = {f"d{offset}": offset for offset in step.offsets}
            if code not in offsets:
                self.stale()
                return
            day = today + timedelta(days=offsets[code])
            self.answer(instance, {"day": day.isoformat(), "time": None})
            return
        assert text is not None
        when = parse_when(text, today)
        self.answer(
            instance,
            {"day": when.day.isoformat(), "time": when.at.strftime("%H:%M") if when.at else None},
        )

    def apply_confirm(self, instance: Instance, text: str | None, code: str | None) -> None:
        if code in ("yes", "no"):
            self.answer(instance, code == "yes")
            return
        if code is not None:
            self.stale()
            return
        assert text is not None
        said = normalise(text)
        for value in (True, False):
            key = "yes" if value else "no"
            words = {self.engine.texts.label(key, language) for language in ("zh", "en")}
            if said in {normalise(word) for word in words | set(YES_NO_WORDS[key])}:
                self.answer(instance, value)
                return
        found = match(text, [self.label("yes"), self.label("no")])
        if found.chosen is None:
            raise UserError("errors/yes_or_no")
        self.answer(instance, found.chosen == 0)

    def apply_info(self, instance: Instance, text: str | None, code: str | None) -> None:
        if code not in (None, "c"):
            self.stale()
            return
        self.answer(instance, True)

    # --- words -------------------------------------------------------------------------------

    def label(self, key: str, **context: Any) -> str:
        return self.engine.texts.label(key, self.language, **context)

    def is_done(self, step: ChooseMany, text: str) -> bool:
        """Typed 'done': where names are typed too, only exactly, so a Don is not Done."""
        if not step.allow_add:
            return self.is_label(text, "done")
        labels = [self.engine.texts.label("done", language) for language in ("zh", "en")]
        return fold(text) in {fold(label) for label in labels} | {"done"}

    def is_label(self, text: str, key: str) -> bool:
        labels = [self.engine.texts.label(key, language) for language in ("zh", "en")]
        return match(text, labels).chosen is not None

    def nav_word(self, text: str) -> str | None:
        return self.engine.nav_word(text)

    def menu_word(self, text: str) -> str | None:
        entries = self.menu_entries()
        labels = [self.label(f"menu_{flow}") for flow in entries]
        found = match(text, [*labels, *entries])
        if found.chosen is None:
            return None
        return entries[found.chosen % len(entries)]

    def tapped_label(self, instance: Instance, code: str) -> str:
        for row in self.buttons(instance):
            for button in row:
                if button.value.endswith("." + code):
                    return button.label
        return code

    # --- output --------------------------------------------------------------------------------

    def say(self, key: str, **context: Any) -> None:
        self.replies.append(Reply(self.engine.texts.render(key, self.language, **context)))

    def stale(self) -> None:
        self.say("errors/stale_button")
        self.show_current_or_menu()

    def menu_entries(self) -> list[str]:
        return self.engine.menu_for(self.user.role)

    def menu(self) -> None:
        entries = self.menu_entries()
        buttons = tuple((Button(self.label(f"menu_{flow}"), f"m.{flow}"),) for flow in entries)
        self.replies.append(
            Reply(self.engine.texts.render("menu/main", self.language), buttons=buttons)
        )

    def show_current_or_menu(self, *, resumed: bool = False) -> None:
        current = self.current()
        if current is None:
            self.menu()
            return
        if resumed:
            self.say("menu/resumed")
        self.render(current)

    def render(
        self,
        instance: Instance,
        *,
        error: UserError | None = None,
        edit: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> None:
        flow = self.flow()
        assert flow is not None
        ctx = self.ctx(instance)
        context: dict[str, Any] = {
            "item": instance.item.context if instance.item else {},
            "answer": self.answers.get(instance.key),
        }
        if instance.step.getter is not None:
            context.update(instance.step.getter(ctx))
        context.update(extra or {})
        text = self.engine.texts.render(f"{flow.id}/{instance.step.id}", self.language, **context)
        if error is not None:
            problem = self.engine.texts.render(error.template, self.language, **error.context)
            text = f"{problem}\n\n{text}"
        files = tuple(self.outbox)
        self.outbox.clear()
        step = instance.step
        another = self.label("another_line") if isinstance(step, Ask) and step.lines else ""
        self.replies.append(
            Reply(
                text,
                buttons=self.buttons(instance),
                edit=edit,
                attachments=files,
                another_line=another,
            )
        )

    def buttons(self, instance: Instance) -> tuple[tuple[Button, ...], ...]:
        """The step's choices plus navigation, each value tagged with the state's version.

        After a "did you mean", a choice shows only the close options until it is answered.
        """
        if self.state is None or isinstance(instance.step, Show):
            return ()
        version = self.state.version + (1 if self.changed else 0)
        step = instance.step
        ctx = self.ctx(instance)

        def button(label: str, code: str) -> Button:
            return Button(label[:60], f"{version}.{code}")

        rows: list[tuple[Button, ...]] = []
        if isinstance(step, Choose):
            options = self.options(instance)
            only = self.ui.get(instance.key, {}).get("only")
            indices = only if only is not None else range(len(options))
            chosen = [
                button(options[index].label, f"o{index}")
                for index in indices
                if 0 <= index < len(options)
            ]
            rows += _rows(chosen, step.columns)
        elif isinstance(step, ChooseMany):
            options = self.options(instance)
            selection = self.selection(instance)
            selected = selection["selected"]
            offer = selection.get("offer")
            if offer is not None:
                by_id = {option.id: option for option in options}
                offered = [
                    button("👤 " + by_id[option_id].label, f"p{index}")
                    for index, option_id in enumerate(offer["close"])
                    if option_id in by_id
                ]
                offered.append(button(self.label("add_person", name=offer["name"]), "n"))
                rows += _rows(offered, 1)
            ticks = [
                button(("✅ " if option.id in selected else "▫️ ") + option.label, f"t{index}")
                for index, option in enumerate(options)
            ]
            added = [
                button("✅ " + name, f"a{index}") for index, name in enumerate(selection["added"])
            ]
            rows += _rows(ticks + added, 1)
            rows.append((button(self.label("done"), "d"),))
        elif isinstance(step, Ask) and step.suggestions is not None:
            suggestions = [
                button(option.label, f"s{index}")
                for index, option in enumerate(step.suggestions(ctx))
            ]
            rows += _rows(suggestions, 2)
        elif isinstance(step, Pick):
            candidates = {option.id: option for option in self.options(instance)}
            pending = self.ui.get(instance.key, {})
            shown = pending.get("shown") or list(candidates)[: step.shown]
            rows += _rows(
                [
                    button(candidates[option_id].label, f"o{index}")
                    for index, option_id in enumerate(shown)
                    if option_id in candidates
                ],
                1,
            )
            if step.create and pending.get("new"):
                rows.append((button(self.label("create", name=pending["new"]), "n"),))
        elif isinstance(step, AskDate):
            rows += _rows(
                [button(self.day_label(offset), f"d{offset}") for offset in step.offsets], 3
            )
        elif isinstance(step, Confirm):
            rows.append((button(self.label("yes"), "yes"), button(self.label("no"), "no")))
        elif isinstance(step, Info):
            rows.append((button(self.label("continue"), "c"),))
        nav = []
        if self.data.get("history"):
            nav.append(button(self.label("back"), "b"))
        if step.is_optional(ctx):
            nav.append(button(self.label("skip"), "k"))
        nav.append(button(self.label("cancel"), "x"))
        rows.append(tuple(nav))
        return tuple(rows)

    def day_label(self, offset: int) -> str:
        day = self.now.astimezone(self.zone).date() + timedelta(days=offset)
        if offset in (0, 1):
            return self.label("today" if offset == 0 else "tomorrow")
        return self.label("in_days", days=offset, date=f"{day.month}/{day.day}")

    # --- saving --------------------------------------------------------------------------------

    def save(self) -> None:
        """Bump the version if anything changed, and write the transcript of this event."""
        if self.state is not None and self.changed:
            self.state.version += 1
            self.state.updated_at = self.now
            flag_modified(self.state, "data")  # mutated in place: tell SQLAlchemy to write it
            self.db.add(self.state)
        if self.session_id is None:
            return
        last = self.db.exec(
            select(func.max(TranscriptLine.seq)).where(
                TranscriptLine.session_id == self.session_id
            )
        ).one()
        seq = last or 0
        lines: list[tuple[Speaker, str]] = []
        if self.user_line is not None:
            lines.append((Speaker.USER, self.user_line))
        for reply in self.replies:
            labels = " ".join(f"[{button.label}]" for button in reply.all_buttons())
            lines.append((Speaker.BOT, f"{reply.text}\n{labels}".strip()))
        for speaker, text in lines:
            seq += 1
            self.db.add(
                TranscriptLine(
                    session_id=self.session_id,
                    seq=seq,
                    speaker=speaker,
                    text=text,
                    created_at=self.now,
                )
            )


def _index(code: str, prefix: str, size: int) -> int | None:
    """The index in a button code such as 'o3', or None when it is malformed or out of range."""
    if not code.startswith(prefix) or not code[len(prefix) :].isdecimal():
        return None
    index = int(code[len(prefix) :])
    return index if 0 <= index < size else None


def _number(text: str) -> int | None:
    """A typed choice number such as '3' or '３', else None."""
    stripped = unicodedata.normalize("NFKC", text).strip()
    return int(stripped) if stripped.isdecimal() else None


def _rows(buttons: list[Button], columns: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[start : start + columns]) for start in range(0, len(buttons), columns)]


def _name(text: str) -> str:
    """A person's or an account's name: one line, with at least one letter or digit."""
    name = " ".join(text.split())
    if name and not any(char.isalnum() for char in name):
        raise UserError("errors/not_a_name")
    return one_line(name)
