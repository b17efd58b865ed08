"""The pytest plugin that verifies the pages (registered with ``-p cookbook.plugin`` in ``pyproject.toml``).

``docs/conftest.py`` names the folder of pages; this plugin collects them with Sybil
(:mod:`cookbook.collection`: one item per Python block of an English page, per block of a translation, and
per fence error), and evaluates each item (:mod:`cookbook.evaluation`). What the session finds about a page
is kept on its document; after the run, the stamps, ``--cookbook-report`` (:mod:`cookbook.report`) and
``--update-outputs`` (:mod:`cookbook.rewrite`) go through the session's documents.

Options: ``--update-outputs``, ``--isolated-recipes``, ``--shuffle-pages=SEED``, ``--unverified-only``,
``--cookbook-report=FILE`` (each English block's outcome as JSON, for ``make matrix``).
A session's objects live in one :class:`Verification`, kept in the pytest config's stash.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil.integration.pytest import SybilItem
from sybil.sybil import SybilCollection

from .collection import Collection, PageDocument
from .evaluation import Evaluation, check_output
from .outcomes import Outcome
from .page import Page, PageLibrary, language_of
from .report import write_report
from .results import read_result, write_result
from .rewrite import rewrite_pages
from .runner import Runner


class Verification:
    """One pytest session's verification of the pages: its options, pages, runner, evaluation and collection."""

    def __init__(self, config: pytest.Config) -> None:
        self.update = config.getoption("--update-outputs")
        self.report_path: str | None = config.getoption("--cookbook-report", default=None)
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
        self.evaluation = Evaluation(self.runner, config.getoption("--isolated-recipes"), self.update)
        self.collection = Collection(self.library, self.evaluation, detailed=self.report_path is not None)

    @property
    def docs_root(self) -> Path | None:
        return self.collection.docs_root

    def sybils(self, root: Path) -> SybilCollection:
        return self.collection.sybils(root)

    def outcomes_of(self, page: Page) -> dict[int, Outcome]:
        """How each block of ``page`` fared in this session, by line (empty if it did not run)."""
        for document in self.collection.documents:
            if document.page.path == page.path:
                return document.outcomes.by_line
        return {}

    def record(self, document: PageDocument) -> None:
        """Write the page's result for the site's "verified with" stamp, if every block of it ran."""
        page = document.page
        if self.update or self.docs_root is None or page.language != "en":
            return
        counts = document.outcomes.counts(page)
        if counts is not None:
            write_result(
                self.docs_root,
                page.path.relative_to(self.docs_root).as_posix(),
                page.text,
                **counts,
                versions=self.runner.versions,
            )

    def finish(self) -> list[Page]:
        """End the runner, write ``--cookbook-report`` and, with ``--update-outputs``, rewrite the output blocks
        of every page that ran; the pages rewritten."""
        if self.owns_runner:
            self.runner.close()
        else:
            self.runner.end()
        documents = self.collection.documents
        if self.report_path is not None:
            write_report(self.report_path, documents, self.docs_root, self.runner.versions)
        return rewrite_pages(documents) if self.update else []


_KEY = pytest.StashKey[Verification]()


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
            collectors[id(session)] = session.sybils(root).pytest()
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
    verification.collection.order(items, config.getoption("--shuffle-pages"))


def _verified(verification: Verification, page: Page) -> bool:
    result = read_result(verification.docs_root, page.path.relative_to(verification.docs_root).as_posix(), page.text)
    return result is not None and result.verified


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After a page's last block, end its run and record its result for the site's stamp."""
    if not isinstance(item, SybilItem) or (nextitem is not None and nextitem.parent is item.parent):
        return
    verification = item.config.stash[_KEY]
    document = item.example.document
    if verification.runner.page is document.page:
        verification.runner.end()
    verification.record(document)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    verification = session.config.stash.get(_KEY, None)
    if verification is None:
        return
    rewritten = verification.finish()
    writer = session.config.get_terminal_writer()
    for page in rewritten:
        writer.line(f"updated outputs in {page.shown_as}")


__all__ = ["Outcome", "Verification", "check_output", "collect_pages_below", "verification", "language_of"]
