"""MkDocs hook: what a recipe page offers besides its recipes.

* A "verified with" stamp under the title, from the last test run of exactly this page text
  (:mod:`cookbook.results`); a page that failed, changed since, or never ran says so instead.
* A download of the page as a Jupyter notebook (:mod:`cookbook.notebooks`), generated at build time, and of
  each data file the page reads (``downloads:`` in its front matter), next to it.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

_TITLE = re.compile(r"^# .+$", re.MULTILINE)


# After the i18n plugin (priority -100) has laid out each language's files.
@event_priority(-110)
def on_files(files: Files, config) -> Files:
    from cookbook.notebooks import notebook_json
    from cookbook.runner import data_folder
    from cookbook.site import notebook_uri, pages

    library = pages(config)
    for file in list(files.documentation_pages()):
        page = library.page(file.abs_src_path)
        if not page.is_recipe_page:
            continue
        files.append(File.generated(config, notebook_uri(file.src_uri), content=notebook_json(page)))
        for name in page.downloads:
            uri = posixpath.join(posixpath.dirname(file.src_uri), name)
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=(data_folder() / name).read_bytes()))
    return files


def stamp_html(page, library, docs_dir: Path) -> str:
    """The stamp of a page: verified only by a passing run of exactly this code. A translation is covered
    by its English page's run when it shows the same blocks (cookbook.translations)."""
    from cookbook.site import tested_page, verified_result
    from cookbook.translations import UI_TEXT

    words = UI_TEXT[page.language]
    tested, same = tested_page(library, page)
    result = verified_result(docs_dir, tested) if same else None
    command = f"pytest docs/{tested.path.relative_to(docs_dir.resolve()).as_posix()}"
    if result is not None and result.verified:
        title = words["verified_title"].format(tensorflow=result.tensorflow, keras=result.keras, python=result.python)
        body = words["verified_body"].format(blocks=result.blocks, date=result.verified_on, command=command)
        kind, state = "success", "verified"
    else:
        if not same:
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


def on_page_markdown(markdown: str, page: MkDocsPage, config, files: Files) -> str:
    from cookbook.site import notebook_uri, pages
    from cookbook.translations import UI_TEXT

    library = pages(config)
    recipe_page = library.page(page.file.abs_src_path)
    if not recipe_page.is_recipe_page:
        return markdown
    words = UI_TEXT[recipe_page.language]
    notebook = posixpath.basename(notebook_uri(page.file.src_uri))
    buttons = [
        f'[{words["notebook"]}]({notebook}){{ .md-button download="{notebook}" .cookbook-notebook data-search-exclude="" }}'
    ]
    buttons += [
        f'[{words["download"].format(name=name)}]({name}){{ .md-button download="{name}" .cookbook-download data-search-exclude="" }}'
        for name in recipe_page.downloads
    ]
    stamp = stamp_html(recipe_page, library, Path(config["docs_dir"]))
    extras = f"\n\n{stamp}\n\n{' '.join(buttons)}\n"
    title = _TITLE.search(markdown)
    at = title.end() if title else 0
    return markdown[:at] + extras + markdown[at:]
