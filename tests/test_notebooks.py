"""Pages as notebooks: every recipe page converts to a valid notebook, and every notebook runs in Jupyter and
prints, cell by cell, what its page shows.

The kernels run with oneDNN turned off (``TF_ENABLE_ONEDNN_OPTS=0``; ``pytest docs/`` runs with TensorFlow's
default, on), so the same run also shows that no page's verdict depends on the CPU's math library: oneDNN
changes how TensorFlow sums and multiplies, and with it the last digits of float32 results, which the pages'
tolerances must absorb.

Each English notebook runs top to bottom in a fresh kernel, in an empty folder holding only the page's
downloads, two kernels at a time. A fresh kernel here is a process of its own, forked from one Python that has
imported TensorFlow, Keras and IPython's kernel and run nothing else (``cookbook.kernels``): the import is paid
once for all the notebooks instead of once per page. A page that says ``fresh_python: true`` needs a Python of
its own (it sets what TensorFlow reads when imported, or splits the CPU before TensorFlow starts): its notebook
gets a kernel as Jupyter starts one. A Chinese notebook has the same code cells as its English twin (the
plugin checks their blocks byte for byte and this test checks the cells), so the English kernel's output is
compared with the outputs both notebooks show. Lines TensorFlow's C++ runtime writes to the process's
stderr (``cookbook.compare.NATIVE_LOG_LINE``) are left out: no page can quiet the ones it prints at import.
"""

import asyncio
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from cookbook import PageLibrary
from cookbook.compare import compare_output, without_native_log
from cookbook.kernels import KERNEL_NAME, KernelForkserver, run_in_a_thread_of_its_own
from cookbook.notebooks import page_notebook
from cookbook.page import english_twin
from cookbook.runner import data_folder

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks
PICTURE = re.compile(r"\]\(pictures/([\w.-]+\.png)\)")
DOCS = Path(__file__).resolve().parent.parent / "docs"
LIBRARY = PageLibrary(DOCS.parent)
RECIPE_PAGES = [page for page in map(LIBRARY.page, sorted(DOCS.rglob("*.md"))) if page.is_recipe_page]
ENGLISH = [page for page in RECIPE_PAGES if page.language == "en"]
#: The kernels' environment: oneDNN off (see above), and nothing else changed.
KERNEL_ENV = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"}


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def shown_outputs(notebook) -> list[str]:
    return ["".join(output.text for output in cell.outputs) for cell in code_cells(notebook)]


@pytest.mark.parametrize("page", RECIPE_PAGES, ids=lambda page: str(page.path.relative_to(DOCS)))
def test_every_recipe_page_converts_to_a_valid_notebook(page):
    notebook = page_notebook(page)
    nbformat.validate(notebook)
    assert [cell.source for cell in code_cells(notebook)] == [block.code.body.rstrip("\n") for block in page.runnable]
    assert not any("```text" in cell.source for cell in notebook.cells), "an output block was left as text"


def _errors(notebook) -> list:
    return [output for cell in code_cells(notebook) for output in cell.outputs if output.output_type == "error"]


async def _execute(page, folder: Path, kernels: asyncio.Semaphore, forkserver: KernelForkserver):
    from nbclient import NotebookClient

    async with kernels:
        notebook = page_notebook(page)
        for name in page.downloads:
            shutil.copyfile(data_folder() / name, folder / name)
        # A page that needs a Python of its own sets what TensorFlow reads when it is imported (its C++ log
        # level, say): it gets a kernel as Jupyter starts one, which imports TensorFlow in the first cell.
        kernel = (
            {"kernel_name": "python3"}
            if page.fresh_python
            else {"kernel_name": KERNEL_NAME, "kernel_manager_class": forkserver.kernel_manager_class()}
        )
        client = NotebookClient(
            notebook, timeout=300, allow_errors=True, resources={"metadata": {"path": str(folder)}}, **kernel
        )
        started = time.perf_counter()
        await client.async_execute(env=KERNEL_ENV)
        return notebook, folder, time.perf_counter() - started


def _traceback(error) -> str:
    return ANSI_ESCAPE.sub("", "\n".join(error.traceback))


@pytest.fixture(scope="module")
def executed(request, tmp_path_factory):
    """The English notebook of every page this session tests, executed: page path to (notebook, folder)."""
    wanted = {
        item.callspec.params["page"].path
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_the_notebook_prints_in_jupyter_what_the_page_shows"
    }
    pages = [page for page in ENGLISH if page.path in wanted or page.path.with_suffix(".zh.md") in wanted]

    async def execute_all():
        kernels = asyncio.Semaphore(2)
        folders = [tmp_path_factory.mktemp("notebook") for _ in pages]
        with KernelForkserver(KERNEL_ENV) as forkserver:
            runs = await asyncio.gather(
                *(_execute(page, folder, kernels, forkserver) for page, folder in zip(pages, folders, strict=True))
            )
        return {page.path: run for page, run in zip(pages, runs, strict=True)}

    return run_in_a_thread_of_its_own(execute_all())


def _interleaves(shown: list[str], first: list[str], second: list[str], rtol: float, atol: float) -> bool:
    """True if ``shown`` is ``first`` and ``second`` merged, each in its own order (stdout and stderr reach
    Jupyter as two streams), each shown line agreeing with its printed line as an output block's lines do
    (``...`` for text that varies within the line, numbers within the block's tolerance)."""

    def agree(shown_line: str, printed_line: str) -> bool:
        return compare_output(shown_line, printed_line, rtol, atol) is None

    reachable = {(0, 0)}
    for line in shown:
        reachable = {(i + 1, j) for i, j in reachable if i < len(first) and agree(line, first[i])} | {
            (i, j + 1) for i, j in reachable if j < len(second) and agree(line, second[j])
        }
    return (len(first), len(second)) in reachable


def test_interleaving_compares_lines_as_output_blocks_do():
    shown = [".../interpreter.py:457: UserWarning: deprecated", "max = 1.5", "done"]
    stdout, stderr = ["max = 1.6", "done"], ["/site-packages/tensorflow/interpreter.py:457: UserWarning: deprecated"]
    assert _interleaves(shown, stdout, stderr, rtol=0.1, atol=0)
    assert not _interleaves(shown, stdout, stderr, rtol=1e-6, atol=1e-6)
    assert not _interleaves(shown[::-1], stdout, stderr, rtol=0.1, atol=0)  # each stream keeps its order


def printed_by_cells(notebook) -> list[tuple[str, str, str]]:
    """Each code cell's output as (all streams in order, stdout, stderr), without native log lines."""
    printed = []
    for cell in code_cells(notebook):
        streams = [output for output in cell.outputs if output.output_type == "stream"]
        text = {
            name: without_native_log("".join(o.text for o in streams if o.name == name))
            for name in ("stdout", "stderr")
        }
        printed.append((without_native_log("".join(o.text for o in streams)), text["stdout"], text["stderr"]))
    return printed


@pytest.mark.enable_socket  # the kernels talk to nbclient over ZeroMQ on 127.0.0.1
@pytest.mark.parametrize("page", RECIPE_PAGES, ids=lambda page: str(page.path.relative_to(DOCS)))
def test_the_notebook_prints_in_jupyter_what_the_page_shows(executed, page, record_property):
    english = page if page.language == "en" else LIBRARY.page(english_twin(page.path))
    notebook, folder, seconds = executed[english.path]
    if page is english:
        record_property("seconds_of", seconds)  # what `make bench` reports per page
    expected = page_notebook(page)
    assert [c.source for c in code_cells(expected)] == [c.source for c in code_cells(notebook)]
    errors = _errors(notebook)
    if errors:
        error = errors[0]
        pytest.fail(f"{english.shown_as}: a cell raised {error.ename} in Jupyter:\n{_traceback(error)}", pytrace=False)
    for block, shown, (merged, stdout, stderr) in zip(
        page.runnable, shown_outputs(expected), printed_by_cells(notebook), strict=True
    ):
        mismatch = compare_output(shown, merged, block.rtol, block.atol)
        if mismatch and not _interleaves(
            shown.splitlines(), stdout.splitlines(), stderr.splitlines(), block.rtol, block.atol
        ):
            pytest.fail(
                f"{page.where(block.line)}: in Jupyter the cell printed something else, {mismatch.describe()}:\n{merged}"
            )
    markdown = " ".join(cell.source for cell in expected.cells if cell.cell_type == "markdown")
    for picture in set(PICTURE.findall(markdown)):
        assert (folder / "pictures" / picture).is_file(), f"the notebook shows {picture} but did not draw it"
