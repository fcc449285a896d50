"""Secrets (the bot token, the webhook secret) kept out of log records and replies."""

from __future__ import annotations

import logging
import traceback

_HIDDEN: set[str] = set()


def hide_in_logs(*secrets_: str | None) -> None:
    """From now on every log record, traceback included, shows ``secrets_`` as "[hidden]"."""
    if not _HIDDEN:
        make = logging.getLogRecordFactory()

        def factory(*args, **kwargs):
            return _redact_record(make(*args, **kwargs))

        logging.setLogRecordFactory(factory)
    _HIDDEN.update(s for s in secrets_ if s)


def redact(text: str) -> str:
    for secret in _HIDDEN:
        text = text.replace(secret, "[hidden]")
    return text


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken log call is logging's problem, not ours
        return record
    if redact(message) != message:
        record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if redact(text) != text:
            record.exc_text = redact(text)  # formatters print exc_text when it is set
    return record
