"""What the theme's and the i18n plugin's HTML leave out or get wrong, mended on the finished page.

* Material's search overlay is a ``role="dialog"`` with no accessible name (axe-core: ``aria-dialog-name``);
  it gets one, in the page's language. (The colours are in ``docs/stylesheets/extra.css``; every page is
  checked with axe-core by ``tests/test_every_page_in_the_browser.py``.)
* The language switcher's sitemaps: Material's switcher reads ``sitemap.xml`` next to each
  ``<link rel="alternate">`` in the page head. The i18n plugin writes one sitemap, with every language's
  pages, at the site root only, and points each page's head links at the same page in the other language,
  where there is no sitemap: two 404s a page. So each language's root gets the sitemap, and the head links
  point at the language roots (the switcher's menu itself still leads to the same page in the other language).
* The 404 page is a template, not a page: the i18n plugin renders it with the language links of whichever
  page it built last. It is served at any address, so its head links and its switcher's menu lead to the
  language roots by absolute paths.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from ..page import LANGUAGES
from ..translations import UI_TEXT

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="(?P<language>[\w-]+)">')
_LANGUAGE_LINK = re.compile(r'href="[^"]*"(?P<rest> hreflang="(?P<language>[\w-]+)")')


def _home(base: str, language: str) -> str:
    """A language's home below ``base``: the site root for the default language, ``<language>/`` otherwise."""
    return base + (f"{language}/" if language in LANGUAGES else "")


def _name_search_dialog(output: str, language: str) -> str:
    name = html.escape(UI_TEXT[language]["search_dialog"], quote=True)
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


def mend_page(output: str, language: str, url: str) -> str:
    """A built page, its search dialog named and its head's language links leading to the language roots."""
    up = "../" * url.count("/") or "./"

    def to_root(match: re.Match) -> str:
        return f'<link rel="alternate" href="{_home(up, match["language"])}" hreflang="{match["language"]}">'

    return _HEAD_ALTERNATE.sub(to_root, _name_search_dialog(output, language))


def mend_404(output: str, language: str, site_url: str | None) -> str:
    base = urlsplit(site_url or "/").path.rstrip("/") + "/"
    output = _name_search_dialog(output, language if language in UI_TEXT else "en")
    return _LANGUAGE_LINK.sub(lambda match: f'href="{_home(base, match["language"])}"{match["rest"]}', output)


def copy_sitemaps(site: Path) -> None:
    sitemap = site / "sitemap.xml"
    for language in LANGUAGES:
        if sitemap.is_file() and (site / language).is_dir():
            shutil.copyfile(sitemap, site / language / "sitemap.xml")
