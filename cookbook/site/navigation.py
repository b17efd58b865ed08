"""The navigation's pages in order, as the build being run shows them (titles in its language), computed
once per language from MkDocs' own navigation after the i18n plugin has translated it."""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage

from ..page import LANGUAGES


@dataclass(frozen=True)
class NavEntry:
    section: str  #: the title of the nearest section around it ("" at the top of the navigation)
    title: str  #: its title in the navigation
    src_uri: str  #: the file built (``x.zh.md`` for a translation)
    abs_src_path: str

    @property
    def english(self) -> str:
        """The English page's path: ``tensors/x.zh.md`` -> ``tensors/x.md``."""
        return english_path(self.src_uri)

    @property
    def area(self) -> str:
        """Its section, or itself for a page at the top of the navigation (outside any section)."""
        return self.section or self.title


def english_path(src_uri: str) -> str:
    stem, _, language = src_uri.removesuffix(".md").rpartition(".")
    return f"{stem}.md" if language in LANGUAGES else src_uri


def nav_entries(nav: Navigation) -> list[NavEntry]:
    def walk(items, section: str):
        for item in items:
            if isinstance(item, Section):
                yield from walk(item.children, item.title)
            elif isinstance(item, MkDocsPage):
                yield NavEntry(section, item.title, item.file.src_uri, item.file.abs_src_path)

    return list(walk(nav.items, ""))
