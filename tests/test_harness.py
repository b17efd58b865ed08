"""The verification harness itself, on small fixture pages outside docs/.

Each test writes pages and the same conftest.py that docs/ uses into a temporary folder, runs pytest on them
in-process, and checks the verdict and the message. All the inner runs share one child Python (a Runner
lent through a plugin object), as the pages of one session do.
"""

from pathlib import Path

import pytest

from cookbook import Runner
from cookbook.plugin import verification

DOCS_CONFTEST = (Path(__file__).parent.parent / "docs" / "conftest.py").read_text(encoding="utf-8")


class LentRunner:
    def __init__(self, runner: Runner) -> None:
        self.cookbook_runner = runner


@pytest.fixture(scope="module")
def shared_runner():
    with Runner() as runner:
        yield runner


@pytest.fixture
def run_pages(pytester, monkeypatch, shared_runner):
    """Write pages (name to text) and run pytest on them; returns (result, output text)."""
    monkeypatch.setenv("COOKBOOK_RESULTS_DIR", str(pytester.path / "results"))
    pytester.makefile(".py", conftest=DOCS_CONFTEST)

    def run(pages: dict[str, str], *args: str):
        for name, text in pages.items():
            (pytester.path / f"{name}.md").write_text(text, encoding="utf-8")
        result = pytester.runpytest_inprocess(
            "-p",
            "cookbook.plugin",
            "-p",
            "no:cacheprovider",
            *[f"{name}.md" for name in pages],
            *args,
            plugins=[LentRunner(shared_runner)],
        )
        return result, result.stdout.str()

    return run


@pytest.fixture
def run_page(run_pages):
    """Write ``page.md`` with the given text and run pytest on it; returns (result, output text)."""
    return lambda text, *args: run_pages({"page": text}, *args)


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


def test_a_tolerance_outside_an_attribute_list_is_a_page_error(run_page):
    """Material renders ```text title="Output" rtol="1e-3" as a paragraph of plain text."""
    result, output = run_page(GOOD_PAGE.replace('```text title="Output"', '```text title="Output" rtol="1e-3"'))
    assert (
        'page.md:13: Material shows a fence with rtol= as plain text; write the attributes as a list, e.g. ``` { .text title="Output" rtol="1e-3" }'
        in output
    )


def test_a_bad_tolerance_is_a_page_error(run_page):
    result, output = run_page(GOOD_PAGE.replace('```text title="Output"', '``` { .text title="Output" rtol="wide" }'))
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
    result = read_result(pytester.path, "page.md", text)
    assert result.verified and (result.blocks, result.passed) == (2, 2)
    assert read_result(pytester.path, "page.md", text + "changed") is None  # a result holds for that exact text only


def test_a_failing_page_records_that_it_failed(run_page, pytester):
    from cookbook.results import read_result

    run_page(GOOD_PAGE.replace("1.4142135623730951", "1.5"))
    result = read_result(pytester.path, "page.md", (pytester.path / "page.md").read_text())
    assert not result.verified and (result.passed, result.failed) == (1, 1)


def test_a_partial_run_records_nothing(run_page, pytester):
    from cookbook.results import read_result

    run_page(GOOD_PAGE, "-k", "line:3")
    assert read_result(pytester.path, "page.md", (pytester.path / "page.md").read_text()) is None


def test_shuffled_pages_keep_each_page_in_order(run_pages):
    """--shuffle-pages reorders whole pages; a page's blocks, which build on each other, keep their order."""
    names = ["alpha", "beta", "gamma", "delta", "epsilon"]
    result, _ = run_pages({name: DEPENDENT_PAGE for name in names}, "-v", "--shuffle-pages=3")
    result.assert_outcomes(passed=3 * len(names))
    ran = [line.split("::")[0] for line in result.outlines if "::line:" in line and "PASSED" in line]
    pages_in_run_order = list(dict.fromkeys(ran))
    assert sorted(pages_in_run_order) == sorted(f"{n}.md" for n in names)
    assert pages_in_run_order != [f"{n}.md" for n in names]


# Isolation: what one page changes, the next one does not see ------------------------------------------


def _setter_and_reader(change: str, read: str) -> dict[str, str]:
    """Page "a" makes a change; page "b", run after it, prints what it reads, which must be the default."""
    setter = f"```python\nimport os, sys, logging, warnings\nimport numpy as np\nimport keras\nimport tensorflow as tf\n{change}\n```\n"
    reader = f"```python\nimport os, sys, logging, warnings\nimport numpy as np\nimport keras\nimport tensorflow as tf\nprint({read})\n```\n"
    return {"a_sets": setter, "b_reads": reader}


LEAKS = {
    "keras floatx": ('keras.config.set_floatx("float64")', "keras.config.floatx()", "float32"),
    "keras epsilon": ("keras.config.set_epsilon(0.5)", "keras.config.epsilon()", "1e-07"),
    "keras image data format": (
        'keras.config.set_image_data_format("channels_first")',
        "keras.config.image_data_format()",
        "channels_last",
    ),
    "keras dtype policy": (
        'keras.config.set_dtype_policy("mixed_float16")',
        "keras.config.dtype_policy().name",
        "float32",
    ),
    "tf functions run eagerly": (
        "tf.config.run_functions_eagerly(True)",
        "tf.config.functions_run_eagerly()",
        "False",
    ),
    "tf jit": ("tf.config.optimizer.set_jit(True)", "bool(tf.config.optimizer.get_jit())", "False"),
    "tf experimental options": (
        'tf.config.optimizer.set_experimental_options({"constant_folding": False})',
        '"constant_folding" in tf.config.optimizer.get_experimental_options()',
        "False",
    ),
    "tf soft placement": (
        "tf.config.set_soft_device_placement(False)",
        "tf.config.get_soft_device_placement()",
        "True",
    ),
    "tf check numerics": (
        "tf.debugging.enable_check_numerics()",
        "tf.math.log(tf.constant(-1.0)).numpy()",
        "nan",
    ),
    "environment variable": ('os.environ["COOKBOOK_TEST_LEAK"] = "1"', 'os.environ.get("COOKBOOK_TEST_LEAK")', "None"),
    "working directory": ('os.makedirs("sub"); os.chdir("sub")', "os.path.basename(os.getcwd()) != 'sub'", "True"),
    "warnings filters": (
        'warnings.simplefilter("error")',
        "len([f for f in warnings.filters if f[0] == 'error']) == 0",
        "True",
    ),
    "logging level": (
        'logging.getLogger("tensorflow").setLevel("ERROR")',
        'logging.getLogger("tensorflow").level',
        "0",
    ),
    "numpy print options": ("np.set_printoptions(precision=2)", "np.get_printoptions()['precision']", "8"),
    "sys.path": ('sys.path.insert(0, "/nowhere")', '"/nowhere" in sys.path', "False"),
    # Page A seeds and draws nothing, so a seed that leaks gives page B exactly the first draw after it.
    "python random seed": (
        "import random; random.seed(1)",
        "__import__('random').random() != 0.13436424411240122",
        "True",
    ),
    "tf global seed": (
        "tf.random.set_seed(1)",
        "float(tf.random.uniform([]).numpy()) != 0.1651308536529541",
        "True",
    ),
}


@pytest.mark.parametrize("leak", LEAKS)
def test_what_a_page_changes_is_put_back_before_the_next_page(run_pages, leak):
    change, read, default = LEAKS[leak]
    result, output = run_pages(_setter_and_reader(change, read), "-s", "--update-outputs")
    result.assert_outcomes(passed=2)
    assert f"{default}" in (result.stdout.str() + Path("b_reads.md").read_text()), output
    assert Path("b_reads.md").read_text().split('```text title="Output"\n')[1].startswith(f"{default}\n")


def test_a_process_left_running_fails_the_page_and_is_ended(run_page):
    page = "```python\nimport subprocess\nworker = subprocess.Popen(['sleep', '600'])\n```\n"
    result, output = run_page(page)
    result.assert_outcomes(failed=1)
    assert (
        "page.md:1: after this page ran, the Python that runs the pages still differs in: processes still running, now ended: sleep 600"
        in output
    )


def test_a_process_in_the_middle_of_exec_is_named_by_its_command(tmp_path):
    """Popen returns once the close-on-exec pipe closes, early in execve, while /proc/PID/cmdline is empty until
    the kernel has set up the new program's arguments: the name waits for it, else falls back to ``comm``."""
    import threading

    from cookbook.child import process_name

    folder = tmp_path / "4242"
    folder.mkdir()
    (folder / "stat").write_text("4242 (sleep) S 1 4242 4242 0 -1\n")
    (folder / "cmdline").write_bytes(b"")
    exec_ends = threading.Timer(0.05, (folder / "cmdline").write_bytes, [b"sleep\x00600\x00"])
    exec_ends.start()
    assert process_name(str(folder), wait=5) == "sleep 600"
    exec_ends.join()
    (folder / "cmdline").write_bytes(b"")
    assert process_name(str(folder), wait=0) == "sleep"


def _running(command: str) -> bool:
    for entry in Path("/proc").iterdir():
        try:
            if (entry / "cmdline").read_bytes().replace(b"\0", b" ").strip() == command.encode():
                return True
        except OSError:
            continue
    return False


def test_a_hanging_block_is_stopped_and_says_where_it_was(run_page):
    page = (
        "---\ntimeout: 2\n---\n```python\nimport subprocess, time\n\ndef wait():\n    time.sleep(600)\n\n"
        "worker = subprocess.Popen(['sleep', '601'])\nwait()\n```\n\n## Next\n\n```python\nprint('next')\n```\n\n"
        '```text title="Output"\nnext\n```\n'
    )
    result, output = run_page(page)
    result.assert_outcomes(passed=1, failed=1)  # the recipe after the hang runs in a new child Python
    assert (
        "page.md:4: running the block at page.md:4 did not finish within 2 s; it was stopped, with the processes it started"
        in output
    )
    assert "page.md:8: time.sleep(600)" in output and "page.md:11: wait()" in output
    assert not _running("sleep 601"), "the process the hanging block started is still running"


def test_a_block_that_ends_its_process_fails_and_the_run_goes_on(run_page):
    page = (
        GOOD_PAGE.replace("print(math.sqrt(2.0))", "import os\nos._exit(0)")
        + "\n## After\n\n```python\nprint('after')\n```\n\n```text title=\"Output\"\nafter\n```\n"
    )
    result, output = run_page(page)
    result.assert_outcomes(passed=2, failed=1)
    assert "page.md:9: the Python running the page exited with status 0 while running the block at page.md:9" in output


def test_sys_exit_in_a_block_is_an_exception_of_that_block(run_page):
    result, output = run_page(GOOD_PAGE.replace("print(math.sqrt(2.0))", "import sys\nsys.exit(3)"))
    result.assert_outcomes(passed=1, failed=1)
    assert "page.md:11: sys.exit(3)" in output and "SystemExit: 3" in output


def test_recipes_cannot_import_the_cookbook_package(run_page):
    result, output = run_page("```python\nimport cookbook\n```\n")
    result.assert_outcomes(failed=1)
    assert "No module named 'cookbook' (recipes may use only public packages" in output


def test_a_page_opens_no_socket_unless_it_says_network_loopback(run_page):
    code = "```python\nimport socket\nserver = socket.socket()\nserver.bind(('127.0.0.1', 0))\nserver.close()\nprint('bound')\n```\n\n```text title=\"Output\"\nbound\n```\n"
    result, output = run_page(code)
    result.assert_outcomes(failed=1)
    assert "the cookbook's pages run without network access (no network); refused bind to ('127.0.0.1', 0)" in output
    result, _ = run_page("---\nnetwork: loopback\n---\n" + code)
    result.assert_outcomes(passed=1)
    outside = code.replace("server.bind(('127.0.0.1', 0))", "server.connect(('192.0.2.1', 80))")
    result, output = run_page("---\nnetwork: loopback\n---\n" + outside)
    assert "(loopback addresses only (network: loopback)); refused connect to ('192.0.2.1', 80)" in output


def test_a_fresh_python_page_can_split_the_cpu_into_logical_devices(run_pages):
    fresh = (
        "---\nfresh_python: true\n---\n```python\nimport tensorflow as tf\n"
        "cpu = tf.config.list_physical_devices('CPU')[0]\n"
        "tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)\n"
        "print(len(tf.config.list_logical_devices('CPU')))\n```\n\n```text title=\"Output\"\n2\n```\n"
    )
    shared = fresh.replace("---\nfresh_python: true\n---\n", "").replace("tf\n", "tf\ntf.constant(1.0)\n", 1)
    result, output = run_pages({"a_shared": shared, "b_fresh": fresh})
    result.assert_outcomes(passed=1, failed=1)
    assert "a_shared.md:1: the code raised an exception" in output and "RuntimeError" in output


FRESH_RECIPES = """---
fresh_python: true
---
```python
import os
counter = {"n": 0}
with open("setup.txt", "w") as f:
    f.write("from the setup")
```

## One

```python
counter["n"] += 1
open("one.txt", "w").close()
print(counter["n"], sorted(os.listdir(".")), open("setup.txt").read())
```

```text title="Output"
1 ['one.txt', 'setup.txt'] from the setup
```

## Ends its process

```python
os._exit(3)
```

## Two

```python
counter["n"] += 1
print(counter["n"], sorted(os.listdir(".")), os.getpid() != SETUP_PID)
```

```text title="Output"
1 ['setup.txt'] True
```
"""


def test_each_recipe_of_a_fresh_python_page_runs_in_its_own_copy_of_the_python_that_ran_the_setup(run_page):
    """With --isolated-recipes, a fresh_python page's recipes run in copies of the Python that ran its setup
    block: each sees the setup's state and files, and nothing of another recipe; one that ends its process
    fails alone."""
    page = FRESH_RECIPES.replace('counter = {"n": 0}', 'counter = {"n": 0}\nSETUP_PID = os.getpid()')
    result, output = run_page(page, "--isolated-recipes")
    result.assert_outcomes(passed=3, failed=1)
    assert (
        "page.md:26: the Python running the page exited with status 3 while running the block at page.md:26" in output
    )


def test_front_matter_errors_are_named(run_page):
    result, output = run_page("---\ntimeout: forever\nnetwork: internet\n---\n" + GOOD_PAGE)
    assert "page.md:1: timeout: must be a number of seconds from 1 to 3600, got 'forever'" in output
    assert "page.md:1: network: must be one of none, loopback, got 'internet'" in output


def test_stderr_lines_are_part_of_what_a_block_prints(run_page):
    page = "```python\nimport warnings\nwarnings.warn('careful', UserWarning)\n```\n"
    result, output = run_page(page)
    result.assert_outcomes(failed=1)
    assert "page.md:1: the code printed output but the page shows none" in output and "UserWarning: careful" in output


def test_a_translation_must_show_the_english_blocks(run_pages):
    chinese = GOOD_PAGE.replace("# A page", "# 一页").replace("1.4142135623730951", "1.4142135623730952")
    result, output = run_pages({"page": GOOD_PAGE, "page.zh": chinese})
    result.assert_outcomes(passed=3, failed=1)
    assert "page.zh.md:13: this output differs from page.md:9's, which the tests verify" in output
    result, output = run_pages({"page": GOOD_PAGE, "page.zh": GOOD_PAGE.replace("2.0", "3.0")})
    assert "page.zh.md:9: this code differs from page.md:9, which the tests run" in output


def test_each_page_is_parsed_once_per_session(pytester, monkeypatch, shared_runner):
    monkeypatch.setenv("COOKBOOK_RESULTS_DIR", str(pytester.path / "results"))
    pytester.makefile(".py", conftest=DOCS_CONFTEST)
    for name, text in {"page": GOOD_PAGE, "other": DEPENDENT_PAGE, "page.zh": GOOD_PAGE}.items():
        (pytester.path / f"{name}.md").write_text(text, encoding="utf-8")
    recorder = pytester.inline_run(
        "-p", "cookbook.plugin", "-p", "no:cacheprovider", "--isolated-recipes", plugins=[LentRunner(shared_runner)]
    )
    config = recorder.getcalls("pytest_sessionfinish")[0].session.config
    parses = verification(config).library.parses
    assert sorted(path.name for path in parses) == ["other.md", "page.md", "page.zh.md"]
    assert set(parses.values()) == {1}


TABS_PAGE = """\
# Tabs

```python
base = 1
```

## Two ways

=== "First"

    ```python
    first = base + 1
    print(first)
    ```

    ```text title="Output"
    2
    ```

=== "Second"

    ```python
    print(first + 1)
    ```

    ```text title="Output"
    3
    ```
"""


def test_each_content_tab_runs_after_only_the_setup_block(run_page):
    result, _ = run_page(TABS_PAGE)
    result.assert_outcomes(passed=3)
    result, output = run_page(TABS_PAGE, "--isolated-recipes")
    result.assert_outcomes(passed=2, failed=1)
    assert "NameError: name 'first' is not defined" in output
    assert "(recipe 'Two ways', tab 'Second', run after only the page's setup block)" in output


def test_functions_defined_on_a_page_have_their_source_as_in_a_script(run_page):
    """AutoGraph reads a function's source (inspect.getsource) to convert it; in a script or a notebook it
    can, so on a page it must too, or the page would show warnings a reader never sees."""
    page = (
        "```python\nimport inspect\nimport tensorflow as tf\n\ndef double(x):\n    return 2 * x\n```\n\n"
        "## Use\n\n```python\nprint(inspect.getsource(double).splitlines()[0])\n"
        "print([int(v) for v in tf.data.Dataset.range(3).map(lambda x: double(x) + 1)])\n```\n\n"
        '```text title="Output"\ndef double(x):\n[1, 3, 5]\n```\n'
    )
    result, output = run_page(page, "--isolated-recipes")
    result.assert_outcomes(passed=2)


def test_retracing_counts_start_afresh_on_each_page(run_pages):
    """TensorFlow warns when a function retraces often, counting calls over the whole process: a page must
    not inherit another page's count."""
    retrace = (
        "```python\nimport tensorflow as tf\n\ndef shape_of(x):\n    return tf.shape(x)\n\n"
        "traced = tf.function(shape_of)\nfor n in range({n}):\n    traced(tf.zeros([n + 1]))\n```\n"
    )
    result, output = run_pages({"a_first": retrace.format(n=4), "b_second": retrace.format(n=4)})
    result.assert_outcomes(passed=2)


def test_what_tensorflow_prints_from_cpp_is_output_too_and_its_log_lines_are_not(run_page):
    """tf.print writes from C++ straight to the process's stderr, as a reader sees in a terminal or notebook;
    lines in the C++ runtime's log format are left out."""
    page = (
        "```python\nimport os\nimport tensorflow as tf\nprint('before')\ntf.print('from C++:', tf.constant([1, 2]))\n"
        "os.write(2, b'I0000 00:00:1795684683.224327     468 util.cc:131] a native log line\\n')\nprint('after')\n```\n\n"
        '```text title="Output"\nbefore\nfrom C++: [1 2]\nafter\n```\n'
    )
    result, output = run_page(page)
    result.assert_outcomes(passed=1)


def test_the_report_gives_each_blocks_outcome(run_page, pytester):
    """--cookbook-report=FILE (what `make matrix` reads): per block, passed / differs (shown vs printed line) /
    error (exception type and message) / skipped, with the page text's hash."""
    import json

    from cookbook.results import text_hash

    page = GOOD_PAGE + (
        "\n## Fails\n\n```python\nprint('a')\nprint(1 / 0)\n```\n\n```text title=\"Output\"\na\n```\n"
        "\n## Wraps\n\n```python\nraise ValueError('outer\\n\\ndetails\\nthe cause')\n```\n"
        '\n## Skipped\n\n```python title="Not run: needs a GPU"\nprint(2)\n```\n'
        '\n## Progress\n\n```python\nprint("\\x1b[1m1/3\\x1b[0m ━━\\b\\b\\r")\n```\n\n```text title="Output"\ndone\n```\n'
    )
    run_page(page.replace("1.4142135623730951", "root:\n1.5"), "--cookbook-report=report.json")
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    assert report["format"] == 1 and report["versions"]["python"]
    [entry] = report["pages"]
    assert entry["page"] == "page.md"
    assert entry["sha256"] == text_hash((pytester.path / "page.md").read_text(encoding="utf-8"))
    assert entry["blocks"] == [
        {"line": 3, "recipe": None, "outcome": "passed"},
        {
            "line": 9,
            "recipe": "Square root",
            "outcome": "differs",
            "message": "at line 1 of the shown output: expected 'root', got '1.4142135623730951'",
            "expected": "root:",
            "got": "1.4142135623730951",
        },
        {"line": 20, "recipe": "Fails", "outcome": "error", "type": "ZeroDivisionError", "message": "division by zero"},
        {"line": 31, "recipe": "Wraps", "outcome": "error", "type": "ValueError", "message": "outer\n…\nthe cause"},
        {"line": 37, "recipe": "Skipped", "outcome": "skipped", "message": "needs a GPU"},
        {
            "line": 43,
            "recipe": "Progress",
            "outcome": "differs",
            "message": "at line 1 of the shown output: expected 'done', got '\\x1b'",
            "expected": "done",
            "got": "1/3 ━━",  # without the progress bar's terminal codes
        },
    ]
