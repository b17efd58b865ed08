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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
    "`make test` (installed; two workers)": "`make test`（已安装依赖；两个工作进程）",
    " s wall, ≤ 300 s": " 秒（墙钟时间），≤ 300 秒",
    ". Seconds of each part, summed over the two workers, and divided by the ": "。各部分的秒数（两个工作进程之和），以及除以 ",
    " recipe pages:": " 个示例页面后的每页秒数：",
    "| part of `make test` | seconds | per page |": "| `make test` 的部分 | 秒 | 每页 |",
    "pages: every recipe after its setup block (`docs/`, both languages)": "页面：每个示例在初始化代码块之后单独运行（`docs/`，两种语言）",
    "notebooks: every page in a fresh Jupyter kernel": "笔记本：每个页面在全新的 Jupyter 内核中运行",
    "the site: one build, every page in Chromium (axe, both schemes), reader tests, site tests": "站点：一次构建、每个页面在 Chromium 中检查（axe，两种配色）、读者测试、站点测试",
    "the harness, on fixture pages": "测试框架本身（在测试用页面上）",
    "everything else": "其余测试",
    "| all |": "| 合计 |",
    "Each page's seconds in `make test`: its recipes (both languages) and its notebook (two kernels run at once):": "每个页面在 `make test` 中的秒数：其示例（两种语言）与其笔记本（两个内核同时运行）：",
    "| page | recipes | notebook |": "| 页面 | 示例 | 笔记本 |",
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
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}


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
    from cookbook.page import PageLibrary
    from cookbook.runner import data_folder

    library = PageLibrary()
    started = time.perf_counter()
    for path in pages:
        with tempfile.TemporaryDirectory() as folder:
            page = library.page(path)
            for name in page.downloads:
                shutil.copyfile(data_folder() / name, Path(folder) / name)
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


@dataclass
class Measurements:
    """Wall times in seconds, one per run, of everything the table reports."""

    runs: int
    measured_on: str
    machine: str
    floor: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)  # seconds in each page's code, per floor run
    pytest_docs: list[float] = field(default_factory=list)
    one_page: list[float] = field(default_factory=list)
    import_tensorflow: list[float] = field(default_factory=list)
    notebooks: list[float] = field(default_factory=list)
    builds: list[tuple[str, list[float]]] = field(default_factory=list)  # (what, times)
    pytest_docs_two: list[float] = field(default_factory=list)  # `pytest docs/ -n 2 --dist loadfile`
    suite: SuiteRun | None = None  # one `make test`


#: The parts of `make test`, by what decides a test's part: its file (or, for pages, the folder).
SUITE_PARTS = [
    ("pages: every recipe after its setup block (`docs/`, both languages)", lambda file: file.startswith("docs/")),
    ("notebooks: every page in a fresh Jupyter kernel", lambda file: file == "tests/test_notebooks.py"),
    (
        "the site: one build, every page in Chromium (axe, both schemes), reader tests, site tests",
        lambda file: file in ("tests/test_every_page_in_the_browser.py", "tests/test_browser.py", "tests/test_site.py"),
    ),
    ("the harness, on fixture pages", lambda file: file == "tests/test_harness.py"),
    ("everything else", lambda file: True),
]


@dataclass
class SuiteRun:
    """One `make test`: its wall time, each test's seconds (summed over setup, call and teardown) and the
    seconds of each page's notebook."""

    wall: float
    seconds: dict[str, float]
    notebooks: dict[str, float]
    pages: int

    def parts(self) -> list[tuple[str, float]]:
        totals = dict.fromkeys((name for name, _ in SUITE_PARTS), 0.0)
        for nodeid, seconds in self.seconds.items():
            file = nodeid.split("::", 1)[0]
            totals[next(name for name, belongs in SUITE_PARTS if belongs(file))] += seconds
        return list(totals.items())

    def per_page(self) -> dict[str, tuple[float, float]]:
        """Each English page's seconds of its docs/ items (both languages) and of its notebook."""
        found: dict[str, list[float]] = {}
        for nodeid, seconds in self.seconds.items():
            file = nodeid.split("::", 1)[0]
            if file.startswith("docs/"):
                page = file.removeprefix("docs/").replace(".zh.md", ".md")
                found.setdefault(page, [0.0, 0.0])[0] += seconds
        for nodeid, seconds in self.notebooks.items():
            page = nodeid.split("[", 1)[1].rstrip("]")
            found.setdefault(page, [0.0, 0.0])[1] += seconds
        return {page: (docs, notebook) for page, (docs, notebook) in found.items()}


def measure_the_suite() -> SuiteRun:
    """`make test` as the README runs it, timed, with every test's seconds."""
    with tempfile.TemporaryDirectory() as folder:
        timings = Path(folder) / "timings.json"
        env = {**os.environ, "PYTHONPATH": str(REPO / "benchmarks")}
        extra = f"PYTEST_ARGS=-p suite_timings --suite-timings={timings}"
        elapsed, _ = timed(["make", "test", extra], env)
        found = json.loads(timings.read_text())
    return SuiteRun(elapsed, found["seconds"], found["seconds_of"], len(recipe_pages()))


def measure_all_but_the_build(runs: int) -> Measurements:
    pages = recipe_pages()
    pytest = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    print(f"benchmarking {len(pages)} pages, {runs} runs each ...", flush=True)
    found = Measurements(runs, time.strftime("%Y-%m-%d"), machine())
    for _ in range(runs):
        elapsed, out = timed([PYTHON, str(REPO / "benchmarks" / "floor.py"), *map(str, pages)], QUIET)
        found.floor.append(elapsed)
        for page, seconds in json.loads(out.strip().splitlines()[-1])["pages"].items():
            found.per_page.setdefault(page, []).append(seconds)
    found.pytest_docs = repeat(runs, [*pytest, "docs"], QUIET)
    found.pytest_docs_two = repeat(runs, [*pytest, "docs", "-n", "2", "--dist", "loadfile"], QUIET)
    found.one_page = repeat(runs, [*pytest, str(ONE_PAGE)], QUIET)
    found.import_tensorflow = repeat(runs, [PYTHON, "-c", "import tensorflow"], QUIET)
    found.notebooks = [run_notebooks(pages) for _ in range(runs)]
    return found


def measure_the_build(found: Measurements) -> None:
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as site:
        build = [PYTHON, "-m", "mkdocs", "build", "--strict", "-q", "-d", site]
        cold = repeat(1, build, {**QUIET, "XDG_CACHE_HOME": cache})
        warm = repeat(found.runs, build, {**QUIET, "XDG_CACHE_HOME": cache})
    found.builds = [
        ("`mkdocs build --strict` (both languages), pictures cached", warm),
        ("`mkdocs build --strict` (both languages), first build: draws the pictures", cold),
    ]


def write_tables(found: Measurements) -> str:
    table = render(found)
    RESULTS.write_text(table, encoding="utf-8")
    RESULTS_ZH.write_text(chinese(table, found.measured_on, found.machine, found.runs), encoding="utf-8")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    found = measure_all_but_the_build(args.runs)
    print("timing `make test` ...", flush=True)
    found.suite = measure_the_suite()
    if not args.no_write:
        write_tables(found)  # the site shows the tables, so they must exist before the build is measured
    measure_the_build(found)
    print(render(found))
    if not args.no_write:
        write_tables(found)
        print(f"written to {RESULTS.relative_to(REPO)} and {RESULTS_ZH.relative_to(REPO)}")


def render(found: Measurements) -> str:
    """The results table: each measurement's median and spread, its ratio and the target it is held to."""
    median = statistics.median
    docs_ratio = median(found.pytest_docs) / median(found.floor)
    peer_ratio = median(found.notebooks) / median(found.pytest_docs)
    one_page_extra = median(found.one_page) - median(found.import_tensorflow)

    def verdict(met: bool) -> str:
        return "met" if met else "**missed**"

    rows = [
        ("Floor: one process imports TensorFlow and runs every page's code", summary(found.floor), "", ""),
        (
            "`pytest docs/`",
            summary(found.pytest_docs),
            f"{docs_ratio:.2f} × floor",
            f"≤ 1.3 × floor: {verdict(docs_ratio <= 1.3)}",
        ),
        (
            "Notebook peer: each page as a notebook, one kernel per page (nbclient)",
            summary(found.notebooks),
            f"{peer_ratio:.1f} × `pytest docs/`",
            f"≥ 3 × `pytest docs/`: {verdict(peer_ratio >= 3)}",
        ),
        ("`import tensorflow` alone", summary(found.import_tensorflow), "", ""),
        (
            f"One page: `pytest docs/{ONE_PAGE.relative_to(DOCS)}`",
            summary(found.one_page),
            f"import + {one_page_extra:.2f} s",
            f"≤ import + 2 s: {verdict(one_page_extra <= 2)}",
        ),
        *[(what, summary(times), "", f"≤ 10 s: {verdict(median(times) <= 10)}") for what, times in found.builds],
    ]
    if found.pytest_docs_two:
        two = median(found.pytest_docs_two) / median(found.pytest_docs)
        rows.insert(2, ("`pytest docs/ -n 2 --dist loadfile`", summary(found.pytest_docs_two), f"{two:.2f} × `pytest docs/`", ""))
    slowest = sorted(found.per_page.items(), key=lambda item: -median(item[1]))
    lines = [
        f"Measured on {found.measured_on} by `make bench` ({found.runs} runs each; median, and min–max in brackets) "
        f"on {found.machine}.",
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
    if found.suite is not None:
        lines += render_suite(found.suite)
    return "\n".join(lines)


def render_suite(suite: SuiteRun) -> list[str]:
    """`make test`: its wall time against its budget, the seconds of each part (summed over both workers) and
    per page, and each page's own seconds: what one more page will cost."""
    verdict = "met" if suite.wall <= 300 else "**missed**"
    lines = [
        f"`make test` (installed; two workers): {suite.wall:.0f} s wall, ≤ 300 s: {verdict}. Seconds of each part, "
        f"summed over the two workers, and divided by the {suite.pages} recipe pages:",
        "",
        "| part of `make test` | seconds | per page |",
        "|---|---|---|",
        *[f"| {part} | {seconds:.0f} | {seconds / suite.pages:.1f} |" for part, seconds in suite.parts()],
        f"| all | {sum(suite.seconds.values()):.0f} | {sum(suite.seconds.values()) / suite.pages:.1f} |",
        "",
        "Each page's seconds in `make test`: its recipes (both languages) and its notebook (two kernels run at once):",
        "",
        "| page | recipes | notebook |",
        "|---|---|---|",
        *[
            f"| `{page}` | {docs:.1f} | {notebook:.1f} |"
            for page, (docs, notebook) in sorted(suite.per_page().items(), key=lambda item: -sum(item[1]))
        ],
        "",
    ]
    return lines


if __name__ == "__main__":
    main()
