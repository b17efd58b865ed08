"""MkDocs hook: publishes the pictures that a page's own code draws (see cookbook.pictures).

For each page that shows ``pictures/<name>.png``, the page's code runs once (or its cached result for the
same page text and dependencies is reused) and every PNG it writes is added to the site next to the page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


def on_files(files: Files, config) -> Files:
    from cookbook.pages import quiet_cpu_tensorflow, reset_page_state
    from cookbook.pictures import PICTURE_FOLDER, cached_pictures, pictures_shown

    lock = Path(config["config_file_path"]).parent / "requirements.lock"
    lock_text = lock.read_text(encoding="utf-8") if lock.is_file() else ""
    for page in list(files.documentation_pages()):
        if not pictures_shown(Path(page.abs_src_path).read_text(encoding="utf-8")):
            continue
        quiet_cpu_tensorflow()
        try:
            pictures = cached_pictures(page.abs_src_path, lock_text, reset_page_state)
        except RuntimeError as error:
            raise PluginError(str(error)) from None
        folder = posixpath.join(posixpath.dirname(page.src_uri), PICTURE_FOLDER)
        for name, content in pictures.items():
            files.append(File.generated(config, posixpath.join(folder, name), content=content))
    return files
