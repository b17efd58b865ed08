"""The API index (cookbook/api_index.py, cookbook/site/api_pages.py): names read from the verified code, never typed."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cookbook import PageLibrary
from cookbook.api_index import build_index, module_of, names_used, reference_url
from cookbook.site import api_pages

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


# Reading names from code ---------------------------------------------------------------------------------


def test_aliases_attribute_chains_and_from_imports_are_resolved():
    aliases = {"tf": "tf", "np": "np"}
    code = (
        "from keras.utils import FeatureSpace as FS\n"
        "import pandas\n"
        "values, indices = tf.nn.top_k(tf.constant([1, 3, 2]), k=2)\n"
        "generator = tf.random.Generator.from_seed(1)\n"
        "space = FS(features={'a': FS.float_normalized()})\n"
        "frame = pandas.read_csv('x.csv')\n"
        "print(np.allclose(values.numpy(), [3, 2]), tf.float32)\n"
    )
    assert names_used(code, aliases) == {
        "keras.utils.FeatureSpace": True,
        "keras.utils.FeatureSpace.float_normalized": True,
        "pd.read_csv": True,
        "tf.nn.top_k": True,
        "tf.constant": True,
        "tf.random.Generator.from_seed": True,
        "np.allclose": True,
        "tf.float32": False,
    }


def test_methods_of_objects_and_other_modules_are_not_names():
    code = (
        "import os\n"
        "x = tf.constant(1.0)\n"
        "print(x.numpy(), tf.constant(2).numpy().item(), os.getcwd())\n"
        "with tf.GradientTape() as tape:\n"
        "    tape.watch(x)\n"
        "print(tape.gradient(x, x))\n"
    )
    assert list(names_used(code, {"tf": "tf"})) == ["tf.constant", "tf.GradientTape"]


def test_a_name_rebound_to_another_module_is_dropped_and_decorators_count_as_calls():
    code = "import random as np\n@tf.function\ndef f(x):\n    return np.random()\n"
    assert names_used(code, {"tf": "tf", "np": "np"}) == {"tf.function": True}


def test_names_are_grouped_by_module_up_to_their_class():
    assert module_of("tf.nn.top_k") == "tf.nn"
    assert module_of("tf.data.Dataset.from_tensor_slices") == "tf.data"
    assert module_of("tf.constant") == "tf"
    assert module_of("keras.utils.FeatureSpace.float_normalized") == "keras.utils"


def test_reference_links_follow_the_stated_rule():
    assert reference_url("tf.nn.top_k", True) == "https://www.tensorflow.org/api_docs/python/tf/nn/top_k"
    assert (
        reference_url("tf.data.Dataset.from_tensor_slices", True)
        == "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#from_tensor_slices"
    )
    assert reference_url("tf_keras.layers.Dense", True) == (
        "https://www.tensorflow.org/versions/r2.15/api_docs/python/tf/keras/layers/Dense"
    )
    assert reference_url("pd.read_csv", True) == "https://pandas.pydata.org/docs/reference/api/pandas.read_csv.html"
    assert reference_url("tf.float32", False) == "https://www.tensorflow.org/s/results?q=tf.float32"
    assert reference_url("keras.layers.Dense", True) == "https://keras.io/search.html?query=keras.layers.Dense"
    assert reference_url("np.allclose", True) == "https://numpy.org/doc/stable/search.html?q=numpy.allclose"


# Fixture pages -------------------------------------------------------------------------------------------

PAGE = """---
description: A fixture page.
---

# Fixture `tf` page

```python
import keras
import tensorflow as tf

keras.utils.set_random_seed(42)
```

## Sort: `tf.sort`

```python
print(tf.sort(tf.constant([3, 1, 2])).numpy())
```

```text title="Output"
[1 2 3]
```

## 最大的 k 个值

```python
print(tf.reduce_max(tf.constant([3, 1, 2])).numpy())
```

```text title="Output"
3
```
"""


def fixture_site(tmp_path: Path, page_text: str):
    """A docs folder with one recipe page; its page and the index of it."""
    docs = tmp_path / "docs"
    (docs / "area").mkdir(parents=True)
    (docs / "area" / "page.md").write_text(page_text, encoding="utf-8")
    page = PageLibrary(docs).page(docs / "area" / "page.md")
    return docs.resolve(), page, build_index([page])


def with_lines(page, lines: dict[int, str]) -> str:
    out, at = [], 0
    for offset in sorted(lines):
        out += [page.text[at:offset], lines[offset]]
        at = offset
    return "".join([*out, page.text[at:]])


def test_adding_a_use_to_a_recipe_adds_its_index_entry_and_link(tmp_path):
    docs, page, index = fixture_site(tmp_path / "before", PAGE)
    before = api_pages.index_markdown(index, {page.path: "Page"}, "en", "api.md", docs)
    assert "tf.math.top_k" not in before and "### tf.nn.top_k" not in before
    assert "### tf.sort { #tf.sort }" in before
    assert "[Page › Sort: `tf.sort`](area/page.md#sort-tfsort)" in before

    changed = PAGE.replace(
        "print(tf.reduce_max(tf.constant([3, 1, 2])).numpy())",
        "print(tf.reduce_max(tf.constant([3, 1, 2])).numpy(), tf.nn.top_k([3, 1, 2], k=1).values.numpy())",
    )
    docs, page, index = fixture_site(tmp_path / "after", changed)
    after = api_pages.index_markdown(index, {page.path: "Page"}, "en", "api.md", docs)
    entry = after[after.index("### tf.nn.top_k { #tf.nn.top_k }") :].split("\n\n")[1]
    # The heading "最大的 k 个值" keeps only "k" when slugified: MkDocs' own toc gives it the id "k".
    assert entry.startswith("Used in: [Page › 最大的 k 个值](area/page.md#k)")
    assert entry.endswith("[reference on tensorflow.org](https://www.tensorflow.org/api_docs/python/tf/nn/top_k)")
    assert "## tf.nn { #module-tf.nn }" in after
    assert "keras.utils.set_random_seed" in after and "(setup)" in after

    shown = with_lines(page, api_pages.apis_used_lines(page, index, "area/page.md"))
    assert "[`tf.nn.top_k`](../api.md#tf.nn.top_k)" in shown
    recipe = shown[shown.index("## 最大的 k 个值") :]
    assert recipe.split("\n\n")[1].startswith("APIs used: [`tf.reduce_max`](../api.md#tf.reduce_max), ")


# The site's own index ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_index():
    import yaml

    def nav_paths(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from nav_paths(value) if isinstance(value, list) else [value]

    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    library = PageLibrary(REPO)
    pages = [library.page(DOCS / path) for path in nav_paths(config["nav"])]
    return build_index(page for page in pages if page.is_recipe_page)


def independent_references(code: str, aliases: dict[str, str]) -> set[str]:
    """Every dotted expression of ``code`` written as the covered libraries name it (``ast.unparse`` of each
    attribute and name, with its module alias replaced): what the index may list, checked independently of
    cookbook.api_index's walk."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = {"tensorflow": "tf", "numpy": "np", "pandas": "pd"}.get(alias.name, alias.name)
                aliases[alias.asname or alias.name] = top
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = {"tensorflow": "tf", "numpy": "np", "pandas": "pd"}.get(node.module, node.module)
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{top}.{alias.name}"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name):
            text = ast.unparse(node)
            head, _, rest = text.partition(".")
            if head in aliases:
                found.add(aliases[head] + ("." + rest if rest else ""))
    return found


def test_every_indexed_name_is_used_by_verified_code_of_the_recipes_it_links(site_index):
    assert len(site_index.uses) > 200
    problems = []
    for name, uses in site_index.uses.items():
        for use in uses:
            assert use.page.language == "en"
            setup = "".join(block.code.body for block in use.page.setup if block.skip_reason is None)
            aliases: dict[str, str] = {}
            independent_references(setup, aliases)
            blocks = [b for b in use.page.blocks if b.recipe == use.recipe and b.skip_reason is None]
            assert blocks, f"{name}: {use.page.shown_as} › {use.recipe} has no verified block"
            # A recipe's blocks run in order: an import in one serves the next.
            if not any(name in independent_references(block.code.body, aliases) for block in blocks):
                problems.append(f"{name} is not in the code of {use.page.shown_as} › {use.recipe}")
    assert not problems, "\n".join(problems)


def test_every_indexed_name_exists_and_every_exact_reference_is_a_function_class_or_method(site_index, tmp_path):
    """Resolved in the installed libraries (in a separate Python): a name the index gives a tensorflow.org or
    pandas page must be something with a page there, a function, class or method, not a constant."""
    from cookbook.api_index import REFERENCE_RULES

    exact_sites = tuple(rule.split("{")[0] for rule in REFERENCE_RULES.values())
    checks = {name: reference_url(name, name in site_index.called).startswith(exact_sites) for name in site_index.uses}
    script = """
import importlib, inspect, json, sys, types
modules = {"tf": "tensorflow", "keras": "keras", "tf_keras": "tf_keras", "np": "numpy", "pd": "pandas"}
problems = []
for name, exact in json.load(sys.stdin).items():
    first, *rest = name.split(".")
    value = importlib.import_module(modules[first])
    try:
        for part in rest:
            value = getattr(value, part)
    except AttributeError:
        problems.append(f"{name} does not exist"); continue
    if exact and not (inspect.isroutine(value) or inspect.isclass(value) or isinstance(value, types.ModuleType)):
        problems.append(f"{name} links to a page of its own but is a {type(value).__name__}")
print(json.dumps(problems))
"""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(checks),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    problems = json.loads(result.stdout.strip().splitlines()[-1])
    assert not problems, "\n".join(problems)
