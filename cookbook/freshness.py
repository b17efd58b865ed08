"""Is a translation current? A translated page records which English prose it translates.

A translator who finishes ``x.zh.md`` runs::

    python -m cookbook.translations --mark docs/<area>/<page>.zh.md

which writes ``translated_from: <hash>`` into its front matter: the SHA-256 of the English page's prose
(:func:`prose_text`: its ``description:`` and everything outside its Python blocks and their output blocks,
with runs of white space made one space, so re-wrapping a line changes nothing). When the English prose
changes, the hashes differ: the site shows a note on the translated page (:mod:`cookbook.site.header`) and
``tests/test_translations.py`` warns. Code and outputs are not part of the hash: the tests already hold them
identical in both languages (:func:`cookbook.translations.translation_differences`).

``python -m cookbook.freshness [docs]`` lists the translations that are not current.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .page import LANGUAGES, Page, PageLibrary, english_twin

KEY = "translated_from"
CURRENT, STALE, UNMARKED = "current", "stale", "unmarked"
_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?\n)---\n", re.DOTALL)
_KEY_LINE = re.compile(rf"^{KEY}:.*\n", re.MULTILINE)


def prose_text(page: Page) -> str:
    """The page's prose: its description, then its text after the front matter without its Python blocks and
    their output blocks, white space normalised."""
    text = page.text
    cuts = sorted((block.code.start, (block.output or block.code).end) for block in page.blocks)
    kept, at = [], page.body_offset
    for start, end in cuts:
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return " ".join(" ".join([page.description, *kept]).split())


def prose_hash(page: Page) -> str:
    return hashlib.sha256(prose_text(page).encode("utf-8")).hexdigest()


def state(translated: Page, english: Page) -> str:
    """:data:`CURRENT` if the translation records the English page's current prose, :data:`STALE` if it
    records another, :data:`UNMARKED` if it records none."""
    recorded = translated.meta.get(KEY)
    if not recorded:
        return UNMARKED
    return CURRENT if str(recorded) == prose_hash(english) else STALE


def with_mark(translated: Page, english: Page) -> str:
    """The translated page's text with ``translated_from:`` set to the English page's prose hash (the other
    lines of its front matter stay as they are)."""
    line = f"{KEY}: {prose_hash(english)}\n"
    match = _FRONT_MATTER.match(translated.text)
    if match is None:
        return f"---\n{line}---\n\n{translated.text}"
    front = match["yaml"]
    front = _KEY_LINE.sub(line, front) if _KEY_LINE.search(front) else front + line
    return f"---\n{front}---\n{translated.text[match.end() :]}"


def mark(paths: list[str | Path], library: PageLibrary | None = None) -> list[Page]:
    """Record in each translated page that it translates its English page's current prose; the pages changed."""
    library = library or PageLibrary()
    changed = []
    for path in paths:
        translated = library.page(path)
        english = library.page(english_twin(translated.path))
        text = with_mark(translated, english)
        if text != translated.text:
            translated.path.write_text(text, encoding="utf-8")
            changed.append(library.page(translated.path, text))
    return changed


def translations_not_current(docs: str | Path, library: PageLibrary | None = None) -> list[tuple[Page, str]]:
    """Every translated page below ``docs`` that is not current, with its state."""
    library = library or PageLibrary()
    found = []
    for language in LANGUAGES:
        for path in sorted(Path(docs).rglob(f"*.{language}.md")):
            translated = library.page(path)
            english_path = english_twin(translated.path)
            if english_path.is_file():
                now = state(translated, library.page(english_path))
                if now != CURRENT:
                    found.append((translated, now))
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["--mark"]:
        if not argv[1:]:
            print("usage: python -m cookbook.translations --mark docs/<area>/<page>.zh.md ...")
            return 2
        for page in mark(argv[1:]):
            print(f"marked {page.shown_as} as translating the current {english_twin(page.path).name}")
        return 0
    stale = translations_not_current(argv[0] if argv else "docs")
    for page, now in stale:
        print(f"{page.shown_as}: {now}")
    return 1 if stale else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
