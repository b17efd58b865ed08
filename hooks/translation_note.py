"""MkDocs hook: a translated page whose English page's prose changed after it was translated says so, under
its title, with a link to the English page (:mod:`cookbook.freshness`)."""

from __future__ import annotations

import re

_TITLE = re.compile(r"^# .+$", re.MULTILINE)


def note_html(state: str, language: str, english_url: str) -> str:
    from cookbook.freshness import UNMARKED
    from cookbook.translations import UI_TEXT

    words = UI_TEXT[language]
    body = words["untracked_body" if state == UNMARKED else "stale_body"].format(english=english_url)
    return (
        f'<div class="admonition warning cookbook-translation-note" data-translation="{state}" data-search-exclude>\n'
        f'<p class="admonition-title">{words["stale_title"]}</p>\n<p>{body}</p>\n</div>'
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    from cookbook.freshness import CURRENT, state
    from cookbook.page import english_twin
    from cookbook.site import pages

    library = pages(config)
    translated = library.page(page.file.abs_src_path)
    if translated.language == "en" or not english_twin(translated.path).is_file():
        return markdown
    now = state(translated, library.page(english_twin(translated.path)))
    if now == CURRENT:
        return markdown
    # The English page's address: the same path without the language's folder, from this page's folder.
    english_url = "../" * page.url.count("/") + page.url.removeprefix(f"{translated.language}/")
    title = _TITLE.search(markdown)
    at = title.end() if title else 0
    return markdown[:at] + "\n\n" + note_html(now, translated.language, english_url or "./") + "\n" + markdown[at:]
