"""The cookbook's MkDocs plugin: everything the site adds to the pages, in one place.

Its state lives on the plugin: the pages, each parsed once for both languages' builds (:attr:`library`), the
version matrix's results, and for the language being built its navigation and API index. Each event below
does one thing, and asks the page model (:class:`cookbook.page.Page`) for every fact about a page. Where its
work must follow the i18n plugin's (priority -100), its priority says so, so the order of ``plugins:`` in
``mkdocs.yml`` does not matter.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from ..api_index import ApiIndex, build_index
from ..matrix import load_results
from ..page import Page, PageLibrary, language_of
from . import (
    api_pages,
    error_index,
    header,
    html_fixes,
    markers,
    migration_index,
    recipe_index,
    search,
    version_matrix,
)
from .copy_recipe import with_copy_buttons
from .files import add_notebooks_and_data, add_pictures
from .navigation import NavEntry, nav_entries

#: The event priority that runs after the i18n plugin's (-100).
AFTER_I18N = -110


class CookbookPlugin(BasePlugin):
    def __init__(self) -> None:
        super().__init__()
        self.library: PageLibrary | None = None
        self._results: dict | None = None
        #: The navigation of the language being built, in order (:meth:`on_nav`).
        self.navigation: list[NavEntry] = []
        self._api_index: ApiIndex | None = None

    # Facts of the build -----------------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return Path(self.config_file_path).parent

    @property
    def results(self) -> dict:
        """``matrix/results.json``, read once (an empty matrix if it is missing or empty)."""
        if self._results is None:
            self._results = load_results(self.root / "matrix" / "results.json")
        return self._results

    def page(self, file_or_path) -> Page:
        return self.library.page(getattr(file_or_path, "abs_src_path", file_or_path))

    def nav_pages(self) -> list[Page]:
        """The pages of the language being built, in navigation order."""
        return [self.page(entry.abs_src_path) for entry in self.navigation]

    @property
    def api_index(self) -> ApiIndex:
        if self._api_index is None:
            self._api_index = build_index(page for page in self.nav_pages() if page.is_recipe_page)
        return self._api_index

    # Events ---------------------------------------------------------------------------------------------
    def on_startup(self, *, command, dirty) -> None:
        # jieba, which segments the Chinese pages for search, logs its dictionary loading at INFO level.
        logging.getLogger("jieba").setLevel(logging.WARNING)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        toc = config["mdx_configs"].get("toc", {})
        if "slugify" in toc or "separator" in toc:
            raise PluginError("the cookbook plugin computes anchors with the toc extension's default slugify")
        self.config_file_path = config["config_file_path"]
        self.docs_dir = Path(config["docs_dir"]).resolve()
        if self.library is None:  # one for every language's build: each page is parsed once
            self.library = PageLibrary(self.root)
        return config

    @event_priority(AFTER_I18N)  # after the i18n plugin has laid out each language's files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        add_pictures(files, config, self.library, self.root / "requirements.lock")
        add_notebooks_and_data(files, config, self.library)
        return files

    @event_priority(AFTER_I18N)  # after the i18n plugin has translated the navigation's titles
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.navigation = nav_entries(nav)
        self._api_index = None
        return nav

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        source = self.page(page.file)
        src_uri = page.file.src_uri
        additions: dict[int, str] = {}
        if source.title_heading is not None:
            title_end = source.text.find("\n", source.title_heading.offset)
            additions[len(source.text) if title_end < 0 else title_end] = self.header(source, page)
        else:
            additions[source.body_offset] = self.header(source, page)
        if source.is_recipe_page:
            tested, same = header.tested_page(self.library, source)
            if same:
                marks = version_matrix.page_recipe_marks(self.results, source, tested, self.docs_dir)
                for heading, text in marks.items():
                    additions[api_pages.line_end(source.text, heading.offset)] = text
                notes = version_matrix.older_wording_notes(self.results, source, tested, self.docs_dir)
                for offset, text in notes.items():
                    additions[offset] = additions.get(offset, "") + text
            for offset, text in api_pages.apis_used_lines(source, self.api_index, src_uri).items():
                additions[offset] = additions.get(offset, "") + text
        return _with_additions(markdown, source, additions, self.marker_handlers(source, src_uri))

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        source = self.page(page.file)
        return with_copy_buttons(html, source, page.file.src_uri) if source.is_recipe_page else html

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        language = language_of(page.file.src_uri)
        return search.with_search_worker(html_fixes.mend_page(output, language, page.url), language, page.url)

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        if template_name != "404.html":
            return output
        output = html_fixes.mend_404(output, config["theme"]["language"], config["site_url"])
        return search.with_search_worker(output, None, "404.html")

    @event_priority(AFTER_I18N)  # after the i18n plugin has built the other languages into the same folder
    def on_post_build(self, config: MkDocsConfig) -> None:
        html_fixes.copy_sitemaps(Path(config["site_dir"]))

    # What a page gets ----------------------------------------------------------------------------------
    def header(self, source: Page, page: MkDocsPage) -> str:
        """The header under the page's title (:func:`cookbook.site.header.page_header`)."""
        return header.page_header(source, self.library, self.results, self.docs_dir, page.url, page.file.src_uri)

    def marker_handlers(self, source: Page, src_uri: str) -> dict[str, markers.Handler]:
        """What each marker of ``<!-- cookbook:NAME -->`` becomes on the page ``source``."""
        language = source.language

        def matrix(name: str):
            def render(argument):
                order = {entry.english: entry.title for entry in self.navigation}
                page = version_matrix.MatrixPage(self.results, language, self.docs_dir, self.library, order)
                return page.handlers()[name](argument)

            return render

        def keras3_changes(_):
            pages = [
                (entry.src_uri, self.page(entry.abs_src_path))
                for entry in self.navigation
                if entry.src_uri != src_uri and language_of(entry.src_uri) == language
            ]
            return migration_index.index_markdown(migration_index.callout_entries(pages), src_uri, language)

        def api_index(_):
            titles = {Path(entry.abs_src_path).resolve(): entry.title for entry in self.navigation}
            return api_pages.index_markdown(self.api_index, titles, language, src_uri, self.docs_dir)

        def errors_index(_):
            titles = {Path(entry.abs_src_path).resolve(): entry.title for entry in self.navigation}
            pages = [
                (entry.src_uri, page)
                for entry in self.navigation
                if language_of(entry.src_uri) == language and (page := self.page(entry.abs_src_path)).is_recipe_page
            ]
            older = {}
            for _, page in pages:
                tested, same = header.tested_page(self.library, page)
                if same:
                    older[page.path] = version_matrix.labelled_wordings(self.results, page, tested, self.docs_dir)
            return error_index.index_markdown(pages, titles, language, src_uri, older)

        return {
            "recipe-pages": lambda _: recipe_index.table_markdown(self.navigation, src_uri, language, self.library),
            "keras3-changes": keras3_changes,
            "api-index": api_index,
            "error-index": errors_index,
            "matrix-summary": matrix("matrix-summary"),
            "matrix-grid": matrix("matrix-grid"),
            "matrix-failures": matrix("matrix-failures"),
        }


def _with_additions(markdown: str, source: Page, additions: dict[int, str], handlers: dict) -> str:
    """``markdown`` (the page's text as MkDocs hands it over: without its front matter and the blank lines
    after it, lines joined by the i18n plugin) with ``additions`` inserted at their offsets in the page's text
    and its markers expanded."""
    body = source.text[source.body_offset :]
    start = source.body_offset + len(body) - len(body.lstrip("\n"))
    if markdown != "\n".join(source.text[start:].splitlines()):
        raise PluginError(f"{source.shown_as}: the Markdown MkDocs hands over is not the page's text")
    fences = [(fence.start - start, fence.end - start) for fence in source.fences]
    edits = [(offset - start, offset - start, text) for offset, text in additions.items()]
    edits += markers.replacements(markdown, handlers, fences, source.shown_as)
    out, at = [], 0
    for begin, end, text in sorted(edits, key=lambda edit: edit[:2]):
        begin, end = min(max(begin, at), len(markdown)), min(max(end, at), len(markdown))
        out += [markdown[at:begin], text]
        at = end
    out.append(markdown[at:])
    return "".join(out)
