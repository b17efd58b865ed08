"""MkDocs hook: fills the home page's table of recipe pages from the navigation and each page's
``description:`` front matter, so the table cannot drift from the pages."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

MARKER = "<!-- recipe-pages -->"
_nav: Navigation | None = None


def on_nav(nav: Navigation, config, files) -> Navigation:
    global _nav
    _nav = nav
    return nav


def _rows(items, section: str, docs_dir: Path, home: Page):
    for item in items:
        if isinstance(item, Section):
            yield from _rows(item.children, item.title, docs_dir, home)
        elif isinstance(item, Page) and item is not home:
            # A page at the top of the navigation (outside any section) is its own area.
            area = section or item.title
            _, meta = get_data((docs_dir / item.file.src_uri).read_text(encoding="utf-8"))
            description = meta.get("description")
            if not description:
                raise ValueError(f"{item.file.src_uri} has no 'description:' in its front matter")
            link = Path(item.file.src_uri).as_posix()
            yield f"| {area} | [{item.title}]({link}) | {description} |"


def on_page_markdown(markdown: str, page: Page, config, files) -> str:
    if MARKER not in markdown or _nav is None:
        return markdown
    from cookbook.page import language_of
    from cookbook.translations import UI_TEXT

    rows = list(_rows(_nav.items, "", Path(config["docs_dir"]), page))
    header = UI_TEXT[language_of(page.file.src_uri)]["table_header"]
    table = "\n".join([header, "|---|---|---|", *rows])
    return markdown.replace(MARKER, table)
