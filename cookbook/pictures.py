"""Pictures that a page's recipes draw: run the page's code and collect the PNG files it writes.

A recipe writes a picture with a path relative to its working directory, ``pictures/<name>.png``, and the
page shows it with ``![...](pictures/<name>.png)``. The site build (:mod:`cookbook.site.files`) runs the page's
code once to produce them, so a picture on the site is always what the code on the page draws. Results are
cached outside the repository, keyed on the page's text and the pinned dependencies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from .page import Page
from .results import cache_home
from .runner import Runner

PICTURE_FOLDER = "pictures"
PICTURE_LINK = re.compile(rf"\]\({PICTURE_FOLDER}/(?P<name>[\w.-]+\.png)\)")


def pictures_shown(text: str) -> list[str]:
    """Names of the pictures a page shows from its ``pictures/`` folder, in page order."""
    return list(dict.fromkeys(match["name"] for match in PICTURE_LINK.finditer(text)))


def cache_folder(page_text: str, lock_text: str) -> Path:
    """Where the pictures of this exact page text, under these exact dependencies, are kept."""
    key = hashlib.sha256(f"{page_text}\0{lock_text}".encode()).hexdigest()[:24]
    return cache_home() / "pictures" / key


def draw_pictures(page: Page, runner: Runner) -> dict[str, bytes]:
    """Run the page's blocks; return the PNG files its code wrote to ``pictures/``.

    Raises:
        RuntimeError: if a block raises or a fence is wrong, or a picture the page shows was not written;
            the message names the page and line.
    """
    if page.errors:
        raise RuntimeError(page.where(page.errors[0].line) + ": " + page.errors[0].problem)
    run = runner.run_page(page, keep_files=PICTURE_FOLDER)
    for line, error in run.errors.items():
        raise RuntimeError(f"{page.where(line)}: drawing the page's pictures failed:\n{error}")
    drawn = {name: content for name, content in run.files.items() if name.endswith(".png")}
    missing = [name for name in pictures_shown(page.text) if name not in drawn]
    if missing:
        raise RuntimeError(f"{page.shown_as} shows pictures that its code does not write: {', '.join(missing)}")
    return drawn


def cached_pictures(page: Page, lock_text: str, runner: Callable[[], Runner]) -> dict[str, bytes]:
    """:func:`draw_pictures`, reusing an earlier result for the same page text and dependencies;
    ``runner`` gives the :class:`Runner` to draw with when there is none."""
    folder = cache_folder(page.text, lock_text)
    if folder.is_dir() and all((folder / name).is_file() for name in pictures_shown(page.text)):
        return {path.name: path.read_bytes() for path in sorted(folder.glob("*.png"))}
    drawn = draw_pictures(page, runner())
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in drawn.items():
        (folder / name).write_bytes(content)
    return drawn
