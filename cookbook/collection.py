"""Collecting the pages with Sybil, in two configurations: the English pages (``*.md``), whose regions are
their Python blocks, and the translations (``*.zh.md``), whose regions check that each block is the English
page's; both yield a region for each fence error. Each page is a :class:`PageDocument`, which keeps what the
session finds about it. The collection also orders the items and notes where each run context ends.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sybil import Document, Region, Sybil
from sybil.integration.pytest import SybilFile, SybilItem
from sybil.sybil import SybilCollection

from .page import LANGUAGES, Block, Page, PageError, PageLibrary, english_twin
from .report import PageOutcomes

if TYPE_CHECKING:
    from .evaluation import Evaluation

#: The names of translated pages (``page.zh.md``); every other page is English.
TRANSLATIONS = [f"*.{language}.md" for language in LANGUAGES]


class PageDocument(Document):
    """A page as Sybil collects it, with what the session found about it: its parsed :class:`Page`, how each
    block fared, what each block printed, and the examples after which its run context ends."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.page: Page | None = None  #: set by the collection, from the session's one parse of the page
        self.outcomes = PageOutcomes()
        #: What each block printed, by line (what ``--update-outputs`` writes).
        self.printed: dict[int, str] = {}
        #: The ids of the examples after which the runner's current page (or recipe) ends, in the session's order.
        self.context_ends: set[int] = set()


class Collection:
    """The session's Sybil configurations, the documents they collected, and the order of their items."""

    def __init__(self, library: PageLibrary, evaluation: Evaluation, detailed: bool) -> None:
        self.library = library
        self.evaluation = evaluation
        #: Whether each document keeps what the report says about each block (``--cookbook-report``).
        self.detailed = detailed
        self.docs_root: Path | None = None
        self.documents: list[PageDocument] = []

    def sybils(self, root: Path) -> SybilCollection:
        """The English and the translated pages below ``root``, as two configurations."""
        self.docs_root = root
        types = {".md": PageDocument}
        english = Sybil(
            parsers=[self.block_regions], patterns=["*.md"], excludes=TRANSLATIONS, path=str(root), document_types=types
        )
        translated = Sybil(
            parsers=[self.translation_regions], patterns=TRANSLATIONS, path=str(root), document_types=types
        )
        return english + translated

    def _attach(self, document: PageDocument) -> Page:
        document.page = self.library.page(document.path, document.text)
        document.outcomes.detailed = self.detailed
        self.documents.append(document)
        return document.page

    def block_regions(self, document: PageDocument) -> Iterator[Region]:
        """An English page's regions: its fence errors and its Python blocks (each with its output block)."""
        page = self._attach(document)
        yield from self._error_regions(page)
        for block in page.blocks:
            end = block.output.end if block.output else block.code.end
            yield Region(block.code.start, end, block, self.evaluation.evaluate_block)

    def translation_regions(self, document: PageDocument) -> Iterator[Region]:
        """A translation's regions: its fence errors, and each block against the English page's."""
        page = self._attach(document)
        yield from self._error_regions(page)
        english_path = english_twin(page.path)
        if not english_path.is_file():
            yield self._error_region(page, 1, f"no English page {english_path.name} to translate")
            return
        english = self.library.page(english_path)
        for index, block in enumerate(page.blocks):
            end = block.output.end if block.output else block.code.end
            yield Region(block.code.start, end, (english, index), self.evaluation.evaluate_translation)
        if len(english.blocks) > len(page.blocks):
            missing = english.blocks[len(page.blocks)]
            problem = f"the translation ends here, without the Python block at {english.where(missing.line)}"
            yield self._error_region(page, len(page.text.splitlines()), problem)

    def _error_regions(self, page: Page) -> Iterator[Region]:
        by_line: dict[int, list[PageError]] = defaultdict(list)
        for error in page.errors:
            by_line[error.line].append(error)
        for line, errors in by_line.items():  # one region a line: Sybil refuses overlapping regions
            yield self._error_region(page, line, f"\n{page.where(line)}: ".join(error.problem for error in errors))

    def _error_region(self, page: Page, line: int, problem: str) -> Region:
        lines = page.text.splitlines(keepends=True)
        start = sum(len(text) for text in lines[: line - 1])
        end = sum(len(text) for text in lines[:line])
        return Region(start, end, PageError(line, problem), self.evaluation.evaluate_error)

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
            key = self._context_key(item)
            if previous is not None and previous[0] != key:
                _end_context(previous[1])
            previous = (key, item) if key is not None else None
        if previous is not None:
            _end_context(previous[1])

    def _context_key(self, item: pytest.Item):
        if not isinstance(item, SybilItem) or not isinstance(item.example.parsed, Block):
            return None
        return (item.parent, self.evaluation.context(item.example.parsed))


def _end_context(item: SybilItem) -> None:
    item.example.document.context_ends.add(id(item.example))


__all__ = ["Collection", "PageDocument"]
