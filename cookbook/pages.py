"""Running the cookbook's pages under pytest: the Sybil object, per-page set-up, the command-line options
(``--update-outputs``, ``--isolated-recipes``, ``--shuffle-pages``) and the recording of each page's result.

``docs/conftest.py`` only imports from this module, so the harness itself is importable, documented and
unit-tested like the rest of the package.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from sybil import Sybil

from . import harness, snippets
from .results import write_result
from .rewrite import rewrite_page
from .scratch import scratch_directory
from .seeding import seed_everything
from .snippets import PageError, Snippet, display_path, snippets_of

#: The seed the harness sets before each page. Pages seed themselves too, in their setup block, so that
#: a reader who copies the page gets the same numbers.
PAGE_SEED = 42

_docs_root: Path | None = None
_page_stacks: dict[int, contextlib.ExitStack] = {}
_page_folders: dict[int, Path] = {}


def quiet_cpu_tensorflow() -> None:
    """Make TensorFlow run on the CPU and keep its C++ start-up log quiet (before TensorFlow is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def reset_page_state(namespace: dict) -> None:
    """Clear the Keras session (so layer names such as ``dense`` do not depend on what ran before) and
    seed every generator, as in a fresh process."""
    import keras

    # free_memory=False skips a full gc.collect() (0.2 s a call): reference counting frees a page's tensors.
    keras.backend.clear_session(free_memory=False)
    seed_everything(PAGE_SEED)
    page = namespace.get("__page__")
    namespace.clear()
    namespace.update({"__name__": "__main__", "__page__": page})
    page_folder = _page_folders.get(id(namespace))
    if page_folder is not None:  # a recipe run alone also gets a working folder with only the downloads
        os.chdir(tempfile.mkdtemp(prefix="recipe-", dir=page_folder))
        place_downloads(namespace.get("__page__"))


def place_downloads(page: str | None) -> None:
    """Copy the data files a page lists under ``downloads:`` in its front matter into the working folder."""
    import shutil

    import yaml

    from .data import data_path

    if page is None:
        return
    text = Path(page).read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return
    meta = yaml.safe_load(text.split("---\n", 2)[1]) or {}
    for name in meta.get("downloads", []):
        shutil.copyfile(data_path(name), name)


def setup_page(namespace: dict) -> None:
    """Give a page a fresh start: its own empty working folder, NumPy's default print options restored
    afterwards, and :func:`reset_page_state`."""
    import numpy as np
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    stack = contextlib.ExitStack()
    folder = stack.enter_context(scratch_directory("cookbook-page-"))
    stack.callback(np.set_printoptions, **np.get_printoptions())
    reset_page_state(namespace)
    place_downloads(namespace.get("__page__"))
    _page_stacks[id(namespace)] = stack
    _page_folders[id(namespace)] = folder


def teardown_page(namespace: dict) -> None:
    _page_folders.pop(id(namespace), None)
    stack = _page_stacks.pop(id(namespace), None)
    if stack is not None:
        stack.close()


def page_sybil(root: str | os.PathLike) -> Sybil:
    """The Sybil that collects every Markdown page below ``root`` (the folder of ``docs/conftest.py``)."""
    global _docs_root
    _docs_root = Path(root).resolve()
    return Sybil(
        parsers=[harness.parse_page],
        patterns=["*.md"],
        # A translation (page.zh.md) shows its English page's code, which tests/test_translations.py proves;
        # running it again would verify the same code twice.
        excludes=["*.zh.md"],
        setup=setup_page,
        teardown=teardown_page,
        path=os.fspath(root),
    )


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--update-outputs",
        action="store_true",
        default=False,
        help="rewrite the output blocks of the pages that ran from what their code printed (authors only)",
    )
    parser.addoption(
        "--shuffle-pages",
        type=int,
        metavar="SEED",
        default=None,
        help="run the pages in an order shuffled with SEED (the blocks of a page keep their order); "
        "write --shuffle-pages=SEED, as pytest reads a separate value as a path",
    )
    parser.addoption(
        "--isolated-recipes",
        action="store_true",
        default=False,
        help="run every ## recipe after only its page's setup block, as a reader who copies one recipe",
    )


def pytest_configure(config) -> None:
    import pytest

    distribution = config.getoption("dist", default="no")
    if distribution not in ("no", "loadfile", "loadscope") and config.getoption("numprocesses", default=None):
        raise pytest.UsageError(
            f"--dist {distribution} would split a page's blocks across processes; "
            "use `-n 2 --dist loadfile` so that each page runs in one process"
        )
    snippets.display_root = Path(config.invocation_params.dir).resolve()
    harness.settings = harness.RunSettings(
        update=config.getoption("--update-outputs"),
        isolated=config.getoption("--isolated-recipes"),
        reset_page=reset_page_state,
    )


def pytest_collection_modifyitems(session, config, items) -> None:
    """``--shuffle-pages SEED``: shuffle whole pages, so that no page can depend on another having run."""
    seed = config.getoption("--shuffle-pages")
    if seed is None:
        return
    from sybil.integration.pytest import SybilFile

    pages: dict = {}
    others = []
    for item in items:
        if isinstance(item.parent, SybilFile):
            pages.setdefault(item.parent, []).append(item)
        else:
            others.append(item)
    order = list(pages)
    random.Random(seed).shuffle(order)
    items[:] = [item for page in order for item in pages[page]] + others


def record_page_result(page: Path) -> None:
    """Write the verification result of a page whose blocks have all run (see :mod:`cookbook.results`)."""
    text = page.read_text(encoding="utf-8")
    items = snippets_of(str(page), text)
    outcomes = [
        harness.settings.outcomes.get((str(page), item.line if isinstance(item, PageError) else item.code.line))
        for item in items
    ]
    if None in outcomes and "failed" not in outcomes:
        return  # a partial run proves nothing either way
    blocks = sum(isinstance(item, Snippet) for item in items)
    write_result(
        page.relative_to(_docs_root).as_posix(),
        text,
        blocks=blocks,
        passed=outcomes.count("passed"),
        failed=outcomes.count("failed") + outcomes.count(None),
        skipped=outcomes.count("skipped"),
    )


def pytest_runtest_teardown(item, nextitem) -> None:
    """After a page's last block, record the page's result for the site's "verified with" stamp."""
    from sybil.integration.pytest import SybilFile

    page = item.parent
    if harness.settings.update or _docs_root is None or not isinstance(page, SybilFile):
        return
    if nextitem is not None and nextitem.parent is page:
        return
    record_page_result(Path(page.path).resolve())


def pytest_sessionfinish(session, exitstatus) -> None:
    if not harness.settings.update:
        return
    by_page: dict[str, dict[int, str]] = defaultdict(dict)
    for (path, line), printed in harness.settings.printed.items():
        by_page[path][line] = printed
    for path, printed_by_line in sorted(by_page.items()):
        if rewrite_page(path, printed_by_line):
            print(f"\nupdated outputs in {display_path(path)}")
