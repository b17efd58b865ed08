"""The built site as readers use it, in a real browser: headless Chromium driven by Playwright.

That every page of both languages (and the 404 page) loads with no console error, no failed request and no
request to another host, in both colour schemes, is ``test_every_page_in_the_browser.py``'s check; these
tests use the site as a reader does: search, copy, download, switch language.

Debian's Chromium is used (``apt-get install chromium``; ``.ci/run`` installs it): the browser that
Playwright would download for itself cannot be fetched on machines without internet access.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import watch

from cookbook.compare import compare_output, without_native_log

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
#: Where the screenshots go: outside the repository, kept after the run for a person to look at.
SCREENSHOTS = Path(tempfile.gettempdir()) / "tf2-cookbook-screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket]  # the site is served on 127.0.0.1


@pytest.fixture
def page(browser, base_url):
    """A fresh tab that records what goes wrong in it and every host it requests (see ``conftest.watch``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    tab = context.new_page()
    watch(tab)
    yield tab
    context.close()


def screenshot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


# Each language's search runs in one tab, which loads the search index once: typing a query and reading the
# results needs no new page.
SEARCHES = [
    ("", "TensorArray", "/tensors/tensorarray/"),
    ("", "top_k", "/layers/tf-nn/"),
    ("", "tf.nn.top_k", "/layers/tf-nn/"),
    ("", "GradientTape", "/training/gradient-tape/"),
    ("", "band_part", "/tensors/math-linalg/"),
    ("", "FeatureSpace", "/input/structured-data/"),
    ("zh/", "梯度", "/zh/training/gradient-tape/"),
    ("zh/", "张量数组", "/zh/tensors/tensorarray/"),
    ("zh/", "GradientTape", "/zh/training/gradient-tape/"),
    ("zh/", "top_k", "/zh/layers/tf-nn/"),
    ("zh/", "FeatureSpace", "/zh/input/structured-data/"),
]


@pytest.fixture(scope="module")
def search_tabs(browser, base_url):
    """One tab per language, on that language's home page, whose search index stays loaded."""
    tabs, contexts = {}, []

    def tab(home: str):
        if home not in tabs:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            contexts.append(context)
            tabs[home] = context.new_page()
            watch(tabs[home])
            tabs[home].goto(base_url + home)
        return tabs[home]

    yield tab
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("home", "query", "expected"), SEARCHES)
def test_search_finds_the_recipe_that_uses_an_api(search_tabs, home, query, expected):
    """Dotted and CamelCase API names are found in both languages, and Chinese words (segmented by jieba)
    on the Chinese pages: the page is among the first three results."""
    tab = search_tabs(home)
    results = search(tab, query)
    top = [urlparse(href).path for href in results.evaluate_all("links => links.slice(0, 3).map(a => a.href)")]
    assert any(path.endswith(expected) for path in top), f"{query!r}: first results are {top}"
    assert tab.problems == []


# Messages as a reader pastes them from their own run: the types and stable words of messages that the pages
# show, with other layer names, shapes, numbers, dtypes and addresses. Each expected page shows the message.
PASTED_MESSAGES = [
    ("InvalidArgumentError: Incompatible shapes: [32,10] vs. [32]", "/tensors/tensor-basics/"),
    ("ValueError: labels.shape=(16, 5, 1) of rank 3 and logits.shape=(16, 5, 10) of rank 3", "/layers/tf-nn/"),
    ("AttributeError: 'SGD' object has no attribute 'apply_gradient'", "/training/optimizers/"),
    ("ValueError: The variable shape (4, 3), and the assigned value shape (5, 3) are incompatible.", "/tensors/tensor-basics/"),
    ("TypeError: Cannot convert 1.5 to EagerTensor of dtype int64", "/tensors/tensor-basics/"),
    ("InvalidArgumentError: indices[3] = [2,0] is out of order. Many sparse ops require sorted indices.", "/tensors/tensor-basics/"),
    (
        "InvalidArgumentError: Shapes of all inputs must match: values[0].shape = [3,4] != values[2].shape = [5,4]",
        "/tensors/tensorarray/",
    ),
    ("ValueError: Incompatible shape for value ((7,)), expected ((4,))", "/tensors/tensorarray/"),
    (
        "InvalidArgumentError: Cannot batch tensors with different shapes in component 0. First element had shape [64] "
        "and element 3 had shape [12].",
        "/input/structured-data/",
    ),
    (
        "InvalidArgumentError: Name: <unknown>, Key: labels, Index: 0.  Number of int64 values != expected.  "
        "Values size: 3 but output shape: [5]",
        "/input/tfrecord/",
    ),
    ("InvalidArgumentError: Type mismatch between parsed tensor (int64) and dtype (float32)", "/input/tfrecord/"),
    ("TypeError: Could not locate class 'ResidualBlock'", "/layers/custom-layers-models/"),
    ("ModuleNotFoundError: No module named 'keras.preprocessing.sequence'", "/text/text/"),
    ("InvalidArgumentError: StringToNumberOp could not correctly convert string: 12abc", "/text/text/"),
    (
        "ValueError: FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
        "y_pred.shape=(128,) and y_true.shape=(128,).",
        "/training/metrics/",
    ),
    (
        "InvalidArgumentError: Inputs to operation AddN of type AddN must have the same size and shape.  "
        "Input 0: [16,8] != input 1: [15,8]",
        "/distribute/mirrored-strategy/",
    ),
    ("AssertionError: Unresolved object in checkpoint (root).optimizer._variables.3", "/saving/checkpoints/"),
    (
        "TypeError: Binding inputs to tf.function failed due to `Can not cast TensorSpec(shape=(4, 3), dtype=tf.float64, "
        "name=None) to TensorSpec(shape=(None,), dtype=tf.float64, name=None)`.",
        "/saving/tf-function/",
    ),
    ("WARNING:tensorflow:The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int64", "/training/gradient-tape/"),
    ("UserWarning: The initializer HeUniform is unseeded and being called multiple times", "/layers/initializers/"),
    ("ValueError: Must specify maxval for integer dtype tf.int64", "/tensors/random/"),
    (
        "ValueError: When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
        "`.weights.h5` (Keras weights format). Received: filepath=checkpoints/best.h5",
        "/training/callbacks/",
    ),
    (
        "ValueError: Failed to convert a NumPy array to a Tensor (Unsupported object type str).",
        "/input/structured-data/",
    ),
    ("FailedPreconditionError: EagerPyFunc is stateful.", "/saving/checkpoints/"),
]


@pytest.mark.parametrize("home", ["", "zh/"])
@pytest.mark.parametrize(("message", "expected"), PASTED_MESSAGES)
def test_search_finds_the_recipe_that_shows_a_pasted_message(search_tabs, home, message, expected):
    """A message pasted whole, with the reader's own names and numbers, finds the recipe that shows it among the
    first three results, on the Chinese site too (it shows the same English messages)."""
    tab = search_tabs(home)
    top = pasted_search(tab, message)
    assert "/" + home + expected.lstrip("/") in top, f"{message!r}: first results are {top}"
    assert tab.problems == []


@pytest.mark.parametrize("home", ["", "zh/"])
def test_each_language_searches_its_own_pages(search_tabs, home):
    """The i18n plugin writes one search index for both languages; each language's search lists its own pages
    only (the site's search worker, docs/javascripts/search-worker.js), not each page's twin as well."""
    tab = search_tabs(home)
    results = search(tab, "GradientTape")
    paths = [urlparse(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]
    assert len(paths) >= 3
    assert all(path.startswith("/zh/") == (home == "zh/") for path in paths), paths
    assert tab.problems == []


def test_a_search_result_leads_to_its_page(page, base_url):
    page.goto(base_url)
    results = search(page, "GradientTape")
    with page.expect_navigation():
        results.first.click()
    assert urlparse(page.url).path == "/training/gradient-tape/"


def pasted_search(tab, text: str) -> list[str]:
    """Paste ``text`` into the site's search; the paths of the first three results."""
    results = search(tab, text, paste=True)
    return [urlparse(href).path for href in results.evaluate_all("links => links.slice(0, 3).map(a => a.href)")]


def search(tab, query: str, paste: bool = False):
    """Type a query into the site's search as a person would (or, with ``paste``, paste it: one input event);
    the results' links, once they are the query's.
    The search index loads in a web worker, so a query typed before the search is ready is typed again; in a
    tab that searched before, the previous query's results are cleared first, and the list is read only when
    it has stopped changing (the worker answers each keystroke in turn)."""
    from playwright.sync_api import TimeoutError

    box = tab.locator(".md-search__input")
    results = tab.locator(".md-search-result__item > a")
    for _ in range(3):
        box.click()
        box.press("Control+a")
        box.press("Backspace")
        results.first.wait_for(state="detached", timeout=10_000)
        if paste:
            box.fill(query)
        else:
            box.press_sequentially(query, delay=30)
        # Chinese characters arrive as text input without key events; a key press makes sure the search
        # sees the new value.
        box.press("End")
        try:
            results.first.wait_for(timeout=10_000)
        except TimeoutError:
            continue
        seen, unchanged = None, 0
        for _ in range(60):  # at most 9 s
            tab.wait_for_timeout(150)
            now = results.evaluate_all("links => links.map(a => a.href).join(' ')")
            unchanged = unchanged + 1 if now == seen else 0
            seen = now
            if unchanged == 3:
                return results
    meta = tab.locator(".md-search-result__meta").inner_text()
    raise AssertionError(f"the search for {query!r} showed no results; the search box says {meta!r}")


def test_copy_button_copies_the_code_and_nothing_else(page, base_url):
    page.goto(base_url + "training/gradient-tape/")
    block = page.locator("article .highlight").nth(1)  # the first recipe's code (0 is the setup block)
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("x = tf.constant(3.0)\nwith tf.GradientTape(persistent=True) as tape:")
    assert ">>>" not in copied and "dz/dx = 108.0" not in copied  # no prompt, no output
    screenshot(page, "recipe-gradient-tape")


@pytest.mark.parametrize(
    ("home", "verified", "unverified"),
    [("", "Verified with TensorFlow", "Not verified"), ("zh/", "已验证：TensorFlow", "未验证")],
)
def test_verified_stamp_is_visible(page, base_url, home, verified, unverified):
    page.goto(base_url + home + "training/gradient-tape/")
    stamp = page.locator(".cookbook-stamp")
    assert stamp.is_visible()
    title = stamp.locator(".admonition-title").inner_text()
    assert title.startswith(verified) or title == unverified


@pytest.mark.parametrize(("home", "filename"), [("", "gradient-tape.ipynb"), ("zh/", "gradient-tape.zh.ipynb")])
def test_notebook_link_downloads_a_valid_notebook(page, base_url, home, filename):
    import nbformat

    page.goto(base_url + home + "training/gradient-tape/")
    with page.expect_download() as download:
        page.locator("a.cookbook-notebook").click()
    notebook = nbformat.reads(Path(download.value.path()).read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert download.value.suggested_filename == filename
    from cookbook import PageLibrary

    page_blocks = PageLibrary(REPO).page(DOCS / "training" / "gradient-tape.md").blocks
    assert [cell.source for cell in notebook.cells if cell.cell_type == "code"] == [
        block.code.body.rstrip("\n") for block in page_blocks
    ]


def test_language_switcher_leads_to_the_same_recipe_in_the_other_language(page, base_url):
    page.goto(base_url + "training/gradient-tape/")
    page.locator(".md-select").first.hover()
    with page.expect_navigation():
        page.locator("a.md-select__link[hreflang='zh']").click()
    assert urlparse(page.url).path == "/zh/training/gradient-tape/"
    assert "梯度" in page.locator("h1").first.inner_text()
    screenshot(page, "recipe-gradient-tape-zh")
    page.locator(".md-select").first.hover()
    with page.expect_navigation():
        page.locator("a.md-select__link[hreflang='en']").click()
    assert urlparse(page.url).path == "/training/gradient-tape/"


def test_tf_image_pictures_load_and_decode(page, base_url):
    """That every picture is requested and answered is the every-page pass's check; here, that they decode."""
    page.goto(base_url + "input/images/")
    sizes = page.eval_on_selector_all(
        "article img[src*='pictures/']", "images => images.map(i => [i.getAttribute('src'), i.naturalWidth])"
    )
    assert len(sizes) >= 10
    assert all(width > 0 for _, width in sizes), sizes
    page.locator("article img[src*='pictures/']").nth(2).scroll_into_view_if_needed()
    screenshot(page, "recipe-images")


@pytest.mark.parametrize(
    ("home", "query", "entry"),
    [
        ("", "tf.nn.top_k", "tf.nn.top_k"),
        ("", "stateless_categorical", "tf.random.stateless_categorical"),
        ("zh/", "from_tensor_slices", "tf.data.Dataset.from_tensor_slices"),
    ],
)
def test_search_finds_the_api_index_entry(search_tabs, home, query, entry):
    """The API index's entries are headings with the dotted name as their anchor: the search finds them (below
    the recipes that use the name: the index page has a lower search boost)."""
    tab = search_tabs(home)
    search(tab, query)
    result = tab.locator(f".md-search-result a[href*='/{home}api/'][href$='#{entry}']").first
    result.wait_for(timeout=10_000)


def test_apis_used_links_lead_to_the_index_entry(page, base_url):
    page.goto(base_url + "layers/tf-nn/")
    link = page.locator(".cookbook-apis a", has_text="tf.nn.top_k").first
    with page.expect_navigation():
        link.click()
    assert urlparse(page.url).path == "/api/" and urlparse(page.url).fragment == "tf.nn.top_k"
    entry = page.locator("[id='tf.nn.top_k'] + p")
    assert "tensorflow.org/api_docs/python/tf/nn/top_k" in entry.locator("a").last.get_attribute("href")
    assert entry.locator("a[href*='layers/tf-nn/#']").count() >= 1


# (page, recipe heading, content tab or None): a recipe of two blocks, a recipe that reads the page's download,
# and a content tab, whose button copies that tab's code only.
COPIED_RECIPES = [
    ("training/gradient-tape.md", "Higher-order gradients: nest the tapes", None),
    ("input/structured-data.md", "pandas 3 strings: why conversion fails, and `fillna`", None),
    ("training/metrics.md", "`binary_accuracy` no longer returns the mean", "tf_keras (legacy)"),
]


def test_copy_with_setup_copies_a_script_that_prints_the_page_output(page, base_url, tmp_path):
    """Click "Copy with setup", save what it copied as a script next to the page's downloads, run it in a
    plain Python: it prints what the page shows under the setup block and that recipe."""
    from cookbook import PageLibrary

    library = PageLibrary(REPO)
    runs = []
    for number, (path, recipe, tab) in enumerate(COPIED_RECIPES):
        recipe_page = library.page(DOCS / path)
        blocks = [
            block for block in recipe_page.blocks if block.recipe is None or (block.recipe, block.tab) == (recipe, tab)
        ]
        assert len(blocks) > len(recipe_page.setup), f"no blocks for {recipe!r} in {path}"
        index = recipe_page.blocks.index(blocks[-1])
        page.goto(base_url + path.removesuffix(".md") + "/")
        if tab is not None:
            page.locator(".tabbed-labels label", has_text=tab).first.click()
        block = page.locator("div.language-python.highlight").nth(index)
        block.scroll_into_view_if_needed()
        block.hover()
        block.locator("button.cookbook-copy-setup").click()
        script = page.evaluate("navigator.clipboard.readText()")
        assert script.startswith(recipe_page.setup[0].code.body), script[:200]
        folder = tmp_path / f"recipe-{number}"
        folder.mkdir()
        for name in recipe_page.downloads:
            (folder / name).write_bytes((REPO / "data" / name).read_bytes())
        (folder / "recipe.py").write_text(script, encoding="utf-8")
        expected = "".join(block.output.body for block in blocks if block.output is not None)
        rtol = max(block.rtol for block in blocks)
        runs.append((path, recipe, tab, expected, rtol, _run_script(folder)))
    screenshot(page, "copy-with-setup")
    problems = []
    for path, recipe, tab, expected, rtol, process in runs:
        stdout, _ = process.communicate(timeout=180)
        printed = without_native_log(stdout)
        mismatch = compare_output(expected, printed, rtol=rtol)
        if process.returncode or mismatch:
            problems.append(
                f"{path} › {recipe} › {tab}: exit {process.returncode}, {mismatch and mismatch.describe()}\n{printed}"
            )
    assert not problems, "\n".join(problems)


def _run_script(folder: Path) -> subprocess.Popen:
    """Start ``recipe.py`` in ``folder`` with this Python, as a reader would run it (all scripts run at once)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONUNBUFFERED": "1"}
    env.pop("PYTHONPATH", None)  # the reader has the public packages only, not the cookbook
    return subprocess.Popen(
        [sys.executable, "recipe.py"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
