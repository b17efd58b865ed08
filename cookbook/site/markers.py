"""The one grammar of generated content: a page asks for it with an HTML comment on a line of its own,

    <!-- cookbook:NAME -->            e.g. <!-- cookbook:api-index -->
    <!-- cookbook:NAME ARGUMENT -->   e.g. <!-- cookbook:matrix-failures 2.16 -->

and :func:`replacements` says what replaces each with what the handler registered for ``NAME`` returns (Markdown). A marker
whose name has no handler is an error, so a misspelt marker fails the strict build instead of vanishing.
Markers shown inside a fenced block are text, as MkDocs shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mkdocs.exceptions import PluginError

MARKER = re.compile(r"<!-- cookbook:(?P<name>[\w-]+)(?: (?P<argument>[^\s>]+))? -->")

Handler = Callable[[str | None], str]


def replacements(
    markdown: str, handlers: dict[str, Handler], fences: list[tuple[int, int]], where: str
) -> list[tuple[int, int, str]]:
    """``(start, end, text)``: what each marker of ``markdown`` outside ``fences`` (start, end offsets) becomes."""
    found = []
    for match in MARKER.finditer(markdown):
        if any(start <= match.start() < end for start, end in fences):
            continue
        handler = handlers.get(match["name"])
        if handler is None:
            raise PluginError(f"{where}: no generated content is called {match['name']!r} ({match[0]})")
        found.append((match.start(), match.end(), handler(match["argument"])))
    return found


def expand(markdown: str, handlers: dict[str, Handler], where: str = "<page>") -> str:
    """``markdown`` with its markers replaced (a text with no fences around a marker)."""
    out, at = [], 0
    for start, end, text in replacements(markdown, handlers, [], where):
        out += [markdown[at:start], text]
        at = end
    return "".join([*out, markdown[at:]])
