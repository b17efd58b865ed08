"""The home page's table of pages (``<!-- cookbook:recipe-pages -->``), from the navigation and each page's
``description:`` front matter, so that the table cannot drift from the pages."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from ..page import PageLibrary
from ..translations import UI_TEXT
from .navigation import NavEntry


def table_markdown(entries: list[NavEntry], home_uri: str, language: str, library: PageLibrary) -> str:
    rows = []
    for entry in entries:
        if entry.src_uri == home_uri:
            continue
        description = library.page(entry.abs_src_path).description
        if not description:
            raise PluginError(f"{entry.src_uri} has no 'description:' in its front matter")
        rows.append(f"| {entry.area} | [{entry.title}]({Path(entry.src_uri).as_posix()}) | {description} |")
    return "\n".join([UI_TEXT[language]["table_header"], "|---|---|---|", *rows])
