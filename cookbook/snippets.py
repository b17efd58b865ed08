"""A page's snippets: each Python fence, the output block shown under it, and the recipe it belongs to.

A page is a setup block (every Python fence before the first ``##`` heading) followed by recipes (one per
``##`` heading). If the fence right after a Python fence (blank lines between are fine) is an output block,
```` ```text title="Output" ````, that is what the code must print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .fences import PYTHON_LIKE, Fence, find_fences
from .outputs import DEFAULT_ATOL, DEFAULT_RTOL

OUTPUT_TITLE = "Output"
SKIP_PREFIX = "Not run:"
_RECIPE_HEADING = re.compile(r"^## +(?P<title>.+?)\s*#*\s*$", re.MULTILINE)

#: Paths in messages are shown relative to this folder: where pytest was started (pages run in scratch
#: folders, so the working directory will not do).
display_root = Path.cwd().resolve()


def display_path(path: str | Path) -> str:
    """A page's path as the reader knows it: relative to :data:`display_root`, when possible."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(display_root))
    except ValueError:
        return str(path)


@dataclass
class Snippet:
    """A Python fence of a page and the output block that follows it, if any."""

    path: str
    code: Fence
    output: Fence | None
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    #: The ``##`` heading of the recipe the snippet belongs to; ``None`` for the page's setup block.
    recipe: str | None = None
    #: True for the first snippet of its recipe.
    opens_recipe: bool = False
    #: The page's setup snippets (shared by all snippets of a page).
    setup: list[Snippet] = field(default_factory=list, repr=False)

    @property
    def location(self) -> str:
        return f"{display_path(self.path)}:{self.code.line}"

    @property
    def skip_reason(self) -> str | None:
        title = self.code.title
        return title[len(SKIP_PREFIX) :].strip() if title.startswith(SKIP_PREFIX) else None


@dataclass(frozen=True)
class PageError:
    """A fence that is wrong in itself: it would show something that nothing verifies."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.problem}"


def is_output_block(fence: Fence) -> bool:
    return fence.language in ("text", "") and fence.title == OUTPUT_TITLE


def _recipe_headings(text: str, fences: list[Fence]) -> list[tuple[int, str]]:
    """Offsets and titles of the ``##`` headings that are not inside a fence."""
    inside = [(fence.start, fence.end) for fence in fences]
    return [
        (match.start(), match["title"])
        for match in _RECIPE_HEADING.finditer(text)
        if not any(start <= match.start() < end for start, end in inside)
    ]


def _tolerance(output: Fence | None, name: str, default: float) -> float:
    if output is None or name not in output.attributes:
        return default
    value = float(output.attributes[name])  # ValueError is turned into a PageError by the caller
    if value < 0:
        raise ValueError(f"{name} must be non-negative")
    return value


def snippets_of(path: str, text: str) -> list[Snippet | PageError]:
    """Pair each Python fence of a page with its output block and its recipe.

    Returns the snippets in page order, and a :class:`PageError` for every fence that is wrong in itself:
    a Python fence spelled ``py`` or ``pycon``, an output block that follows no code, an unclosed fence,
    a tolerance that is not a number.
    """
    fences = find_fences(text)
    headings = _recipe_headings(text, fences)
    found: list[Snippet | PageError] = []
    setup: list[Snippet] = []
    claimed_outputs: set[int] = set()
    previous_recipe: str | None = None
    for index, fence in enumerate(fences):
        if fence.unclosed:
            found.append(PageError(path, fence.line, "this fence is never closed"))
            continue
        if fence.language in PYTHON_LIKE and fence.language != "python":
            problem = (
                f"a ```{fence.language} fence is not run by the cookbook's tests; write ```python "
                "(attributes such as title= and hl_lines= are fine) so that it is verified"
            )
            found.append(PageError(path, fence.line, problem))
            continue
        if fence.language != "python":
            continue
        following = fences[index + 1] if index + 1 < len(fences) else None
        output = None
        if following and is_output_block(following) and not text[fence.end : following.start].strip():
            output = following
            claimed_outputs.add(following.start)
        try:
            rtol, atol = _tolerance(output, "rtol", DEFAULT_RTOL), _tolerance(output, "atol", DEFAULT_ATOL)
        except ValueError as error:
            found.append(PageError(path, output.line, f"bad tolerance on this output block: {error}"))
            continue
        recipe = next((title for start, title in reversed(headings) if start < fence.start), None)
        snippet = Snippet(
            path, fence, output, rtol, atol, recipe, recipe is not None and recipe != previous_recipe, setup
        )
        previous_recipe = recipe
        if recipe is None:
            setup.append(snippet)
        found.append(snippet)
    for fence in fences:
        if is_output_block(fence) and fence.start not in claimed_outputs:
            problem = "this output block does not follow a ```python block, so nothing checks it"
            found.append(PageError(path, fence.line, problem))
    return found
