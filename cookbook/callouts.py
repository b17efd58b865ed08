"""The "what changed since Keras 2" callouts of a page, for the migration page's index (``hooks/migration_index.py``).

A page notes a change since TF 2.15 / Keras 2 in a titled admonition, ``!!! note "Changed in Keras 3"`` (or
``"Coming from TF 2.15 / Keras 2"``; the Chinese pages translate the titles). :func:`find_callouts` finds them
in a :class:`~cookbook.page.Page`, each with the recipe (``##`` heading) it stands in and that heading's
anchor, computed by Python-Markdown's ``toc`` extension as MkDocs computes it when it builds the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .page import Page

#: The callout titles that mark a change since TF 2.15 / Keras 2, by page language.
CALLOUT_TITLES = {
    "en": ("Changed in Keras 3", "Coming from TF 2.15 / Keras 2"),
    "zh": ("Keras 3 的变化", "从 TF 2.15 / Keras 2 迁移"),
}

_ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)[^"\n]*"(?P<title>[^"]*)"[ \t]*$')
# ATX headings, at the margin or indented by whole levels of 4 spaces (inside an admonition or a tab).
_HEADING = re.compile(r"^(?P<indent>(?: {4})*)(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")
_ABBREVIATIONS = ("e.g.", "i.e.", "cf.", "vs.")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  #: the heading's Markdown, without the ``#`` marks
    anchor: str  #: the ``id`` MkDocs gives it
    line: int


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


def _outside_fences(page: Page):
    """Each line of the page after its front matter that is not inside a fenced block, with its offset and
    1-based line number."""
    fences = [(fence.start, fence.end) for fence in page.fences]
    offset = page.body_offset
    line_number = page.text.count("\n", 0, offset) + 1
    for line in page.text[offset:].splitlines(keepends=True):
        if not any(start <= offset < end for start, end in fences):
            yield offset, line_number, line.rstrip("\n")
        offset += len(line)
        line_number += 1


def headings(page: Page, toc_config: dict | None = None) -> list[Heading]:
    """Every heading of the page in order, with the anchor MkDocs generates for it: Python-Markdown's ``toc``
    extension (configured as in ``mkdocs.yml``, ``toc_config``) renders the headings, slugifies their text
    and numbers repeated or empty slugs (``_1``, ``_2``) exactly as it does for the whole page."""
    import markdown

    found = [
        (number, len(match["hashes"]), match["text"])
        for _, number, line in _outside_fences(page)
        if (match := _HEADING.match(line))
    ]
    if not found:
        return []
    options = {key: value for key, value in (toc_config or {}).items() if key in ("slugify", "separator")}
    md = markdown.Markdown(extensions=["toc", "attr_list"], extension_configs={"toc": options})
    md.convert("\n\n".join(f"{'#' * level} {text}" for _, level, text in found))

    def flat(tokens):
        for token in tokens:
            yield token
            yield from flat(token["children"])

    anchors = [token["id"] for token in flat(md.toc_tokens)]
    if len(anchors) != len(found):
        raise ValueError(f"{page.shown_as}: found {len(found)} headings but Markdown rendered {len(anchors)}")
    return [Heading(level, text, anchor, number) for (number, level, text), anchor in zip(found, anchors, strict=True)]


def page_title(page: Page) -> str:
    """The text of the page's ``# `` heading (its Markdown), or its file name if it has none."""
    return next((heading.text for heading in headings(page) if heading.level == 1), page.path.stem)


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


def find_callouts(page: Page, toc_config: dict | None = None) -> list[Callout]:
    """The callouts of ``page`` whose title marks a change since TF 2.15 / Keras 2 (:data:`CALLOUT_TITLES`
    for the page's language), in page order. Admonitions shown inside a fenced block do not count."""
    titles = CALLOUT_TITLES.get(page.language, ())
    lines = list(_outside_fences(page))
    recipe_headings = [heading for heading in headings(page, toc_config) if heading.level == 2]
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
                anchor=recipe.anchor if recipe else None,
                text=" ".join(paragraph),
                line=number,
            )
        )
    return found
