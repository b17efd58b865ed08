"""The verification harness itself, on small fixture pages outside docs/.

Each test writes a page and the same conftest.py that docs/ uses into a temporary folder, runs pytest on it
in-process, and checks the verdict and the message.
"""

from pathlib import Path

# pytester forgets the modules that an in-process run imports, and NumPy and TensorFlow cannot be imported
# twice in one process: import them before any run. The harness imports them for each page anyway.
import keras  # noqa: F401
import pytest
import tensorflow  # noqa: F401

from cookbook import harness, pages, snippets

DOCS_CONFTEST = (Path(__file__).parent.parent / "docs" / "conftest.py").read_text(encoding="utf-8")


@pytest.fixture
def run_page(pytester, monkeypatch):
    """Write ``page.md`` with the given text and run pytest on it; returns (result, output text)."""
    # The inner run replaces these; restore them afterwards.
    monkeypatch.setattr(harness, "settings", harness.settings)
    monkeypatch.setattr(snippets, "display_root", snippets.display_root)
    monkeypatch.setattr(pages, "_docs_root", pages._docs_root)
    monkeypatch.setenv("COOKBOOK_RESULTS_DIR", str(pytester.path / "results"))
    pytester.makefile(".py", conftest=DOCS_CONFTEST)

    def run(text: str, *args: str):
        pytester.makefile(".md", page=text)
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:randomly", "page.md", *args)
        return result, result.stdout.str()

    return run


GOOD_PAGE = """\
# A page

```python
import math
```

## Square root

```python title="root.py" hl_lines="1"
print(math.sqrt(2.0))
```

```text title="Output"
1.4142135623730951
```
"""


def test_matching_output_passes(run_page):
    result, _ = run_page(GOOD_PAGE)
    result.assert_outcomes(passed=2)


def test_a_fence_with_material_attributes_is_run(run_page):
    result, output = run_page(GOOD_PAGE.replace("math.sqrt(2.0)", "math.sqrt(3.0)"))
    result.assert_outcomes(passed=1, failed=1)
    assert "page.md:14: output differs from what the code at page.md:9 printed" in output


def test_wrong_output_names_page_and_line(run_page):
    result, output = run_page(GOOD_PAGE.replace("1.4142135623730951", "1.5"))
    result.assert_outcomes(passed=1, failed=1)
    assert "page.md:14: output differs" in output
    assert "expected '1.5', got '1.4142135623730951'" in output


def test_float_just_inside_tolerance_passes(run_page):
    result, _ = run_page(GOOD_PAGE.replace("1.4142135623730951", "1.414214"))  # 3e-7 relative
    result.assert_outcomes(passed=2)


def test_float_just_outside_tolerance_fails(run_page):
    result, output = run_page(GOOD_PAGE.replace("1.4142135623730951", "1.414217"))  # 2.5e-6 relative
    result.assert_outcomes(passed=1, failed=1)
    assert "expected '1.414217'" in output


def test_a_block_may_state_its_tolerance(run_page):
    page = GOOD_PAGE.replace('```text title="Output"', '```text title="Output" rtol="1e-3"')
    result, _ = run_page(page.replace("1.4142135623730951", "1.4145"))
    result.assert_outcomes(passed=2)


def test_a_bad_tolerance_is_a_page_error(run_page):
    result, output = run_page(GOOD_PAGE.replace('```text title="Output"', '```text title="Output" rtol="wide"'))
    result.assert_outcomes(passed=1, failed=1)
    assert "page.md:13: bad tolerance on this output block" in output


def test_missing_output_block_fails(run_page):
    page = GOOD_PAGE.split('```text title="Output"')[0]
    result, output = run_page(page)
    result.assert_outcomes(passed=1, failed=1)
    assert "page.md:9: the code printed output but the page shows none" in output


def test_extra_line_of_output_fails(run_page):
    result, output = run_page(GOOD_PAGE.replace("print(math.sqrt(2.0))", "print(math.sqrt(2.0))\nprint('more')"))
    result.assert_outcomes(passed=1, failed=1)
    assert "expected '<end of shown output>', got 'more'" in output


def test_output_block_under_silent_code_fails(run_page):
    result, output = run_page(GOOD_PAGE.replace("print(math.sqrt(2.0))", "root = math.sqrt(2.0)"))
    result.assert_outcomes(passed=1, failed=1)
    assert "got '<end of printed output>'" in output


def test_exception_names_page_and_line(run_page):
    result, output = run_page(GOOD_PAGE.replace("print(math.sqrt(2.0))", "x = 1\nprint(math.sqrt(-x))"))
    result.assert_outcomes(passed=1, failed=1)
    assert "page.md:11: print(math.sqrt(-x))" in output
    assert "ValueError: math domain error" in output


def test_skipped_block_is_reported_with_its_reason(run_page):
    page = GOOD_PAGE.replace('title="root.py" hl_lines="1"', 'title="Not run: needs a GPU"')
    result, output = run_page(page, "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    assert "page.md:9: needs a GPU" in output


@pytest.mark.parametrize("spelling", ["py", "python3", "pycon"])
def test_a_python_fence_that_would_not_run_fails(run_page, spelling):
    result, output = run_page(GOOD_PAGE.replace('```python title="root.py"', f"```{spelling}"))
    result.assert_outcomes(passed=1, failed=2)  # the fence, and the output block that nothing checks now
    assert f"page.md:9: a ```{spelling} fence is not run by the cookbook's tests" in output


def test_an_output_block_after_prose_fails(run_page):
    page = GOOD_PAGE.replace('```text title="Output"', 'Some prose.\n\n```text title="Output"')
    result, output = run_page(page)
    assert "page.md:15: this output block does not follow a ```python block" in output
    result.assert_outcomes(passed=1, failed=2)  # the orphan block, and the code that now prints unchecked


def test_an_unclosed_fence_fails(run_page):
    result, output = run_page(GOOD_PAGE + "\n```python\nprint(1)\n")
    assert "this fence is never closed" in output
    result.assert_outcomes(passed=2, failed=1)


def test_an_indented_fence_in_a_tab_is_run(run_page):
    page = (
        GOOD_PAGE
        + '\n=== "Tab"\n\n    ```python\n    print(2 + 2)\n    ```\n\n    ```text title="Output"\n    5\n    ```\n'
    )
    result, output = run_page(page)
    result.assert_outcomes(passed=2, failed=1)
    assert "expected '5', got '4'" in output


DEPENDENT_PAGE = """\
# Dependent

```python
base = 10
```

## First

```python
value = base + 1
print(value)
```

```text title="Output"
11
```

## Second

```python
print(value * 2)
```

```text title="Output"
22
```
"""


def test_isolated_recipes_catch_a_hidden_dependency(run_page):
    result, _ = run_page(DEPENDENT_PAGE)
    result.assert_outcomes(passed=3)
    result, output = run_page(DEPENDENT_PAGE, "--isolated-recipes")
    result.assert_outcomes(passed=2, failed=1)
    assert "page.md:21: print(value * 2)" in output
    assert "NameError: name 'value' is not defined" in output
    assert "recipe 'Second' run after only the page's setup block" in output


def test_each_page_runs_in_an_empty_scratch_folder(run_page, pytester):
    page = "```python\nimport os\nprint(os.listdir('.'))\nopen('scratch.txt', 'w').close()\n```\n\n```text title=\"Output\"\n[]\n```\n"
    result, _ = run_page(page)
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "scratch.txt").exists()


def test_update_outputs_rewrites_blocks_and_a_second_run_passes(run_page, pytester):
    stale = GOOD_PAGE.replace("1.4142135623730951", "stale") + "\n## More\n\n```python\nprint('new')\n```\n"
    result, output = run_page(stale, "--update-outputs")
    result.assert_outcomes(passed=3)
    rewritten = (pytester.path / "page.md").read_text()
    assert "1.4142135623730951" in rewritten and "stale" not in rewritten
    assert rewritten.endswith("```python\nprint('new')\n```\n\n```text title=\"Output\"\nnew\n```\n")
    result, _ = run_page(rewritten)
    result.assert_outcomes(passed=3)
    result, _ = run_page(rewritten, "--update-outputs")
    assert (pytester.path / "page.md").read_text() == rewritten  # idempotent


def test_a_passing_page_records_a_verified_result(run_page, pytester):
    from cookbook.results import read_result

    run_page(GOOD_PAGE)
    text = (pytester.path / "page.md").read_text()
    result = read_result("page.md", text)
    assert result.verified and (result.blocks, result.passed) == (2, 2)
    assert read_result("page.md", text + "changed") is None  # a result holds for that exact text only


def test_a_failing_page_records_that_it_failed(run_page, pytester):
    from cookbook.results import read_result

    run_page(GOOD_PAGE.replace("1.4142135623730951", "1.5"))
    result = read_result("page.md", (pytester.path / "page.md").read_text())
    assert not result.verified and (result.passed, result.failed) == (1, 1)


def test_a_partial_run_records_nothing(run_page, pytester):
    from cookbook.results import read_result

    run_page(GOOD_PAGE, "-k", "line:3")
    assert read_result("page.md", (pytester.path / "page.md").read_text()) is None


def test_shuffled_pages_keep_each_page_in_order(pytester, run_page):
    """--shuffle-pages reorders whole pages; a page's blocks, which build on each other, keep their order."""
    names = ["alpha", "beta", "gamma", "delta", "epsilon"]
    for name in names:
        pytester.makefile(".md", **{name: DEPENDENT_PAGE})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-v", "--shuffle-pages=3", *[f"{n}.md" for n in names]
    )
    result.assert_outcomes(passed=3 * len(names))
    ran = [line.split("::")[0] for line in result.outlines if "::line:" in line and "PASSED" in line]
    pages_in_run_order = list(dict.fromkeys(ran))
    assert sorted(pages_in_run_order) == sorted(f"{n}.md" for n in names)
    assert pages_in_run_order != [f"{n}.md" for n in names]
