"""MkDocs hook: gives each translated edition the sitemap that Material's language switcher reads.

The switcher finds the same page in the other language by fetching ``<language root>/sitemap.xml``; the
i18n plugin writes one sitemap, with every language's pages, at the site root only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.plugins import event_priority


# After the i18n plugin (priority -100) has built the other languages into the same site folder.
@event_priority(-110)
def on_post_build(config) -> None:
    from cookbook.translations import LANGUAGES

    site = Path(config["site_dir"])
    sitemap = site / "sitemap.xml"
    for language in LANGUAGES:
        if sitemap.is_file() and (site / language).is_dir():
            shutil.copyfile(sitemap, site / language / "sitemap.xml")
