"""MkDocs hook: what the theme's templates leave out for assistive technology.

Material's search overlay is a ``role="dialog"`` with no accessible name (axe-core: ``aria-dialog-name``); it
gets one, in the page's language. The colours are in ``docs/stylesheets/extra.css``; every page is checked
with axe-core by ``tests/test_every_page_in_the_browser.py``.
"""

from __future__ import annotations

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page, config) -> str:
    import html

    from cookbook.page import language_of
    from cookbook.translations import UI_TEXT

    name = html.escape(UI_TEXT[language_of(page.file.src_uri)]["search_dialog"], quote=True)
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


def on_post_template(output: str, template_name: str, config) -> str:
    """The site's 404 page, which is a template rather than a page."""
    if template_name != "404.html":
        return output
    from cookbook.translations import UI_TEXT

    language = config["theme"]["language"] if config["theme"]["language"] in UI_TEXT else "en"
    return output.replace(
        _SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{UI_TEXT[language]["search_dialog"]}">', 1
    )
