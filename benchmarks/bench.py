"""``make bench``: what verifying the cookbook costs, measured against what cannot be avoided.

Each measurement runs ``--runs`` times (default 3) as a fresh process; the table gives the median and the
spread (min-max). Everything runs in one invocation so that the ratios compare like with like. Results are
printed and written to benchmarks/results.md, which the site's "How fast is verification" page shows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
RESULTS = REPO / "benchmarks" / "results.md"
PYTHON = sys.executable
ONE_PAGE = DOCS / "training" / "gradient-tape.md"


def recipe_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md") and "```python" in p.read_text(encoding="utf-8"))


def timed(command: list[str], env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def repeat(runs: int, command: list[str], env: dict | None = None) -> list[float]:
    return [timed(command, env)[0] for _ in range(runs)]


def run_notebooks(pages: list[Path]) -> float:
    """The notebook peer: each page as a notebook, executed with nbclient in its own kernel."""
    from nbclient import NotebookClient

    from cookbook.notebooks import page_notebook

    started = time.perf_counter()
    for page in pages:
        with tempfile.TemporaryDirectory() as folder:
            notebook = page_notebook(page)
            NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
    return time.perf_counter() - started


def summary(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import tensorflow as tf

    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"TensorFlow {tf.__version__} (CPU)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    pages = recipe_pages()
    page_args = [str(p) for p in pages]
    pytest = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    quiet = {"TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}

    print(f"benchmarking {len(pages)} pages, {args.runs} runs each ...", flush=True)
    floor_runs, per_page = [], {}
    for _ in range(args.runs):
        elapsed, out = timed([PYTHON, str(REPO / "benchmarks" / "floor.py"), *page_args], quiet)
        floor_runs.append(elapsed)
        for page, seconds in json.loads(out.strip().splitlines()[-1])["pages"].items():
            per_page.setdefault(page, []).append(seconds)
    docs_runs = repeat(args.runs, [*pytest, "docs"], quiet)
    one_page_runs = repeat(args.runs, [*pytest, str(ONE_PAGE)], quiet)
    import_runs = repeat(args.runs, [PYTHON, "-c", "import tensorflow"], quiet)
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as site:
        cold_build = repeat(1, [PYTHON, "-m", "mkdocs", "build", "--strict", "-q", "-d", site], {**quiet, "XDG_CACHE_HOME": cache})
        warm_build = repeat(args.runs, [PYTHON, "-m", "mkdocs", "build", "--strict", "-q", "-d", site], {**quiet, "XDG_CACHE_HOME": cache})
    notebook_runs = [run_notebooks(pages) for _ in range(args.runs)]

    median = statistics.median
    rows = [
        ("Floor: one process imports TensorFlow and runs every page's code", summary(floor_runs), "1.00 × floor"),
        ("`pytest docs/`", summary(docs_runs), f"{median(docs_runs) / median(floor_runs):.2f} × floor"),
        ("Notebook peer: each page as a notebook, one kernel per page (nbclient)", summary(notebook_runs), f"{median(notebook_runs) / median(docs_runs):.2f} × `pytest docs/`"),
        ("`import tensorflow` alone", summary(import_runs), ""),
        (f"One page: `pytest docs/{ONE_PAGE.relative_to(DOCS)}`", summary(one_page_runs), f"import + {median(one_page_runs) - median(import_runs):.2f} s"),
        ("`mkdocs build --strict`, pictures cached", summary(warm_build), ""),
        ("`mkdocs build --strict`, first build (draws the pictures)", summary(cold_build), ""),
    ]
    slowest = sorted(per_page.items(), key=lambda item: -median(item[1]))
    lines = [
        f"Measured on {time.strftime('%Y-%m-%d')} by `make bench` ({args.runs} runs each; median, and min–max in brackets) on {machine()}.",
        "",
        "| what | wall time | ratio |",
        "|---|---|---|",
        *[f"| {what} | {value} | {ratio} |" for what, value, ratio in rows],
        "",
        "Time spent in each page's code (inside the floor run), slowest first:",
        "",
        "| page | seconds |",
        "|---|---|",
        *[f"| `{Path(page).relative_to(DOCS)}` | {median(times):.2f} |" for page, times in slowest],
        "",
    ]
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        RESULTS.write_text(table, encoding="utf-8")
        print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
