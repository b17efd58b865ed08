"""The built site as readers use it, in a real browser: headless Chromium driven by Playwright.

Debian's Chromium is used (``apt-get install chromium``; ``.ci/run`` installs it): the browser that
Playwright would download for itself cannot be fetched on machines without internet access.
"""

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: Where the screenshots go: outside the repository, kept after the run for a person to look at.
SCREENSHOTS = Path(tempfile.gettempdir()) / "tf2-cookbook-screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket]  # the site is served on 127.0.0.1


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as a static host would, with the site's own 404 page."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tmp_path_factory.mktemp("browser-site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    # The site's own address, as when it is served at its site_url: the language switcher matches pages by it.
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=True, site_url=address))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        message = "Chromium is not installed: run `apt-get install chromium` (Debian/Ubuntu) to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; in CI, .ci/run installs it and these tests must not be skipped")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh tab that records console errors and every host it requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    tab = context.new_page()
    tab.console_errors = []
    tab.hosts = set()
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.failed_requests = []
    tab.on("request", lambda request: tab.hosts.add(urlparse(request.url).hostname))
    tab.on("requestfailed", lambda request: tab.failed_requests.append(f"{request.url} ({request.failure})"))
    tab.on(
        "response",
        lambda response: response.status >= 400 and tab.failed_requests.append(f"{response.url} ({response.status})"),
    )
    yield tab
    context.close()


def screenshot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_home_page_renders_with_no_errors_and_no_outside_requests(page, base_url):
    page.goto(base_url, wait_until="networkidle")
    assert page.locator("h1").first.inner_text().startswith("TF2 Cookbook")
    recipe_pages = [p for p in DOCS.rglob("*.md") if p.name != "index.md" and not p.name.endswith(".zh.md")]
    assert page.locator("article table tbody tr").count() == len(recipe_pages)
    screenshot(page, "home")
    assert page.console_errors == []
    assert page.hosts == {"127.0.0.1"}


def site_urls(base_url: str) -> list[str]:
    """The address of every page of both languages."""
    urls = []
    for path in sorted(DOCS.rglob("*.md")):
        relative = path.relative_to(DOCS).as_posix().removesuffix(".md")
        language = "zh/" if relative.endswith(".zh") else ""
        relative = relative.removesuffix(".zh").removesuffix("index")
        urls.append(f"{base_url}{language}{relative}{'/' if relative and not relative.endswith('/') else ''}")
    return urls


def test_every_page_of_both_languages_loads_with_no_console_error_and_no_failed_request(page, base_url):
    problems = []
    for url in site_urls(base_url):
        page.console_errors.clear()
        page.failed_requests.clear()
        response = page.goto(url, wait_until="networkidle")
        if response.status != 200 or page.console_errors or page.failed_requests:
            problems.append(
                f"{url}: status {response.status}, console {page.console_errors}, failed {page.failed_requests}"
            )
    assert not problems, "\n".join(problems)
    assert page.hosts == {"127.0.0.1"}


def test_every_page_in_the_navigation_loads(page, base_url):
    page.goto(base_url)
    links = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link[href]", "links => links.map(a => a.href)")
    pages = {link.split("#")[0] for link in links}
    assert len(pages) == len([p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md")])
    for url in sorted(pages):
        assert page.request.get(url).status == 200, url


@pytest.mark.parametrize(
    ("home", "query", "expected"),
    [
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
    ],
)
def test_search_finds_the_recipe_that_uses_an_api(page, base_url, home, query, expected):
    """Dotted and CamelCase API names are found in both languages, and Chinese words (segmented by jieba)
    on the Chinese pages."""
    page.goto(base_url + home)
    results = search(page, query)
    top = [urlparse(href).path for href in results.evaluate_all("links => links.slice(0, 3).map(a => a.href)")]
    assert any(path.endswith(expected) for path in top), f"{query!r}: first results are {top}"
    with page.expect_navigation():
        results.nth(next(i for i, path in enumerate(top) if path.endswith(expected))).click()
    assert urlparse(page.url).path.endswith(expected)


def search(tab, query: str):
    """Type a query into the site's search as a person would; the results' links. The search index loads in
    a web worker, so a query typed before the search is ready is typed again."""
    from playwright.sync_api import TimeoutError

    box = tab.locator(".md-search__input")
    results = tab.locator(".md-search-result__item > a")
    for _ in range(3):
        box.click()
        box.press("Control+a")
        box.press("Backspace")
        box.press_sequentially(query, delay=30)
        # Chinese characters arrive as text input without key events; a key press makes sure the search
        # sees the new value.
        box.press("End")
        try:
            results.first.wait_for(timeout=10_000)
            return results
        except TimeoutError:
            continue
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


@pytest.mark.parametrize("home", ["", "zh/"])
def test_tf_image_pictures_load(page, base_url, home):
    page.goto(base_url + home + "input/images/", wait_until="networkidle")
    sizes = page.eval_on_selector_all(
        "article img[src*='pictures/']", "images => images.map(i => [i.getAttribute('src'), i.naturalWidth])"
    )
    assert len(sizes) >= 10
    assert all(width > 0 for _, width in sizes), sizes
    page.locator("article img[src*='pictures/']").nth(2).scroll_into_view_if_needed()
    screenshot(page, f"recipe-images{'-zh' if home else ''}")


def test_light_dark_toggle_switches_the_palette(page, base_url):
    page.goto(base_url)
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    before = scheme()
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert {before, scheme()} == {"default", "slate"}


def test_unknown_address_shows_the_404_page(page, base_url):
    response = page.goto(base_url + "no/such/page/")
    assert response.status == 404
    assert "404" in page.locator("article").inner_text()
