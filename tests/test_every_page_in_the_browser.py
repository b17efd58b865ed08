"""Every page of both languages (and the 404 page), loaded once each in headless Chromium: it loads with no
console error and no failed request, and axe-core finds no serious accessibility violation in the light or
the dark colour scheme.

axe-core is a JavaScript library, installed with npm outside the Python environment, before the tests run
(`make test` does it: see the Makefile's `axe` target; no network is used here). The test finds it at
``$AXE_CORE_JS`` or where the Makefile puts it. Without it the test is skipped locally with that hint, and
fails in CI.

Each page is loaded once (axe-core is injected into each page load by the tab's init script): axe runs in
the scheme the page opens in, the page's own palette toggle switches the scheme, and axe runs again, with the
rules that are about colours (the page is otherwise the same in both schemes). Two tabs
work side by side. Code blocks are four fifths of a page's elements, and what axe finds in one depends only
on the classes in it (Pygments' token classes, the code buttons) and the scheme: so a code block is checked
when it has a class that no block checked before had, and taken out of the page before axe runs otherwise.
Every kind of token the site shows is checked, in both schemes. The navigation is treated the same way, within each
language: it is the same list of links on every page but for the classes that mark the current entry, and it
was half of what axe read on a page. A violation of impact "serious" or
"critical" fails the test; the others are listed in its output.
"""

import collections
import json
import os
from pathlib import Path

import pytest
from conftest import watch

REPO = Path(__file__).resolve().parent.parent
#: Where `make axe` installs axe-core (inside the git-ignored virtual environment).
DEFAULT_AXE = REPO / ".venv" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
TABS = 2
#: An address that does not exist: the site's 404 page is checked too.
NOT_FOUND = "no/such/page/"

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket]

# Runs in the page: axe in the scheme the page opened in, then the page's own palette toggle (as a reader
# clicks it), then axe again. Each rule violated comes back with its first few nodes.
CHECK_BOTH_SCHEMES = """async (checkedClasses) => {
  const COLOUR_RULES = ["color-contrast", "link-in-text-block"];
  const scheme = () => document.body.getAttribute("data-md-color-scheme");
  // A code block whose classes were all in blocks checked before is a repeat. Repeats are taken out of the
  // page rather than excluded: axe reads the whole page even for what it is told to exclude.
  // The site's navigation is the same list of links on every page of a language but for which entry is the
  // current one, which only classes tell apart: it is a repeat in the same way, within a language.
  const known = new Set(checkedClasses), newClasses = new Set(), repeats = [];
  const isRepeat = (part, prefix) => {
    const classes = [part, ...part.querySelectorAll("*")].flatMap(element => [...element.classList].map(name => prefix + name));
    const fresh = classes.filter(name => !known.has(name));
    fresh.forEach(name => newClasses.add(name));
    return fresh.length === 0;
  };
  const codeBlocks = { checked: 0, left: 0 };
  for (const block of document.querySelectorAll(".highlight")) {
    if (isRepeat(block, "")) repeats.push(block);
    codeBlocks[repeats.at(-1) === block ? "left" : "checked"] += 1;
  }
  const navigation = document.querySelector(".md-sidebar--primary");
  const navigationLeft = Boolean(navigation && isRepeat(navigation, `navigation ${document.documentElement.lang}: `));
  if (navigationLeft) repeats.push(navigation);
  repeats.forEach(part => part.remove());
  const check = async (options) => {
    const now = scheme();
    const results = await axe.run(document, { resultTypes: ["violations"], ...options });
    return results.violations.map(v => ({
      scheme: now, rule: v.id, impact: v.impact, count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\\s+/g, " ")),
    }));
  };
  const first = scheme();
  const started = performance.now();
  const found = await check();
  document.querySelector("form[data-md-component=palette] label:not([hidden])").click();
  for (let waited = 0; scheme() === first && waited < 5000; waited += 20) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  // The page is the same in both schemes but for its colours: in the second, only the rules about colours.
  const violations = found.concat(await check({ runOnly: { type: "rule", values: COLOUR_RULES } }));
  const milliseconds = performance.now() - started;
  return { schemes: [first, scheme()], violations, milliseconds, newClasses: [...newClasses], codeBlocks, navigationLeft };
}"""


def axe_script() -> Path:
    path = Path(os.environ.get("AXE_CORE_JS") or DEFAULT_AXE)
    if not path.is_file():
        message = f"axe-core is not installed at {path}: run `make axe` (npm install of axe-core) or set AXE_CORE_JS"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; in CI, `make test` installs it and this test must not be skipped")
        pytest.skip(message)
    return path


class SearchIndexes:
    """Every page's search fetches its language's search index (megabytes) and builds it in a worker, which
    costs more than checking the page. Each index is served as built the first time a page asks for it, so
    the search's loading is checked once for each; after that, pages get the same index without its documents.
    (The search itself is tested in ``test_browser.py``.)"""

    def __init__(self) -> None:
        self.served: dict[str, bytes] = {}

    def __call__(self, route) -> None:
        url = route.request.url
        if url not in self.served:
            response = route.fetch()
            self.served[url] = json.dumps({**response.json(), "docs": []}).encode()
            route.fulfill(response=response)
        else:
            route.fulfill(status=200, content_type="application/json", body=self.served[url])


def new_tab(browser, axe: Path, search_indexes: SearchIndexes):
    """A tab that injects axe-core into every page it loads and records, for the page it is on, console
    errors, failed requests and the hosts requested."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=axe)  # into every page this tab loads, before the page's own scripts
    context.route("**/search/search_index.json", search_indexes)
    tab = context.new_page()
    watch(tab, expected_404=NOT_FOUND)
    return tab


def start(tab, url: str, checked_classes: set[str]) -> None:
    """Load the page and start checking it in both schemes, without waiting."""
    tab.problems.clear()
    response = tab.goto(url, wait_until="load")
    if response.status != (404 if url.endswith(NOT_FOUND) else 200):
        tab.problems.append(f"status {response.status}")
    tab.evaluate(
        f"(classes) => {{ ({CHECK_BOTH_SCHEMES})(classes).then(found => {{ window.cookbookAxe = found; }}, "
        "error => { window.cookbookAxe = { error: String(error) }; }); }",
        sorted(checked_classes),
    )


def run_everywhere(browser, urls: list[str], axe: Path) -> dict[str, dict]:
    """What each page's check found, with the page's ``problems`` (console errors, failed requests) and
    ``hosts``. The tabs work side by side: each starts its next page as soon as it is done with one and
    has no request left unanswered."""
    search_indexes = SearchIndexes()
    tabs = [new_tab(browser, axe, search_indexes) for _ in range(TABS)]
    queue, busy, found, checked_classes = list(reversed(urls)), {}, {}, set()
    try:
        for tab in tabs:
            if queue:
                busy[tab] = queue.pop()
                start(tab, busy[tab], checked_classes)
        while busy:
            for tab in list(busy):
                result = tab.evaluate("window.cookbookAxe")
                if result is None:
                    continue
                if tab.pending:  # what the page fetches late is checked too
                    tab.wait_for_load_state("networkidle")
                url = busy.pop(tab)
                assert "error" not in result, f"{url}: {result.get('error')}"
                found[url] = {**result, "problems": list(tab.problems), "hosts": set(tab.hosts)}
                checked_classes.update(result["newClasses"])
                if queue:
                    busy[tab] = queue.pop()
                    start(tab, busy[tab], checked_classes)
            tabs[0].wait_for_timeout(50)
    finally:
        for tab in tabs:
            tab.context.close()
    return found


@pytest.fixture(scope="module")
def page_urls(base_url) -> list[str]:
    """The address of every page of both languages."""
    urls = []
    for path in sorted((REPO / "docs").rglob("*.md")):
        relative = path.relative_to(REPO / "docs").as_posix().removesuffix(".md")
        language = "zh/" if relative.endswith(".zh") else ""
        relative = relative.removesuffix(".zh").removesuffix("index")
        urls.append(f"{base_url}{language}{relative}{'/' if relative and not relative.endswith('/') else ''}")
    return urls


@pytest.fixture(scope="module")
def every_page(browser, page_urls) -> dict[str, dict]:
    base = page_urls[0].split("/", 3)
    return run_everywhere(browser, [*page_urls, f"{base[0]}//{base[2]}/{NOT_FOUND}"], axe_script())


def test_every_page_loads_with_no_console_error_and_no_failed_request(every_page):
    problems = [f"{url}: {'; '.join(found['problems'])}" for url, found in every_page.items() if found["problems"]]
    assert not problems, "\n".join(problems)
    assert set().union(*(found["hosts"] for found in every_page.values())) == {"127.0.0.1"}


def test_every_page_in_both_schemes_has_no_serious_accessibility_violation(every_page):
    found = every_page
    urls = list(found)
    unchecked = [url for url in urls if sorted(found[url]["schemes"]) != ["default", "slate"]]
    assert not unchecked, f"not checked in both schemes: {unchecked}"
    counts = collections.Counter()
    for result in found.values():
        for violation in result["violations"]:
            counts[(violation["rule"], violation["impact"])] += violation["count"]
    seconds = sum(result["milliseconds"] for result in found.values()) / 1000
    blocks = [sum(result["codeBlocks"][kind] for result in found.values()) for kind in ("checked", "left")]
    navigations = sum(not result["navigationLeft"] for result in found.values())
    # Each language's navigation, at least, was checked (the 404 page is English).
    assert navigations >= 2, f"the navigation was checked on {navigations} pages"
    print(
        f"axe-core ran {seconds:.0f} s in {len(urls)} pages ({blocks[0]} code blocks checked, {blocks[1]} left out "
        f"as repeats; the navigation checked on {navigations} pages); violations by rule (nodes):",
        dict(counts) or "none",
    )
    failing = [
        f"{url} [{v['scheme']}] {v['rule']} ({v['impact']}, {v['count']} nodes): " + " | ".join(v["nodes"])
        for url, result in found.items()
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
    assert not failing, f"{len(failing)} serious or critical violations:\n" + "\n".join(failing[:40])
