"""A Markdown file's front-matter header: ``key: "value"`` lines between two ``---`` lines.

The values are JSON strings (a subset of YAML), so any title or URL round-trips exactly.

>>> text = render({"title": 'He said "yes"', "date": "2026-11-20"}, "The body.")
>>> parse(text)[0]
{'title': 'He said "yes"', 'date': '2026-11-20'}
>>> text[parse(text)[1]:]
'The body.\\n'
"""

from __future__ import annotations

import json
import re

_HEADER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)\s*", re.DOTALL)
# A key, a colon and the rest of the line (stripped after the match: a lazy value followed by a
# whitespace run made fullmatch quadratic in the run, 77 s for a 150 KB header line).
_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(.*)")
# A line of what a key holds in YAML (Jekyll's, Hugo's, Obsidian's headers): indented, or a list item ("- news").
_NESTED = re.compile(r"[ \t]|-(?:[ \t]|$)")


def parse(text: str) -> tuple[dict[str, str] | None, int]:
    """The header's fields and the offset where the body starts; (None, 0) when ``text`` has no header."""
    match = _HEADER.match(text)
    if not match:
        return None, 0
    fields, keyed = {}, False
    for line in match.group(1).splitlines():
        found = _LINE.fullmatch(line)
        if not found:
            if keyed and _NESTED.match(line):
                continue  # a YAML list or mapping under the key before ("tags:" then "  - news"), as Jekyll writes
            if line.strip() and not line.lstrip().startswith("#"):
                return None, 0  # not a header of ours: read the file as plain text
            continue
        keyed = True
        key, value = found.group(1), found.group(2).lstrip(" \t").rstrip()
        if value.startswith('"'):
            try:
                value = json.loads(value)
            except ValueError:
                return None, 0
        if isinstance(value, str) and value:
            fields[key] = value
    return fields, match.end()


def render(fields: dict[str, str | None], body: str) -> str:
    """``body`` under a header of the non-empty ``fields``, in order."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip() + "\n"
