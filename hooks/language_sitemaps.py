"""MkDocs hook: the language switcher's sitemaps, with no failed request on any page.

Material's switcher reads ``sitemap.xml`` next to each ``<link rel="alternate">`` in the page head. The i18n
plugin writes one sitemap, with every language's pages, at the site root only, and points each page's head
links at the same page in the other language, where there is no sitemap: two 404s a page. So each
language's root gets the sitemap, and the head links point at the language roots (the switcher's menu
itself still leads to the same page in the other language).

The 404 page is a template, not a page: the i18n plugin renders it with the language links of whichever
page it built last. It is served at any address, so its head links and its switcher's menu lead to the
language roots by absolute paths.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

_HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="(?P<language>[\w-]+)">')
_LANGUAGE_LINK = re.compile(r'href="[^"]*"(?P<rest> hreflang="(?P<language>[\w-]+)")')


def _home(base: str, language: str) -> str:
    """A language's home below ``base``: the site root for the default language, ``<language>/`` otherwise."""
    from cookbook.page import LANGUAGES

    return base + (f"{language}/" if language in LANGUAGES else "")


def on_post_page(output: str, page, config) -> str:
    up = "../" * page.url.count("/") or "./"

    def to_root(match: re.Match) -> str:
        return f'<link rel="alternate" href="{_home(up, match["language"])}" hreflang="{match["language"]}">'

    return _HEAD_ALTERNATE.sub(to_root, output)


def on_post_template(output: str, template_name: str, config) -> str:
    if template_name != "404.html":
        return output
    base = urlsplit(config["site_url"] or "/").path.rstrip("/") + "/"
    return _LANGUAGE_LINK.sub(lambda match: f'href="{_home(base, match["language"])}"{match["rest"]}', output)


# After the i18n plugin (priority -100) has built the other languages into the same site folder.
@event_priority(-110)
def on_post_build(config) -> None:
    from cookbook.page import LANGUAGES

    site = Path(config["site_dir"])
    sitemap = site / "sitemap.xml"
    for language in LANGUAGES:
        if sitemap.is_file() and (site / language).is_dir():
            shutil.copyfile(sitemap, site / language / "sitemap.xml")
