"""The floor of verification cost: one process imports TensorFlow and executes the code of every page's
Python fences in order, extracted exactly as the harness extracts them, and checks nothing.

Prints one JSON object: the import time and the seconds spent in each page's code.
"""

import contextlib
import io
import json
import sys
import time
from pathlib import Path

from cookbook.pages import quiet_cpu_tensorflow

quiet_cpu_tensorflow()

from cookbook.scratch import scratch_directory  # noqa: E402
from cookbook.snippets import Snippet, snippets_of  # noqa: E402


def main(pages: list[Path]) -> None:
    started = time.perf_counter()
    import tensorflow  # noqa: F401

    imported = time.perf_counter()
    per_page = {}
    for page in pages:
        snippets = [s for s in snippets_of(str(page), page.read_text(encoding="utf-8")) if isinstance(s, Snippet)]
        namespace = {"__name__": "__main__"}
        page_started = time.perf_counter()
        with scratch_directory(), contextlib.redirect_stdout(io.StringIO()):
            for snippet in snippets:
                exec(compile("\n" * snippet.code.line + snippet.code.body, str(page), "exec"), namespace)
        per_page[str(page)] = time.perf_counter() - page_started
    print(json.dumps({"import_tensorflow": imported - started, "pages": per_page}))


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
