"""Messages within Telegram's 4096 UTF-16 unit limit: an answer's HTML blocks, measured, cut and packed."""

from __future__ import annotations

import html
import re

from bot.answer import Answer
from bot.messages import say
from bot.render import not_found_text, small_talk_text, to_html

MAX_MESSAGE = 4096      # Telegram's limit, in UTF-16 code units


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


_TAG_OR_TEXT = re.compile(r"(<[^<>]+>)")
_SENTENCE_END = re.compile(r"(?<=\n)|(?<=[.!?…]\s)")
_WORD_END = re.compile(r"(?<=\s)")
_ATOM = re.compile(r"&#?\w+;|.", re.DOTALL)  # an entity is one indivisible character
_EMPTY_TAG = re.compile(r"<([\w-]+)[^<>]*>(\s*)</\1>")
_TAG_ROOM = 256  # room kept in each message for the tags that close and reopen across a split


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` (Telegram HTML) cut into messages of at most ``limit`` UTF-16 units.

    Cuts fall at line or sentence ends (words or characters only for longer runs), never inside a
    tag or an entity; tags open at a cut are closed before it and reopened after it.
    """
    if utf16_len(text) <= limit:
        return [text]
    chunks, current, stack = [], "", []  # stack: (tag name, opening tag) of the tags open at this point

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(stack))

    for piece in _pieces(text, limit - _TAG_ROOM):
        if piece.startswith("<"):
            name = piece.strip("</>").split()[0].lower()
            if piece.startswith("</"):
                stack.pop()
            else:
                stack.append((name, piece))
            current += piece
            continue
        if utf16_len(current + piece + closing()) > limit and _visible(current):
            chunks.append(current.rstrip() + closing())
            current = "".join(tag for _, tag in stack)
        current += piece
    chunks.append(current)
    cleaned = (_EMPTY_TAG.sub(r"\2", chunk).strip() for chunk in chunks)
    return [chunk for chunk in cleaned if _visible(chunk)]


def _pieces(text: str, budget: int):
    """Tags, and runs of text that each fit ``budget``: sentences, else words, else characters."""
    for part in _TAG_OR_TEXT.split(text):
        if part.startswith("<"):
            yield part
            continue
        for sentence in _SENTENCE_END.split(part):
            if utf16_len(sentence) <= budget:
                yield sentence
                continue
            for word in _WORD_END.split(sentence):
                run = ""
                for atom in _ATOM.findall(word):
                    if utf16_len(run) + utf16_len(atom) > budget:
                        yield run
                        run = ""
                    run += atom
                yield run


def _visible(chunk: str) -> bool:
    return bool(_TAG_OR_TEXT.sub("", chunk).strip())


def _filled(pieces: list[str], separator: str, limit: int) -> list[str]:
    """``pieces`` joined by ``separator`` into as few messages as fit; a piece is split only when it alone is too long."""
    messages, current = [], ""
    for piece in pieces:
        for part in split_html(piece, limit):
            joined = f"{current}{separator}{part}" if current else part
            if utf16_len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = part
    if current:
        messages.append(current)
    return messages


def pack(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """HTML ``blocks`` (passages, lists) joined into as few messages as fit; a block is split only when it alone is too long."""
    return _filled(blocks, "\n\n", limit)


def split_lines(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` (Telegram HTML, no tag open across a line end) cut into messages at line ends only, as /sources' list
    is: an article's line whole in one message, not its id at the top of the next; a line too long alone is split."""
    return _filled(text.split("\n"), "\n", limit)


def answer_blocks(answer: Answer, replied: bool = False) -> list[str]:
    """What a chat gets for ``answer``: the cited passage and "Also reported by", or a plain not-found (or the bot's
    reply to small talk: "You're welcome. …"; ``replied``: asked in reply to an answer, "That answer comes from: …")."""
    if answer.small_talk is not None:
        return [html.escape(small_talk_text(answer, replied=replied))]
    if answer.found:
        return to_html(answer)
    return [html.escape(not_found_text(answer)) + "\n" + say("see_sources", answer.language)]
