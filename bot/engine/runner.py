"""Engine.handle: one event of one user, applied in one database transaction.

The user's row is locked for the event, the flow state loaded, the input routed and applied,
the state, transcript and replies saved and committed, and only then are the replies
returned to the channel. A crash before the commit loses nothing that was acknowledged; a
crash after it resumes at the saved step. Buttons carry the state's version, so a stale or
repeated tap is recognised and never applied twice; channel event ids (Telegram update_id)
are recorded so a re-delivered event is ignored outright.

The parts: `router` (what the user meant), `turn` (moving through the flow), `steps/` (what
each kind of step draws and accepts), `cursor` (the layout), `store` (the rows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from bot.clock import utcnow
from bot.domain import Role
from bot.engine.events import Event
from bot.engine.flow import Flow
from bot.engine.output import Reply
from bot.engine.router import Router
from bot.engine.runtime import Runtime
from bot.engine.store import Store
from bot.engine.turn import Turn
from bot.playbooks.loader import Playbooks
from bot.settings import Language, Settings, as_language
from bot.storage.models import User
from bot.text import Texts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queued:
    """What an event produced, and the outbox row that carries it (None when not queued)."""

    outbox_id: int | None
    replies: list[Reply]


class Engine:
    """Runs flows for every channel; holds nothing per user in memory.

    `store` makes the unit of work of one event from a database session: the seam where a
    test puts a power cut.
    """

    def __init__(
        self,
        *,
        flows: Sequence[Flow],
        db: sa.Engine,
        texts: Texts,
        playbooks: Playbooks,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        store: Callable[[Session], Store] = Store,
    ) -> None:
        self.runtime = Runtime(
            flows={flow.id: flow for flow in flows},
            texts=texts,
            playbooks=playbooks,
            settings=settings,
            clock=clock,
        )
        self.flows = self.runtime.flows
        self.db = db
        self.texts = texts
        self.clock = clock
        self.store = store
        # Called (from the worker thread) after a commit that left a notice due now for
        # someone (a comment notification, a reminder row); a channel sets it to send at once.
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
            store = self.store(db)
            user = store.lock_user(user_id)
            if not user.is_active:  # deactivated while a chat was open: nothing more is shown
                log.info("user %s is deactivated: event refused", user_id)
                refused = self.texts.render("access/refused", self.language_of(user))
                return Queued(None, [Reply(refused)])
            if event_id is not None:
                if store.already_applied(user_id=user_id, event_id=event_id):
                    log.info("user %s: event %s already applied", user_id, event_id)
                    return Queued(None, [])
                store.mark_applied(user_id=user_id, event_id=event_id, now=self.clock())
            turn = Turn(self.runtime, store, user)
            Router(turn).dispatch(event)
            turn.save()
            queued = None
            if address is not None and turn.replies:
                queued = store.queue_replies(
                    user_id=user_id,
                    address=address,
                    replies=turn.replies,
                    worker=worker,
                    now=turn.now,
                )
            store.commit()
        if turn.notices and self.on_notice is not None:
            self.on_notice()
        return Queued(queued.id if queued is not None else None, turn.replies)

    def menu_for(self, role: Role) -> list[str]:
        """The flows `role` may start from the menu and the command list, in declared order."""
        return self.runtime.menu_for(role)

    def nav_word(self, text: str) -> str | None:
        """Typed 'back', '返回', 'help', '帮助'... in either language, exactly."""
        return self.runtime.nav_word(text)

    @staticmethod
    def language_of(user: User | None) -> Language:
        """The user's stored language; Chinese unless they chose English."""
        return as_language(user.language if user is not None else None)

    def apology(self, *, user_id: int) -> Reply:
        """What a channel sends when handling failed: the flow is still at its saved step."""
        with Session(self.db) as db:
            user = self.store(db).user(user_id)
            return Reply(self.texts.render("errors/unexpected", self.language_of(user)))

    def resume(self, *, user_id: int) -> list[Reply]:
        """What a user sees on return: their step in progress, or the menu."""
        with Session(self.db, expire_on_commit=False) as db:
            store = self.store(db)
            user = store.user(user_id)
            assert user is not None
            turn = Turn(self.runtime, store, user)
            turn.show_current_or_menu(resumed=True)
            if turn.changed and turn.state is not None:  # the step's list changed meanwhile
                store.save_state(turn.state, now=turn.now)
                store.commit()
            return turn.replies
