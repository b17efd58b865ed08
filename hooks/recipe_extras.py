"""MkDocs hook: what a recipe page offers besides its recipes.

* A "verified with" stamp under the title, from the last test run of exactly this page text
  (:mod:`cookbook.results`); a page that failed, changed since, or never ran says so instead.
* A download of the page as a Jupyter notebook (:mod:`cookbook.notebooks`), generated at build time.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

_TITLE = re.compile(r"^# .+$", re.MULTILINE)


def _is_recipe_page(path: str) -> bool:
    return "```python" in Path(path).read_text(encoding="utf-8")


def _notebook_uri(src_uri: str) -> str:
    return posixpath.splitext(src_uri)[0] + ".ipynb"


def on_files(files: Files, config) -> Files:
    from cookbook.notebooks import notebook_json

    for page in list(files.documentation_pages()):
        if _is_recipe_page(page.abs_src_path):
            uri = _notebook_uri(page.src_uri)
            files.append(File.generated(config, uri, content=notebook_json(page.abs_src_path)))
    return files


def stamp_html(src_uri: str, text: str) -> str:
    from cookbook.results import read_result

    result = read_result(src_uri, text)
    command = f"pytest docs/{src_uri}"
    if result is not None and result.verified:
        title = f"Verified with TensorFlow {result.tensorflow}, Keras {result.keras} and Python {result.python}"
        body = (
            f"All {result.blocks} code blocks on this page ran on {result.verified_on} and printed the output "
            f"shown under them. Check it yourself: <code>{command}</code>."
        )
        kind, state = "success", "verified"
    else:
        title = "Not verified"
        if result is None:
            reason = "This version of the page has no test run on record."
        else:
            reason = f"Its last test run failed: {result.passed} of {result.blocks} code blocks passed."
        body = f"{reason} Run <code>{command}</code> to verify it."
        kind, state = "warning", "unverified"
    return (
        f'<div class="admonition {kind} cookbook-stamp" data-stamp="{state}">\n'
        f'<p class="admonition-title">{title}</p>\n<p>{body}</p>\n</div>'
    )


def on_page_markdown(markdown: str, page: Page, config, files: Files) -> str:
    if not _is_recipe_page(page.file.abs_src_path):
        return markdown
    text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    notebook = posixpath.basename(_notebook_uri(page.file.src_uri))
    extras = (
        f"\n\n{stamp_html(page.file.src_uri, text)}\n\n"
        f'[Download this page as a notebook]({notebook}){{ .md-button download="{notebook}" '
        f'.cookbook-notebook }}\n'
    )
    title = _TITLE.search(markdown)
    at = title.end() if title else 0
    return markdown[:at] + extras + markdown[at:]
