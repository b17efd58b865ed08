"""``--update-outputs``: rewrite a page's output blocks from what its code really printed.

For authors only; CI never runs it. An output block that still matches what its code printed is kept as it
is (its ``...`` and its last digits from another machine stay); one that does not is rewritten; code that
prints with no output block gets one; an output block under code that prints nothing is removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .compare import compare_output
from .page import OUTPUT_TITLE, Page

if TYPE_CHECKING:
    from .collection import PageDocument


def output_block(printed: str, indent: str, fence: str = "```", opening: str | None = None) -> str:
    """The Markdown of an output block showing ``printed``; ``opening`` keeps an existing block's first line
    (its tolerances and other attributes)."""
    body = "".join(f"{indent}{line}".rstrip() + "\n" for line in printed.strip("\n").splitlines())
    opening = opening or f'{indent}{fence}text title="{OUTPUT_TITLE}"'
    return f"{opening}\n{body}{indent}{fence}\n"


def rewritten_text(page: Page, printed_by_line: dict[int, str]) -> str:
    """The page's text with its output blocks rewritten from ``printed_by_line`` (block line to text)."""
    text = page.text
    edits: list[tuple[int, int, str]] = []
    for block in page.blocks:
        if block.line not in printed_by_line:
            continue
        printed = printed_by_line[block.line]
        # A blank line between the code and its output; the code fence may end the file with no newline.
        gap = "\n" if text[: block.code.end].endswith("\n") else "\n\n"
        if block.output is not None:
            if printed.strip() and compare_output(block.output.body, printed, block.rtol, block.atol) is None:
                continue
            opening = page.text[block.output.start : page.text.index("\n", block.output.start)]
            replacement = gap + output_block(printed, block.code.indent, opening=opening) if printed.strip() else ""
            edits.append((block.code.end, block.output.end, replacement))
        elif printed.strip():
            edits.append((block.code.end, block.code.end, gap + output_block(printed, block.code.indent)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def rewrite_page(page: Page, printed_by_line: dict[int, str]) -> bool:
    """Rewrite the page's file from ``printed_by_line``; return True if it changed."""
    text = rewritten_text(page, printed_by_line)
    if text == page.text:
        return False
    page.path.write_text(text, encoding="utf-8")
    return True


def rewrite_pages(documents: Iterable[PageDocument]) -> list[Page]:
    """Rewrite the output blocks of every page whose blocks printed in the session (each document keeps what
    its blocks printed, by line); the pages that changed."""
    # A page collected twice (by two conftest files) has two documents: it is written once.
    printed: dict[Path, tuple[Page, dict[int, str]]] = {}
    for document in documents:
        if document.printed:
            printed.setdefault(document.page.path, (document.page, {}))[1].update(document.printed)
    return [page for page, by_line in (printed[path] for path in sorted(printed)) if rewrite_page(page, by_line)]
