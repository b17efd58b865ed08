"""The "what changed since Keras 2" callouts of a page, for the migration page's index (:mod:`cookbook.site.migration_index`).

A page notes a change since TF 2.15 / Keras 2 in a titled admonition, ``!!! note "Changed in Keras 3"`` (or
``"Coming from TF 2.15 / Keras 2"``; the Chinese pages translate the titles). :func:`find_callouts` finds them
in a :class:`~cookbook.page.Page`, each with the recipe (``##`` heading) it stands in and that heading's
anchor (:attr:`cookbook.page.Page.anchors`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .headings import lines_outside
from .page import Page

#: The callout titles that mark a change since TF 2.15 / Keras 2, by page language.
CALLOUT_TITLES = {
    "en": ("Changed in Keras 3", "Coming from TF 2.15 / Keras 2"),
    "zh": ("Keras 3 的变化", "从 TF 2.15 / Keras 2 迁移"),
}

_ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)[^"\n]*"(?P<title>[^"]*)"[ \t]*$')
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")
_ABBREVIATIONS = ("e.g.", "i.e.", "cf.", "vs.")


@dataclass(frozen=True)
class Callout:
    """One "changed in Keras 3" callout of a page."""

    title: str  #: as written, e.g. ``Changed in Keras 3``
    kind: str  #: the admonition type, e.g. ``note``
    recipe: str | None  #: the ``##`` heading it stands under (its Markdown), ``None`` before the first one
    anchor: str | None  #: that heading's anchor, ``None`` before the first recipe
    text: str  #: its first paragraph, on one line
    line: int  #: 1-based line of the ``!!!`` line

    @property
    def first_sentence(self) -> str:
        return first_sentence(self.text)


def first_sentence(text: str) -> str:
    """The first sentence of a line of Markdown prose: up to the first ``.``, ``!`` or ``?`` followed by a
    space (or a Chinese full stop), not counting those inside inline code or a link's text."""
    brackets = 0
    position = 0
    while position < len(text):
        char = text[position]
        if char == "`":
            run = len(text[position:]) - len(text[position:].lstrip("`"))
            closing = text.find("`" * run, position + run)
            if closing < 0:
                break
            position = closing + run
            continue
        if char == "[":
            brackets += 1
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif not brackets and _SENTENCE_END.match(text, position):
            if not any(text[: position + 1].endswith(word) for word in _ABBREVIATIONS):
                return text[: position + 1].strip()
        position += 1
    return text.strip()


def find_callouts(page: Page) -> list[Callout]:
    """The callouts of ``page`` whose title marks a change since TF 2.15 / Keras 2 (:data:`CALLOUT_TITLES`
    for the page's language), in page order. Admonitions shown inside a fenced block do not count."""
    titles = CALLOUT_TITLES.get(page.language, ())
    lines = list(lines_outside(page.text, page.body_offset, [(fence.start, fence.end) for fence in page.fences]))
    recipe_headings = [heading for heading in page.headings if heading.level == 2]
    found = []
    for index, (_, number, line) in enumerate(lines):
        match = _ADMONITION.match(line)
        if not match or match["title"].strip() not in titles:
            continue
        body_indent = len(match["indent"].expandtabs(4)) + 4
        paragraph: list[str] = []
        previous = number
        for _, body_number, body_line in lines[index + 1 :]:
            inside = body_line.strip() and len(body_line) - len(body_line.lstrip()) >= body_indent
            if body_number != previous + 1 and paragraph:
                break  # a fenced block in the body ends the first paragraph
            previous = body_number
            if not body_line.strip():
                if paragraph:
                    break
                continue
            if not inside:
                break
            paragraph.append(body_line.strip())
        recipe = next((heading for heading in reversed(recipe_headings) if heading.line < number), None)
        found.append(
            Callout(
                title=match["title"].strip(),
                kind=match["kind"],
                recipe=recipe.text if recipe else None,
                anchor=page.anchors[recipe] if recipe else None,
                text=" ".join(paragraph),
                line=number,
            )
        )
    return found
