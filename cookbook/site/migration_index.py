"""The migration page's index of every "Changed in Keras 3" callout of the cookbook.

The page that holds ``<!-- cookbook:keras3-changes -->`` gets, in its place, a list of the callouts of every
other page of its language (:func:`cookbook.callouts.find_callouts`), grouped by page in navigation order:
the page's title, then for each callout the recipe it stands in, linked to that recipe's anchor, and the
callout's first sentence. The list is made from the pages at each build, so it cannot drift from them; the
strict build (``validation: anchors``) fails if a generated anchor does not exist.
"""

from __future__ import annotations

import posixpath
import re

from ..callouts import find_callouts
from ..headings import label
from ..page import Page

#: The class of each generated link to a callout's recipe (the site tests count them).
LINK_CLASS = "cookbook-keras3-change"
#: What separates a recipe's link from the callout's first sentence, by page language.
SEPARATOR = {"en": ": ", "zh": "："}
_LINK = re.compile(r"(?<!\!)\]\((?P<target>[^)\s]+)\)")


def _rebase(markdown: str, source_uri: str, index_uri: str) -> str:
    """Relative links of ``markdown``, written in the page at ``source_uri``, as the index page must write them."""

    def rebase(match: re.Match) -> str:
        target = match["target"]
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            return match[0]  # an absolute URL or path
        path, _, anchor = target.partition("#")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source_uri), path)) if path else source_uri
        path = posixpath.relpath(path, posixpath.dirname(index_uri) or ".")
        return f"]({path}{'#' + anchor if anchor else ''})"

    return _LINK.sub(rebase, markdown)


def index_markdown(entries, index_uri: str, language: str = "en") -> str:
    """The list for the page at ``index_uri``: ``entries`` are ``(src_uri, page title, callouts)`` in order."""
    separator = SEPARATOR.get(language, SEPARATOR["en"])
    lines = ['<div class="cookbook-keras3-changes" markdown>', ""]
    for src_uri, title, callouts in entries:
        page_link = posixpath.relpath(src_uri, posixpath.dirname(index_uri) or ".")
        lines.append(f"- **[{label(title)}]({page_link})**")
        for callout in callouts:
            recipe = label(callout.recipe or title)
            target = f"{page_link}#{callout.anchor}" if callout.anchor else page_link
            sentence = _rebase(callout.first_sentence, src_uri, index_uri)
            lines.append(f"    - [{recipe}]({target}){{ .{LINK_CLASS} }}{separator}{sentence}")
    lines += ["", "</div>"]
    return "\n".join(lines)


def callout_entries(pages: list[tuple[str, Page]]) -> list[tuple[str, str, list]]:
    """``(src_uri, title, callouts)`` of each of ``pages`` (``(src_uri, page)`` in order) that has callouts."""
    entries = []
    for src_uri, page in pages:
        callouts = find_callouts(page)
        if callouts:
            entries.append((src_uri, page.title, callouts))
    return entries
