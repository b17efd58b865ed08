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


def nav_entries(items) -> list[tuple[str, str]]:
    """The pages of a ``nav:`` configuration, as (title, English source path), in navigation order."""
    found: list[tuple[str, str]] = []
    for item in items or []:
        title, value = next(iter(item.items())) if isinstance(item, dict) else ("", item)
        if isinstance(value, list):
            found += nav_entries(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append((title, value))
    return found


def nav_paths(items) -> list[str]:
    """The pages of a ``nav:`` configuration (English source paths), in navigation order."""
    return [path for _, path in nav_entries(items)]


def _nav_translations(config, language: str) -> dict[str, str]:
    """The i18n plugin's ``nav_translations`` for ``language`` (none in a config without the plugin)."""
    try:
        languages = config["plugins"]["i18n"].config["languages"]
    except (KeyError, TypeError, AttributeError):
        return {}
    for entry in languages:
        if entry.get("locale") == language:
            return dict(entry.get("nav_translations") or {})
    return {}


def _language_path(path: str, language: str) -> str:
    return path if language == "en" else posixpath.splitext(path)[0] + f".{language}.md"


def pages_in_nav_order(config, language: str) -> list[Page]:
    """The pages of one language, in the order of the site's navigation (the English ``nav:``; a translated
    page stands where its English page does)."""
    library = pages(config)
    docs = Path(config["docs_dir"])
    found = []
    for path in nav_paths(config["nav"]):
        path = _language_path(path, language)
        if (docs / path).is_file():
            found.append(library.page(docs / path))
    return found


def nav_titles(config, language: str) -> dict[Path, str]:
    """Each page's title in the navigation, in ``language`` (``nav_translations``), by the page's path."""
    docs = Path(config["docs_dir"]).resolve()
    translations = _nav_translations(config, language)
    return {
        (docs / _language_path(path, language)).resolve(): translations.get(title, title)
        for title, path in nav_entries(config["nav"])
        if title
    }
