"""The error index on the site: every exception and warning message that an output block shows, read from the
pages' verified output when the site is built.

The page that holds ``<!-- cookbook:error-index -->`` (``errors.md``, ``errors.zh.md``) gets, in its place, the
messages grouped by exception type, each linked to the recipes whose output shows it. What counts is
:func:`cookbook.messages.parse_line`'s rule (the page states it in prose; keep the two in step):

* a line of an output block on which an exception type stands as a word (``ValueError``,
  ``InvalidArgumentError``, ``UserWarning``: a CamelCase name ending in ``Error``, ``Exception`` or ``Warning``,
  optionally after a dotted module path) followed by ``: message`` (as a traceback prints it) or by a space and
  the message (as ``print(type(error).__name__, error)`` prints it). Whatever comes before the type on the line
  is the page's own label (``fit: ``, ``[2, 3] @ [2, 3] -> ``) and is not part of the message;
* a line that starts with a logging warning, ``WARNING:tensorflow:message`` or ``WARNING:absl:message``, whose
  type is the logger's prefix (``WARNING:tensorflow``);
* a type followed by nothing, or by the page's own words (``InvalidArgumentError when predictions come first``:
  the rest begins with one of :data:`cookbook.messages.DESCRIPTION_WORDS`, in lowercase), is listed as the type alone;
* a message that the recipe's own code raises (its leading words are in the code, as in
  ``raise RuntimeError(f"simulated crash after epoch {epoch}")``) is not TensorFlow's and is left out.

Messages that differ only in names, numbers, shapes, dtypes and addresses (:func:`message_shape`) are one entry,
each variant shown with the recipes that show it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..messages import parse_line
from ..page import Page
from ..translations import UI_TEXT

INDEX_PAGE = "errors.md"
#: The class of the index's container (the site test reads the index through it).
INDEX_CLASS = "cookbook-error-index"

#: The leading characters of a message that must appear in the recipe's code for the message to be the code's own.
_OWN_MESSAGE_PREFIX = re.compile(r"[^{'\"\d]{12,}")

_DTYPES = r"(?:u?int(?:8|16|32|64)?|float(?:16|32|64)?|bfloat16|half|double|complex(?:64|128)|bool|string|str)"
_SHAPE_PARTS = [
    (re.compile(r"0x[0-9a-fA-F]+"), "…"),  # an object's address
    (re.compile(r"'[^'\n]*'|\"[^\"\n]*\""), "'…'"),  # a quoted name or value
    (re.compile(rf"\b{_DTYPES}\b"), "DTYPE"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "N"),
    (re.compile(r"\[[N,\s?]*\]|\((?:[N,\s]|None)*\)"), "SHAPE"),
    (re.compile(r"\b[A-Za-z_]\w*\.(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*\b"), "NAME"),  # a dotted path or file name
    (re.compile(r"\s+"), " "),
]


@dataclass(frozen=True)
class ErrorLine:
    """One exception or warning line of an output block."""

    type: str  #: ``ValueError``, ``WARNING:tensorflow``
    message: str  #: the message as the block shows it, or ``""`` when the block shows the type alone
    page: Page
    recipe: str | None  #: the recipe's ``##`` heading text (``None`` for the setup block)
    #: The versions on which the block printed this line instead of what the page shows ("TensorFlow 2.16"), or
    #: ``""`` for a line the page shows.
    versions: str = ""


def error_lines(page: Page) -> list[ErrorLine]:
    """The exception and warning lines of ``page``'s output blocks, in page order, each once per recipe."""
    found: list[ErrorLine] = []
    for block in page.blocks:
        if block.output is None:
            continue
        code = "\n".join(other.code.body for other in page.blocks if other.recipe == block.recipe)
        for line in block.output.body.splitlines():
            parsed = parse_line(line)
            if parsed is None:
                continue
            type_, message = parsed
            if message and _is_own_message(message, code):
                continue
            entry = ErrorLine(type_, message, page, block.recipe)
            if entry not in found:
                found.append(entry)
    return found


def older_error_lines(page: Page, wordings: dict[int, list[tuple[str, tuple[str, ...]]]]) -> list[ErrorLine]:
    """The exception and warning lines that ``page``'s blocks printed on other versions instead of what the page
    shows (``wordings``: for each block, by line, each wording's versions, as the page words them, and its lines;
    see :func:`cookbook.site.version_matrix.labelled_wordings`), by the same rule; a type without a message is
    left out (the page lists its type already)."""
    found: list[ErrorLine] = []
    blocks = {block.line: block for block in page.blocks}
    for line_number, labelled in wordings.items():
        block = blocks[line_number]
        code = "\n".join(other.code.body for other in page.blocks if other.recipe == block.recipe)
        for versions, lines in labelled:
            for line in lines:
                parsed = parse_line(line)
                if parsed is None or not parsed[1] or _is_own_message(parsed[1], code):
                    continue
                entry = ErrorLine(parsed[0], parsed[1], page, block.recipe, versions)
                if entry not in found:
                    found.append(entry)
    return found


def _is_own_message(message: str, code: str) -> bool:
    leading = _OWN_MESSAGE_PREFIX.match(message)
    return leading is not None and leading[0].strip() in code


def message_shape(message: str) -> str:
    """``message`` with its names, numbers, shapes, dtypes and addresses replaced by placeholders: two messages
    of the same shape are one entry of the index."""
    for pattern, placeholder in _SHAPE_PARTS:
        message = pattern.sub(placeholder, message)
    return message.strip()


def grouped(lines: list[ErrorLine]) -> list[tuple[str, list[list[ErrorLine]]]]:
    """``(type, entries)`` sorted by type (Python's exceptions, then logged warnings); each entry is the lines of
    one message shape, in order of first appearance."""
    by_type: dict[str, dict[str, list[ErrorLine]]] = {}
    for line in lines:
        by_type.setdefault(line.type, {}).setdefault(message_shape(line.message), []).append(line)
    order = sorted(by_type, key=lambda name: (name.startswith("WARNING:"), name.lower()))
    return [(name, list(by_type[name].values())) for name in order]


def code_span(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or runs else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def type_anchor(name: str) -> str:
    return "error-" + re.sub(r"[^\w-]+", "-", name).strip("-").lower()


def index_markdown(
    pages: list[tuple[str, Page]],
    titles: dict[Path, str],
    language: str,
    index_uri: str,
    older: dict[Path, dict[int, list[tuple[str, tuple[str, ...]]]]] | None = None,
) -> str:
    """The index for the page at ``index_uri``: ``pages`` are ``(src_uri, page)`` in navigation order, ``titles``
    their titles in the navigation, by path; ``older``, by page path, the wordings its blocks printed on other
    versions (:func:`older_error_lines`), listed with those versions next to the page's own."""
    words = UI_TEXT[language]
    uris = {page.path: src_uri for src_uri, page in pages}
    older = older or {}
    lines = [
        line
        for _, page in pages
        for line in (*error_lines(page), *older_error_lines(page, older.get(page.path, {})))
    ]
    groups = grouped(lines)
    out = [
        f'<div class="{INDEX_CLASS}" markdown>',
        "",
        f"{words['error_types']} " + " · ".join(f"[`{name}`](#{type_anchor(name)})" for name, _ in groups),
        "",
    ]

    def link(line: ErrorLine) -> str:
        target = posixpath.relpath(uris[line.page.path], posixpath.dirname(index_uri) or ".")
        title = titles.get(line.page.path) or line.page.title
        if line.recipe is None:
            return f"[{title}]({target})"
        heading = next(heading for heading in line.page.recipe_headings if heading.text == line.recipe)
        return f"[{title} › {heading.shown}]({target}#{line.page.anchors[heading]})"

    for name, entries in groups:
        out += [f"## {name} {{ #{type_anchor(name)} }}", ""]
        for entry in entries:
            variants: dict[tuple[str, str], list[ErrorLine]] = {}
            for line in entry:
                variants.setdefault((line.message, line.versions), []).append(line)
            for number, ((message, versions), shown_in) in enumerate(variants.items()):
                shown = code_span(message) if message else f"*{words['error_type_only']}*"
                if versions:
                    shown += words["older_in_index"].format(versions=versions)
                links = words["list_separator"].join(link(line) for line in shown_in)
                item = f"- {shown} — {links}" if number == 0 else f"    - {shown} — {links}"
                out.append(item)
        out.append("")
    return "\n".join([*out, "</div>"])
