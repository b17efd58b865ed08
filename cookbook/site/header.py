"""The header under a page's title, rendered by one function, :func:`render_header`, from one template
(``templates/page_header.md.j2``): the note on a translation whose English page changed since, and on a recipe
page the "verified with" stamp, the "Runs on" row and the downloads (the page as a notebook, its data files).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from ..freshness import CURRENT, UNMARKED
from ..freshness import state as translation_state
from ..page import Page, PageLibrary, english_twin
from ..results import PageResult, read_result
from ..translations import UI_TEXT, translation_differences
from .files import notebook_uri
from .version_matrix import Row, page_row


@dataclass(frozen=True)
class Stamp:
    kind: str  #: the admonition's type
    state: str  #: ``verified`` or ``unverified``
    title: str
    body: str


@dataclass(frozen=True)
class Note:
    state: str  #: :data:`cookbook.freshness.STALE` or :data:`~cookbook.freshness.UNMARKED`
    body: str


@cache
def _template() -> jinja2.Template:
    folder = Path(__file__).with_name("templates")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), trim_blocks=True, keep_trailing_newline=True, autoescape=False
    )
    return environment.get_template("page_header.md.j2")


def stamp(page: Page, tested: Page, same: bool, result: PageResult | None, docs_dir: Path) -> Stamp:
    """Verified only by a passing run of exactly this code. A translation is covered by its English page's
    run when it shows the same blocks (:func:`cookbook.translations.translation_differences`)."""
    words = UI_TEXT[page.language]
    command = f"pytest docs/{tested.path.relative_to(docs_dir.resolve()).as_posix()}"
    if result is not None and result.verified:
        title = words["verified_title"].format(tensorflow=result.tensorflow, keras=result.keras, python=result.python)
        body = words["verified_body"].format(blocks=result.blocks, date=result.verified_on, command=command)
        return Stamp("success", "verified", title, body)
    if not same:
        reason = words["differs"]
    elif result is None:
        reason = words["never_ran"]
    else:
        reason = words["failed"].format(passed=result.passed, blocks=result.blocks)
    return Stamp("warning", "unverified", words["unverified_title"], f"{reason} {words['run_it'].format(command=command)}")


def translation_note(state: str, language: str, english_url: str) -> Note | None:
    """The note on a translation that is not :data:`~cookbook.freshness.CURRENT` (``english_url``: its English
    page, relative to it)."""
    if state == CURRENT:
        return None
    body = UI_TEXT[language]["untracked_body" if state == UNMARKED else "stale_body"].format(english=english_url)
    return Note(state, body)


def download_buttons(page: Page, notebook_uri: str) -> list[str]:
    words = UI_TEXT[page.language]
    notebook = posixpath.basename(notebook_uri)
    buttons = [
        f'[{words["notebook"]}]({notebook}){{ .md-button download="{notebook}" .cookbook-notebook data-search-exclude="" }}'
    ]
    buttons += [
        f'[{words["download"].format(name=name)}]({name}){{ .md-button download="{name}" .cookbook-download data-search-exclude="" }}'
        for name in page.downloads
    ]
    return buttons


def tested_page(library: PageLibrary, page: Page) -> tuple[Page, bool]:
    """The page whose run verifies ``page`` (itself, or the English twin of a translation), and whether
    ``page`` shows exactly that page's blocks."""
    if page.language == "en":
        return page, True
    english = library.page(english_twin(page.path))
    return english, not translation_differences(page, english)


def verified_result(docs_dir: Path, page: Page) -> PageResult | None:
    return read_result(docs_dir, page.path.relative_to(docs_dir.resolve()).as_posix(), page.text)


def page_header(page: Page, library: PageLibrary, results: dict, docs_dir: Path, url: str, src_uri: str) -> str:
    """The header of ``page`` (built at ``url``, from ``src_uri``), as Markdown: every fact it shows is
    worked out here, and :func:`render_header` renders it."""
    note = None
    if page.language != "en" and english_twin(page.path).is_file():
        # The English page's address: the same path without the language's folder, from this page's folder.
        english_url = "../" * url.count("/") + url.removeprefix(f"{page.language}/")
        now = translation_state(page, library.page(english_twin(page.path)))
        note = translation_note(now, page.language, english_url or "./")
    if not page.is_recipe_page:
        return render_header(page, note, None, None, [])
    tested, same = tested_page(library, page)
    result = verified_result(docs_dir, tested) if same else None
    row = page_row(results, page, tested, same, docs_dir)
    return render_header(page, note, stamp(page, tested, same, result, docs_dir), row, download_buttons(page, notebook_uri(src_uri)))


def render_header(page: Page, note: Note | None, stamp: Stamp | None, runs_on: Row | None, buttons: list[str]) -> str:
    """The Markdown that goes under the page's title (empty for a page with neither a note nor a stamp)."""
    return _template().render(
        words=UI_TEXT[page.language], note=note, stamp=stamp, runs_on=runs_on, buttons=buttons
    )
