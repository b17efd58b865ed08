"""The pytest plugin that verifies the pages (registered with ``-p cookbook.plugin`` in ``pyproject.toml``).

``docs/conftest.py`` names the folder of pages; this plugin collects each page with Sybil, as one item per
Python block (run by :mod:`cookbook.runner`, compared by :mod:`cookbook.compare`) and per fence error. A
translated page (``x.zh.md``) is collected as cheap identity checks: each of its blocks must be, byte for
byte, the English page's block that the run verified.

Options: ``--update-outputs``, ``--isolated-recipes``, ``--shuffle-pages=SEED``, ``--unverified-only``,
``--cookbook-report=FILE`` (each English block's outcome as JSON, for ``make matrix``).
All of a session's state lives in one :class:`Verification`, kept in the pytest config's stash.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from sybil import Document, Example, Region, Sybil
from sybil.integration.pytest import SybilFile, SybilItem

from .compare import compare_output
from .outcomes import Outcome
from .page import OUTPUT_TITLE, Block, Page, PageError, PageLibrary, english_twin, language_of
from .results import read_result, write_result
from .report import Outcomes
from .rewrite import rewrite_pages
from .runner import Runner, RunnerError


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


class Verification:
    """One pytest session's verification of the pages: options, pages, the runner and what ran."""

    def __init__(self, config: pytest.Config) -> None:
        self.update = config.getoption("--update-outputs")
        self.isolated = config.getoption("--isolated-recipes")
        self.library = PageLibrary(config.invocation_params.dir)
        # A plugin object with a ``cookbook_runner`` attribute lends its Runner (the harness's own tests share
        # one child Python across their many small sessions); otherwise the session starts its own.
        lent = [
            plugin.cookbook_runner
            for plugin in config.pluginmanager.get_plugins()
            if hasattr(plugin, "cookbook_runner")
        ]
        self.runner: Runner = lent[0] if lent else Runner()
        self.owns_runner = not lent
        self.docs_root: Path | None = None
        #: What each block printed and how it fared, by page and line.
        self.printed: dict[Path, dict[int, str]] = defaultdict(dict)
        #: How each block fared (and, with --cookbook-report, why), by page and line.
        self.outcomes = Outcomes(detailed=config.getoption("--cookbook-report", default=None) is not None)
        #: Examples after which the runner's current page (or recipe) ends, in this session's order.
        self.context_ends: set[int] = set()
        self.report_path: str | None = config.getoption("--cookbook-report", default=None)

    # Collection ---------------------------------------------------------------------------------
    def sybil(self, root: Path) -> Sybil:
        self.docs_root = root
        return Sybil(parsers=[self.regions], patterns=["*.md"], path=str(root))

    def regions(self, document: Document):
        page = self.library.page(document.path, document.text)
        document.page = page
        lines = page.text.splitlines(keepends=True)

        def region_at(line: int, parsed, evaluator, end_line: int | None = None) -> Region:
            start = sum(len(text) for text in lines[: line - 1])
            end = sum(len(text) for text in lines[: (end_line or line)])
            return Region(start, end, parsed, evaluator)

        by_line: dict[int, list[PageError]] = defaultdict(list)
        for error in page.errors:
            by_line[error.line].append(error)
        for line, errors in by_line.items():  # one region a line: Sybil refuses overlapping regions
            problem = f"\n{page.where(line)}: ".join(error.problem for error in errors)
            yield region_at(line, PageError(line, problem), self.evaluate_error)
        if page.language == "en":
            for block in page.blocks:
                end = block.output.end if block.output else block.code.end
                yield Region(block.code.start, end, block, self.evaluate_block)
            return
        english_path = english_twin(page.path)
        if not english_path.is_file():
            yield region_at(1, PageError(1, f"no English page {english_path.name} to translate"), self.evaluate_error)
            return
        english = self.library.page(english_path)
        for index, block in enumerate(page.blocks):
            end = block.output.end if block.output else block.code.end
            yield Region(block.code.start, end, (english, index), self.evaluate_translation)
        if len(english.blocks) > len(page.blocks):
            missing = english.blocks[len(page.blocks)]
            problem = f"the translation ends here, without the Python block at {english.where(missing.line)}"
            yield region_at(len(lines), PageError(len(lines), problem), self.evaluate_error)

    def context(self, block: Block) -> tuple[str | None, str | None] | None:
        """What the runner starts afresh for a block: the page, or (with --isolated-recipes) its recipe, and
        each content tab of a recipe on its own."""
        return (block.recipe, block.tab) if self.isolated and block.recipe is not None else None

    def order(self, items: list[pytest.Item], seed: int | None) -> None:
        """Shuffle whole pages (their blocks keep their order) and note where each run context ends."""
        if seed is not None:
            pages: dict = {}
            others = []
            for item in items:
                (pages.setdefault(item.parent, []) if isinstance(item.parent, SybilFile) else others).append(item)
            order = list(pages)
            random.Random(seed).shuffle(order)
            items[:] = [item for page in order for item in pages[page]] + others
        previous = None
        for item in items:
            key = _context_key(self, item)
            if previous is not None and previous[0] != key:
                self.context_ends.add(id(previous[1].example))
            previous = (key, item) if key is not None else None
        if previous is not None:
            self.context_ends.add(id(previous[1].example))

    # Evaluation ---------------------------------------------------------------------------------
    def evaluate_error(self, example: Example) -> str:
        page: Page = example.document.page
        self.outcomes.note(page, example.parsed.line, Outcome.ERROR, "PageError", example.parsed.problem)
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
        page: Page = example.document.page
        block: Block = example.parsed
        if block.skip_reason is not None:
            self.outcomes.note(page, block.line, Outcome.SKIPPED, message=block.skip_reason)
            pytest.skip(f"{page.where(block.line)}: {block.skip_reason}")
        self.outcomes.mark(page, block.line, Outcome.ERROR)  # until it has run and printed what the page shows
        failure = self._run_and_check(page, block)
        if id(example) in self.context_ends:
            leaks = self.runner.end()
            if leaks:
                if failure is None:
                    self.outcomes.note(page, block.line, Outcome.ERROR, "Leak", "; ".join(leaks))
                failure = (failure + "\n" if failure else "") + (
                    f"{page.where(block.line)}: after this page ran, the Python that runs the pages still differs "
                    f"in: {'; '.join(leaks)}. Undo it in the page, or give the page `fresh_python: true`."
                )
        if failure is None:
            self.outcomes.note(page, block.line, Outcome.PASSED)
        return failure

    def _run_and_check(self, page: Page, block: Block) -> str | None:
        part = f"recipe '{block.recipe}'" + (f", tab '{block.tab}'," if block.tab else "")
        alone = f" ({part} run after only the page's setup block)" if self.isolated and block.recipe else ""
        context = self.context(block)
        if not self.runner.current(page, context):
            try:
                leaks = self.runner.start(page, context)
            except RunnerError as error:
                self.outcomes.note(page, block.line, Outcome.ERROR, "RunnerError", str(error))
                return str(error)
            if leaks:
                self.outcomes.note(page, block.line, Outcome.ERROR, "Leak", "the page that ran before left changes behind")
                return f"{page.where(block.line)}: the page that ran before this one left changes behind: {'; '.join(leaks)}"
            if context is not None:
                for setup in page.runnable:
                    if setup.recipe is None:
                        result = self.runner.run(page, setup)
                        if result.error:
                            self.outcomes.note_error(page, block.line, result, "the page's setup block failed: ")
                            return f"{page.where(block.line)}: the page's setup block failed{alone}:\n{result.error}"
        result = self.runner.run(page, block)
        if result.stopped or result.error:
            self.outcomes.note_error(page, block.line, result)
        if result.stopped:
            return result.error
        if result.error:
            before = f"\nIt printed, before that:\n{result.printed.rstrip()}" if result.printed.strip() else ""
            return f"{page.where(block.line)}: the code raised an exception{alone}:\n{result.error}{before}"
        self.printed[page.path][block.line] = result.printed
        if self.update:
            return None
        failure = check_output(page, block, result.printed)
        self.outcomes.note_output(page, block, result.printed, failure)
        return failure + alone if failure and alone else failure

    # After the run ------------------------------------------------------------------------------
    def record(self, page: Page) -> None:
        """Write the page's result for the site's "verified with" stamp, if every block of it ran."""
        if self.update or self.docs_root is None or page.language != "en":
            return
        counts = self.outcomes.counts(page)
        if counts is not None:
            write_result(
                self.docs_root,
                page.path.relative_to(self.docs_root).as_posix(),
                page.text,
                **counts,
                versions=self.runner.versions,
            )

    def rewrite(self) -> list[Page]:
        """``--update-outputs``: rewrite the output blocks of every page that ran."""
        return rewrite_pages(self.library, self.printed)


_KEY = pytest.StashKey[Verification]()


def _context_key(verification: Verification, item: pytest.Item):
    if not isinstance(item, SybilItem) or not isinstance(item.example.parsed, Block):
        return None
    return (item.parent, verification.context(item.example.parsed))


def page_of(item: pytest.Item) -> Page | None:
    """The page a collected item checks a block of (``None`` for other tests)."""
    return getattr(getattr(getattr(item, "example", None), "document", None), "page", None)


def verification(config: pytest.Config) -> Verification:
    """The session's :class:`Verification` (for tests of the harness)."""
    return config.stash[_KEY]


def collect_pages_below(conftest: str | Path):
    """The ``pytest_collect_file`` hook of a folder of pages: ``docs/conftest.py`` is this one line."""
    root = Path(conftest).resolve().parent
    collectors: dict[int, object] = {}

    def pytest_collect_file(file_path: Path, parent: pytest.Collector):
        session = parent.config.stash.get(_KEY, None)
        if session is None:
            raise pytest.UsageError(
                "the pages need the cookbook's plugin: run pytest with -p cookbook.plugin "
                "(the repository's pyproject.toml does)"
            )
        if id(session) not in collectors:
            collectors[id(session)] = session.sybil(root).pytest()
        return collectors[id(session)](file_path, parent)

    return pytest_collect_file


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cookbook", "verifying the cookbook's pages")
    group.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output blocks of the pages that ran from what their code printed (authors only)",
    )
    group.addoption(
        "--shuffle-pages",
        type=int,
        metavar="SEED",
        help="run the pages in an order shuffled with SEED (a page's blocks keep their order); write the = sign",
    )
    group.addoption(
        "--isolated-recipes",
        action="store_true",
        help="run every ## recipe after only its page's setup block, as a reader who copies one recipe",
    )
    group.addoption(
        "--cookbook-report",
        metavar="FILE",
        help="write each English block's outcome (passed, differs, error, skipped; with the difference or the "
        "exception) to FILE as JSON (what `make matrix` reads)",
    )
    group.addoption(
        "--unverified-only",
        action="store_true",
        help="run only the pages that have no passing result for their current text (what `make build` does)",
    )


def pytest_configure(config: pytest.Config) -> None:
    distribution = config.getoption("dist", default="no")
    if distribution not in ("no", "loadfile", "loadscope") and config.getoption("numprocesses", default=None):
        raise pytest.UsageError(
            f"--dist {distribution} would split a page's blocks across processes; "
            "use `-n 2 --dist loadfile` so that each page runs in one process"
        )
    config.stash[_KEY] = Verification(config)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    verification = config.stash[_KEY]
    if config.getoption("--unverified-only") and verification.docs_root is not None:
        keep, drop = [], []
        for item in items:
            page = page_of(item)
            current = page is not None and (page.language != "en" or _verified(verification, page))
            (drop if current else keep).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    verification.order(items, config.getoption("--shuffle-pages"))


def _verified(verification: Verification, page: Page) -> bool:
    result = read_result(verification.docs_root, page.path.relative_to(verification.docs_root).as_posix(), page.text)
    return result is not None and result.verified


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After a page's last block, end its run and record its result for the site's stamp."""
    if not isinstance(item, SybilItem) or (nextitem is not None and nextitem.parent is item.parent):
        return
    verification = item.config.stash[_KEY]
    page = item.example.document.page
    if verification.runner.page is page:
        verification.runner.end()
    verification.record(page)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    verification = session.config.stash.get(_KEY, None)
    if verification is None:
        return
    if verification.owns_runner:
        verification.runner.close()
    else:
        verification.runner.end()
    if verification.report_path is not None:
        report = Path(verification.report_path)
        report.parent.mkdir(parents=True, exist_ok=True)
        found = verification.outcomes.report(verification.library, verification.docs_root, verification.runner.versions)
        report.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    if verification.update:
        writer = session.config.get_terminal_writer()
        for page in verification.rewrite():
            writer.line(f"updated outputs in {page.shown_as}")


__all__ = ["Outcome", "Verification", "check_output", "collect_pages_below", "verification", "language_of"]
