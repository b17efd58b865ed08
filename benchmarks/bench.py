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
RESULTS_ZH = REPO / "benchmarks" / "results.zh.md"

# The Chinese edition's table: the same numbers, its own words.
ZH_WORDS = {
    "Floor: one process imports TensorFlow and runs every page's code": "下限：一个进程导入 TensorFlow 并运行所有页面的代码",
    "Notebook peer: each page as a notebook, one kernel per page (nbclient)": "笔记本方案：每个页面一个笔记本、一个内核（nbclient）",
    "`import tensorflow` alone": "单独 `import tensorflow`",
    "`mkdocs build --strict` (both languages), pictures cached": "`mkdocs build --strict`（两种语言），图片已缓存",
    "`mkdocs build --strict` (both languages), first build: draws the pictures": "`mkdocs build --strict`（两种语言），首次构建：需要画图",
    "| what | wall time | ratio | target |": "| 项目 | 耗时 | 比值 | 目标 |",
    "Time spent in each page's code (inside the floor run), slowest first:": "每个页面的代码耗时（在下限那次运行中测得），从慢到快：",
    "| page | seconds |": "| 页面 | 秒 |",
    "One page: ": "单个页面：",
    "× floor": "× 下限",
    "import + ": "导入 + ",
    ": met": "：达到",
    ": **missed**": "：**未达到**",
}


def chinese(table: str, measured_on: str, machine_text: str, runs: int) -> str:
    lines = table.splitlines()
    lines[0] = (
        f"{measured_on} 由 `make bench` 测得（每项运行 {runs} 次；取中位数，括号内为最小–最大值），机器：{machine_text}。"
    )
    text = "\n".join(lines)
    for english, words in ZH_WORDS.items():
        text = text.replace(english, words)
    return text


PYTHON = sys.executable
ONE_PAGE = DOCS / "training" / "gradient-tape.md"


def recipe_pages() -> list[Path]:
    return sorted(
        p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md") and "```python" in p.read_text(encoding="utf-8")
    )


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
            NotebookClient(
                notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}
            ).execute()
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
    notebook_runs = [run_notebooks(pages) for _ in range(args.runs)]
    measured_on, machine_text = time.strftime("%Y-%m-%d"), machine()
    build_rows = []

    def write_tables() -> str:
        table = render(
            floor_runs,
            docs_runs,
            notebook_runs,
            import_runs,
            one_page_runs,
            build_rows,
            per_page,
            measured_on,
            machine_text,
            args.runs,
        )
        if not args.no_write:
            RESULTS.write_text(table, encoding="utf-8")
            RESULTS_ZH.write_text(chinese(table, measured_on, machine_text, args.runs), encoding="utf-8")
        return table

    # The site shows these tables, so they must exist before the build is measured.
    write_tables()
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as site:
        build = [PYTHON, "-m", "mkdocs", "build", "--strict", "-q", "-d", site]
        cold_build = repeat(1, build, {**quiet, "XDG_CACHE_HOME": cache})
        warm_build = repeat(args.runs, build, {**quiet, "XDG_CACHE_HOME": cache})
    build_rows[:] = [
        ("`mkdocs build --strict` (both languages), pictures cached", warm_build),
        ("`mkdocs build --strict` (both languages), first build: draws the pictures", cold_build),
    ]
    print(write_tables())
    if not args.no_write:
        print(f"written to {RESULTS.relative_to(REPO)} and {RESULTS_ZH.relative_to(REPO)}")


def render(
    floor_runs,
    docs_runs,
    notebook_runs,
    import_runs,
    one_page_runs,
    build_rows,
    per_page,
    measured_on,
    machine_text,
    runs,
) -> str:
    """The results table: each measurement's median and spread, its ratio and the target it is held to."""
    median = statistics.median
    docs_ratio = median(docs_runs) / median(floor_runs)
    peer_ratio = median(notebook_runs) / median(docs_runs)
    one_page_extra = median(one_page_runs) - median(import_runs)

    def verdict(met: bool) -> str:
        return "met" if met else "**missed**"

    rows = [
        ("Floor: one process imports TensorFlow and runs every page's code", summary(floor_runs), "", ""),
        (
            "`pytest docs/`",
            summary(docs_runs),
            f"{docs_ratio:.2f} × floor",
            f"≤ 1.3 × floor: {verdict(docs_ratio <= 1.3)}",
        ),
        (
            "Notebook peer: each page as a notebook, one kernel per page (nbclient)",
            summary(notebook_runs),
            f"{peer_ratio:.1f} × `pytest docs/`",
            f"≥ 3 × `pytest docs/`: {verdict(peer_ratio >= 3)}",
        ),
        ("`import tensorflow` alone", summary(import_runs), "", ""),
        (
            f"One page: `pytest docs/{ONE_PAGE.relative_to(DOCS)}`",
            summary(one_page_runs),
            f"import + {one_page_extra:.2f} s",
            f"≤ import + 2 s: {verdict(one_page_extra <= 2)}",
        ),
        *[(what, summary(times), "", f"≤ 10 s: {verdict(median(times) <= 10)}") for what, times in build_rows],
    ]
    slowest = sorted(per_page.items(), key=lambda item: -median(item[1]))
    lines = [
        f"Measured on {measured_on} by `make bench` ({runs} runs each; median, and min–max in brackets) on {machine_text}.",
        "",
        "| what | wall time | ratio | target |",
        "|---|---|---|---|",
        *[f"| {what} | {value} | {ratio} | {target} |" for what, value, ratio, target in rows],
        "",
        "Time spent in each page's code (inside the floor run), slowest first:",
        "",
        "| page | seconds |",
        "|---|---|",
        *[f"| `{Path(page).relative_to(DOCS)}` | {median(times):.2f} |" for page, times in slowest],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
