"""The Sybil integration that runs every Python fence of a page and checks the output shown under it.

Every ```` ```python ```` fence (whatever attributes it carries) runs in page order, in one namespace per
page. What it prints must match the output block shown under it (see :mod:`cookbook.outputs`). Code that
prints with no output block after it fails, and so does an output block whose code printed nothing: a page
never shows output that nothing checks.

With ``--isolated-recipes`` each ``##`` recipe instead starts from a fresh namespace in which only the
page's setup block has run, as for a reader who copies the setup and that one recipe.

A fence titled ``Not run: <reason>`` is shown on the page with that title and reported as skipped.
A fence spelled ``py``, ``python3``, ``pycon`` ... fails: only ``python`` runs, so nothing is skipped
silently.
"""

from __future__ import annotations

import contextlib
import io
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from sybil import Document, Example, Region

from .outputs import compare_output
from .snippets import OUTPUT_TITLE, PageError, Snippet, display_path, snippets_of


@dataclass
class RunSettings:
    """How this pytest session runs pages, and what they printed, block by block."""

    #: ``--update-outputs``: record what was printed instead of checking it.
    update: bool = False
    #: ``--isolated-recipes``: run every recipe after only the page's setup block.
    isolated: bool = False
    #: Called with a page's namespace to reset the process state a page may depend on.
    reset_page: Callable[[dict], None] = lambda namespace: None
    #: What each block printed, by (page path, line).
    printed: dict[tuple[str, int], str] = field(default_factory=dict)
    #: How each block fared, by (page path, line): "passed", "failed" or "skipped".
    outcomes: dict[tuple[str, int], str] = field(default_factory=dict)

    def record(self, snippet: Snippet, text: str) -> None:
        self.printed[(snippet.path, snippet.code.line)] = text


#: The settings of the current pytest session (see :mod:`cookbook.pages`).
settings = RunSettings()


class SnippetError(Exception):
    """A snippet raised: carries what it printed before that and a traceback trimmed to the page's lines."""

    def __init__(self, snippet: Snippet, printed: str, error: BaseException) -> None:
        page_frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == snippet.path]
        lines = [f"  {display_path(f.filename)}:{f.lineno}: {f.line}\n" for f in page_frames]
        lines += traceback.format_exception_only(type(error), error)
        super().__init__("".join(lines))
        self.printed = printed


def run_snippet(snippet: Snippet, namespace: dict) -> str:
    """Execute a snippet in ``namespace`` and return what it printed.

    The code is compiled with the page as its file name and padded so that a traceback names the page's
    own line numbers.

    Raises:
        SnippetError: if the code raised; the message names the page's lines.
    """
    source = "\n" * snippet.code.line + snippet.code.body
    buffer = io.StringIO()
    try:
        code = compile(source, snippet.path, "exec")
        with contextlib.redirect_stdout(buffer):
            exec(code, namespace)
    except Exception as error:
        raise SnippetError(snippet, buffer.getvalue(), error) from error
    return buffer.getvalue()


def start_recipe_alone(snippet: Snippet, namespace: dict) -> None:
    """Empty the namespace and run only the page's setup block in it, as a reader copying one recipe would."""
    settings.reset_page(namespace)
    for setup_snippet in snippet.setup:
        run_snippet(setup_snippet, namespace)


def check_output(snippet: Snippet, printed: str) -> str | None:
    """A failure message if ``printed`` does not match the snippet's output block, else ``None``."""
    if snippet.output is None:
        if printed.strip():
            return (
                f"{snippet.location}: the code printed output but the page shows none.\n"
                f'Add an output block after it (```text title="{OUTPUT_TITLE}"), '
                f"or run `pytest --update-outputs` to write it.\nPrinted:\n{printed}"
            )
        return None
    mismatch = compare_output(snippet.output.body, printed, snippet.rtol, snippet.atol)
    if mismatch is None:
        return None
    output_line = snippet.output.line + max(mismatch.expected_line, 1)
    return (
        f"{display_path(snippet.path)}:{output_line}: output differs from what the code at "
        f"{snippet.location} printed, {mismatch.describe()} "
        f"(rtol={snippet.rtol:g}, atol={snippet.atol:g}).\n"
        f"--- shown on the page\n{snippet.output.body.rstrip()}\n"
        f"--- printed by the code\n{printed.rstrip()}"
    )


def evaluate_snippet(example: Example) -> str | None:
    """Sybil evaluator: run the snippet; return a failure message (Sybil raises it) or ``None``."""
    import pytest

    snippet: Snippet = example.parsed
    key = (snippet.path, snippet.code.line)
    if snippet.skip_reason is not None:
        settings.outcomes[key] = "skipped"
        pytest.skip(f"{snippet.location}: {snippet.skip_reason}")
    settings.outcomes[key] = "failed"  # until it has run and printed what the page shows
    failure = _run_and_check(snippet, example.namespace)
    if failure is None:
        settings.outcomes[key] = "passed"
    return failure


def _run_and_check(snippet: Snippet, namespace: dict) -> str | None:
    alone = ""
    try:
        if settings.isolated and snippet.opens_recipe:
            alone = f" (recipe '{snippet.recipe}' run after only the page's setup block)"
            start_recipe_alone(snippet, namespace)
        printed = run_snippet(snippet, namespace)
    except SnippetError as error:
        before = f"\nIt printed, before that:\n{error.printed.rstrip()}" if error.printed.strip() else ""
        return f"{snippet.location}: the code raised an exception{alone}:\n{error}{before}"
    settings.record(snippet, printed)
    if settings.update:
        return None
    failure = check_output(snippet, printed)
    return failure + alone if failure and settings.isolated else failure


def _fail(error: PageError) -> Callable[[Example], str]:
    def evaluate(example: Example) -> str:
        settings.outcomes[(error.path, error.line)] = "failed"
        return str(error)

    return evaluate


def parse_page(document: Document):
    """Sybil parser: one region per Python fence, spanning its output block too."""
    lines = document.text.splitlines(keepends=True)
    document.namespace["__page__"] = document.path
    for item in snippets_of(document.path, document.text):
        if isinstance(item, PageError):
            # Anchor the failure on the offending line so that pytest names it.
            start = sum(len(line) for line in lines[: item.line - 1])
            yield Region(start, start + len(lines[item.line - 1]), item, _fail(item))
            continue
        end = item.output.end if item.output else item.code.end
        yield Region(item.code.start, end, item, evaluate_snippet)
