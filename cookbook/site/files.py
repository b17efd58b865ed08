"""The files the site adds next to the pages: each recipe page as a notebook (:mod:`cookbook.notebooks`), the
data files it reads (``downloads:``), and the pictures its code draws (:mod:`cookbook.pictures`: the page's
code runs once, or its cached result for the same page text and dependencies is reused)."""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..notebooks import notebook_json
from ..page import PageLibrary, english_twin
from ..pictures import PICTURE_FOLDER, cached_pictures, pictures_shown
from ..runner import Runner, data_folder


def notebook_uri(src_uri: str) -> str:
    return posixpath.splitext(src_uri)[0] + ".ipynb"


def add_notebooks_and_data(files: Files, config, library: PageLibrary) -> None:
    for file in list(files.documentation_pages()):
        page = library.page(file.abs_src_path)
        if not page.is_recipe_page:
            continue
        files.append(File.generated(config, notebook_uri(file.src_uri), content=notebook_json(page)))
        for name in page.downloads:
            uri = posixpath.join(posixpath.dirname(file.src_uri), name)
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=(data_folder() / name).read_bytes()))


def add_pictures(files: Files, config, library: PageLibrary, lock: Path) -> None:
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
            # A translation shows its English page's code (the harness checks it): draw from that page, once
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
