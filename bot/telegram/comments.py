"""A channel's discussion group: readers' comments under the channel's posts.

Telegram forwards each post of a channel into its linked discussion group (``is_automatic_forward``), and a comment is
a message in the post's thread (``message_thread_id``, the forwarded post's id) replying to the post, or to another
comment there. A comment to the bot is read with the post as its topic, as a follow-up is read with the question before
it: the post's lead (its first sentences), or, for a post that is a link alone, its link, asked with the comment as a
question with a link is asked. Each post's thread keeps its readers' conversations apart (``bot.telegram.bot._person``).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from telegram import Message

from bot.conversation import says_something
from bot.telegram.access import _LINK, link

# Of a post, what a comment is read with: its first sentences up to this many characters (a headline and a lead). The
# topic goes before the comment's own words in what retrieval reads, so a whole post (4096 characters, a caption 1024)
# pushed the comment out of the model's reach, and made each comment's search read it all.
POST_LEAD_CHARS = 300
POSTS_PER_CHAT = 50  # the posts whose threads a group keeps apart: those commented on last
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")


@dataclass(frozen=True)
class Post:
    """A channel's post in its discussion group, as its comments are read: its lead, else the link it is alone."""

    lead: str
    link: str | None = None


def post_of(message: Message) -> Post | None:
    """The post ``message`` is, when it is a channel's post forwarded into its discussion group; None otherwise. A
    poll's question is its words; a post that says nothing (a sticker, a photo alone, "🔥🔥🔥") has no lead, yet its
    thread is its own: its comments were read with their writers' last questions in the group's General part."""
    if not message.is_automatic_forward:
        return None
    alone = link(message)
    if alone is not None:
        return Post("", alone)
    words = message.text or message.caption or (message.poll.question if message.poll else "")
    told = lead(words)
    return Post(told if says_something(told) else "")


def lead(text: str) -> str:
    """``text``'s first sentences within ``POST_LEAD_CHARS`` characters, its links left out (else its first
    words); one pass over it, however long."""
    text = _LINK.sub(" ", text[:POST_LEAD_CHARS * 4])
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, POST_LEAD_CHARS + 1)]
    cut = text[:ends[-1]] if ends and ends[-1] > POST_LEAD_CHARS // 3 else text[:POST_LEAD_CHARS + 1]
    words = cut.split()
    if len(cut) > POST_LEAD_CHARS and len(words) > 1:  # cut inside a word: it is left out
        words = words[:-1]
    return " ".join(words)[:POST_LEAD_CHARS]


def thread_of(message: Message) -> int | None:
    """The thread of the post that ``message`` replies to, when it replies to a channel's post (a comment on it)."""
    replied = message.reply_to_message
    if replied is not None and replied.is_automatic_forward:
        return message.message_thread_id or replied.message_id
    return None


def note_post(posts: OrderedDict, thread: int, post: Post) -> Post | None:
    """``post`` noted as ``thread``'s, the thread most recently heard of; returns the post it held before, if any."""
    before = posts.pop(thread, None)
    posts[thread] = post
    while len(posts) > POSTS_PER_CHAT:
        posts.popitem(last=False)
    return before
