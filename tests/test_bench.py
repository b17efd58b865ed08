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
