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
    from cookbook.pages import quiet_cpu_tensorflow, reset_page_state
    from cookbook.pictures import PICTURE_FOLDER, cached_pictures, pictures_shown
    from cookbook.translations import language_of, source_page

    lock = Path(config["config_file_path"]).parent / "requirements.lock"
    lock_text = lock.read_text(encoding="utf-8") if lock.is_file() else ""
    for page in list(files.documentation_pages()):
        if not pictures_shown(Path(page.abs_src_path).read_text(encoding="utf-8")):
            continue
        quiet_cpu_tensorflow()
        # A translation shows its English page's code (tests/test_translations.py): draw from that page.
        source = page.abs_src_path if language_of(page.src_uri) == "en" else str(source_page(page.abs_src_path))
        folder = posixpath.join(posixpath.dirname(page.src_uri), PICTURE_FOLDER)
        if any(f.src_uri.startswith(folder + "/") for f in files):
            continue  # already published for this folder (the English and Chinese pages share them)
        try:
            pictures = cached_pictures(source, lock_text, reset_page_state)
        except RuntimeError as error:
            raise PluginError(str(error)) from None
        for name, content in pictures.items():
            files.append(File.generated(config, posixpath.join(folder, name), content=content))
    return files
