"""Checks over every page under docs/: nothing escapes verification, and the checks have teeth."""

import re
from pathlib import Path

import pytest

from cookbook import Snippet, harness, page_sybil, rewrite_page, run_snippet, snippets_of, tokenize
from cookbook.harness import check_output
from cookbook.pages import setup_page, teardown_page

DOCS = Path(__file__).resolve().parent.parent / "docs"
ALL_PAGES = sorted(DOCS.rglob("*.md"))
# The pages the harness runs; a translation (page.zh.md) is covered by tests/test_translations.py.
PAGES = [page for page in ALL_PAGES if not page.name.endswith(".zh.md")]
# Deliberately independent of cookbook.fences: any fence line whose info string names Python.
PYTHON_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(python3?|py3?|pycon|ipython3?)\b", re.MULTILINE)


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_python_fence_is_collected(page):
    """Sybil's stock Markdown parser skips ```python title="x" silently; ours must not skip anything."""
    fences = len(PYTHON_FENCE_LINE.findall(page.read_text(encoding="utf-8")))
    document = page_sybil(DOCS).parse(page)
    collected = [example for example in document.examples() if isinstance(example.parsed, Snippet)]
    assert len(collected) == fences, f"{page_id(page)}: {fences} Python fences, {len(collected)} collected"


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_page_states_what_it_shows(page):
    text = page.read_text(encoding="utf-8")
    assert re.match(r"---\n(.*\n)*?description: \S.*\n(.*\n)*?---\n", text), f"{page_id(page)}: no description"


@pytest.mark.parametrize("page", [p for p in PAGES if "```python" in p.read_text(encoding="utf-8")], ids=page_id)
def test_recipe_pages_seed_in_their_setup_block(page):
    """The harness seeds each page, but a reader's fresh process only gets the page's numbers if the page
    seeds itself."""
    setup = [s for s in snippets_of(str(page), page.read_text(encoding="utf-8")) if isinstance(s, Snippet)]
    setup_code = "".join(s.code.body for s in setup if s.recipe is None)
    assert "keras.utils.set_random_seed(" in setup_code, f"{page_id(page)}: the setup block sets no seed"


def shown_outputs():
    for page in PAGES:
        for snippet in snippets_of(str(page), page.read_text(encoding="utf-8")):
            if isinstance(snippet, Snippet) and snippet.output is not None:
                yield snippet


@pytest.fixture(scope="module")
def printed_outputs():
    """What each page's code prints, run here page by page exactly as the harness runs them."""
    return run_pages(PAGES)


def run_pages(pages):
    printed = {}
    for page in pages:
        namespace = {}
        setup_page(namespace)
        try:
            for snippet in snippets_of(str(page), page.read_text(encoding="utf-8")):
                if isinstance(snippet, Snippet) and snippet.skip_reason is None:
                    printed[(snippet.path, snippet.code.line)] = run_snippet(snippet, namespace)
        finally:
            teardown_page(namespace)
    return printed


def mutations(snippet: Snippet):
    """Each number of the shown output changed by a clear amount: one unit of its last printed digit, or
    ten times the tolerance, whichever is larger."""
    text = snippet.output.body
    for token in tokenize(text):
        if token.kind != "number":
            continue
        value = float(token.text)
        decimals = len(token.text.split("e")[0].split("E")[0].partition(".")[2])
        exponent = int(re.split("[eE]", token.text)[1]) if re.search("[eE]", token.text) else 0
        last_digit_unit = 10.0 ** (exponent - decimals)
        delta = max(last_digit_unit, 10 * snippet.rtol * abs(value), 10 * snippet.atol)
        changed = str(int(value) + 1) if token.is_integer else repr(value + delta)
        line = text.splitlines()[token.line - 1]
        lines = text.splitlines()
        lines[token.line - 1] = re.sub(rf"(?<![\w.]){re.escape(token.text)}(?![\w.])", changed, line, count=1)
        yield token, "\n".join(lines) + "\n"


def test_changing_any_number_shown_fails_naming_page_and_line(printed_outputs):
    checked = 0
    for snippet in shown_outputs():
        printed = printed_outputs[(snippet.path, snippet.code.line)]
        assert check_output(snippet, printed) is None
        for token, mutated_text in mutations(snippet):
            if mutated_text == snippet.output.body:
                continue  # the number also occurs inside a word; nothing to change
            output = snippet.output.__class__(**{**snippet.output.__dict__, "body": mutated_text})
            mutated = Snippet(snippet.path, snippet.code, output, snippet.rtol, snippet.atol)
            failure = check_output(mutated, printed)
            where = f"{Path(snippet.path).relative_to(DOCS.parent)}:{snippet.output.line + token.line}"
            assert failure is not None, f"{where}: changing {token.text} went unnoticed"
            assert failure.startswith(where), f"{where}: the failure names another place:\n{failure}"
            checked += 1
    assert checked > 50


def test_pages_show_exactly_what_their_code_prints(printed_outputs, tmp_path):
    """Stricter than the tolerance: each output block is, byte for byte, what ``--update-outputs`` writes
    from a real run, so no output on the site was typed or edited by hand."""
    for page in PAGES:
        printed_by_line = {line: text for (path, line), text in printed_outputs.items() if path == str(page)}
        copy = tmp_path / page.name
        copy.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
        rewrite_page(copy, printed_by_line)
        assert copy.read_text(encoding="utf-8") == page.read_text(encoding="utf-8"), (
            f"{page_id(page)} differs from what its code prints; run pytest {page_id(page)} --update-outputs "
            "and review the diff"
        )


def test_a_second_run_prints_identical_text(printed_outputs):
    """Run twice (here, and by the docs/ items of this session, which may be isolated or shuffled), every
    block prints the same text, character for character."""
    first_run = harness.settings.printed
    if not set(printed_outputs) <= set(first_run):
        first_run = run_pages(PAGES)  # docs/ did not run in this session
    differing = [
        f"{Path(path).name}:{line}" for (path, line), text in printed_outputs.items() if first_run[(path, line)] != text
    ]
    assert not differing, f"blocks that printed something else the second time: {differing}"


@pytest.mark.parametrize("home", ["index.md", "index.zh.md"])
def test_the_failure_shown_on_the_home_page_is_what_the_harness_reports(printed_outputs, home):
    """The home page quotes a failure message; it must be the harness's real message for that change."""
    text = (DOCS / home).read_text(encoding="utf-8")
    quoted = next(
        " ".join(block.split("```")[0].split()) for block in text.split("```text")[1:] if "output differs" in block
    )
    page = DOCS / "training" / "gradient-tape.md"
    snippet = next(
        s for s in snippets_of(str(page), page.read_text(encoding="utf-8")) if isinstance(s, Snippet) and s.output
    )
    changed = snippet.output.__class__(
        **{**snippet.output.__dict__, "body": snippet.output.body.replace("108.0", "109.0")}
    )
    failure = check_output(
        Snippet(snippet.path, snippet.code, changed), printed_outputs[(snippet.path, snippet.code.line)]
    )
    assert " ".join(failure.split("\n--- shown on the page")[0].split()) == quoted
