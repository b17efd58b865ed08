"""Running and checking what the collection found: each English Python block is run by :mod:`cookbook.runner`
and its output compared by :mod:`cookbook.compare`; each block of a translation must be, byte for byte, the
English page's block that the run verified; each fence error fails. How each fared is noted on the page's
:class:`~cookbook.collection.PageDocument`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sybil import Example

from .compare import compare_output
from .outcomes import Outcome
from .page import OUTPUT_TITLE, Block, Page
from .runner import Runner, RunnerError

if TYPE_CHECKING:
    from .collection import PageDocument


def check_output(page: Page, block: Block, printed: str) -> str | None:
    """A failure message if ``printed`` does not match the block's output block, else ``None``."""
    if block.output is None:
        if printed.strip():
            return (
                f"{page.where(block.line)}: the code printed output but the page shows none.\n"
                f'Add an output block after it (```text title="{OUTPUT_TITLE}"), '
                f"or run `pytest --update-outputs` to write it.\nPrinted:\n{printed}"
            )
        return None
    mismatch = compare_output(block.output.body, printed, block.rtol, block.atol)
    if mismatch is None:
        return None
    return (
        f"{page.where(block.output.line + max(mismatch.expected_line, 1))}: output differs from what the code at "
        f"{page.where(block.line)} printed, {mismatch.describe()} (rtol={block.rtol:g}, atol={block.atol:g}).\n"
        f"--- shown on the page\n{block.output.body.rstrip()}\n"
        f"--- printed by the code\n{printed.rstrip()}"
    )


class Evaluation:
    """The evaluators of the session's examples: they run blocks in one :class:`~cookbook.runner.Runner`."""

    def __init__(self, runner: Runner, isolated: bool, update: bool) -> None:
        self.runner = runner
        #: ``--isolated-recipes``: each recipe runs after only its page's setup block.
        self.isolated = isolated
        #: ``--update-outputs``: keep what each block printed, compare nothing.
        self.update = update

    def context(self, block: Block) -> tuple[str | None, str | None] | None:
        """What the runner starts afresh for a block: the page, or (with --isolated-recipes) its recipe, and
        each content tab of a recipe on its own."""
        return (block.recipe, block.tab) if self.isolated and block.recipe is not None else None

    def evaluate_error(self, example: Example) -> str:
        page: Page = example.document.page
        example.document.outcomes.note(example.parsed.line, Outcome.ERROR, "PageError", example.parsed.problem)
        return f"{page.where(example.parsed.line)}: {example.parsed.problem}"

    def evaluate_translation(self, example: Example) -> str | None:
        page: Page = example.document.page
        english, index = example.parsed
        block = page.blocks[index]
        if index >= len(english.blocks):
            return f"{page.where(block.line)}: this Python block is not on the English page {english.shown_as}"
        original = english.blocks[index]
        if block.code.body != original.code.body:
            return (
                f"{page.where(block.line)}: this code differs from {english.where(original.line)}, which the tests run"
            )
        shown = block.output.body if block.output else None
        verified = original.output.body if original.output else None
        if shown != verified:
            line = block.output.line if block.output else block.line
            return (
                f"{page.where(line)}: this output differs from {english.where(original.line)}'s, which the tests verify"
            )
        return None

    def evaluate_block(self, example: Example) -> str | None:
        document = example.document
        page: Page = document.page
        block: Block = example.parsed
        if block.skip_reason is not None:
            document.outcomes.note(block.line, Outcome.SKIPPED, message=block.skip_reason)
            pytest.skip(f"{page.where(block.line)}: {block.skip_reason}")
        document.outcomes.mark(block.line, Outcome.ERROR)  # until it has run and printed what the page shows
        failure = self._run_and_check(document, block)
        if id(example) in document.context_ends:
            leaks = self.runner.end()
            if leaks:
                if failure is None:
                    document.outcomes.note(block.line, Outcome.ERROR, "Leak", "; ".join(leaks))
                failure = (failure + "\n" if failure else "") + (
                    f"{page.where(block.line)}: after this page ran, the Python that runs the pages still differs "
                    f"in: {'; '.join(leaks)}. Undo it in the page, or give the page `fresh_python: true`."
                )
        if failure is None:
            document.outcomes.note(block.line, Outcome.PASSED)
        return failure

    def _run_and_check(self, document: PageDocument, block: Block) -> str | None:
        page: Page = document.page
        outcomes = document.outcomes
        part = f"recipe '{block.recipe}'" + (f", tab '{block.tab}'," if block.tab else "")
        alone = f" ({part} run after only the page's setup block)" if self.isolated and block.recipe else ""
        context = self.context(block)
        if not self.runner.current(page, context):
            try:
                leaks = self.runner.start(page, context)
            except RunnerError as error:
                outcomes.note(block.line, Outcome.ERROR, "RunnerError", str(error))
                return str(error)
            if leaks:
                outcomes.note(block.line, Outcome.ERROR, "Leak", "the page that ran before left changes behind")
                return f"{page.where(block.line)}: the page that ran before this one left changes behind: {'; '.join(leaks)}"
            if context is not None:
                for setup in page.runnable:
                    if setup.recipe is None:
                        result = self.runner.run(page, setup)
                        if result.error:
                            outcomes.note_error(block.line, result, "the page's setup block failed: ")
                            return f"{page.where(block.line)}: the page's setup block failed{alone}:\n{result.error}"
        result = self.runner.run(page, block)
        if result.stopped or result.error:
            outcomes.note_error(block.line, result)
        if result.stopped:
            return result.error
        if result.error:
            before = f"\nIt printed, before that:\n{result.printed.rstrip()}" if result.printed.strip() else ""
            return f"{page.where(block.line)}: the code raised an exception{alone}:\n{result.error}{before}"
        document.printed[block.line] = result.printed
        if self.update:
            return None
        failure = check_output(page, block, result.printed)
        outcomes.note_output(block, result.printed, failure)
        return failure + alone if failure and alone else failure


__all__ = ["Evaluation", "check_output"]
