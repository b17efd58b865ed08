"""The helpers that recipes use: clear errors on bad input, nothing lost."""

import os
import runpy
from pathlib import Path

import pytest

import cookbook

REPO = Path(__file__).resolve().parent.parent


def test_data_path_finds_shipped_files_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cookbook.data_path("heart.csv") == REPO / "data" / "heart.csv"
    assert cookbook.available_data_files() == ["grace_hopper.jpg", "heart.csv"]


@pytest.mark.parametrize("name", ["../README.md", "data/heart.csv", "/etc/passwd", "..", "."])
def test_data_path_refuses_paths_outside_the_data_folder(name):
    with pytest.raises(ValueError, match="bare file name inside the data folder.*available: grace_hopper.jpg"):
        cookbook.data_path(name)


def test_data_path_refuses_an_empty_name():
    with pytest.raises(ValueError, match="got ''"):
        cookbook.data_path("")


def test_data_path_names_the_files_that_exist():
    with pytest.raises(FileNotFoundError, match=r"no data file named 'hearts.csv'.*available: .*heart.csv"):
        cookbook.data_path("hearts.csv")


@pytest.mark.parametrize("name", [None, 3, b"heart.csv"])
def test_data_path_refuses_non_strings(name):
    with pytest.raises(TypeError, match="takes a file name as a string"):
        cookbook.data_path(name)


def test_data_dir_can_be_moved_and_says_when_it_is_missing(tmp_path, monkeypatch):
    (tmp_path / "heart.csv").write_text("age\n1\n")
    monkeypatch.setenv("COOKBOOK_DATA_DIR", str(tmp_path))
    assert cookbook.data_path("heart.csv") == tmp_path / "heart.csv"
    monkeypatch.setenv("COOKBOOK_DATA_DIR", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match=r"missing \(from \$COOKBOOK_DATA_DIR\) does not exist"):
        cookbook.data_dir()


def test_heart_csv_loads_with_its_fourteen_columns():
    frame = cookbook.load_heart_csv()
    assert frame.shape == (303, 14)
    assert list(frame.columns[:3]) == ["age", "sex", "cp"] and frame["thal"].isna().sum() == 2


def test_heart_csv_is_exactly_what_its_script_writes():
    script = runpy.run_path(str(REPO / "data" / "make_heart_csv.py"))
    assert script["csv_text"]() == (REPO / "data" / "heart.csv").read_text(encoding="utf-8")


def test_sample_image_decodes_to_uint8_rgb():
    image = cookbook.load_sample_image()
    assert (tuple(image.shape), image.dtype.name) == ((600, 512, 3), "uint8")


@pytest.mark.parametrize(
    ("seed", "error"),
    [(1.5, TypeError), ("42", TypeError), (True, TypeError), (None, TypeError), (-1, ValueError), (2**32, ValueError)],
)
def test_seed_everything_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed must be"):
        cookbook.seed_everything(seed)


def test_seed_everything_makes_keras_and_tensorflow_repeat():
    import keras
    import numpy as np
    import tensorflow as tf

    def draw():
        cookbook.seed_everything(7)
        initializer = keras.initializers.GlorotNormal()
        return tf.random.normal([3]).numpy(), keras.random.normal([3]).numpy(), initializer([2, 2]).numpy()

    for first, second in zip(draw(), draw(), strict=True):
        np.testing.assert_array_equal(first, second)


def test_scratch_directory_is_entered_and_removed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with cookbook.scratch_directory("recipe-") as folder:
        assert Path.cwd() == folder and folder.name.startswith("recipe-") and not any(folder.iterdir())
        Path("model.ckpt").write_text("x")
    assert Path.cwd() == tmp_path and not folder.exists()


def test_scratch_directory_restores_the_working_directory_after_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuntimeError), cookbook.scratch_directory():
        raise RuntimeError("recipe failed")
    assert Path.cwd() == tmp_path


@pytest.mark.parametrize(("prefix", "error"), [("../x", ValueError), ("a/b", ValueError), (3, TypeError)])
def test_scratch_directory_rejects_bad_prefixes(prefix, error):
    with pytest.raises(error, match="prefix"), cookbook.scratch_directory(prefix):
        pass
    assert os.getcwd()
