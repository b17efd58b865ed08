"""What verifies the TF2 Cookbook's pages. Recipes never import it: a reader who copies one has no such package.

For authors and tools: a page is read once into a :class:`Page` (:func:`parse_page`, or a
:class:`PageLibrary` that keeps each page of a process parsed once); :class:`Runner` runs its blocks in a
child Python; :func:`compare_output` says whether what a block printed matches its output block; the pytest
plugin (:mod:`cookbook.plugin`) does all of it for ``pytest docs/``.
"""

from .compare import DEFAULT_ATOL, DEFAULT_RTOL, Mismatch, compare_output
from .page import Block, Fence, Page, PageError, PageLibrary, parse_page
from .runner import PageRun, Runner, RunnerError

__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "Block",
    "Fence",
    "Mismatch",
    "Page",
    "PageError",
    "PageLibrary",
    "PageRun",
    "Runner",
    "RunnerError",
    "compare_output",
    "parse_page",
]
