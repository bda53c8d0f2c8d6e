"""The work of one event on the user's flow: state in, replies and transcript out.

`Turn` moves through the flow (start, answer, back, skip, cancel, finish) and draws the
current step; what the user meant is decided before, by the router, and what each kind of
step does with input is the step's own business (`steps/`).
"""

from __future__ import annotations

import copy
import logging
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import FlowStatus, Speaker
from bot.engine import codes
from bot.engine.context import Ctx
from bot.engine.cursor import Cursor, Instance
from bot.engine.flow import Flow
from bot.engine.output import Attachment, Button, Reply
from bot.engine.runtime import Runtime
from bot.engine.steps.base import (
    PINNED,
    Answer,
    Choice,
    Given,
    Link,
    Redraw,
    Rows,
    Stale,
    Step,
    Tapped,
    View,
)
from bot.engine.store import Store
from bot.errors import UserError
from bot.settings import Language, as_language
from bot.storage.models import FlowState, User
from bot.text import cut

SWITCH_ASKED = "switch_asked"  # the menu code the user was last asked about, mid-flow

log = logging.getLogger(__name__)

LABEL_LIMIT = 60  # characters of a button label; longer ones are cut, with "…"


class Turn:
    """One event of one user, inside the event's transaction."""

    def __init__(self, runtime: Runtime, store: Store, user: User) -> None:
        self.runtime = runtime
        self.store = store
        self.user = user
        self.now = runtime.clock()
        self.zone = ZoneInfo(user.timezone or runtime.settings.timezone)
        self.state: FlowState | None = store.flow_state(user.id or 0)
        self.session_id: int | None = self.state.session_id if self.state else None
        self.replies: list[Reply] = []
        self.user_line: str | None = None
        self.changed = False
        self.noted = False  # data written that leaves the buttons shown valid (no new version)
        self.memo: dict[str, Any] = {}  # per-event facts that no answer can change
        self.attachments: list[Attachment] = []  # files the event's flow produced
        self.notices: list[int] = []  # people with a message due now (see Engine.on_notice)
        self._cursor: Cursor | None = None
        self._views: dict[str, View] = {}

    @property
    def language(self) -> Language:
        """Read on every render, so /lang answers in the language just chosen."""
        return as_language(self.user.language)

    # --- where we are ----------------------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        assert self.state is not None
        return self.state.data

    @property
    def answers(self) -> dict[str, Any]:
        return self.data.setdefault("answers", {}) if self.state else {}

    @property
    def ui(self) -> dict[str, Any]:
        ui: dict[str, Any] = self.data.setdefault("ui", {})
        return ui

    def flow(self) -> Flow | None:
        return self.runtime.flows.get(self.state.flow) if self.state else None

    @property
    def cursor(self) -> Cursor:
        if self._cursor is None:
            flow = self.flow()
            assert flow is not None
            self._cursor = Cursor(flow, self.data, self.ctx)
        return self._cursor

    def current(self) -> Instance | None:
        return self.cursor.at(self.state.step) if self.state else None

    def ctx(self, instance: Instance | None = None) -> Ctx:
        return Ctx(
            db=self.store.db,
            user=self.user,
            language=self.language,
            playbooks=self.runtime.playbooks,
            now=self.now,
            zone=self.zone,
            answers=self.answers,
            labels=self.label,
            settings=self.runtime.settings,
            texts=self.runtime.texts,
            flow_session_id=self.session_id,
            item=instance.item if instance else None,
            prefix=instance.prefix if instance else "",
            memo=self.memo,
            attachments=self.attachments,
            notices=self.notices,
        )

    def view(self, instance: Instance) -> View:
        """The step's view for this event; its options are queried once."""
        if instance.key not in self._views:
            self._views[instance.key] = View(
                ctx=self.ctx(instance),
                ui=self.ui.setdefault(instance.key, {}),
                previous=self.answers.get(instance.key),
                texts=self.runtime.texts,
            )
        return self._views[instance.key]

    def invalidate(self) -> None:
        """Answers or the flow changed: lay out and query options afresh."""
        if self._cursor is not None:
            self._cursor.invalidate()
        self._views.clear()

    # --- the flow's life -------------------------------------------------------------------

    def start_flow(self, flow_id: str, argument: str) -> None:
        flow = self.runtime.flows[flow_id]
        if self.user.role not in flow.roles:
            log.info("user %s (%s) refused flow %s", self.user.id, self.user.role, flow_id)
            self.say("errors/not_allowed", command=flow_id)
            self.show_current_or_menu()
            return
        if flow.aside and self.state is not None:
            self.show_aside(flow, argument)
            return
        if self.state is not None:
            self.close(FlowStatus.CANCELLED)
            self.say("menu/switched")
        self.state = self.store.open_flow(user_id=self.user.id or 0, flow_id=flow_id, now=self.now)
        self.session_id = self.state.session_id
        self._cursor = None
        self.invalidate()
        if flow.start is not None:
            try:
                flow.start(self.ctx(), argument)
            except UserError as error:
                self.say(error.template, **error.context)
            self.invalidate()
        self.changed = True
        self.move_to(self.cursor.first())

    def switch_asked(self, data: str) -> bool:
        """The flow in progress is the one the user was asked about before this "Open anyway"
        (not one opened since, nor the flow that same button opened a moment ago)."""
        return self.state is not None and self.data.get(SWITCH_ASKED) == codes.unconfirmed(data)

    def start_tapped(self, flow_id: str, argument: str, data: str) -> None:
        """A menu button tapped while a flow is in progress is most often on an old message, so
        the flow in progress is not closed on it: the user is asked, and "Open anyway" carries
        the button confirmed. A button of the screen in progress, or an aside, acts at once."""
        current = self.current()
        flow = self.runtime.flows[flow_id]
        if (
            self.state is None
            or current is None
            or flow.aside
            or self.user.role not in flow.roles
            or data in self.screen_menu_codes(current)
        ):
            self.start_flow(flow_id, argument)
            return
        text = self.runtime.texts.render(
            "menu/switch_asked", self.language, current=self.state.flow, target=flow_id
        )
        anyway = Button(self.label("open_anyway"), codes.confirmed(data))
        self.data[SWITCH_ASKED] = data  # "Open anyway" counts only while this flow is open
        self.noted = True
        self.replies.append(Reply(text, buttons=((anyway,),)))
        self.show_current_or_menu()

    def show_aside(self, flow: Flow, argument: str) -> None:
        """A read-only flow (a plan's next page) while another is in progress: its result is
        shown, then the question in progress again; nothing is closed or saved."""
        ctx = replace(self.ctx(), answers={}, memo={})
        try:
            if flow.start is not None:
                flow.start(ctx, argument)
        except UserError as error:
            self.say(error.template, **error.context)
        shown = next(
            (
                step
                for step in flow.steps
                if isinstance(step, Step) and (step.when is None or step.when(ctx))
            ),
            None,
        )
        if shown is not None and shown.ends_flow:
            text, links = self.page(flow, Instance(shown.id, shown), ctx, shown.done(ctx))
            self.replies.append(Reply(text, buttons=link_buttons(links)))
        self.show_current_or_menu()

    def cancel(self) -> None:
        if self.state is None:
            self.say("menu/nothing_to_cancel")
            self.menu()
            return
        self.close(FlowStatus.CANCELLED)
        self.say("menu/cancelled")
        self.menu()

    def close(self, status: FlowStatus) -> None:
        """End the flow: its session keeps the transcript, the in-progress row goes."""
        if self.state is None:
            return
        self.store.close_flow(self.state, status=status, now=self.now)
        self.state = None
        self._cursor = None
        self.invalidate()
        self.changed = False

    def move_to(self, instance: Instance | None) -> None:
        """Go to `instance`; past the last step the flow is finished."""
        assert self.state is not None
        if instance is None:
            self.say("menu/done")
            self.close(FlowStatus.DONE)
            self.menu()
            return
        if instance.step.ends_flow:
            self.finish(instance)
            return
        self.state.step = instance.key
        self.changed = True
        self.render(instance)

    def finish(self, instance: Instance) -> None:
        result = instance.step.done(self.ctx(instance))
        self.render(instance, extra=result or {})
        self.close(FlowStatus.DONE)

    def give(self, instance: Instance, given: Given) -> None:
        """Hand the input to the step and act on its outcome."""
        view = self.view(instance)
        before = copy.deepcopy(view.ui)
        try:
            outcome = instance.step.accept(given, view)
        except UserError as error:
            outcome = Redraw(error)
        if isinstance(outcome, Answer):
            for key, value in outcome.beside.items():
                self.answers[instance.prefix + key] = value
            self.answer(instance, outcome.value)
            return
        if isinstance(outcome, Stale):
            self.stale()
            return
        if view.ui != before:
            self.changed = True
        self.render(instance, error=outcome.error, edit=outcome.edit)

    def answer(self, instance: Instance, value: Any) -> None:
        self.answers[instance.key] = value
        self.ui.pop(instance.key, None)
        self.cursor.answered(instance.key)
        self.invalidate()
        self.changed = True
        self.move_to(self.cursor.after(instance))

    def navigate(self, word: str) -> None:
        """Back, skip or cancel, typed or tapped."""
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
            previous = self.cursor.back()
            if previous is None:
                self.render(current, error=UserError("errors/cannot_go_back"))
                return
            self.changed = True
            self.ui.pop(current.key, None)
            self._views.pop(current.key, None)
            self.state.step = previous.key
            self.render(previous)

    # --- output ----------------------------------------------------------------------------

    def label(self, key: str, **context: Any) -> str:
        return self.runtime.texts.label(key, self.language, **context)

    def say(self, key: str, **context: Any) -> None:
        self.replies.append(Reply(self.runtime.texts.render(key, self.language, **context)))

    def stale(self) -> None:
        self.say("errors/stale_button")
        self.show_current_or_menu()

    def menu(self) -> None:
        buttons = tuple(
            (Button(self.label(f"menu_{flow_id}"), codes.menu(flow_id)),)
            for flow_id in self.runtime.menu_for(self.user.role)
        )
        self.replies.append(
            Reply(self.runtime.texts.render("menu/main", self.language), buttons=buttons)
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
        text, links = self.page(flow, instance, self.ctx(instance), extra)
        if error is not None:
            problem = self.runtime.texts.render(error.template, self.language, **error.context)
            text = f"{problem}\n\n{text}"
        files = tuple(self.attachments)
        self.attachments.clear()
        another = self.label("another_line") if instance.step.several_lines else ""
        own = self.buttons(instance)  # a question's navigation row stays the last
        buttons = own[:-1] + link_buttons(links) + own[-1:] if own else link_buttons(links)
        self.replies.append(
            Reply(
                text,
                buttons=buttons,
                edit=edit,
                attachments=files,
                another_line=another,
            )
        )

    def page(
        self, flow: Flow, instance: Instance, ctx: Ctx, extra: dict[str, Any] | None
    ) -> tuple[str, list[Link]]:
        """A step's text (and, under a result, its links): one path for a question, a flow's
        result and a result shown aside, so the three never drift apart."""
        step = instance.step
        context: dict[str, Any] = {
            "item": instance.item.context if instance.item else {},
            "answer": ctx.answers.get(instance.key),
        }
        if step.getter is not None:
            context.update(step.getter(ctx))
        if self.state is not None and not step.ends_flow:
            context.update(step.screen(self.view(instance)))
            position, count = self.cursor.progress(instance)
            context["progress"] = f"{position}/{count}"
        context.update(extra or {})
        text = self.runtime.texts.render(f"{flow.id}/{step.id}", self.language, **context)
        if not step.ends_flow:
            return text, list(step.links(ctx, context)) if step.links is not None else []
        return step.result_page(ctx, text, context)

    def choices(self, instance: Instance) -> Rows:
        """The step's own buttons and the navigation row, untagged."""
        if self.state is None or instance.step.ends_flow:
            return []
        nav = []
        if self.cursor.history:
            nav.append(codes.BACK)
        if instance.step.is_optional(self.ctx(instance)):
            nav.append(codes.SKIP)
        nav.append(codes.CANCEL)
        own = instance.step.choices(self.view(instance))
        return [*own, tuple(Choice(self.label(codes.NAV[code]), code) for code in nav)]

    def screen_menu_codes(self, instance: Instance) -> set[str]:
        """The menu buttons the step's own screen offers: tapping one is no switch by mistake."""
        return {
            choice.code
            for row in self.choices(instance)
            for choice in row
            if codes.is_menu(choice.code)
        }

    def buttons(self, instance: Instance) -> tuple[tuple[Button, ...], ...]:
        """The choices, each tagged with the version the state will have after this event.

        The option ids the buttons stand for are pinned in the step's screen state; if the list
        changed since it was last drawn, the version moves on, so the old buttons are stale.
        """
        if self.state is not None and not instance.step.ends_flow:
            view = self.view(instance)
            listed = instance.step.listed(view)
            if listed is not None:
                if view.ui.get(PINNED) not in (None, listed):
                    self.changed = True
                view.ui[PINNED] = listed
        version = (self.state.version if self.state else 0) + (1 if self.changed else 0)
        return tuple(
            tuple(Button(fitted(choice.label), tagged(version, choice.code)) for choice in row)
            for row in self.choices(instance)
        )

    def tapped_label(self, instance: Instance, code: str) -> str:
        """What the transcript says was tapped (options are not queried again)."""
        for row in self.choices(instance):
            for choice in row:
                if choice.code == code:
                    return fitted(choice.label)
        return code

    def tap(self, instance: Instance, code: str) -> None:
        """A tap on the current step, version already checked."""
        self.user_line = f"[{self.tapped_label(instance, code)}]"
        if code in codes.NAV:
            self.navigate(codes.NAV[code])
            return
        self.give(instance, Tapped(code))

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Bump the version if anything changed, and write the transcript of this event."""
        if self.state is not None and self.changed:
            for key in [key for key, value in self.ui.items() if not value]:
                del self.ui[key]
            self.store.save_state(self.state, now=self.now)
        elif self.state is not None and self.noted:
            self.store.note_state(self.state, now=self.now)
        if self.session_id is None:
            return
        lines: list[tuple[Speaker, str]] = []
        if self.user_line is not None:
            lines.append((Speaker.USER, self.user_line))
        for reply in self.replies:
            labels = " ".join(f"[{button.label}]" for button in reply.all_buttons())
            lines.append((Speaker.BOT, f"{reply.text}\n{labels}".strip()))
        self.store.append_transcript(session_id=self.session_id, lines=lines, now=self.now)


def link_buttons(links: list[Link]) -> tuple[tuple[Button, ...], ...]:
    """Links under a result, one to a row: menu buttons, valid whatever the state."""
    return tuple(
        (Button(fitted(link.label), codes.menu(link.flow, link.argument)),) for link in links
    )


def tagged(version: int, code: str) -> str:
    """A step button's data; a menu button a step offers stays a menu button."""
    return code if codes.is_menu(code) else codes.tag(version, code)


def fitted(label: str) -> str:
    """A button label of at most LABEL_LIMIT characters; a cut one ends in "…"."""
    return cut(label, LABEL_LIMIT)
