"""The version matrix (``matrix/results.json``, written by ``make matrix``) on the site.

* Under each recipe page's stamp, a "Runs on" row (:func:`runs_on`): one mark per TensorFlow version, ✓ where
  every code block printed what the page shows, ✗ where one did not, linked to the matrix page's account of
  what happened. A version that ran another text of the page is out of date for it, and the row says so
  instead of a mark; so does a translation whose blocks are not its English page's.
* Under an output block whose exception or warning message read otherwise on some version, that wording
  (:func:`older_wording_notes`): "On TensorFlow 2.16–2.18 this message reads:", then the lines that version
  printed, as ``make matrix`` recorded them; so a reader who pastes the older text into the search finds the
  recipe. The page's text is not changed (the matrix's hash of it stays valid).
* On ``about/versions.md`` (and its translation), the markers ``<!-- cookbook:matrix-summary -->``,
  ``<!-- cookbook:matrix-grid -->`` and ``<!-- cookbook:matrix-failures VERSION -->`` become the environments,
  the grid of pages × versions and what fails on a version, and why (:class:`MatrixPage`).

A missing or empty results file is an empty matrix: the rows and the matrix page say that no run is on record.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..headings import Heading
from ..matrix import (
    anchor,
    block_anchor,
    older_messages,
    page_marks,
    recipe_failures,
    version_anchor,
    version_order,
    version_spans,
)
from ..page import Page, PageLibrary, Recipe
from ..results import text_hash
from ..translations import UI_TEXT
from . import error_index

MATRIX_PAGE = "about/versions.md"


@dataclass(frozen=True)
class Row:
    """A page's "Runs on" row."""

    state: str  #: ``current``, ``outdated``, ``missing`` or ``none`` (no matrix on record)
    body: str  #: Markdown


def _escaped(text: str) -> str:
    """Text that Markdown shows as it is, even in a table cell."""
    return "".join(
        f"&#{ord(char)};" if char in "\\`*_{}[]()#+!|~^" else html.escape(char, quote=False) for char in text
    )


def _cell(markdown: str) -> str:
    """A page's own Markdown (a title, a heading) in a table cell: as Markdown, with its pipes escaped."""
    return markdown.replace("|", "\\|")


def _code(text: str) -> str:
    return f"<code>{_escaped(text)}</code>" if text else "<code></code>"


# The row on each recipe page --------------------------------------------------------------------------
@dataclass(frozen=True)
class PageRecipes:
    """A page's recipes as the matrix knows them: by the lines of their blocks in the page that ran."""

    lines: dict[str, tuple[int, ...]]  #: each recipe's blocks, by the recipe's name (its heading, › its tab)
    setup: tuple[int, ...]
    recipes: dict[str, Recipe]  #: each recipe of the page shown, by name


def page_recipes(shown: Page, tested: Page) -> PageRecipes:
    """The recipes of ``shown``, whose blocks are exactly those of ``tested`` (itself, or its English page),
    with the lines of their blocks in ``tested``. A page whose code is all setup is one recipe."""
    lines: dict[str, list[int]] = {}
    setup: list[int] = []
    recipes: dict[str, Recipe] = {}
    for mine, ran in zip(shown.blocks, tested.blocks, strict=True):
        recipe = shown.recipe_of(mine)
        if recipe is None:
            setup.append(ran.line)
            continue
        name = recipe.heading.text + (f" › {recipe.tab}" if recipe.tab else "")
        lines.setdefault(name, []).append(ran.line)
        recipes[name] = recipe
    if not lines:
        return PageRecipes({shown.title: tuple(setup)}, (), {})
    return PageRecipes({name: tuple(found) for name, found in lines.items()}, tuple(setup), recipes)


def runs_on(
    results: dict, page: str, text: str | None, language: str, link: str, recipes: PageRecipes | None = None
) -> Row:
    """The "Runs on" row of ``page`` (its English path below ``docs/``), for its ``text`` (``None``: a
    translation that does not show its English page's blocks, which no version ran). ``link`` is the
    matrix page, relative to the page. Each version's mark counts the page's ``recipes`` that print what
    the page shows (without ``recipes``, its blocks)."""
    words = UI_TEXT[language]
    if not results.get("versions"):
        return Row("none", words["no_matrix"])
    marks = page_marks(results, page, text if text is not None else "")
    current = [mark for mark in marks if mark.state in ("passed", "failed")]
    stale = [mark.version for mark in marks if mark.state == "outdated"]
    missing = [mark.version for mark in marks if mark.state == "missing"]
    if not current:
        outdated = text is None or any(mark.state == "outdated" for mark in marks)
        if outdated:
            return Row("outdated", words["outdated"].format(link=link))
        return Row("missing", words["not_in_matrix"])
    failures = recipe_failures(results, page, text, recipes.lines, recipes.setup) if recipes else {}
    shown = []
    for mark in current:
        passed, ran, unit = mark.passed, mark.ran, "blocks"
        if mark.version in failures:
            outcomes = failures[mark.version].values()
            passed, ran, unit = sum(line is None for line in outcomes), len(outcomes), "recipes"
        if mark.state == "passed":
            title = words[f"mark_passed_{unit}"].format(version=mark.version, ran=ran)
            shown.append(
                f'<span class="cookbook-mark" data-version="{mark.version}" data-state="passed" '
                f'title="{html.escape(title)}">{mark.version} ✓</span>'
            )
        else:
            title = words[f"mark_failed_{unit}"].format(version=mark.version, passed=passed, ran=ran)
            shown.append(
                f'[{mark.version} ✗ {passed}/{ran}]({link}#{anchor(mark.version, page)} "{html.escape(title)}")'
                f'{{ .cookbook-mark data-version="{mark.version}" data-state="failed" }}'
            )
    body = " · ".join(shown)
    if stale:
        body += " · " + words["partly_outdated"].format(versions=", ".join(stale))
    if missing:  # a run of some pages only (run.py --pages) left this one out
        body += " · " + words["partly_missing"].format(versions=", ".join(missing))
    return Row("current", body + f" — [{words['all_versions']}]({link})")


def recipe_marks(results: dict, page: str, text: str, language: str, link: str, recipes: PageRecipes) -> dict[Heading, str]:
    """The mark under each recipe heading of which a recipe (or a tab of it) does not print what the page
    shows on some version: those versions, each linked to what it printed there, on the matrix page."""
    words = UI_TEXT[language]
    failed: dict[str, list[tuple[str, int]]] = {}
    for version, outcomes in recipe_failures(results, page, text, recipes.lines, recipes.setup).items():
        for name, line in outcomes.items():
            if line is not None and name in recipes.recipes:
                failed.setdefault(name, []).append((version, line))
    marks: dict[Heading, list[str]] = {}
    for name, versions in failed.items():
        recipe = recipes.recipes[name]
        links = ", ".join(
            f'[{version}]({link}#{block_anchor(version, page, line)} "{html.escape(words["recipe_mark_title"].format(version=version))}")'
            for version, line in versions
        )
        key = "recipe_tab_differs" if recipe.tab else "recipe_differs"
        marks.setdefault(recipe.heading, []).append(words[key].format(tab=recipe.tab, versions=links))
    return {
        heading: "\n" + " ".join(found) + "\n{ .cookbook-recipe-versions data-search-exclude }\n\n"
        for heading, found in marks.items()
    }


def page_row(results: dict, shown: Page, tested: Page, same: bool, docs_dir: Path) -> Row:
    """The row of the page ``shown``, whose code is verified by the page ``tested`` (itself, or its English
    page), showing exactly ``tested``'s blocks if ``same``."""
    english = tested.path.relative_to(docs_dir).as_posix()
    link = posixpath.relpath(MATRIX_PAGE, posixpath.dirname(english))
    if not same:
        return runs_on(results, english, None, shown.language, link)
    return runs_on(results, english, tested.text, shown.language, link, page_recipes(shown, tested))


def page_recipe_marks(results: dict, shown: Page, tested: Page, docs_dir: Path) -> dict[Heading, str]:
    """:func:`recipe_marks` of the page ``shown``, which shows exactly the blocks of ``tested``."""
    english = tested.path.relative_to(docs_dir).as_posix()
    link = posixpath.relpath(MATRIX_PAGE, posixpath.dirname(english))
    return recipe_marks(results, english, tested.text, shown.language, link, page_recipes(shown, tested))


# Other versions' wording of a message -------------------------------------------------------------------
#: The class of the note under an output block that shows another version's wording (the site test finds it).
OLDER_WORDING_CLASS = "cookbook-older-wording"


def versions_label(versions: tuple[str, ...] | list[str], results: dict, language: str) -> str:
    """``versions`` as the note words them: "TensorFlow 2.16–2.18 and the nightly"."""
    words = UI_TEXT[language]
    known = sorted(results.get("versions", {}), key=version_order)
    spans = [span for span in version_spans(list(versions), known) if span != "nightly"]
    parts = [words["older_versions_numbered"].format(spans=words["list_separator"].join(spans))] if spans else []
    if "nightly" in versions:
        parts.append(words["older_versions_nightly"])
    return words["older_versions_and"].join(parts)


def older_wordings(
    results: dict, shown: Page, tested: Page, docs_dir: Path
) -> dict[int, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """For each block of ``shown`` (which shows exactly ``tested``'s blocks), by its line in ``shown``, whose
    messages read otherwise on some versions that ran ``tested``'s text: each wording's versions and lines
    (:func:`cookbook.matrix.older_messages`)."""
    english = tested.path.relative_to(docs_dir).as_posix()
    found = older_messages(results, english, tested.text)
    return {
        mine.line: found[ran.line]
        for mine, ran in zip(shown.blocks, tested.blocks, strict=True)
        if ran.line in found and mine.output is not None
    }


def labelled_wordings(results: dict, shown: Page, tested: Page, docs_dir: Path) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
    """:func:`older_wordings`, each wording's versions as ``shown``'s language words them (:func:`versions_label`)."""
    return {
        line: [(versions_label(versions, results, shown.language), lines) for versions, lines in wordings]
        for line, wordings in older_wordings(results, shown, tested, docs_dir).items()
    }


def older_wording_notes(results: dict, shown: Page, tested: Page, docs_dir: Path) -> dict[int, str]:
    """The notes to insert into ``shown``'s text, by offset (right after the output block they belong to): an
    admonition per wording, titled with its versions, the lines as code."""
    words = UI_TEXT[shown.language]
    notes: dict[int, str] = {}
    blocks = {block.line: block for block in shown.blocks}
    for line, wordings in labelled_wordings(results, shown, tested, docs_dir).items():
        output = blocks[line].output
        indent = output.indent
        text = ""
        for versions, lines in wordings:
            key = "older_message" if len(lines) == 1 else "older_messages"
            title = words[key].format(versions=versions)
            body = "\n\n".join(f"{indent}    {error_index.code_span(line)}" for line in lines)
            text += f'\n{indent}!!! info {OLDER_WORDING_CLASS} "{title}"\n\n{body}\n'
        notes[output.end] = text + "\n"
    return notes


# The matrix page ------------------------------------------------------------------------------------
class MatrixPage:
    """What the markers of the matrix page become, in one language."""

    def __init__(self, results: dict, language: str, docs_dir: Path, library: PageLibrary, order: dict[str, str]) -> None:
        self.results, self.language, self.docs_dir, self.library = results, language, docs_dir, library
        self.words = UI_TEXT[language]
        self.versions = results.get("versions", {})
        recipe_pages = sorted(
            path.relative_to(docs_dir).as_posix()
            for path in docs_dir.rglob("*.md")
            if path.name.count(".") == 1 and library.page(path).is_recipe_page
        )
        known = [page for page in order if page in recipe_pages]
        self.pages = known + [page for page in recipe_pages if page not in known]
        self.nav_titles = dict(order)

    def handlers(self) -> dict:
        """What the matrix page's markers become."""
        if not self.versions:
            return {
                "matrix-summary": lambda _: self.words["matrix_none"],
                "matrix-grid": lambda _: "",
                "matrix-failures": lambda _: "",
            }
        return {
            "matrix-summary": lambda _: self.summary(),
            "matrix-grid": lambda _: self.grid(),
            "matrix-failures": lambda version: self.failures(version or ""),
        }

    def _local(self, page: str) -> Path:
        path = self.docs_dir / page
        translated = path.with_name(f"{path.stem}.{self.language}.md")
        return translated if self.language != "en" and translated.is_file() else path

    def title(self, page: str) -> str:
        """The page's title in the navigation (short), else its heading."""
        if self.nav_titles.get(page):
            return self.nav_titles[page]
        local = self.library.page(self._local(page))
        return local.title if local.title_heading else page

    def link(self, page: str) -> str:
        return posixpath.relpath(page, posixpath.dirname(MATRIX_PAGE))

    def summary(self) -> str:
        newest = max(self.versions.values(), key=lambda entry: entry["date"])
        machine = newest["machine"]
        entries = self.versions.values()
        dates = sorted({entry["date"][:10] for entry in entries})
        pythons = sorted({entry["packages"]["python"] for entry in entries})
        lines = [
            self.words["matrix_last_run"].format(
                date=" – ".join(dict.fromkeys([dates[0], dates[-1]])),
                cores=machine["cores"],
                cpu=html.escape(machine["cpu"]),
                system=machine["system"],
                python=", ".join(pythons),
            ),
            "",
            self.words["matrix_versions_header"],
            "|---|---|---|---|---|--:|--:|",
        ]
        for version, entry in self.versions.items():
            packages, counts = entry["packages"], entry["totals"]
            tensorflow = f"[{packages['tensorflow']}](#{version_anchor(version)})"
            if packages["tensorflow_wheel"] != "tensorflow-cpu":
                tensorflow += f" ({packages['tensorflow_wheel']})"
            if len(dates) > 1:
                tensorflow += f", {entry['date'][:10]}"
            lines.append(
                f"| {tensorflow} | {packages['keras']} | {packages['tf_keras']} | {packages['numpy']} | "
                f"{packages['pandas']} | {entry['install_seconds']:.0f} s + {entry['run_seconds']:.0f} s | "
                f"{counts['passed']} · {counts['differs']} · {counts['error']} |"
            )
        return "\n".join(lines)

    def cell(self, version: str, page: str) -> tuple[str, int, int]:
        text = self.library.page(self.docs_dir / page).text
        [mark] = [mark for mark in page_marks(self.results, page, text) if mark.version == version]
        if mark.state == "passed":
            return f"✓ {mark.passed}", mark.passed, mark.ran
        if mark.state == "failed":
            return f"[✗ {mark.passed}/{mark.ran}](#{anchor(version, page)})", mark.passed, mark.ran
        key = "matrix_cell_outdated" if mark.state == "outdated" else "matrix_cell_missing"
        return self.words[key], 0, 0

    def grid(self) -> str:
        names = [f"[{version}](#{version_anchor(version)})" for version in self.versions]
        lines = [
            f"| {self.words['matrix_grid_page']} | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
        ]
        sums = {version: [0, 0] for version in self.versions}
        for page in self.pages:
            cells = []
            for version in self.versions:
                shown, passed, ran = self.cell(version, page)
                sums[version][0] += passed
                sums[version][1] += ran
                cells.append(shown)
            lines.append(f"| [{_cell(self.title(page))}]({self.link(page)}) | " + " | ".join(cells) + " |")
        lines.append(
            f"| **{self.words['matrix_grid_all']}** | "
            + " | ".join(f"**{passed}/{ran}**" for passed, ran in sums.values())
            + " |"
        )
        return "\n".join(lines)

    def recipe(self, page: str, line: int, recipe: str | None) -> str:
        """The recipe's heading as this language's page words it (its block at the same place)."""
        english = self.library.page(self.docs_dir / page)
        local = self.library.page(self._local(page))
        index = next((i for i, block in enumerate(english.blocks) if block.line == line), None)
        if local is not english and index is not None and index < len(local.blocks):
            return local.blocks[index].recipe or ""
        return recipe or ""

    def failures(self, version: str) -> str:
        entry = self.versions.get(version)
        if entry is None:
            return self.words["matrix_not_run"].format(version=version)
        rows = []
        for page, found in entry["pages"].items():
            failed = [block for block in found["blocks"] if block["outcome"] in ("differs", "error")]
            if not failed:
                continue
            path = self.docs_dir / page
            changed = not path.is_file() or text_hash(self.library.page(path).text) != found["sha256"]
            title = _cell(self.title(page)) if path.is_file() else _escaped(page)
            label = f"[{title}]({self.link(page)})" if path.is_file() else title
            if changed:
                label += " " + self.words["matrix_changed_since"]
            for number, block in enumerate(failed):
                if block["outcome"] == "differs":
                    what = self.words["matrix_differs"].format(
                        expected=_code(block["expected"]), got=_code(block["got"])
                    )
                else:
                    message = " ".join(block["message"].splitlines())
                    what = f"<code>{_escaped(block['type'])}</code>: {_escaped(message)}"
                first = f'<span id="{anchor(version, page)}"></span>{label}' if number == 0 else ""
                recipe = _cell(self.recipe(page, block["line"], block["recipe"])) if path.is_file() else ""
                line = f'<span id="{block_anchor(version, page, block["line"])}"></span>{block["line"]}'
                rows.append(f"| {first} | {line} | {recipe} | {what} |")
        if not rows:
            return self.words["matrix_no_failures"]
        return "\n".join([self.words["matrix_failures_header"], "|---|--:|---|---|", *rows])
