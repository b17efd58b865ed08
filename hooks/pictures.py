"""MkDocs hook: publishes the pictures that a page's own code draws (see cookbook.pictures).

For each page that shows ``pictures/<name>.png``, the page's code runs once (or its cached result for the
same page text and dependencies is reused) and every PNG it writes is added to the site next to the page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files


# After the i18n plugin (priority -100) has laid out each language's files.
@event_priority(-110)
def on_files(files: Files, config) -> Files:
    from cookbook.page import english_twin
    from cookbook.pictures import PICTURE_FOLDER, cached_pictures, pictures_shown
    from cookbook.runner import Runner
    from cookbook.site import pages

    library = pages(config)
    lock = Path(config["config_file_path"]).parent / "requirements.lock"
    lock_text = lock.read_text(encoding="utf-8") if lock.is_file() else ""
    runners: list[Runner] = []

    def runner() -> Runner:
        if not runners:
            runners.append(Runner())
        return runners[0]

    drawn_from: set[Path] = set()
    published: dict[str, str] = {}  # each picture's path in the site -> the page whose code drew it
    try:
        for file in list(files.documentation_pages()):
            page = library.page(file.abs_src_path)
            if not pictures_shown(page.text):
                continue
            # A translation shows its English page's code (the plugin checks it): draw from that page, once
            # for both; several pages of one folder share its pictures/ folder, each with its own names.
            source = page if page.language == "en" else library.page(english_twin(page.path))
            if source.path in drawn_from:
                continue
            drawn_from.add(source.path)
            folder = posixpath.join(posixpath.dirname(file.src_uri), PICTURE_FOLDER)
            try:
                pictures = cached_pictures(source, lock_text, runner)
            except RuntimeError as error:
                raise PluginError(str(error)) from None
            for name, content in pictures.items():
                site_path = posixpath.join(folder, name)
                if site_path in published:
                    raise PluginError(f"{source.shown_as} and {published[site_path]} both draw {site_path}")
                published[site_path] = source.shown_as
                files.append(File.generated(config, site_path, content=content))
    finally:
        for each in runners:
            each.close()
    return files
