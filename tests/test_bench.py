"""The benchmark's table (the measuring itself runs in `make bench`, not in the tests)."""

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench"] = bench  # dataclasses look their module up there
spec.loader.exec_module(bench)


def test_table_reports_medians_ratios_and_targets():
    found = bench.Measurements(runs=3, measured_on="2026-01-01", machine="a test machine")
    found.floor, found.pytest_docs, found.notebooks = [8.0, 7.0, 9.0], [9.0, 9.5, 10.0], [80.0, 81.0, 79.0]
    found.import_tensorflow, found.one_page = [2.5, 2.6, 2.7], [3.0, 3.1, 3.2]
    found.per_page = {str(REPO / "docs" / "training" / "losses.md"): [0.1, 0.2, 0.3]}
    found.builds = [("`mkdocs build --strict`", [12.0, 11.0, 13.0])]
    table = bench.render(found)
    assert "| `pytest docs/` | 9.50 s (9.00–10.00) | 1.19 × floor | ≤ 1.3 × floor: met |" in table
    assert "8.4 × `pytest docs/` | ≥ 3 × `pytest docs/`: met" in table
    assert "import + 0.50 s | ≤ import + 2 s: met" in table
    assert "| `mkdocs build --strict` | 12.00 s (11.00–13.00) |  | ≤ 10 s: **missed** |" in table
    assert "| `training/losses.md` | 0.20 |" in table
    chinese = bench.chinese(table, found.measured_on, found.machine, found.runs)
    assert chinese.startswith("2026-01-01 由 `make bench` 测得（每项运行 3 次")
    assert "1.19 × 下限 | ≤ 1.3 × 下限：达到" in chinese and "10 s：**未达到**" in chinese


def test_the_suite_table_splits_make_test_by_part_and_page():
    suite = bench.SuiteRun(
        wall=280.0,
        seconds={
            "docs/training/losses.md::line:15,column:1": 3.0,
            "docs/training/losses.zh.md::line:15,column:1": 1.0,
            "tests/test_notebooks.py::test_the_notebook_prints_in_jupyter_what_the_page_shows[training/losses.md]": 50.0,
            "tests/test_site.py::test_every_page_is_built": 20.0,
            "tests/test_browser.py::test_copy_button_copies_the_code_and_nothing_else": 4.0,
            "tests/test_harness.py::test_matching_output_passes": 6.0,
            "tests/test_compare.py::test_identical_outputs_agree": 1.0,
        },
        notebooks={
            "tests/test_notebooks.py::test_the_notebook_prints_in_jupyter_what_the_page_shows[training/losses.md]": 7.5
        },
        pages=2,
    )
    table = "\n".join(bench.render_suite(suite))
    assert "280 s wall, ≤ 300 s: met" in table
    assert "| pages: every recipe after its setup block (`docs/`, both languages) | 4 | 2.0 |" in table
    assert "| notebooks: every page in a fresh Jupyter kernel | 50 | 25.0 |" in table
    assert "reader tests, site tests | 24 | 12.0 |" in table
    assert "| everything else | 1 | 0.5 |" in table and "| all | 85 | 42.5 |" in table
    assert "| `training/losses.md` | 4.0 | 7.5 |" in table
    assert "**missed**" in "\n".join(bench.render_suite(bench.SuiteRun(301.0, {}, {}, 1)))
