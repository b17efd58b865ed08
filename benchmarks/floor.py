"""The floor of verification cost: one process imports TensorFlow and executes the code of every page's
Python blocks in order, in a folder with the page's downloads, and checks nothing.

Prints one JSON object: the import time and the seconds spent in each page's code.
"""

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cookbook.page import PageLibrary
from cookbook.runner import data_folder


def main(paths: list[Path]) -> None:
    started = time.perf_counter()
    import tensorflow  # noqa: F401

    imported = time.perf_counter()
    library = PageLibrary()
    per_page = {}
    home = os.getcwd()
    for path in paths:
        page = library.page(path)
        namespace = {"__name__": "__main__"}
        with tempfile.TemporaryDirectory() as folder:
            os.chdir(folder)
            for name in page.downloads:
                shutil.copyfile(data_folder() / name, name)
            page_started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                for block in page.runnable:
                    exec(compile("\n" * block.line + block.code.body, str(page.path), "exec"), namespace)
            per_page[str(path)] = time.perf_counter() - page_started
            os.chdir(home)
    print(json.dumps({"import_tensorflow": imported - started, "pages": per_page}))


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
