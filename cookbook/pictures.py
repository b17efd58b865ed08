"""Pictures that a page's recipes draw: run the page's code and collect the PNG files it writes.

A recipe writes a picture with a path relative to its working directory, ``pictures/<name>.png``, and the
page shows it with ``![...](pictures/<name>.png)``. The site build (``hooks/pictures.py``) runs the page's
code once to produce them, so a picture on the site is always what the code on the page draws. Results are
cached outside the repository, keyed on the page's text and the pinned dependencies.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .harness import SnippetError, run_snippet
from .results import cache_home
from .scratch import scratch_directory
from .snippets import PageError, Snippet, display_path, snippets_of

PICTURE_FOLDER = "pictures"
PICTURE_LINK = re.compile(rf"\]\({PICTURE_FOLDER}/(?P<name>[\w.-]+\.png)\)")


def pictures_shown(text: str) -> list[str]:
    """Names of the pictures a page shows from its ``pictures/`` folder, in page order."""
    return list(dict.fromkeys(match["name"] for match in PICTURE_LINK.finditer(text)))


def cache_folder(page_text: str, lock_text: str) -> Path:
    """Where the pictures of this exact page text, under these exact dependencies, are kept."""
    key = hashlib.sha256(f"{page_text}\0{lock_text}".encode()).hexdigest()[:24]
    return cache_home() / "pictures" / key


def draw_pictures(page: str | Path, reset_page=None) -> dict[str, bytes]:
    """Run every Python fence of ``page`` in a scratch folder; return the PNG files it wrote to ``pictures/``.

    Raises:
        RuntimeError: if a fence raises, or a picture the page shows was not written; the message names
            the page and line.
    """
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    namespace: dict = {}
    with scratch_directory("cookbook-pictures-") as folder:
        if reset_page is not None:
            reset_page(namespace)
        for item in snippets_of(str(page), text):
            if isinstance(item, PageError):
                raise RuntimeError(str(item))
            if isinstance(item, Snippet) and item.skip_reason is None:
                try:
                    run_snippet(item, namespace)
                except SnippetError as error:
                    raise RuntimeError(f"{item.location}: drawing the page's pictures failed:\n{error}") from None
        drawn = {path.name: path.read_bytes() for path in sorted(folder.rglob(f"{PICTURE_FOLDER}/*.png"))}
    missing = [name for name in pictures_shown(text) if name not in drawn]
    if missing:
        raise RuntimeError(f"{display_path(page)} shows pictures that its code does not write: {', '.join(missing)}")
    return drawn


def cached_pictures(page: str | Path, lock_text: str, reset_page=None) -> dict[str, bytes]:
    """:func:`draw_pictures`, reusing an earlier result for the same page text and dependencies."""
    text = Path(page).read_text(encoding="utf-8")
    folder = cache_folder(text, lock_text)
    if folder.is_dir() and all((folder / name).is_file() for name in pictures_shown(text)):
        return {path.name: path.read_bytes() for path in sorted(folder.glob("*.png"))}
    drawn = draw_pictures(page, reset_page)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in drawn.items():
        (folder / name).write_bytes(content)
    return drawn
