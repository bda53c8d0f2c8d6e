"""/review (managers): a rep, one of their visits, the record, its transcript, a comment.

And the thread flow anyone opens from a comment notification: the record in brief, the
newest comments, and a reply; every comment, in pages, is an aside ("All comments") that
leaves the reply where it is. The steps' helpers are in `reviewing.py`.
"""

from __future__ import annotations

from bot.domain import Role
from bot.engine.flow import Each, Flow, answer_is
from bot.engine.steps.ask import Ask, free_text
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Info, Show
from bot.engine.steps.pick import Pick
from bot.flows.reviewing import (
    COMMENT_PAGES,
    actions,
    after_page,
    comments_context,
    comments_wanted,
    done_context,
    has_comments,
    no_comments,
    open_thread,
    pages,
    people,
    people_pages,
    questions_pages,
    record_context,
    record_more_pages,
    rep_context,
    rep_visits,
    save_comment,
    save_reply,
    thread_context,
    thread_links,
)

REVIEW = Flow(
    id="review",
    roles=(Role.MANAGER, Role.ADMIN),
    steps=(
        Pick("rep", candidates=people, create=False),
        Choose("visit", options=rep_visits, columns=1, getter=rep_context),
        Choose("action", options=actions, columns=3, getter=record_context),
        Each("read", items=record_more_pages, steps=(Info("record_page", next=after_page),)),
        Each("asked", items=questions_pages, steps=(Info("questions_page", next=after_page),)),
        Each("met", items=people_pages, steps=(Info("people_page", next=after_page),)),
        Each("page", items=pages, steps=(Info("transcript_page", next=after_page),)),
        Ask("comment", parse=free_text, when=answer_is("action", "comment")),
        Show("reviewed", on_done=save_comment, getter=done_context),
    ),
)


THREAD = Flow(
    id="thread",
    menu=False,
    start=open_thread,
    steps=(
        Ask(
            "reply",
            parse=free_text,
            optional=True,
            getter=thread_context,
            links=thread_links,
            when=lambda ctx: bool(ctx.get("visit")),
        ),
        Show("replied", on_done=save_reply, getter=lambda ctx: {"sent": bool(ctx.get("reply"))}),
    ),
)


COMMENTS = Flow(
    id="comments",
    menu=False,
    aside=True,
    start=comments_wanted,
    steps=(
        Show("none", when=no_comments),
        Show("comments", when=has_comments, getter=comments_context, paged=COMMENT_PAGES),
    ),
)
