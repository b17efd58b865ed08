"""A page as a Jupyter notebook: its prose as Markdown cells, its code as code cells carrying the verified
output shown on the page (a block the page does not run stays in the Markdown). The site offers one per recipe page (:mod:`cookbook.site.files`)."""

from __future__ import annotations

import re

from .page import Page

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


def page_notebook(page: Page):
    """The notebook of a recipe page (an ``nbformat`` v4 notebook with stable cell ids)."""
    import nbformat

    from .translations import UI_TEXT

    # A "Not run" block (it would download weights, say) stays in the Markdown, as the page shows it.
    by_start = {block.code.start: block for block in page.runnable}
    outputs = {block.output.start for block in page.runnable if block.output is not None}
    cells = []

    def add_markdown(chunk: str) -> None:
        chunk = _plain_markdown(chunk)
        if chunk:
            cells.append(nbformat.v4.new_markdown_cell(chunk))

    position = page.body_offset
    for fence in page.fences:
        block = by_start.get(fence.start)
        if block is None and fence.start not in outputs:
            continue  # any other fence stays in the Markdown around it
        add_markdown(page.text[position : fence.start])
        position = fence.end
        if block is None:
            continue  # an output block: it is attached to its code cell
        shown = [nbformat.v4.new_output("stream", name="stdout", text=block.output.body)] if block.output else []
        cells.append(nbformat.v4.new_code_cell(block.code.body.rstrip("\n"), outputs=shown))
    add_markdown(page.text[position:])
    words = UI_TEXT[page.language]
    intro = f"{page.description}\n\n{words['notebook_intro']}"
    if page.downloads:
        intro += " " + words["notebook_data"].format(files=", ".join(f"`{name}`" for name in page.downloads))
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


def notebook_json(page: Page) -> str:
    import nbformat

    return nbformat.writes(page_notebook(page))
