"""A page as a Jupyter notebook: its prose as Markdown cells, its code as code cells carrying the verified
output shown on the page. The site offers one per recipe page (``hooks/notebooks.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from .fences import find_fences
from .snippets import Snippet, is_output_block, snippets_of

_TAB = re.compile(r'^=== +"(?P<title>[^"]+)"\s*$')
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?) +(?P<kind>\w+)(?: +"(?P<title>[^"]*)")?\s*$')
_ATTRIBUTES = re.compile(r"\{[^{}\n]*\}")  # Material's { width="256" } and { .md-button } after an element


def _plain_markdown(text: str) -> str:
    """Rewrite Material-only Markdown (content tabs, admonitions, attribute lists) as plain Markdown."""
    out: list[str] = []
    quote = False
    for line in text.splitlines():
        tab, admonition = _TAB.match(line), _ADMONITION.match(line)
        if tab:
            out.append(f"**{tab['title']}**")
            quote = False
        elif admonition:
            out.append(f"> **{admonition['title'] or admonition['kind'].capitalize()}**")
            quote = True
        elif line.startswith("    "):
            out.append(("> " if quote else "") + line[4:])
        elif not line.strip():
            out.append(">" if quote else "")
        else:
            quote = False
            out.append(line)
    return _ATTRIBUTES.sub("", "\n".join(out)).strip()


def page_notebook(page: str | Path):
    """The notebook of a recipe page (an ``nbformat`` v4 notebook with stable cell ids)."""
    import nbformat
    from mkdocs.utils.meta import get_data

    text = Path(page).read_text(encoding="utf-8")
    body, meta = get_data(text)
    offset = len(text) - len(body)
    snippets = {s.code.start - offset: s for s in snippets_of(str(page), text) if isinstance(s, Snippet)}
    cells = []

    def add_markdown(chunk: str) -> None:
        chunk = _plain_markdown(chunk)
        if chunk:
            cells.append(nbformat.v4.new_markdown_cell(chunk))

    position = 0
    for fence in find_fences(body):
        if fence.start < position:
            continue
        snippet = snippets.get(fence.start)
        if snippet is None and not is_output_block(fence):
            continue  # any other fence stays in the Markdown around it
        add_markdown(body[position : fence.start])
        position = fence.end
        if snippet is None:
            continue  # an output block: it is attached to its code cell
        outputs = []
        if snippet.output is not None:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=snippet.output.body))
        cells.append(nbformat.v4.new_code_cell(snippet.code.body.rstrip("\n"), outputs=outputs))
    add_markdown(body[position:])
    from .translations import UI_TEXT, language_of

    intro = f"{meta.get('description', '')}\n\n{UI_TEXT[language_of(page)]['notebook_intro']}"
    cells.insert(1 if cells and cells[0].cell_type == "markdown" else 0, nbformat.v4.new_markdown_cell(intro))
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update(
        kernelspec={"display_name": "Python 3", "language": "python", "name": "python3"},
        language_info={"name": "python"},
    )
    nbformat.validate(notebook)
    return notebook


def notebook_json(page: str | Path) -> str:
    import nbformat

    return nbformat.writes(page_notebook(page))
