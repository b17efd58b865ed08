"""MkDocs hook: the version matrix (``matrix/results.json``, written by ``make matrix``) on the site.

* Under each recipe page's stamp, a "Runs on" row: one mark per TensorFlow version, ✓ where every code block
  printed what the page shows, ✗ where one did not, linked to the matrix page's account of what happened. A
  version that ran another text of the page is out of date for it, and the row says so instead of a mark; so
  does a translation whose blocks are not its English page's.
* On ``about/versions.md`` (and its translation), ``<!-- matrix:summary -->``, ``<!-- matrix:grid -->`` and
  ``<!-- matrix:failures VERSION -->`` become the environments, the grid of pages × versions and what fails
  on a version, and why.

A missing or empty results file is an empty matrix: the rows and the matrix page say that no run is on record.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage

MATRIX_PAGE = "about/versions.md"
_STAMP = re.compile(r'<div class="admonition [^"]*\bcookbook-stamp\b.*?</div>', re.DOTALL)
_MARKER = re.compile(r"<!-- matrix:(?P<what>summary|grid|failures)(?: (?P<version>[\w.]+))? -->")
_TITLE = re.compile(r"^# +(.+?)\s*$", re.MULTILINE)
_RESULTS = "cookbook_matrix_results"
#: The navigation's pages (English paths) in order, with their titles in the language being built.
_order: dict[str, str] = {}


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


def english_path(src_uri: str) -> str:
    """``tensors/x.zh.md`` -> ``tensors/x.md``."""
    from cookbook.page import LANGUAGES

    stem, _, language = src_uri.removesuffix(".md").rpartition(".")
    return f"{stem}.md" if language in LANGUAGES else src_uri


# The row on each recipe page --------------------------------------------------------------------------
def runs_on_row(results: dict, page: str, text: str | None, language: str, link: str) -> str:
    """The "Runs on" row of ``page`` (its English path below ``docs/``), for its ``text`` (``None``: a
    translation that does not show its English page's blocks, which no version ran). ``link`` is the
    matrix page, relative to the page."""
    from cookbook.matrix import anchor, page_marks
    from cookbook.translations import UI_TEXT

    words = UI_TEXT[language]
    if not results.get("versions"):
        state, body = "none", words["no_matrix"]
    else:
        marks = page_marks(results, page, text if text is not None else "")
        current = [mark for mark in marks if mark.state in ("passed", "failed")]
        stale = [mark.version for mark in marks if mark.state not in ("passed", "failed")]
        if not current:
            outdated = text is None or any(mark.state == "outdated" for mark in marks)
            state = "outdated" if outdated else "missing"
            body = words["outdated"].format(link=link) if outdated else words["not_in_matrix"]
        else:
            shown = []
            for mark in current:
                if mark.state == "passed":
                    title = words["mark_passed"].format(version=mark.version, ran=mark.ran)
                    shown.append(
                        f'<span class="cookbook-mark" data-version="{mark.version}" data-state="passed" '
                        f'title="{html.escape(title)}">{mark.version} ✓</span>'
                    )
                else:
                    title = words["mark_failed"].format(version=mark.version, passed=mark.passed, ran=mark.ran)
                    shown.append(
                        f'[{mark.version} ✗]({link}#{anchor(mark.version, page)} "{html.escape(title)}")'
                        f'{{ .cookbook-mark data-version="{mark.version}" data-state="failed" }}'
                    )
            body = " · ".join(shown)
            if stale:
                body += " · " + words["partly_outdated"].format(versions=", ".join(stale))
            body += f" — [{words['all_versions']}]({link})"
            state = "current"
    return (
        f'<div class="cookbook-matrix" data-matrix="{state}" data-search-exclude="" markdown>\n'
        f"**{words['runs_on']}** {body}\n</div>"
    )


# The matrix page ------------------------------------------------------------------------------------
class MatrixPage:
    """What the markers of the matrix page become, in one language."""

    def __init__(self, results: dict, language: str, docs_dir: Path, library, order: dict[str, str]) -> None:
        from cookbook.translations import UI_TEXT

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

    def render(self, markdown: str) -> str:
        return _MARKER.sub(self._replace, markdown)

    def _replace(self, match: re.Match) -> str:
        if not self.versions:
            return self.words["matrix_none"] if match["what"] == "summary" else ""
        if match["what"] == "summary":
            return self.summary()
        if match["what"] == "grid":
            return self.grid()
        return self.failures(match["version"] or "")

    def _local(self, page: str) -> Path:
        path = self.docs_dir / page
        translated = path.with_name(f"{path.stem}.{self.language}.md")
        return translated if self.language != "en" and translated.is_file() else path

    def title(self, page: str) -> str:
        """The page's title in the navigation (short), else its heading."""
        if self.nav_titles.get(page):
            return self.nav_titles[page]
        found = _TITLE.search(self.library.page(self._local(page)).text)
        return found.group(1) if found else page

    def link(self, page: str) -> str:
        return posixpath.relpath(page, posixpath.dirname(MATRIX_PAGE))

    def summary(self) -> str:
        from cookbook.matrix import version_anchor

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
        from cookbook.matrix import anchor, page_marks

        text = self.library.page(self.docs_dir / page).text
        [mark] = [mark for mark in page_marks(self.results, page, text) if mark.version == version]
        if mark.state == "passed":
            return f"✓ {mark.passed}", mark.passed, mark.ran
        if mark.state == "failed":
            return f"[✗ {mark.passed}/{mark.ran}](#{anchor(version, page)})", mark.passed, mark.ran
        key = "matrix_cell_outdated" if mark.state == "outdated" else "matrix_cell_missing"
        return self.words[key], 0, 0

    def grid(self) -> str:
        from cookbook.matrix import version_anchor

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
        from cookbook.matrix import anchor
        from cookbook.results import text_hash

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
                rows.append(f"| {first} | {block['line']} | {recipe} | {what} |")
        if not rows:
            return self.words["matrix_no_failures"]
        return "\n".join([self.words["matrix_failures_header"], "|---|--:|---|---|", *rows])


# MkDocs events ------------------------------------------------------------------------------------------
def results(config) -> dict:
    """The build's results file, read once (an empty matrix if it is missing or empty)."""
    if config.get(_RESULTS) is None:
        from cookbook.matrix import load_results

        config[_RESULTS] = load_results(Path(config["config_file_path"]).parent / "matrix" / "results.json")
    return config[_RESULTS]


# After the i18n plugin (priority -100) has translated the navigation's titles.
@event_priority(-110)
def on_nav(nav: Navigation, config, files) -> Navigation:
    def walk(items):
        for item in items:
            if isinstance(item, Section):
                yield from walk(item.children)
            elif isinstance(item, MkDocsPage):
                yield english_path(item.file.src_uri), item.title

    _order.clear()
    _order.update(walk(nav.items))
    return nav


def on_page_markdown(markdown: str, page: MkDocsPage, config, files) -> str:
    from cookbook.page import language_of
    from cookbook.site import pages, tested_page

    library = pages(config)
    docs_dir = Path(config["docs_dir"]).resolve()
    language = language_of(page.file.src_uri)
    if _MARKER.search(markdown):
        markdown = MatrixPage(results(config), language, docs_dir, library, _order).render(markdown)
    stamp = _STAMP.search(markdown)
    if stamp is None:
        return markdown
    recipe_page = library.page(page.file.abs_src_path)
    tested, same = tested_page(library, recipe_page)
    english = tested.path.relative_to(docs_dir).as_posix()
    link = posixpath.relpath(MATRIX_PAGE, posixpath.dirname(english))
    row = runs_on_row(results(config), english, tested.text if same else None, language, link)
    return markdown[: stamp.end()] + "\n\n" + row + markdown[stamp.end() :]
