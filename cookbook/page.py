"""The page model: a Markdown page read once into everything the harness, the site and the tests need.

A page is front matter, a setup block (every Python fence before the first ``##`` heading) and recipes (one
per ``##`` heading). A Python fence followed by an output block, ```` ```text title="Output" ````, must
print what that block shows. Fences are found by Sybil's own Markdown lexer; their info strings (Material's
``title="..."``, ``{ .python }``) are read here.

Front matter keys the harness reads, each visible to readers of the page's source:

* ``description:`` one sentence on what the page shows (required: the home page's table of pages shows it,
  and the site build stops at a page of the navigation without one, :mod:`cookbook.site.recipe_index`);
* ``downloads: [heart.csv]`` data files from ``data/`` the code reads by a plain relative path;
* ``timeout: 120`` seconds a block of this page may run (default :data:`DEFAULT_TIMEOUT`);
* ``fresh_python: true`` the page runs in a Python process of its own;
* ``network: loopback`` the page may open sockets on 127.0.0.1 (all other pages may open none).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml
from sybil import Document
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

from .compare import DEFAULT_ATOL, DEFAULT_RTOL
from .headings import Heading, anchors, find_headings

OUTPUT_TITLE = "Output"
SKIP_PREFIX = "Not run:"
#: Seconds a block may run before it is stopped, unless the page's front matter says ``timeout:``.
DEFAULT_TIMEOUT = 60.0
#: Spellings of Python that a reader might use; only ``python`` is run, the others are errors.
PYTHON_LIKE = frozenset({"python", "py", "py3", "python3", "pycon", "ipython", "ipython3"})
NETWORK_POLICIES = ("none", "loopback")
#: What Material renders in a fence's plain info string (```python title="x"); any other attribute needs the
#: attribute-list form (``` { .text title="Output" rtol="1e-3" }) or the fence is shown as plain text.
PLAIN_INFO_ATTRIBUTES = frozenset({"title", "hl_lines", "linenums"})
LANGUAGES = {"zh": "简体中文"}

_TAB = re.compile(r'^(?P<indent>[ \t]*)=== +"(?P<title>[^"]+)"[ \t]*$')
_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?\n)---\n", re.DOTALL)
_LEXER = RawFencedCodeBlockLexer(info_pattern=re.compile(r"(?P<info>[^\n]*)\n?"))


@dataclass(frozen=True)
class Fence:
    """One fenced code block of a Markdown page."""

    start: int  #: offset of the opening fence line in the page text
    end: int  #: offset just past the closing fence line (the end of the page if unclosed)
    line: int  #: 1-based line of the opening fence
    language: str  #: the info string's language word (``python``, ``text``, ...), or ``""``
    attributes: dict[str, str] = field(default_factory=dict)  #: its ``key="value"`` attributes
    body: str = ""  #: the code between the fences, without the fence's indentation
    indent: str = ""  #: the indentation of the fence lines
    unclosed: bool = False

    @property
    def title(self) -> str:
        return self.attributes.get("title", "")

    @property
    def is_output(self) -> bool:
        return self.language in ("text", "") and self.title == OUTPUT_TITLE


@dataclass(frozen=True)
class PageError:
    """A fence that is wrong in itself: it would show something that nothing verifies."""

    line: int
    problem: str


@dataclass(frozen=True)
class Block:
    """A Python fence of a page, the output block under it, and the recipe it belongs to."""

    code: Fence
    output: Fence | None
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    #: The ``##`` heading of the recipe; ``None`` for the page's setup block.
    recipe: str | None = None
    #: The content tab (``=== "Keras 3"``) the block stands in, if any: a tab is a recipe of its own.
    tab: str | None = None

    @property
    def line(self) -> int:
        return self.code.line

    @property
    def skip_reason(self) -> str | None:
        title = self.code.title
        return title[len(SKIP_PREFIX) :].strip() if title.startswith(SKIP_PREFIX) else None


@dataclass(frozen=True)
class Recipe:
    """A recipe: a ``##`` heading's blocks, or one content tab's blocks under it (a tab is a recipe of its own)."""

    heading: Heading
    tab: str | None
    blocks: tuple[Block, ...]

    @property
    def key(self) -> tuple[str, str | None]:
        """``(heading text, tab)``, as :class:`Block` names the recipe it belongs to."""
        return self.heading.text, self.tab


@dataclass(frozen=True, eq=False)
class Page:
    """A page, parsed once. Build it with :func:`parse_page` or :meth:`PageLibrary.page`."""

    path: Path  #: absolute path of the page
    shown_as: str  #: the path as messages show it (relative to where pytest started)
    text: str
    meta: dict
    fences: tuple[Fence, ...]
    blocks: tuple[Block, ...]
    errors: tuple[PageError, ...]
    headings: tuple[Heading, ...] = ()  #: every heading outside fences, in page order

    @property
    def setup(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.recipe is None)

    @property
    def runnable(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.skip_reason is None)

    @property
    def is_recipe_page(self) -> bool:
        return bool(self.blocks)

    @property
    def language(self) -> str:
        return language_of(self.path)

    @property
    def description(self) -> str:
        return str(self.meta.get("description") or "")

    @property
    def downloads(self) -> tuple[str, ...]:
        return tuple(self.meta.get("downloads") or ())

    @property
    def timeout(self) -> float:
        return float(self.meta.get("timeout", DEFAULT_TIMEOUT))

    @property
    def fresh_python(self) -> bool:
        return bool(self.meta.get("fresh_python", False))

    @property
    def network(self) -> str:
        return str(self.meta.get("network", "none"))

    @property
    def body_offset(self) -> int:
        """Where the Markdown after the front matter starts."""
        return _body_offset(self.text)

    @property
    def code_view(self) -> str:
        """The page as Python sees it: every line of its Python blocks at its own line number, every other
        line blank. Registered as the page's source in the child, so that ``inspect.getsource`` (which
        AutoGraph and tracebacks use) finds each function's code, as it would in a script or a notebook."""
        lines = [""] * (self.text.count("\n") + 1)
        for block in self.blocks:
            for offset, line in enumerate(block.code.body.splitlines()):
                lines[block.line + offset] = line
        return "\n".join(lines) + "\n"

    def where(self, line: int) -> str:
        return f"{self.shown_as}:{line}"

    @property
    def title_heading(self) -> Heading | None:
        """The page's ``# `` heading (outside fences), if it has one."""
        return next((heading for heading in self.headings if heading.level == 1 and not heading.nested), None)

    @property
    def title(self) -> str:
        """The text of the page's ``# `` heading (its Markdown), or its file name if it has none."""
        heading = self.title_heading
        return heading.text if heading else self.path.name.split(".")[0]

    @cached_property
    def anchors(self) -> dict[Heading, str]:
        """The ``id`` MkDocs gives each heading (:mod:`cookbook.headings`)."""
        return dict(zip(self.headings, anchors(list(self.headings), self.shown_as), strict=True))

    @property
    def recipe_headings(self) -> tuple[Heading, ...]:
        return tuple(heading for heading in self.headings if heading.level == 2 and not heading.nested)

    @cached_property
    def recipes(self) -> tuple[Recipe, ...]:
        """The page's recipes with blocks, in page order: one per ``##`` heading, or per content tab under it."""
        by_text = {heading.text: heading for heading in self.recipe_headings}
        grouped: dict[tuple[str, str | None], list[Block]] = {}
        for block in self.blocks:
            if block.recipe is not None:
                grouped.setdefault((block.recipe, block.tab), []).append(block)
        return tuple(Recipe(by_text[text], tab, tuple(blocks)) for (text, tab), blocks in grouped.items())

    def recipe_of(self, block: Block) -> Recipe | None:
        """The recipe ``block`` belongs to (``None`` for the setup block)."""
        return next((recipe for recipe in self.recipes if recipe.key == (block.recipe, block.tab)), None)

    def recipe_script(self, recipe: Recipe) -> str:
        """What a reader runs for ``recipe``: the setup block followed by the recipe's code, leaving out blocks
        marked ``Not run:`` (exactly what ``pytest --isolated-recipes`` runs)."""
        setup = [block.code.body for block in self.setup if block.skip_reason is None]
        code = [block.code.body for block in recipe.blocks if block.skip_reason is None]
        return "\n".join(part.rstrip("\n") + "\n" for part in setup + code)


def _body_offset(text: str) -> int:
    match = _FRONT_MATTER.match(text)
    return match.end() if match else 0


def language_of(path: str | Path) -> str:
    """``"zh"`` for ``page.zh.md``, ``"en"`` for an English page."""
    stem = Path(path).stem
    suffix = stem.rsplit(".", 1)[1] if "." in stem else ""
    return suffix if suffix in LANGUAGES else "en"


def english_twin(path: str | Path) -> Path:
    """The English page that ``x.<language>.md`` translates."""
    path = Path(path)
    stem, _, language = path.stem.rpartition(".")
    if language not in LANGUAGES:
        raise ValueError(f"{path} is not a translated page: expected a name like page.zh.md")
    return path.with_name(f"{stem}.md")


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence's info string into its language and attributes (``python title="x"`` or
    ``{ .python title="x" }``).

    Raises:
        ValueError: if the info string has unbalanced quotes.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        info = info[1:-1].strip()
    try:
        words = shlex.split(info)
    except ValueError as error:
        raise ValueError(f"cannot read the fence's info string {info!r}: {error}") from None
    language = ""
    attributes: dict[str, str] = {}
    for position, word in enumerate(words):
        if "=" in word:
            key, _, value = word.partition("=")
            attributes[key] = value
        elif position == 0:
            language = word.lstrip(".").lower()
        elif word.startswith("."):
            attributes.setdefault("class", word[1:])
    return language, attributes


def find_fences(text: str, path: str = "<page>") -> tuple[list[Fence], list[PageError]]:
    """Every outermost fenced code block of ``text`` in page order, and the fences that cannot be read.

    Raises:
        TypeError: if ``text`` is not a string (pass the page's text, not its path).
    """
    if not isinstance(text, str):
        raise TypeError(f"find_fences() takes the page's text as a str, got {type(text).__name__}")
    regions = sorted(_LEXER(Document(text, path)), key=lambda region: region.start)
    fences, errors, covered_until = [], [], -1
    for region in regions:
        if region.start < covered_until:
            continue  # a fence shown inside a longer fence is that fence's text
        covered_until = region.end
        line = text.count("\n", 0, region.start) + 1
        opening_end = text.find("\n", region.start)
        opening_end = len(text) if opening_end < 0 else opening_end
        opening = text[region.start : opening_end]
        indent = opening[: len(opening) - len(opening.lstrip(" \t"))]
        marker = re.match(r"`{3,}|~{3,}", opening.lstrip(" \t"))[0]
        try:
            language, attributes = parse_info(region.lexemes["info"])
        except ValueError as error:
            errors.append(PageError(line, str(error)))
            continue
        braced = region.lexemes["info"].strip().startswith("{")
        unrendered = sorted(set(attributes) - PLAIN_INFO_ATTRIBUTES - {"class"})
        if unrendered and not braced:
            errors.append(
                PageError(
                    line,
                    f"Material shows a fence with {', '.join(unrendered)}= as plain text; write the attributes "
                    f'as a list, e.g. ``` {{ .{language or "text"} title="{attributes.get("title", "Output")}" '
                    + " ".join(f'{key}="{attributes[key]}"' for key in unrendered)
                    + " }",
                )
            )
            continue
        closing_start = text.rfind("\n", 0, region.end) + 1
        closing = text[closing_start : region.end].strip(" \t")
        closed = closing_start > opening_end and re.fullmatch(rf"{re.escape(marker[0])}{{{len(marker)},}}", closing)
        body_start = min(opening_end + 1, len(text))
        body = _dedent(text[body_start : closing_start if closed else len(text)], indent)
        end = region.end + 1 if closed and region.end < len(text) else region.end
        fences.append(Fence(region.start, end, line, language, attributes, body, indent, not closed))
    return fences, errors


def _dedent(body: str, indent: str) -> str:
    if not indent:
        return body
    return "".join(
        line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t") if not line.strip() else line
        for line in body.splitlines(keepends=True)
    )


def _tabs(text: str, fences: list[Fence]) -> dict[int, str]:
    """The content tab, by the offset of each fence that stands inside one."""
    inside = {fence.start: fence for fence in fences}
    found: dict[int, str] = {}
    tab: tuple[str, int] | None = None
    offset = 0
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = inside.get(offset)
        header = _TAB.match(line.rstrip("\n"))
        indent = len(line) - len(line.lstrip(" \t"))
        if header:
            tab = (header["title"], len(header["indent"]))
        elif line.strip() and tab is not None and indent <= tab[1]:
            tab = None
        if fence is not None:
            if tab is not None:
                found[fence.start] = tab[0]
            skipped = text.count("\n", fence.start, fence.end)
            offset = fence.end
            index += max(skipped, 1)
            continue
        offset += len(line)
        index += 1
    return found


def _tolerance(output: Fence | None, name: str, default: float) -> float:
    if output is None or name not in output.attributes:
        return default
    value = float(output.attributes[name])  # a ValueError becomes a PageError
    if value < 0:
        raise ValueError(f"{name} must be non-negative")
    return value


def _front_matter(text: str) -> tuple[dict, list[PageError]]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, []
    try:
        meta = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as error:
        return {}, [PageError(1, f"the front matter is not valid YAML: {error}")]
    if not isinstance(meta, dict):
        return {}, [PageError(1, "the front matter must be a mapping of keys to values")]
    errors = []
    downloads = meta.get("downloads", [])
    if not isinstance(downloads, list) or not all(isinstance(name, str) and name for name in downloads):
        errors.append(PageError(1, f"downloads: must be a list of file names from data/, got {downloads!r}"))
    timeout = meta.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 3600:
        errors.append(PageError(1, f"timeout: must be a number of seconds from 1 to 3600, got {timeout!r}"))
    if meta.get("network", "none") not in NETWORK_POLICIES:
        errors.append(PageError(1, f"network: must be one of {', '.join(NETWORK_POLICIES)}, got {meta['network']!r}"))
    if not isinstance(meta.get("fresh_python", False), bool):
        errors.append(PageError(1, f"fresh_python: must be true or false, got {meta['fresh_python']!r}"))
    return meta, errors


def parse_page(path: str | Path, text: str, shown_as: str | None = None) -> Page:
    """Read a page: its front matter, fences, blocks with their output blocks and recipes, and errors
    (a ```` ```py ```` fence, an output block that follows no code, an unclosed fence, a bad tolerance)."""
    path = Path(path).resolve()
    meta, errors = _front_matter(text)
    fences, fence_errors = find_fences(text, str(path))
    errors += fence_errors
    headings = find_headings(text, _body_offset(text), [(fence.start, fence.end) for fence in fences])
    recipe_headings = [(heading.offset, heading.text) for heading in headings if heading.level == 2 and not heading.nested]
    tabs = _tabs(text, fences)
    blocks: list[Block] = []
    claimed: set[int] = set()
    for index, fence in enumerate(fences):
        if fence.unclosed:
            errors.append(PageError(fence.line, "this fence is never closed"))
            continue
        if fence.language in PYTHON_LIKE and fence.language != "python":
            errors.append(
                PageError(
                    fence.line,
                    f"a ```{fence.language} fence is not run by the cookbook's tests; write ```python "
                    "(attributes such as title= and hl_lines= are fine) so that it is verified",
                )
            )
            continue
        if fence.language != "python":
            continue
        following = fences[index + 1] if index + 1 < len(fences) else None
        output = None
        if following and following.is_output and not text[fence.end : following.start].strip():
            output = following
            claimed.add(following.start)
        try:
            rtol, atol = _tolerance(output, "rtol", DEFAULT_RTOL), _tolerance(output, "atol", DEFAULT_ATOL)
        except ValueError as error:
            errors.append(PageError(output.line, f"bad tolerance on this output block: {error}"))
            continue
        recipe = next((title for start, title in reversed(recipe_headings) if start < fence.start), None)
        blocks.append(Block(fence, output, rtol, atol, recipe, tabs.get(fence.start)))
    for fence in fences:
        if fence.is_output and fence.start not in claimed:
            errors.append(
                PageError(fence.line, "this output block does not follow a ```python block, so nothing checks it")
            )
    return Page(
        path=path,
        shown_as=shown_as or str(path),
        text=text,
        meta=meta,
        fences=tuple(fences),
        blocks=tuple(blocks),
        errors=tuple(sorted(errors, key=lambda error: error.line)),
        headings=tuple(headings),
    )


class PageLibrary:
    """The pages of one process, each parsed once: every part of the harness asks the library."""

    def __init__(self, shown_relative_to: str | Path | None = None) -> None:
        self.root = Path(shown_relative_to or Path.cwd()).resolve()
        self._pages: dict[Path, Page] = {}
        #: How many times a page was parsed, by path (a test holds this to one).
        self.parses: dict[Path, int] = {}

    def shown_as(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def page(self, path: str | Path, text: str | None = None) -> Page:
        """The page at ``path``, parsed on first use (from ``text`` if given); again only if its text changed."""
        path = Path(path).resolve()
        known = self._pages.get(path)
        if text is None:
            if known is not None:
                return known
            text = path.read_text(encoding="utf-8")
        if known is not None and known.text == text:
            return known
        page = parse_page(path, text, self.shown_as(path))
        self._pages[path] = page
        self.parses[path] = self.parses.get(path, 0) + 1
        return page
