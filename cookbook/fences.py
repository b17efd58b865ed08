"""Finding fenced code blocks in Markdown pages, including Material's fence attributes.

Sybil's stock Markdown lexer only accepts a bare info string, so a fence such as
```` ```python title="x.py" hl_lines="2" ```` would be skipped silently. This lexer reads the language and
every attribute, and handles fences indented inside admonitions and content tabs.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")

#: Spellings of Python that a reader might use; only ``python`` is run, the others are errors.
PYTHON_LIKE = frozenset({"python", "py", "py3", "python3", "pycon", "ipython", "ipython3"})


@dataclass(frozen=True)
class Fence:
    """One fenced code block of a Markdown page."""

    #: Offset of the first character of the opening fence line in the page text.
    start: int
    #: Offset just past the closing fence line (or the end of the page if the fence is unclosed).
    end: int
    #: 1-based line number of the opening fence line.
    line: int
    #: The language word of the info string (``python``, ``text``, ...), or ``""``.
    language: str
    #: The ``key="value"`` attributes of the info string.
    attributes: dict[str, str] = field(default_factory=dict)
    #: The code between the fences, with the fence's indentation removed.
    body: str = ""
    #: Offset of the first character of the body in the page text.
    body_start: int = 0
    #: Offset just past the body (the start of the closing fence line).
    body_end: int = 0
    #: The indentation of the fence lines.
    indent: str = ""
    #: True if the page ended before a closing fence.
    unclosed: bool = False

    @property
    def title(self) -> str:
        return self.attributes.get("title", "")


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence's info string into its language and attributes.

    Accepts both ``python title="x"`` and the attribute-list form ``{ .python title="x" }``.

    Raises:
        ValueError: if the info string has unbalanced quotes.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        info = info[1:-1].strip()
    try:
        words = shlex.split(info)
    except ValueError as error:
        raise ValueError(f"cannot read the fence's info string {info!r}: {error}") from None
    language = ""
    attributes: dict[str, str] = {}
    for position, word in enumerate(words):
        if "=" in word:
            key, _, value = word.partition("=")
            attributes[key] = value
        elif position == 0:
            language = word.lstrip(".").lower()
        elif word.startswith("."):
            attributes.setdefault("class", word[1:])
    return language, attributes


def find_fences(text: str) -> list[Fence]:
    """Return every fenced code block of ``text``, in page order.

    Raises:
        TypeError: if ``text`` is not a string (pass the page's text, not its path).
    """
    if not isinstance(text, str):
        raise TypeError(f"find_fences() takes the page's text as a str, got {type(text).__name__}")
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    fences: list[Fence] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index].rstrip("\n"))
        if not opening:
            index += 1
            continue
        indent, marker = opening["indent"], opening["fence"]
        language, attributes = parse_info(opening["info"])
        closing = re.compile(rf"^{re.escape(indent)}{marker[0]}{{{len(marker)},}}[ \t]*$")
        end_index = index + 1
        while end_index < len(lines) and not closing.match(lines[end_index].rstrip("\n")):
            end_index += 1
        unclosed = end_index >= len(lines)
        body_lines = [_dedent(line, indent) for line in lines[index + 1 : end_index]]
        fences.append(
            Fence(
                start=offsets[index],
                end=offsets[min(end_index + 1, len(lines))],
                line=index + 1,
                language=language,
                attributes=attributes,
                body="".join(body_lines),
                body_start=offsets[index + 1] if index + 1 < len(offsets) else offsets[-1],
                body_end=offsets[min(end_index, len(lines))],
                indent=indent,
                unclosed=unclosed,
            )
        )
        index = end_index + 1
    return fences


def _dedent(line: str, indent: str) -> str:
    if line.startswith(indent):
        return line[len(indent) :]
    return line.lstrip(" \t") if not line.strip() else line
