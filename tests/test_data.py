"""The data files the pages offer for download."""

import collections
import runpy
import zipfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def test_heart_csv_loads_with_its_fourteen_columns():
    frame = pd.read_csv(REPO / "data" / "heart.csv")
    assert frame.shape == (303, 14)
    assert list(frame.columns[:3]) == ["age", "sex", "cp"] and frame["thal"].isna().sum() == 2


def test_heart_csv_is_exactly_what_its_script_writes():
    script = runpy.run_path(str(REPO / "data" / "make_heart_csv.py"))
    assert script["csv_text"]() == (REPO / "data" / "heart.csv").read_text(encoding="utf-8")


def test_reviews_csv_has_two_balanced_labels():
    frame = pd.read_csv(REPO / "data" / "reviews.csv")
    assert list(frame.columns) == ["text", "label"] and frame.shape == (400, 2)
    assert frame["label"].value_counts().to_dict() == {1: 200, 0: 200} and frame["text"].is_unique


def test_reviews_csv_is_exactly_what_its_script_writes():
    script = runpy.run_path(str(REPO / "data" / "make_reviews_csv.py"))
    assert script["csv_text"]() == (REPO / "data" / "reviews.csv").read_text(encoding="utf-8")


def test_shapes_zip_holds_sixteen_pngs_per_class_folder():
    with zipfile.ZipFile(REPO / "data" / "shapes.zip") as archive:
        names = archive.namelist()
        assert all(member.date_time == (1980, 1, 1, 0, 0, 0) for member in archive.infolist())
    folders = collections.Counter(name.rsplit("/", 1)[0] for name in names)
    assert folders == {"shapes/circle": 16, "shapes/square": 16, "shapes/triangle": 16}
    assert all(name.endswith(".png") for name in names)


def test_shapes_zip_is_exactly_what_its_script_writes():
    script = runpy.run_path(str(REPO / "data" / "make_shapes.py"))
    assert script["archive_bytes"]() == (REPO / "data" / "shapes.zip").read_bytes()


def test_every_data_file_is_listed_in_the_data_readme():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    for path in (REPO / "data").iterdir():
        if path.suffix not in (".md", ".py"):
            assert f"`{path.name}`" in readme, f"data/{path.name} is not described in data/README.md"
