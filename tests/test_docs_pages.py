"""Checks over every page under docs/: nothing escapes verification, and the checks have teeth.

None of these runs a page: the docs/ items of the session run each page's code (with ``--isolated-recipes`` in
``make test``, each recipe after only its setup) and ``tests/test_notebooks.py`` runs each page top to bottom in
a fresh Jupyter kernel. Each of those two runs must print what the page shows, so together they also show that a
page prints the same numbers twice, in two processes; and ``--update-outputs`` would change nothing exactly when
the docs/ run passes (it keeps every output block that matches, and the docs/ run fails on any other).
"""

import ast
import re
from pathlib import Path

import pytest

from cookbook import PageLibrary
from cookbook.compare import tokenize
from cookbook.plugin import check_output

DOCS = Path(__file__).resolve().parent.parent / "docs"
LIBRARY = PageLibrary(DOCS.parent)
ALL_PAGES = [LIBRARY.page(path) for path in sorted(DOCS.rglob("*.md"))]
PAGES = [page for page in ALL_PAGES if page.language == "en"]
RECIPE_PAGES = [page for page in PAGES if page.is_recipe_page]
# Deliberately independent of cookbook.page: any fence line whose info string names Python.
PYTHON_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(python3?|py3?|pycon|ipython3?)\b", re.MULTILINE)


def page_id(page) -> str:
    return str(page.path.relative_to(DOCS))


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_every_python_fence_is_collected(page):
    """Sybil's stock Markdown parser skips ```python title="x" silently; ours must not skip anything."""
    fences = len(PYTHON_FENCE_LINE.findall(page.text))
    assert len(page.blocks) == fences, f"{page_id(page)}: {fences} Python fences, {len(page.blocks)} collected"
    assert not page.errors, page.errors


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_page_states_what_it_shows(page):
    assert page.description.strip(), f"{page_id(page)}: no description in the front matter"


@pytest.mark.parametrize("page", RECIPE_PAGES, ids=page_id)
def test_recipe_pages_seed_in_their_setup_block(page):
    """A reader's fresh process only gets the page's numbers if the page seeds itself."""
    setup_code = "".join(block.code.body for block in page.setup)
    assert "keras.utils.set_random_seed(" in setup_code, f"{page_id(page)}: the setup block sets no seed"


@pytest.mark.parametrize("page", RECIPE_PAGES, ids=page_id)
def test_recipes_use_only_public_packages_and_the_pages_downloads(page):
    """A reader who copies a recipe has no `cookbook` package, and has the files the page offers."""
    for block in page.blocks:
        for node in ast.walk(ast.parse(block.code.body)):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(name.split(".")[0] == "cookbook" for name in names), page.where(block.line)
    data = {path.name for path in (DOCS.parent / "data").iterdir()}
    assert set(page.downloads) <= data, f"{page_id(page)} offers files that data/ does not have"


def _tf_function_methods_with_autograph(code: str):
    """(line, name) of each method decorated with ``tf.function`` that leaves AutoGraph on."""
    for cls in (node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.ClassDef)):
        for method in (node for node in cls.body if isinstance(node, ast.FunctionDef)):
            for decorator in method.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                target = ast.unparse(call.func if call else decorator)
                if target not in ("tf.function", "function"):
                    continue
                off = call and any(
                    k.arg == "autograph" and isinstance(k.value, ast.Constant) and k.value.value is False
                    for k in call.keywords
                )
                if not off:
                    yield method.lineno, f"{cls.name}.{method.name}"


@pytest.mark.parametrize("page", RECIPE_PAGES, ids=page_id)
def test_tf_function_methods_turn_autograph_off(page):
    """TensorFlow 2.21's AutoGraph can call a ``tf.function`` method with the wrong ``self`` in a Jupyter kernel
    (notes/tfmethodtarget.md). The notebook test cannot meet it (its kernels import TensorFlow before IPython
    swaps ``builtins.input``), so the pages are kept immune here: every such method says ``autograph=False``."""
    found = [
        f"{page.where(block.line + line)}: {name}"
        for block in page.blocks
        for line, name in _tf_function_methods_with_autograph(block.code.body)
    ]
    assert not found, f"tf.function methods without autograph=False: {found}"


def mutations(block):
    """Each number of the shown output changed by a clear amount: one unit of its last printed digit, or
    ten times the tolerance, whichever is larger."""
    text = block.output.body
    for token in tokenize(text):
        if token.kind != "number":
            continue
        value = float(token.text)
        decimals = len(re.split("[eE]", token.text)[0].partition(".")[2])
        exponent = int(re.split("[eE]", token.text)[1]) if re.search("[eE]", token.text) else 0
        delta = max(10.0 ** (exponent - decimals), 10 * block.rtol * abs(value), 10 * block.atol)
        changed = str(int(value) + 1) if token.is_integer else repr(value + delta)
        lines = text.splitlines()
        line = lines[token.line - 1]
        lines[token.line - 1] = re.sub(rf"(?<![\w.]){re.escape(token.text)}(?![\w.])", changed, line, count=1)
        yield token, "\n".join(lines) + "\n"


@pytest.mark.parametrize("page", RECIPE_PAGES, ids=page_id)
def test_changing_any_number_shown_fails_naming_page_and_line(page):
    """The comparison's teeth, on every number every page shows. The shown output stands for what the code
    printed: the docs/ run of this session checks that it is."""
    checked = 0
    for block in page.blocks:
        if block.output is None:
            continue
        printed = block.output.body
        assert check_output(page, block, printed) is None
        for token, mutated_text in mutations(block):
            if mutated_text == block.output.body:
                continue  # the number also occurs inside a word; nothing to change
            output = block.output.__class__(**{**block.output.__dict__, "body": mutated_text})
            mutated = block.__class__(block.code, output, block.rtol, block.atol, block.recipe)
            failure = check_output(page, mutated, printed)
            where = page.where(block.output.line + token.line)
            assert failure is not None, f"{where}: changing {token.text} went unnoticed"
            assert failure.startswith(where), f"{where}: the failure names another place:\n{failure}"
            checked += 1
    assert checked or not any(
        token.kind == "number" for block in page.blocks if block.output for token in tokenize(block.output.body)
    ), f"{page_id(page)}: no number of its outputs was changed"


@pytest.mark.parametrize("home", ["index.md", "index.zh.md"])
def test_the_failure_shown_on_the_home_page_is_what_the_harness_reports(home):
    """The home page quotes a failure message; it must be the harness's real message for that change."""
    text = (DOCS / home).read_text(encoding="utf-8")
    quoted = next(
        " ".join(block.split("```")[0].split()) for block in text.split("```text")[1:] if "output differs" in block
    )
    page = LIBRARY.page(DOCS / "training" / "gradient-tape.md")
    block = next(block for block in page.blocks if block.output)
    changed = block.output.__class__(**{**block.output.__dict__, "body": block.output.body.replace("108.0", "109.0")})
    failure = check_output(page, block.__class__(block.code, changed, block.rtol, block.atol), block.output.body)
    assert " ".join(failure.split("\n--- shown on the page")[0].split()) == quoted
