"""MkDocs hook: what a recipe page offers besides its recipes.

* A "verified with" stamp under the title, from the last test run of exactly this page text
  (:mod:`cookbook.results`); a page that failed, changed since, or never ran says so instead.
* A download of the page as a Jupyter notebook (:mod:`cookbook.notebooks`), generated at build time.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

_TITLE = re.compile(r"^# .+$", re.MULTILINE)


def _is_recipe_page(path: str) -> bool:
    return "```python" in Path(path).read_text(encoding="utf-8")


def _notebook_uri(src_uri: str) -> str:
    return posixpath.splitext(src_uri)[0] + ".ipynb"


# After the i18n plugin (priority -100) has laid out each language's files.
@event_priority(-110)
def on_files(files: Files, config) -> Files:
    from cookbook.notebooks import notebook_json

    for page in list(files.documentation_pages()):
        if _is_recipe_page(page.abs_src_path):
            uri = _notebook_uri(page.src_uri)
            files.append(File.generated(config, uri, content=notebook_json(page.abs_src_path)))
    return files


def stamp_html(src_uri: str, text: str, docs_dir: Path) -> str:
    """The stamp of a page: verified only by a passing run of exactly this code. A translation is covered
    by its English page's run when it shows the same code (cookbook.translations)."""
    from cookbook.results import read_result
    from cookbook.translations import UI_TEXT, language_of, source_page, translation_differences

    language = language_of(src_uri)
    words = UI_TEXT[language]
    tested_uri, differs = src_uri, False
    if language != "en":
        tested_uri = source_page(src_uri).as_posix()
        differs = bool(translation_differences(docs_dir / src_uri))
        text = (docs_dir / tested_uri).read_text(encoding="utf-8")
    result = None if differs else read_result(tested_uri, text)
    command = f"pytest docs/{tested_uri}"
    if result is not None and result.verified:
        title = words["verified_title"].format(tensorflow=result.tensorflow, keras=result.keras, python=result.python)
        body = words["verified_body"].format(blocks=result.blocks, date=result.verified_on, command=command)
        kind, state = "success", "verified"
    else:
        if differs:
            reason = words["differs"]
        elif result is None:
            reason = words["never_ran"]
        else:
            reason = words["failed"].format(passed=result.passed, blocks=result.blocks)
        title = words["unverified_title"]
        body = f"{reason} {words['run_it'].format(command=command)}"
        kind, state = "warning", "unverified"
    return (
        f'<div class="admonition {kind} cookbook-stamp" data-stamp="{state}" data-search-exclude>\n'
        f'<p class="admonition-title">{title}</p>\n<p>{body}</p>\n</div>'
    )


def on_page_markdown(markdown: str, page: Page, config, files: Files) -> str:
    text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    if "```python" not in text:
        return markdown
    from cookbook.translations import UI_TEXT, language_of

    notebook = posixpath.basename(_notebook_uri(page.file.src_uri))
    label = UI_TEXT[language_of(page.file.src_uri)]["notebook"]
    stamp = stamp_html(page.file.src_uri, text, Path(config["docs_dir"]))
    extras = f'\n\n{stamp}\n\n[{label}]({notebook}){{ .md-button download="{notebook}" .cookbook-notebook data-search-exclude="" }}\n'

    title = _TITLE.search(markdown)
    at = title.end() if title else 0
    return markdown[:at] + extras + markdown[at:]
