"""Pages as notebooks: every recipe page converts to a valid notebook, and one really runs in Jupyter and
prints, cell by cell, the output the page shows."""

import re
from pathlib import Path

import nbformat
import pytest

from cookbook.notebooks import page_notebook

PICTURE = re.compile(r"\]\(pictures/([\w.-]+\.png)\)")

DOCS = Path(__file__).resolve().parent.parent / "docs"
RECIPE_PAGES = sorted(p for p in DOCS.rglob("*.md") if "```python" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", RECIPE_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_recipe_page_converts_to_a_valid_notebook(page):
    notebook = page_notebook(page)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) == page.read_text(encoding="utf-8").count("```python")
    assert not any("```text" in cell.source for cell in notebook.cells), "an output block was left as text"


@pytest.mark.enable_socket  # the kernel talks to nbclient over ZeroMQ on 127.0.0.1
@pytest.mark.parametrize("page", ["training/gradient-tape.md", "input/images.zh.md"])
def test_a_notebook_runs_top_to_bottom_and_prints_the_verified_outputs(tmp_path, monkeypatch, page):
    from nbclient import NotebookClient

    monkeypatch.chdir(tmp_path)
    notebook = page_notebook(DOCS / page)
    shown = ["".join(o.text for o in cell.outputs) for cell in notebook.cells if cell.cell_type == "code"]
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    # A kernel may send one print's output in several chunks: compare each cell's whole stdout.
    printed = [
        "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    assert printed == shown
    for picture in {
        name for name in PICTURE.findall(" ".join(c.source for c in notebook.cells if c.cell_type == "markdown"))
    }:
        assert (tmp_path / "pictures" / picture).is_file(), f"the notebook shows {picture} but did not draw it"
