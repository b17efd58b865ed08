"""The small data files shipped in ``data/``, found from any working directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas
    import tensorflow

#: Environment variable that points the loaders at another copy of the ``data/`` folder.
DATA_DIR_VARIABLE = "COOKBOOK_DATA_DIR"


def data_dir() -> Path:
    """The folder holding the shipped data files.

    It is ``$COOKBOOK_DATA_DIR`` if that is set, else the ``data/`` folder next to the ``cookbook``
    package (where it is in a clone of the repository).

    Raises:
        FileNotFoundError: if that folder does not exist.
    """
    configured = os.environ.get(DATA_DIR_VARIABLE)
    folder = Path(configured) if configured else Path(__file__).resolve().parent.parent / "data"
    if not folder.is_dir():
        source = f"${DATA_DIR_VARIABLE}" if configured else "the repository's data/ folder"
        raise FileNotFoundError(
            f"the cookbook's data folder {folder} (from {source}) does not exist; "
            f"set {DATA_DIR_VARIABLE} to the folder that holds heart.csv"
        )
    return folder


def available_data_files() -> list[str]:
    """Names of the data files that can be passed to :func:`data_path`."""
    return sorted(p.name for p in data_dir().iterdir() if p.is_file() and p.suffix not in (".md", ".py"))


def data_path(name: str) -> Path:
    """The absolute path of a shipped data file, e.g. ``data_path("heart.csv")``.

    Args:
        name: a file name from :func:`available_data_files`; sub-folders and ``..`` are refused.

    Raises:
        TypeError: if ``name`` is not a string.
        ValueError: if ``name`` is empty or reaches outside the data folder.
        FileNotFoundError: if no such file is shipped; the message lists those that are.
    """
    if not isinstance(name, (str, os.PathLike)):
        raise TypeError(f"data_path() takes a file name as a string, got {type(name).__name__}: {name!r}")
    name = os.fspath(name)
    if not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(
            f"data_path() takes a bare file name inside the data folder, got {name!r}; "
            f"available: {', '.join(available_data_files())}"
        )
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"no data file named {name!r} in {data_dir()}; available: {', '.join(available_data_files())}"
        )
    return path


def load_heart_csv() -> pandas.DataFrame:
    """The heart-disease table (``data/heart.csv``) as a pandas DataFrame, 14 columns."""
    import pandas as pd

    return pd.read_csv(data_path("heart.csv"))


def load_sample_image() -> tensorflow.Tensor:
    """The sample photograph (``data/grace_hopper.jpg``) decoded to a ``uint8`` tensor of shape (H, W, 3)."""
    import tensorflow as tf

    return tf.io.decode_jpeg(tf.io.read_file(str(data_path("grace_hopper.jpg"))), channels=3)
