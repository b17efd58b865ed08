"""Reading a page (cookbook.page): fences with Material's attributes, blocks, recipes, front matter."""

from pathlib import Path

import pytest

from cookbook import parse_page
from cookbook.page import find_fences as find_fences_and_errors
from cookbook.page import parse_info


def find_fences(text):
    fences, errors = find_fences_and_errors(text)
    assert not errors
    return fences


def test_language_and_attributes_are_read():
    assert parse_info('python title="a b.py" hl_lines="1 3"') == ("python", {"title": "a b.py", "hl_lines": "1 3"})
    assert parse_info('{ .python title="x" }') == ("python", {"title": "x"})
    assert parse_info("") == ("", {})


def test_unbalanced_quotes_are_an_error():
    with pytest.raises(ValueError, match="info string"):
        parse_info('python title="x')


def test_fences_are_found_with_lines_and_bodies():
    text = 'intro\n\n```python title="t"\nx = 1\n```\n\n~~~text\nplain\n~~~\n'
    python, text_fence = find_fences(text)
    assert (python.line, python.language, python.title, python.body) == (3, "python", "t", "x = 1\n")
    assert (text_fence.line, text_fence.language, text_fence.body) == (7, "text", "plain\n")


def test_indented_fences_inside_tabs_are_dedented():
    text = '=== "Keras 3"\n\n    ```python\n    if True:\n        y = 2\n    ```\n'
    (fence,) = find_fences(text)
    assert fence.indent == "    " and fence.body == "if True:\n    y = 2\n"


def test_a_longer_fence_contains_shorter_ones():
    text = "````markdown\n```python\nx\n```\n````\n"
    (fence,) = find_fences(text)
    assert fence.language == "markdown" and "```python" in fence.body


def test_unclosed_fence_is_flagged():
    (fence,) = find_fences("```python\nx = 1\n")
    assert fence.unclosed


def test_a_path_instead_of_text_is_refused():
    from pathlib import Path

    with pytest.raises(TypeError, match="takes the page's text as a str, got PosixPath"):
        find_fences_and_errors(Path("docs/index.md"))


PAGE = """---
description: A page.
downloads: [heart.csv]
timeout: 5
---
# Title

```python
import math
```

## First recipe

```python
print(1)
```

``` { .text title="Output" rtol="1e-3" }
1
```

## Second recipe

```python title="Not run: needs a GPU"
print(2)
```
"""


def test_a_page_is_read_into_setup_recipes_and_settings(tmp_path):
    page = parse_page(tmp_path / "page.md", PAGE)
    assert [block.recipe for block in page.blocks] == [None, "First recipe", "Second recipe"]
    assert page.setup == page.blocks[:1] and page.runnable == page.blocks[:2]
    assert page.blocks[1].output.body == "1\n" and page.blocks[1].rtol == 1e-3
    assert page.blocks[2].skip_reason == "needs a GPU"
    assert (page.description, page.downloads, page.timeout, page.fresh_python, page.network) == (
        "A page.",
        ("heart.csv",),
        5.0,
        False,
        "none",
    )
    assert [recipe.blocks for recipe in page.recipes] == [page.blocks[1:2], page.blocks[2:3]]


def test_bad_front_matter_is_a_page_error_not_a_crash(tmp_path):
    page = parse_page(tmp_path / "page.md", "---\ndownloads: heart.csv\nfresh_python: maybe\n---\n# T\n")
    assert [error.line for error in page.errors] == [1, 1]
    assert "downloads: must be a list of file names" in page.errors[0].problem
    page = parse_page(tmp_path / "page.md", "---\n: [\n---\n# T\n")
    assert "not valid YAML" in page.errors[0].problem


def test_a_library_parses_a_page_once_and_again_only_when_it_changes(tmp_path):
    from cookbook import PageLibrary

    path = tmp_path / "page.md"
    path.write_text(PAGE)
    library = PageLibrary(tmp_path)
    assert library.page(path) is library.page(path) is library.page(path, PAGE)
    assert library.page(path).shown_as == "page.md"
    assert library.page(path, PAGE + "\nmore\n") is not library.page(path, PAGE)
    assert library.parses[path] == 3


# Page facts, each computed once by the page model ---------------------------------------------------------
AWKWARD = '''---
description: The awkward cases.
---

```python
# Not a title
import keras
```

# The title with `code`

## Sort with `tf.sort` { #sorting }

```python
print(keras.ops.sort([2, 1]))
```

## Both Kerases

=== "Keras 2"

    ```python
    import tf_keras as keras

    print(keras.layers.Dense(1).units)
    ```

=== "Keras 3"

    ```python
    print(keras.layers.Dense(1).units)
    ```

!!! note "Inside"
    #### A nested heading

## Sort with `tf.sort`
'''


def test_page_facts_on_a_page_with_the_awkward_cases(tmp_path):
    """The title skips a ``#`` comment in a fence; anchors are those MkDocs gives (code in a heading, an
    attribute list, a repeated heading); each content tab is a recipe with its own imports."""
    import re

    import markdown
    from mkdocs.config import load_config

    from cookbook.api_index import build_index

    page = parse_page(tmp_path / "page.md", AWKWARD)
    assert page.title == "The title with `code`"
    config = load_config(str(Path(__file__).resolve().parent.parent / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    rendered = re.findall(r'<h[1-6] id="([^"]*)"', md.convert(AWKWARD.split("---\n", 2)[2]))
    assert [page.anchors[heading] for heading in page.headings] == rendered == [
        "the-title-with-code",
        "sorting",
        "both-kerases",
        "a-nested-heading",
        "sort-with-tfsort",
    ]
    assert [(recipe.heading.text, recipe.tab) for recipe in page.recipes] == [
        ("Sort with `tf.sort` { #sorting }", None),
        ("Both Kerases", "Keras 2"),
        ("Both Kerases", "Keras 3"),
    ]
    keras2, keras3 = page.recipes[1:]
    assert page.recipe_script(keras3) == "# Not a title\nimport keras\n\nprint(keras.layers.Dense(1).units)\n"
    assert "tf_keras" in page.recipe_script(keras2)
    index = build_index([page])
    assert [use.recipe for use in index.uses["tf_keras.layers.Dense"]] == ["Both Kerases"]
    assert [use.recipe for use in index.uses["keras.layers.Dense"]] == ["Both Kerases"]
    assert index.recipe_names(page, "Both Kerases") == ["tf_keras.layers.Dense", "keras.layers.Dense"]
