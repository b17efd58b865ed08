import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from cookbook.plugin import page_of

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent
# Python's own bytecode caches and the virtual environment are the only things a run may add to the tree.
ALLOWED = ("__pycache__/", ".venv/")


def files_in_work_tree() -> set[str]:
    """Every file in the work tree that git does not track, ignored or not."""
    listing = subprocess.run(
        ["git", "ls-files", "--others", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return {path for path in listing.split("\0") if path and not any(part in path for part in ALLOWED)}


def pytest_sessionstart(session):
    session.config.stash[_before] = files_in_work_tree()


def pytest_sessionfinish(session, exitstatus):
    """Pages run, the site builds and the harness is tested in this session; none may write into the tree."""
    if session.config.getoption("--update-outputs", default=False):
        return  # rewriting pages is that mode's job
    added = sorted(files_in_work_tree() - session.config.stash[_before])
    if added:
        session.config.get_terminal_writer().line(
            "\nThe test run wrote into the work tree (tests and builds must use temporary folders):\n  "
            + "\n  ".join(added[:20]),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_before = pytest.StashKey[set]()


# The built site in a browser (tests/test_browser.py, tests/test_every_page_in_the_browser.py): one build,
# one server and one Chromium for the session. Debian's Chromium is used (`apt-get install chromium`; .ci/run
# installs it): the browser that Playwright would download cannot be fetched on machines without internet.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


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


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    """The site, built with ``strict: true`` into a temporary folder and served on 127.0.0.1."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tmp_path_factory.mktemp("browser-site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    # The site's own address, as when it is served at its site_url: the language switcher matches pages by it.
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=True, site_url=address))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
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


def watch(tab, expected_404: str = "") -> None:
    """Record on the tab what a reader would see go wrong: ``tab.problems`` (console errors, page errors,
    failed requests), ``tab.hosts`` (every host it requests) and ``tab.pending`` (requests not answered yet). A response for an address ending with
    ``expected_404`` (the 404 page's own) is not a problem."""
    tab.problems, tab.hosts = [], set()
    tab.on(
        "console",
        lambda message: (
            message.type == "error"
            and not (expected_404 and message.location.get("url", "").endswith(expected_404))
            and tab.problems.append(f"console: {message.text}")
        ),
    )
    tab.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    tab.pending = set()  # requests not yet answered
    tab.on("request", lambda request: tab.hosts.add(urlparse(request.url).hostname) or tab.pending.add(request))
    tab.on("requestfinished", lambda request: tab.pending.discard(request))  # Playwright takes no builtins
    tab.on("requestfailed", lambda request: tab.pending.discard(request))
    # net::ERR_ABORTED is the browser cancelling a load because the tab navigates on, not a failed request.
    tab.on(
        "requestfailed",
        lambda request: (
            "ERR_ABORTED" not in (request.failure or "")
            and tab.problems.append(f"failed request: {request.url} ({request.failure})")
        ),
    )
    tab.on(
        "response",
        lambda response: (
            response.status >= 400
            and not (expected_404 and response.url.endswith(expected_404))
            and tab.problems.append(f"failed request: {response.url} ({response.status})")
        ),
    )


# The longest files, first: with `-n 2 --dist loadfile --no-loadscope-reorder` (the Makefile's `make test`),
# each worker takes the next file as it finishes one, so the longest files start first and the many short ones
# fill the gaps. The pages that need a fresh Python (a TensorFlow import per recipe) come right after.
LONGEST_FIRST = ["test_notebooks.py", "test_every_page_in_the_browser.py", "test_docs_pages.py", "test_browser.py"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        if item.path.name in LONGEST_FIRST:
            return LONGEST_FIRST.index(item.path.name)
        page = page_of(item)
        return len(LONGEST_FIRST) if page is not None and page.fresh_python else len(LONGEST_FIRST) + 1

    items.sort(key=rank)  # stable: the order within a file, and the shuffled order of the pages, are kept
