"""What the site build (``hooks/``) asks of the pages: each page parsed once per build, its stamp's result,
and the files a recipe page offers for download."""

from __future__ import annotations

import posixpath
from pathlib import Path

from .page import Page, PageLibrary, english_twin
from .results import PageResult, read_result
from .translations import translation_differences

_LIBRARY = "cookbook_pages"


def pages(config) -> PageLibrary:
    """The build's pages, kept on the MkDocs config so that every hook shares one parse of each page."""
    if config.get(_LIBRARY) is None:
        config[_LIBRARY] = PageLibrary(Path(config["config_file_path"]).parent)
    return config[_LIBRARY]


def notebook_uri(src_uri: str) -> str:
    return posixpath.splitext(src_uri)[0] + ".ipynb"


def tested_page(library: PageLibrary, page: Page) -> tuple[Page, bool]:
    """The page whose run verifies ``page`` (itself, or the English twin of a translation), and whether
    ``page`` shows exactly that page's blocks."""
    if page.language == "en":
        return page, True
    english = library.page(english_twin(page.path))
    return english, not translation_differences(page, english)


def verified_result(docs_dir: Path, page: Page) -> PageResult | None:
    return read_result(docs_dir, page.path.relative_to(docs_dir.resolve()).as_posix(), page.text)
