"""Scratch folders: where recipes write SavedModels, checkpoints and TFRecord files."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def scratch_directory(prefix: str = "cookbook-") -> Iterator[Path]:
    """Work inside a new, empty temporary folder; the previous working directory and the folder's
    removal are restored on exit, even after an error.

    Args:
        prefix: the start of the temporary folder's name; letters, digits, ``-`` and ``_`` only.

    Raises:
        TypeError: if ``prefix`` is not a string.
        ValueError: if ``prefix`` holds a path separator or other characters that are not allowed.
    """
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a string, got {type(prefix).__name__}: {prefix!r}")
    if not all(c.isalnum() or c in "-_" for c in prefix):
        raise ValueError(f"prefix may hold only letters, digits, '-' and '_', got {prefix!r}")
    previous = Path.cwd()
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(previous)
        shutil.rmtree(folder, ignore_errors=True)
