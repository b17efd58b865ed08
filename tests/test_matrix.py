"""The version matrix: the results file's format, how a run merges into it, the locks, the version check,
and what the site shows of it ("Runs on" rows, the matrix page), on fixtures. No network, no environments:
`make matrix` itself is not part of `make test`."""

import copy
import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest

from cookbook.matrix import (
    RESULTS_FILE,
    VERSIONS,
    anchor,
    block_anchor,
    empty_results,
    load_results,
    merge,
    page_marks,
    totals,
)
from cookbook.page import PageLibrary
from cookbook.results import text_hash
from cookbook.site.markers import expand
from cookbook.site.version_matrix import MatrixPage, runs_on

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "matrix" / "results.schema.json").read_text(encoding="utf-8"))


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


driver = load_module("matrix_run", REPO / "matrix" / "run.py")

MACHINE = {"cores": 2, "cpu": "Test CPU", "memory_gib": 23.4, "system": "Linux x86_64"}


def entry(pages: dict, date="2026-11-26T10:00:00+00:00", tensorflow="2.16.2") -> dict:
    return {
        "date": date,
        "machine": MACHINE,
        "lock": "matrix/locks/2.16.txt",
        "lock_sha256": "0" * 64,
        "packages": {
            "tensorflow": tensorflow,
            "tensorflow_wheel": "tensorflow-cpu",
            "keras": "3.15.1",
            "tf_keras": "2.16.0",
            "tensorflow_hub": "0.16.1",
            "numpy": "1.26.4",
            "pandas": "3.0.6",
            "python": "3.11.7",
        },
        "environment": "created",
        "install_seconds": 61.0,
        "run_seconds": 40.5,
        "totals": totals(pages),
        "pages": pages,
    }


PAGE = """\
---
description: A page.
---

# Adding

```python
import math
```

## Add | *two*

```python
print(1 + 1)
```

```text title="Output"
2
```

## Root

```python
print(math.sqrt(4))
```

```text title="Output"
2.0
```
"""
PAGE_ZH = PAGE.replace("# Adding", "# 加法").replace("## Add | *two*", "## 两数相加").replace("## Root", "## 平方根")


def blocks(second="passed", third="passed") -> list:
    found = [{"line": 7, "recipe": None, "outcome": "passed"}, {"line": 13, "recipe": "Add | *two*", "outcome": second}]
    if second == "differs":
        found[1].update(message="at line 1 of the shown output: expected '2', got '3'", expected="2", got="3 | *x*")
    found.append({"line": 23, "recipe": "Root", "outcome": third})
    if third == "error":
        found[2].update(type="AttributeError", message="module 'math' has no attribute 'sqrt'\nmore")
    return found


# The results file ---------------------------------------------------------------------------------------
def schema_errors(data: dict) -> list[str]:
    return [error.message for error in jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)]


def test_the_committed_results_follow_the_schema():
    data = load_results(RESULTS_FILE)
    assert data["versions"], "matrix/results.json is missing or empty: run `make matrix`"
    assert schema_errors(data) == []
    for version, found in data["versions"].items():
        assert found["totals"] == totals(found["pages"]), f"{version}: totals do not add up"
        for page, result in found["pages"].items():
            lines = [block["line"] for block in result["blocks"]]
            assert lines == sorted(set(lines)), f"{version} {page}: block lines repeat or are out of order"
    assert list(data["versions"]) == sorted(data["versions"], key=VERSIONS.index)
    assert data["date"] == max(found["date"] for found in data["versions"].values())


def test_the_schema_rejects_what_the_site_could_not_show():
    good = merge(
        empty_results(), "2.16", entry({"a/page.md": {"sha256": "a" * 64, "blocks": blocks("differs", "error")}})
    )
    assert schema_errors(good) == []
    for damage in (
        lambda data: data["versions"]["2.16"]["pages"]["a/page.md"]["blocks"][1].update(outcome="ok"),
        lambda data: data["versions"]["2.16"]["pages"]["a/page.md"]["blocks"][1].pop("expected"),
        lambda data: data["versions"]["2.16"]["pages"]["a/page.md"]["blocks"][2].pop("type"),
        lambda data: data["versions"]["2.16"]["packages"].pop("numpy"),
        lambda data: data["versions"]["2.16"].pop("install_seconds"),
        lambda data: data["versions"].update({"latest": data["versions"]["2.16"]}),
        lambda data: data["machine"].pop("cpu"),
    ):
        bad = copy.deepcopy(good)
        damage(bad)
        assert schema_errors(bad), damage


def test_a_missing_or_empty_results_file_is_an_empty_matrix(tmp_path):
    assert load_results(tmp_path / "absent.json") == empty_results()
    (tmp_path / "empty.json").write_text("\n")
    assert load_results(tmp_path / "empty.json") == empty_results()
    (tmp_path / "other.json").write_text('{"format": 99}')
    with pytest.raises(ValueError, match="not a version-matrix results file"):
        load_results(tmp_path / "other.json")


def test_a_run_of_some_versions_merges_into_the_results(tmp_path):
    results_file = tmp_path / "results.json"
    page = {"a/page.md": {"sha256": "a" * 64, "blocks": blocks()}}
    driver.record("2.21", entry(page, date="2026-11-26T10:00:00+00:00", tensorflow="2.21.0"), results_file)
    driver.record("nightly", entry(page, date="2026-11-26T11:00:00+00:00"), results_file)
    driver.record("2.16", entry(page, date="2026-11-26T09:00:00+00:00"), results_file)
    data = load_results(results_file)
    assert list(data["versions"]) == ["2.16", "2.21", "nightly"]  # in the site's order, whatever ran first
    assert data["date"] == "2026-11-26T11:00:00+00:00"
    again = {"a/page.md": {"sha256": "b" * 64, "blocks": blocks("differs")}}
    driver.record("2.16", entry(again, date="2026-11-27T09:00:00+00:00"), results_file)  # make matrix VERSIONS=2.16
    data = load_results(results_file)
    assert data["versions"]["2.16"]["pages"] == again and data["versions"]["2.16"]["totals"]["differs"] == 1
    assert data["versions"]["2.21"]["packages"]["tensorflow"] == "2.21.0"  # the others keep theirs
    assert schema_errors(data) == []
    assert not list(tmp_path.glob("*.tmp"))
    lines = results_file.read_text().splitlines()
    assert sum('"outcome"' in line for line in lines) == sum(
        len(found["pages"]["a/page.md"]["blocks"]) for found in data["versions"].values()
    )  # one line a block


# Locks and the version check ------------------------------------------------------------------------------
def requirement(name, version, requires=(), requested=False):
    return {"metadata": {"name": name, "version": version, "requires_dist": list(requires)}, "requested": requested}


NIGHTLY_REPORT = {
    "environment": {"python_version": "3.11", "sys_platform": "linux", "platform_machine": "x86_64"},
    "install": [
        requirement(
            "tf_nightly",
            "2.23.0.dev20261026",
            ["numpy>=1.26", "keras-nightly>=3.12.0.dev", 'nvidia-cudnn-cu12; extra == "and-cuda"'],
            True,
        ),
        requirement("keras-nightly", "3.16.0.dev2026102704", ["numpy", "h5py"], True),
        requirement("tf_keras-nightly", "2.23.0.dev2026102618", ["tf-nightly~=2.23.0.dev"], True),
        requirement("tensorflow-hub", "0.16.1", ["numpy>=1.12.0", "tf-keras>=2.14.1"], True),
        requirement("tf_keras", "2.21.0", ["tensorflow<2.22,>=2.21"]),
        requirement(
            "tensorflow", "2.21.0", ["keras>=3.10.0", "setuptools", "numpy", 'tensorboard; python_version < "3.9"']
        ),
        requirement("keras", "3.15.1", ["numpy"]),
        requirement("setuptools", "84.2.1"),
        requirement("numpy", "2.4.6", requested=True),
        requirement("h5py", "3.14.0", ["numpy"]),
    ],
}


def test_a_lock_leaves_out_the_wheels_that_would_replace_the_wanted_modules():
    _, left_out, _ = driver.wanted("2.16")
    assert {"tensorflow", "tf-nightly"} <= left_out and "tensorflow-cpu" not in left_out
    kept, dropped = driver.closure(NIGHTLY_REPORT, {"keras", "tf-keras"} | (driver.TENSORFLOW_WHEELS - {"tf-nightly"}))
    assert sorted(kept) == ["h5py", "keras-nightly", "numpy", "tensorflow-hub", "tf-keras-nightly", "tf-nightly"]
    assert dropped == {"tf_keras": "2.21.0", "tensorflow": "2.21.0", "keras": "3.15.1", "setuptools": "84.2.1"}
    text = driver.lock_text("nightly", ["tf-nightly==2.23.0.dev20261026"], kept, dropped, ["a note"])
    pins = [line for line in text.splitlines() if not line.startswith("#")]
    assert pins[0] == "h5py==3.14.0" and "tf_nightly==2.23.0.dev20261026" in pins and len(pins) == 6


def test_the_nightly_is_the_newest_of_tf_nightly_cpu_and_tf_nightly():
    assert driver.nightly_dev("2.23.0.dev20261026") > driver.nightly_dev("2.22.0.dev20260905")


@pytest.mark.parametrize("lock", sorted((REPO / "matrix" / "locks").glob("*.txt")), ids=lambda path: path.stem)
def test_each_committed_lock_installs_one_tensorflow_and_one_keras(lock):
    pins = driver.read_lock(lock)  # every line pinned with ==
    expected = driver.locked_versions(pins)  # exactly one provider of each checked module
    assert lock.stem in VERSIONS
    if lock.stem == "nightly":
        assert expected["tensorflow"][0] in ("tf-nightly", "tf-nightly-cpu")
        assert not {"tensorflow", "keras", "tf-keras"} & set(pins)
    else:
        assert expected["tensorflow"] == ("tensorflow-cpu", expected["tensorflow"][1])
        assert expected["tensorflow"][1].startswith(lock.stem + ".")
        assert expected["tf_keras"][1].startswith(lock.stem + ".")
    assert {"pytest", "pytest-socket", "sybil", "pyyaml"} <= set(pins)
    assert not {"pip", "setuptools", "wheel"} & set(pins)  # the venv's own, as in the main environment
    assert not {"mkdocs", "mkdocs-material", "playwright"} & set(pins)  # the harness's needs, not the site's


def test_the_version_check_compares_each_module_with_the_lock():
    pins = {
        "tf-nightly": "2.23.0.dev20261026",
        "keras-nightly": "3.16.0.dev2026102704",
        "tf-keras-nightly": "2.23.0",
        "tensorflow-hub": "0.16.1",
        "numpy": "2.4.6",
        "pandas": "3.1.1",
    }
    expected = driver.locked_versions(pins)
    imported = {
        "tensorflow": "2.23.0-dev20261026",
        "keras": "3.16.0.dev2026102704",
        "tf_keras": "2.23.0",
        "tensorflow_hub": "0.16.1",
        "numpy": "2.4.6",
        "pandas": "3.1.1",
    }
    assert driver.version_mismatches(imported, expected) == []
    replaced = {**imported, "tensorflow": "2.21.0"}  # the `tensorflow` wheel's module took the nightly's place
    assert driver.version_mismatches(replaced, expected) == [
        "tensorflow.__version__ is 2.21.0, but the lock pins tf-nightly==2.23.0.dev20261026"
    ]
    with pytest.raises(driver.MatrixError, match="exactly one of"):
        driver.locked_versions({**pins, "tensorflow": "2.21.0"})


# What the site shows --------------------------------------------------------------------------------------
def docs_folder(folder: Path, name: str, english: str, chinese: str) -> Path:
    """``folder`` as a docs folder with one page, ``area/<name>.md``, and its translation."""
    (folder / "area").mkdir()
    (folder / "area" / f"{name}.md").write_text(english, encoding="utf-8")
    (folder / "area" / f"{name}.zh.md").write_text(chinese, encoding="utf-8")
    return folder


@pytest.fixture
def docs(tmp_path):
    """A docs folder with one recipe page and its translation."""
    return docs_folder(tmp_path, "page", PAGE, PAGE_ZH)


def results_for(text: str, **outcomes) -> dict:
    results = empty_results()
    for version, (second, third) in outcomes.items():
        results = merge(
            results, version, entry({"area/page.md": {"sha256": text_hash(text), "blocks": blocks(second, third)}})
        )
    return results


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_row_shows_a_mark_per_version_and_links_each_failure(language):
    results = results_for(
        PAGE, **{"2.16": ("differs", "passed"), "2.21": ("passed", "passed"), "nightly": ("passed", "error")}
    )
    row = runs_on(results, "area/page.md", PAGE, language, "../about/versions.md")
    assert row.state == "current"
    row = row.body
    assert '<span class="cookbook-mark" data-version="2.21" data-state="passed"' in row and "2.21 ✓" in row
    assert f"[2.16 ✗ 2/3](../about/versions.md#{anchor('2.16', 'area/page.md')} " in row
    assert f"[nightly ✗ 2/3](../about/versions.md#{anchor('nightly', 'area/page.md')} " in row
    assert row.index("2.16") < row.index("2.21") < row.index("nightly")
    assert ("2.16: 2 of 3 code blocks" if language == "en" else "2.16：3 个代码块中有 2 个") in row


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_row_counts_recipes_and_each_recipe_that_differs_is_marked_at_its_heading(language, docs):
    """Issue #23: one recipe that prints something else on a version no longer marks the whole page as
    failing there: the row counts the recipes that print what the page shows, and the recipe carries a mark
    under its heading, linked to what its block did on that version."""
    from cookbook.site.version_matrix import page_recipe_marks, page_row

    results = results_for(
        PAGE, **{"2.16": ("differs", "passed"), "2.21": ("passed", "passed"), "nightly": ("passed", "error")}
    )
    library = PageLibrary(docs)
    english = library.page(docs / "area" / "page.md")
    shown = library.page(docs / "area" / ("page.zh.md" if language == "zh" else "page.md"))
    row = page_row(results, shown, english, True, docs)
    assert row.state == "current"
    assert "[2.16 ✗ 1/2](" in row.body and "[nightly ✗ 1/2](" in row.body and "2.21 ✓" in row.body
    assert ("1 of 2 recipes" if language == "en" else "2 个示例中有 1 个") in row.body
    marks = page_recipe_marks(results, shown, english, docs)
    add, root = shown.recipe_headings
    assert set(marks) == {add, root}
    assert f"[2.16](../about/versions.md#{block_anchor('2.16', 'area/page.md', 13)} " in marks[add]
    assert "nightly" not in marks[add] and "2.16" not in marks[root]
    assert f"[nightly](../about/versions.md#{block_anchor('nightly', 'area/page.md', 23)} " in marks[root]
    assert ("Does not print what the page shows" if language == "en" else "上的输出与页面不一致") in marks[add]
    # The setup block's failure is every recipe's.
    broken = merge(results, "2.21", entry({"area/page.md": {"sha256": text_hash(PAGE), "blocks": blocks()}}))
    broken["versions"]["2.21"]["pages"]["area/page.md"]["blocks"][0]["outcome"] = "error"
    assert "[2.21 ✗ 0/2](" in page_row(broken, shown, english, True, docs).body
    # The matrix page has the anchor each mark links to.
    failures = expand("<!-- cookbook:matrix-failures 2.16 -->", MatrixPage(results, language, docs, library, {}).handlers())
    assert f'<span id="{block_anchor("2.16", "area/page.md", 13)}"></span>13' in failures


def row_in_header(docs, results, name: str) -> tuple[str, dict[str, str]]:
    """The "Runs on" row of the page ``name`` of ``docs`` as the site renders it under the page's title
    (:func:`cookbook.site.header.page_header`): its state and its marks (version: state)."""
    import re

    from cookbook.site.header import page_header

    library = PageLibrary(docs)
    page = library.page(docs / "area" / name)
    url = ("zh/" if name.endswith(".zh.md") else "") + "area/page/"
    header = page_header(page, library, results, docs, url, f"area/{name}")
    [state] = re.findall(r'<div class="cookbook-matrix" data-matrix="(\w+)"', header)
    assert ("Runs on TensorFlow:" if page.language == "en" else "适用的 TensorFlow 版本：") in header
    marks = dict(re.findall(r'data-version="([^"]+)" data-state="(\w+)"', header))
    marks.update((version, state) for version, state in re.findall(r"\[([\w.]+) ✗ \d+/\d+\]\([^)]*\)\{ \.cookbook-mark data-version=\"[^\"]+\" data-state=\"(\w+)\"", header))
    return state, marks


def test_the_header_row_of_a_page_and_of_its_translations(docs):
    """The row under the title, as the site builds it, for a page, a translation showing the same blocks (its
    English page's marks) and a translation whose blocks differ (no version ran its code: out of date)."""
    results = results_for(PAGE, **{"2.16": ("differs", "passed"), "2.21": ("passed", "passed")})
    assert row_in_header(docs, results, "page.md") == ("current", {"2.16": "failed", "2.21": "passed"})
    assert row_in_header(docs, results, "page.zh.md") == ("current", {"2.16": "failed", "2.21": "passed"})
    (docs / "area" / "page.zh.md").write_text(PAGE_ZH.replace("print(1 + 1)", "print(2)"), encoding="utf-8")
    assert row_in_header(docs, results, "page.zh.md") == ("outdated", {})
    assert row_in_header(docs, empty_results(), "page.md") == ("none", {})


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_page_that_changed_since_the_run_says_the_matrix_is_out_of_date(language):
    results = results_for(PAGE, **{"2.16": ("differs", "passed"), "2.21": ("passed", "passed")})
    changed = PAGE.replace("print(1 + 1)", "print(2 + 0)")
    row = runs_on(results, "area/page.md", changed, language, "../about/versions.md")
    assert row.state == "outdated" and "✓" not in row.body and "✗" not in row.body
    assert ("out of date" if language == "en" else "已过期") in row.body
    # A translation that shows other blocks than its English page is not what any version ran.
    assert runs_on(results, "area/page.md", None, language, "x.md").state == "outdated"
    # After `make matrix VERSIONS=2.16` on the new text: 2.16's mark, and 2.21 out of date.
    rerun = merge(results, "2.16", entry({"area/page.md": {"sha256": text_hash(changed), "blocks": blocks()}}))
    row = runs_on(rerun, "area/page.md", changed, language, "../about/versions.md")
    assert row.state == "current" and "2.16 ✓" in row.body and "2.21 ✓" not in row.body and "2.21" in row.body
    assert [mark.state for mark in page_marks(rerun, "area/page.md", changed)] == ["passed", "outdated"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_without_results_the_row_and_the_matrix_page_say_no_run_is_on_record(language, docs):
    row = runs_on(empty_results(), "area/page.md", PAGE, language, "x.md")
    assert row.state == "none" and "make matrix" in row.body
    page = MatrixPage(empty_results(), language, docs, PageLibrary(docs), {})
    rendered = expand(
        "a\n<!-- cookbook:matrix-summary -->\n<!-- cookbook:matrix-grid -->\n<!-- cookbook:matrix-failures 2.16 -->\nb",
        page.handlers(),
    )
    assert "<!--" not in rendered and "matrix/results.json" in rendered
    new_page = runs_on(
        results_for(PAGE, **{"2.16": ("passed", "passed")}), "area/new.md", PAGE, language, "x.md"
    )
    assert new_page.state == "missing"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_matrix_page_shows_the_grid_and_each_versions_failures(language, docs):
    results = results_for(PAGE, **{"2.16": ("differs", "error"), "2.21": ("passed", "passed")})
    page = MatrixPage(results, language, docs, PageLibrary(docs), {"area/page.md": ""})
    rendered = expand(
        "<!-- cookbook:matrix-summary -->\n\n<!-- cookbook:matrix-grid -->\n\n## 2.16\n<!-- cookbook:matrix-failures 2.16 -->\n\n"
        "## 2.21\n<!-- cookbook:matrix-failures 2.21 -->\n\n## nightly\n<!-- cookbook:matrix-failures nightly -->\n",
        page.handlers(),
    )
    title = "Adding" if language == "en" else "加法"
    assert f"| [{title}](../area/page.md) | [✗ 1/3](#{anchor('2.16', 'area/page.md')}) | ✓ 3 |" in rendered
    assert "| [2.16.2](#tf-2-16) | 3.15.1 | 2.16.0 | 1.26.4 | 3.0.6 | 61 s + 40 s | 1 · 1 · 1 |" in rendered
    assert f'<span id="{anchor("2.16", "area/page.md")}"></span>[{title}](../area/page.md)' in rendered
    # The difference and the error, escaped so that a | or * in them cannot break the table.
    assert "<code>2</code>" in rendered and "<code>3 &#124; &#42;x&#42;</code>" in rendered
    assert "<code>AttributeError</code>: module 'math' has no attribute 'sqrt' more |" in rendered
    recipe = "Add \\| *two*" if language == "en" else "两数相加"
    assert f'| <span id="{block_anchor("2.16", "area/page.md", 13)}"></span>13 | {recipe} |' in rendered
    assert ("Every code block printed" if language == "en" else "每个代码块的输出都与页面一致") in rendered
    assert "make matrix VERSIONS=nightly" in rendered
    # The page changed after the run: its cells say so, and its failures are marked.
    (docs / "area" / "page.md").write_text(PAGE + "\nMore prose.\n", encoding="utf-8")
    nav = {"area/page.md": "Short"}  # the navigation's title, when there is one
    rendered = expand(
        "<!-- cookbook:matrix-grid -->\n<!-- cookbook:matrix-failures 2.16 -->",
        MatrixPage(results, language, docs, PageLibrary(docs), nav).handlers(),
    )
    outdated = "out of date" if language == "en" else "已过期"
    assert f"| {outdated} | {outdated} |" in rendered
    assert ("(the page changed after this run)" if language == "en" else "（页面在这次运行之后改动过）") in rendered
    assert "| [Short](../area/page.md) |" in rendered


# Another version's wording of a message the page shows ----------------------------------------------------
ERROR_PAGE = """\
---
description: Errors.
---

# Errors

```python
import math
```

## Domain

```python
try:
    math.sqrt(-1)
except ValueError as error:
    print("sqrt(-1):", f"ValueError: {error}")
print("tried 1 value")
```

```text title="Output"
sqrt(-1): ValueError: math domain error
tried 1 value
```

## Tabs

=== "Keras 3"

    ```python
    print("UserWarning: `x` is deprecated.")
    ```

    ```text title="Output"
    UserWarning: `x` is deprecated.
    ```
"""
ERROR_PAGE_ZH = ERROR_PAGE.replace("# Errors", "# 错误").replace("## Domain", "## 定义域").replace("## Tabs", "## 标签页")
OLD_DOMAIN = "sqrt(-1): ValueError: math domain error (an older wording)"


def error_results(text: str = ERROR_PAGE) -> dict:
    """2.16 and 2.17 printed another wording of the first recipe's message, 2.18 the page's, the nightly a
    third; the nightly's tab printed another warning."""
    domain, tab = 13, 30

    def ran(domain_printed=None, tab_printed=None) -> dict:
        found = [{"line": 7, "recipe": None, "outcome": "passed"}]
        for line, recipe, printed in ((domain, "Domain", domain_printed), (tab, "Tabs", tab_printed)):
            block = {"line": line, "recipe": recipe, "outcome": "passed"}
            if printed:
                block.update(outcome="differs", message="at line 1 ...", expected="x", got=printed[0], printed=printed)
            found.append(block)
        return {"area/errors.md": {"sha256": text_hash(text), "blocks": found}}

    results = empty_results()
    for version, pages in (
        ("2.16", ran([OLD_DOMAIN])),
        ("2.17", ran([OLD_DOMAIN])),
        ("2.18", ran()),
        ("nightly", ran(["sqrt(-1): ValueError: expected a non-negative value"], ["UserWarning: `x` is gone."])),
    ):
        results = merge(results, version, entry(pages))
    return results


@pytest.fixture
def error_docs(tmp_path):
    return docs_folder(tmp_path, "errors", ERROR_PAGE, ERROR_PAGE_ZH)


def test_recorded_lines_write_install_folders_and_addresses_as_the_pages_do():
    """A matrix environment's install folder and an object's address are the machine's, not the message's."""
    from cookbook.messages import changed_messages

    shown = ".../tensorflow/lite/python/interpreter.py:457: UserWarning: deprecated\n"
    printed = (
        "/root/.cache/m/2.18/venv/lib/python3.11/site-packages/tensorflow/lite/python/interpreter.py:451: "
        "UserWarning: use LiteRT\nWARNING:tensorflow:5 calls to <function f at 0x7f083f64f2e0> retraced\n"
    )
    assert changed_messages(shown, printed) == [
        ".../tensorflow/lite/python/interpreter.py:451: UserWarning: use LiteRT",
        "WARNING:tensorflow:5 calls to <function f at ...> retraced",
    ]


def test_a_differing_block_records_the_message_lines_it_printed_instead():
    """--cookbook-report keeps, for a block that differs, the exception and warning lines it printed that no such
    line of the shown output matches (stripped, without terminal codes), and nothing more: the other lines, a
    message the page shows (with its ``...`` and numbers), and blocks that show no message are left out."""
    from cookbook.page import parse_page
    from cookbook.report import PageOutcomes

    page = parse_page("errors.md", ERROR_PAGE)
    domain, tab = (block for block in page.blocks if block.output is not None)
    assert (domain.line, tab.line) == (13, 30)  # as error_results() has them
    outcomes = PageOutcomes(detailed=True)
    printed = f"  {OLD_DOMAIN}  \ntried 1 value\n\x1b[1mWARNING:absl:\x1b[0m a new warning\n{OLD_DOMAIN}\n"
    outcomes.note_output(domain, printed, "differs")
    detail = outcomes.details[domain.line]
    assert detail["outcome"] == "differs" and detail["got"] == OLD_DOMAIN
    assert detail["printed"] == [OLD_DOMAIN, "WARNING:absl: a new warning"]
    # Only the number after the message differs: the message is the page's, nothing to record.
    outcomes.note_output(domain, "sqrt(-1): ValueError: math domain error\ntried 2 values\n", "differs")
    assert "printed" not in outcomes.details[domain.line]
    # A block that shows no message: what it printed instead is not another wording of one.
    quiet = parse_page("quiet.md", PAGE).blocks[1]
    outcomes.note_output(quiet, "ValueError: boom\n", "differs")
    assert "printed" not in outcomes.details[quiet.line]


def test_the_results_keep_the_printed_lines_and_the_schema_checks_them():
    report = {"pages": [{"page": "area/errors.md", "sha256": "a" * 64, "blocks": [
        {"line": 13, "recipe": "Domain", "outcome": "differs", "message": "m", "expected": "e", "got": "g",
         "printed": [OLD_DOMAIN]},
    ]}]}
    packages = entry({})["packages"]
    made = driver.version_entry(driver.lock_path("2.16"), packages, False, 0.0, 1.0, report)
    assert made["pages"]["area/errors.md"]["blocks"][0]["printed"] == [OLD_DOMAIN]
    good = merge(empty_results(), "2.16", made)
    assert schema_errors(good) == []
    for damage in (
        lambda block: block.update(outcome="passed"),  # only a block that differs printed another wording
        lambda block: block.update(printed=[]),
        lambda block: block.update(printed=OLD_DOMAIN),
        lambda block: block.update(printed=["x" * 401]),
    ):
        bad = copy.deepcopy(good)
        damage(bad["versions"]["2.16"]["pages"]["area/errors.md"]["blocks"][0])
        assert schema_errors(bad), damage


def test_version_spans_join_consecutive_versions_but_not_the_nightly():
    from cookbook.matrix import version_spans

    known = ["2.16", "2.17", "2.18", "2.19", "2.22", "nightly"]
    assert version_spans(["2.17", "2.16", "2.18", "nightly"], known) == ["2.16–2.18", "nightly"]
    assert version_spans(["2.16", "2.18", "2.19", "2.22", "nightly"], known) == ["2.16", "2.18–2.22", "nightly"]


def rendered_with_notes(docs: Path, name: str, results: dict) -> str:
    """The page ``name`` of ``docs`` with the notes the plugin inserts, as HTML (the site's Markdown extensions)."""
    import markdown

    from cookbook.site.version_matrix import older_wording_notes

    library = PageLibrary(docs)
    shown = library.page(docs / "area" / name)
    tested = library.page(docs / "area" / "errors.md")
    notes = older_wording_notes(results, shown, tested, docs)
    text, at = [], 0
    for offset in sorted(notes):
        text += [shown.text[at:offset], notes[offset]]
        at = offset
    text.append(shown.text[at:])
    body = "".join(text)[shown.body_offset :]
    extensions = ["admonition", "attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.tabbed"]
    return markdown.markdown(body, extensions=extensions, extension_configs={"pymdownx.tabbed": {"alternate_style": True}})


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_message_that_read_otherwise_on_some_versions_is_shown_under_its_output(language, error_docs):
    """Issue #21: where a block printed another wording of its message on some versions, the page shows that
    wording under the output block, with those versions, generated from the results (the page's text is not
    changed): in the page's HTML, which the site's search indexes."""
    import html
    import re

    results = error_results()
    name = "errors.zh.md" if language == "zh" else "errors.md"
    page_html = rendered_with_notes(error_docs, name, results)
    notes = re.findall(
        r'<div class="admonition info cookbook-older-wording">\s*<p class="admonition-title">(.*?)</p>\s*(.*?)</div>',
        page_html,
        re.DOTALL,
    )
    found = [(title, html.unescape(re.sub(r"<[^>]+>", "", body)).strip()) for title, body in notes]
    if language == "en":
        assert found == [
            ("On TensorFlow 2.16–2.17 this message reads:", OLD_DOMAIN),
            ("On the nightly this message reads:", "sqrt(-1): ValueError: expected a non-negative value"),
            ("On the nightly this message reads:", "UserWarning: `x` is gone."),
        ]
    else:
        assert [title for title, _ in found] == [
            "在 TensorFlow 2.16–2.17 上，这条消息是：",
            "在 nightly 版本 上，这条消息是：",
            "在 nightly 版本 上，这条消息是：",
        ]
    # Each note follows its output block; the tab's is inside the tab.
    assert page_html.index("tried 1 value") < page_html.index("cookbook-older-wording")
    tab = page_html[page_html.index('<div class="tabbed-block">') :]
    assert "UserWarning: `x` is gone." in html.unescape(tab)
    # A version that ran another text of the page says nothing about this one.
    assert rendered_with_notes(error_docs, name, error_results(ERROR_PAGE + "\nMore.\n")).count("cookbook-older-wording") == 0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_error_index_lists_the_other_wordings_with_their_versions(language, error_docs):
    from cookbook.site.error_index import index_markdown
    from cookbook.site.version_matrix import labelled_wordings

    library = PageLibrary(error_docs)
    name = "errors.zh.md" if language == "zh" else "errors.md"
    shown = library.page(error_docs / "area" / name)
    tested = library.page(error_docs / "area" / "errors.md")
    older = {shown.path: labelled_wordings(error_results(), shown, tested, error_docs)}
    index = index_markdown([(f"area/{name}", shown)], {}, language, "errors.md", older)
    title = "Errors" if language == "en" else "错误"
    if language == "en":
        assert f"- `math domain error (an older wording)` (on TensorFlow 2.16–2.17) — [{title} › Domain](area/errors.md#domain)" in index
        assert "`expected a non-negative value` (on the nightly)" in index
    else:
        assert "`math domain error (an older wording)`（TensorFlow 2.16–2.17 上的措辞）" in index
    assert "`math domain error` — " in index  # the page's own wording first


def test_a_run_of_some_pages_replaces_only_theirs(tmp_path):
    """`run.py run 2.16 --pages docs/errors`: the pages that ran replace theirs in the version's entry, the other
    pages keep theirs, if the entry was made with the same lock and versions; else the entry is the new pages."""
    earlier = entry({"a.md": {"sha256": "a" * 64, "blocks": blocks()}, "errors/x.md": {"sha256": "b" * 64, "blocks": blocks()}})
    again = entry({"errors/x.md": {"sha256": "c" * 64, "blocks": blocks("differs")}}, date="2026-12-06T04:00:00+00:00")
    again["run_seconds"] = 3.0
    merged = driver.partial_entry("2.16", earlier, again)
    assert list(merged["pages"]) == ["a.md", "errors/x.md"]
    assert merged["pages"]["errors/x.md"]["sha256"] == "c" * 64 and merged["pages"]["a.md"] == earlier["pages"]["a.md"]
    assert merged["totals"] == {"passed": 5, "differs": 1, "error": 0, "skipped": 0}
    assert merged["date"] == again["date"] and merged["run_seconds"] == earlier["run_seconds"]
    other_lock = {**earlier, "lock_sha256": "1" * 64}
    assert driver.partial_entry("2.16", other_lock, again) == again
    assert driver.partial_entry("2.16", None, again) == again


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_version_that_ran_other_pages_only_says_it_did_not_run_this_one(language):
    """After `run.py run 2.22 --pages docs/errors`, the other pages' rows say 2.22 did not run them (not that they
    changed since)."""
    results = results_for(PAGE, **{"2.16": ("passed", "passed")})
    results = merge(results, "2.22", entry({"errors/x.md": {"sha256": "a" * 64, "blocks": blocks()}}))
    row = runs_on(results, "area/page.md", PAGE, language, "x.md")
    assert row.state == "current" and "2.16 ✓" in row.body
    assert ("not run on 2.22" if language == "en" else "2.22 尚未运行本页") in row.body
    assert ("out of date" if language == "en" else "已过期") not in row.body


def test_a_version_with_only_a_release_candidate_locks_it_with_the_keras_it_asks_for(monkeypatch):
    """TensorFlow 2.22: tensorflow-cpu 2.22.0rc0 is its only release, asks for keras-nightly, and there is no
    tf-keras 2.22: the lock takes the release candidate, the newest keras-nightly and tf-keras-nightly's newest 2.22
    build, leaves keras and tf-keras out (their modules would replace these), and its header says why."""
    index = {  # what the package index has, newest first (pip picks the first that the requirement allows)
        "tensorflow-cpu": ["2.22.0rc0", "2.21.0"],
        "keras-nightly": ["3.16.0.dev2026102704"],
        "tf-keras": ["2.21.0"],
        "tf-keras-nightly": ["2.23.0.dev2026102618", "2.22.0.dev2026101709"],
    }

    def pip_report(pip, requirements, *options):
        """pip install --dry-run --no-deps [--pre] REQUIREMENT: without --pre, a final release, or a pre-release
        when the requirement allows no final release (pip's fallback)."""
        from packaging.requirements import Requirement

        wanted = Requirement(requirements[0])
        allowed = [version for version in index.get(wanted.name, []) if wanted.specifier.contains(version, prereleases=True)]
        finals = [version for version in allowed if not Version(version).is_prerelease]
        chosen = (allowed if "--pre" in options or not finals else finals)[:1]
        if not chosen:
            raise driver.MatrixError(f"pip could not resolve {wanted}")
        requires = ["keras-nightly>=3.12.0.dev", "numpy>=1.26.0"] if wanted.name == "tensorflow-cpu" else []
        return {"install": [{"metadata": {"name": wanted.name, "version": chosen[0], "requires_dist": requires}}]}

    from packaging.version import Version

    monkeypatch.setattr(driver, "pip_report", pip_report)
    requirements, left_out, notes = driver.wanted("2.22", ["pip"])
    assert requirements[:3] == [
        "tensorflow-cpu==2.22.0rc0",
        "keras-nightly==3.16.0.dev2026102704",
        "tf-keras-nightly==2.22.0.dev2026101709",
    ]
    assert {"keras", "tf-keras", "tensorflow", "tf-nightly"} <= left_out and "tensorflow-cpu" not in left_out
    assert any("no final release" in note for note in notes) and any("keras-nightly>=3.12.0.dev" in note for note in notes)
    # A version with a final release is locked as before.
    requirements, left_out, notes = driver.wanted("2.21", ["pip"])
    assert requirements[:3] == ["tensorflow-cpu==2.21.*", "tf-keras==2.21.*", "keras"] and notes == []
