"""A page's headings, found once: where they are, their Markdown, and the anchors MkDocs gives them.

Headings are ATX headings (``## Text``) outside fenced blocks, at the margin or indented by whole levels of
4 spaces (inside an admonition or a content tab). Their anchors are computed by Python-Markdown's own ``toc``
extension, which renders the headings, slugifies their text and numbers repeated or empty slugs (``_1``,
``_2``) exactly as it does for the whole page when MkDocs builds it with the default ``toc`` settings (the
site's plugin refuses a ``slugify`` or ``separator`` of its own, so the two cannot differ).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_HEADING = re.compile(r"^(?P<indent>(?: {4})*)(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")  # a heading's { #id .class }
_LINK_TEXT = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  #: the heading's Markdown, without the ``#`` marks
    line: int  #: 1-based line
    offset: int  #: offset of the heading's line in the page text
    nested: bool = False  #: indented (inside an admonition or a tab): never a recipe's heading

    @property
    def label(self) -> str:
        return label(self.text)

    @property
    def shown(self) -> str:
        """The heading's Markdown without its attribute list."""
        return _ATTRIBUTES.sub("", self.text)


def label(heading: str) -> str:
    """A heading's Markdown as a link's text: without links of its own or an attribute list."""
    return _LINK_TEXT.sub(lambda match: match["text"], _ATTRIBUTES.sub("", heading))


def lines_outside(text: str, start: int, fences: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    """Each line of ``text`` from offset ``start`` that is not inside one of the ``fences`` (start, end), with
    its offset and 1-based line number."""
    fences = list(fences)
    offset = start
    number = text.count("\n", 0, offset) + 1
    for line in text[offset:].splitlines(keepends=True):
        if not any(begin <= offset < end for begin, end in fences):
            yield offset, number, line.rstrip("\n")
        offset += len(line)
        number += 1


def find_headings(text: str, start: int, fences: Iterable[tuple[int, int]]) -> list[Heading]:
    """Every heading of ``text`` after offset ``start`` (the front matter's end) outside ``fences``."""
    return [
        Heading(len(match["hashes"]), match["text"], number, offset, bool(match["indent"]))
        for offset, number, line in lines_outside(text, start, fences)
        if (match := _HEADING.match(line))
    ]


def anchors(headings: list[Heading], where: str = "<page>") -> list[str]:
    """The ``id`` MkDocs gives each of ``headings`` (in page order)."""
    import markdown

    if not headings:
        return []
    converter = markdown.Markdown(extensions=["toc", "attr_list"])
    converter.convert("\n\n".join(f"{'#' * heading.level} {heading.text}" for heading in headings))

    def flat(tokens):
        for token in tokens:
            yield token["id"]
            yield from flat(token["children"])

    found = list(flat(converter.toc_tokens))
    if len(found) != len(headings):
        raise ValueError(f"{where}: found {len(headings)} headings but Markdown rendered {len(found)}")
    return found
