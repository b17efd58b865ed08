"""``--update-outputs``: rewrite a page's output blocks from what its code really printed.

For authors only; CI never runs it. The diff it leaves is for a reviewer to read.
"""

from __future__ import annotations

from pathlib import Path

from .snippets import OUTPUT_TITLE, Snippet, snippets_of


def _indent(text: str, indent: str) -> str:
    return "".join(f"{indent}{line}".rstrip() + "\n" for line in text.splitlines())


def output_block(printed: str, indent: str, fence: str = "```") -> str:
    """The Markdown of an output block showing ``printed``."""
    body = "\n".join(line.rstrip() for line in printed.strip("\n").splitlines())
    return f'{indent}{fence}text title="{OUTPUT_TITLE}"\n{_indent(body, indent)}{indent}{fence}\n'


def rewrite_page(path: str | Path, printed_by_line: dict[int, str]) -> bool:
    """Rewrite the output blocks of the page at ``path``; return True if the file changed.

    ``printed_by_line`` maps the line of each Python fence that ran to what it printed. A fence that
    printed nothing loses its output block; one that printed something gets one.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    edits: list[tuple[int, int, str]] = []
    for snippet in snippets_of(str(path), text):
        if not isinstance(snippet, Snippet) or snippet.code.line not in printed_by_line:
            continue
        printed = printed_by_line[snippet.code.line]
        indent = snippet.code.indent
        # A blank line between the code and its output; the code fence may end the file with no newline.
        gap = "\n" if text[: snippet.code.end].endswith("\n") else "\n\n"
        if snippet.output is not None:
            start = snippet.code.end
            replacement = gap + output_block(printed, indent) if printed.strip() else ""
            edits.append((start, snippet.output.end, replacement))
        elif printed.strip():
            edits.append((snippet.code.end, snippet.code.end, gap + output_block(printed, indent)))
    new_text = text
    for start, end, replacement in sorted(edits, reverse=True):
        new_text = new_text[:start] + replacement + new_text[end:]
    if new_text != text:
        path.write_text(new_text, encoding="utf-8")
        return True
    return False
