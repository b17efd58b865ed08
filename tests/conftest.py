import functools
import http.server
import os
import shutil
import subprocess
import tempfile
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
    session.config.stash[_site] = BuiltSite(Path(tempfile.mkdtemp(prefix="tf2-cookbook-site-")))


def pytest_sessionfinish(session, exitstatus):
    """Pages run, the site builds and the harness is tested in this session; none may write into the tree."""
    site = session.config.stash.get(_site, None)
    if site is not None:
        site.close()
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


class BuiltSite:
    """The site, built once per test session with ``strict: true`` into a temporary folder, for the site tests
    and the browser tests alike, and served on 127.0.0.1 at the address it was built for (``site_url``: the
    language switcher matches pages by it). The server's socket is opened when the session starts, before
    pytest-socket blocks new sockets for tests that do not ask for them; it serves only once a browser test asks."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(folder))
        )
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.config = None  #: MkDocs' configuration, after the build
        self.results = folder.with_name(folder.name + "-results")  #: the pages' results the build read
        self.thread: threading.Thread | None = None

    def build(self) -> "BuiltSite":
        """Build once. The stamps are made from the pages' results as they are then; pages that run later in the
        session write new ones, so the build reads a copy, ``self.results``, which the site tests compare with."""
        if self.config is None:
            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            from cookbook.results import RESULTS_DIR_VARIABLE, results_dir

            if results_dir().is_dir():
                shutil.copytree(results_dir(), self.results)
            else:
                self.results.mkdir()
            before = os.environ.get(RESULTS_DIR_VARIABLE)
            os.environ[RESULTS_DIR_VARIABLE] = str(self.results)
            try:
                config = load_config(
                    str(REPO / "mkdocs.yml"), site_dir=str(self.folder), strict=True, site_url=self.address
                )
                build(config)
            finally:
                if before is None:
                    del os.environ[RESULTS_DIR_VARIABLE]
                else:
                    os.environ[RESULTS_DIR_VARIABLE] = before
            self.config = config
        return self

    def serve(self) -> str:
        self.build()
        if self.thread is None:
            self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
            self.thread.start()
        return self.address

    def close(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.results, ignore_errors=True)


_site = pytest.StashKey[BuiltSite]()


@pytest.fixture(scope="session")
def built_site(request) -> BuiltSite:
    return request.config.stash[_site].build()


@pytest.fixture(scope="session")
def base_url(request) -> str:
    """The built site's address (see :class:`BuiltSite`)."""
    return request.config.stash[_site].serve()


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


# The files that use the built site run in one worker, one after the other, so that the site is built once
# (``BuiltSite``): with `--dist loadfile` each file would go to whichever worker is free, and each worker that
# took one would build the site again.
SITE_FILES = ("test_every_page_in_the_browser.py", "test_browser.py", "test_site.py")


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SiteFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "the built site" if Path(scope).name in SITE_FILES else scope

    return SiteFilesTogether(config, log)


# The longest first: with `-n 2 --dist loadfile --no-loadscope-reorder` (the Makefile's `make test`), each
# worker takes the next file (or the site's files together) as it finishes one, so the longest start first and
# the many short ones fill the gaps. The pages that need a fresh Python (a TensorFlow import per recipe) come
# right after.
LONGEST_FIRST = ["test_notebooks.py", *SITE_FILES]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        if item.path.name in LONGEST_FIRST:
            return LONGEST_FIRST.index(item.path.name)
        page = page_of(item)
        return len(LONGEST_FIRST) if page is not None and page.fresh_python else len(LONGEST_FIRST) + 1

    items.sort(key=rank)  # stable: the order within a file, and the shuffled order of the pages, are kept
