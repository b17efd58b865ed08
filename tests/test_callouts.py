"""Finding the "Changed in Keras 3" callouts of a page (cookbook.callouts), for the migration page's index."""

import re
from pathlib import Path

import pytest

from cookbook import PageLibrary, parse_page
from cookbook.callouts import find_callouts, first_sentence

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"

PAGE = """---
description: A page.
---
# Saving `models`

!!! note "Changed in Keras 3"
    Before any recipe.

```python
import keras
```

## Save a model: `model.save`

Some prose.

!!! note "Changed in Keras 3"
    `model.save("dir")` raises `ValueError`. A SavedModel comes from
    `model.export`.

    A second paragraph.

!!! warning "Common mistake"
    Not a change since Keras 2.

```python
print(1)
```

```text title="Output"
1
```

## Save a model: `model.save`

=== "Keras 3"

    ??? note "Coming from TF 2.15 / Keras 2"
        In a tab, collapsed: e.g. `tf.keras` wrote `h5`. It still does.

    ```python
    print(2)
    ```

````markdown
## Not a heading

!!! note "Changed in Keras 3"
    Shown as an example, not a callout of this page.
````

## Café & `tf.data` {#data-recipe}

!!! note "Changed in Keras 3"

    ```python
    print(3)
    ```

    Only after a fenced block: see [the other page](../other/page.md#there).
"""


@pytest.fixture
def page(tmp_path):
    return parse_page(tmp_path / "area" / "saving.md", PAGE)


def test_callouts_are_found_with_their_recipe_and_anchor(page):
    found = find_callouts(page)
    assert [(callout.title, callout.kind, callout.recipe, callout.anchor) for callout in found] == [
        ("Changed in Keras 3", "note", None, None),
        ("Changed in Keras 3", "note", "Save a model: `model.save`", "save-a-model-modelsave"),
        ("Coming from TF 2.15 / Keras 2", "note", "Save a model: `model.save`", "save-a-model-modelsave_1"),
        ("Changed in Keras 3", "note", "Café & `tf.data` {#data-recipe}", "data-recipe"),
    ]
    assert [callout.line for callout in found] == [6, 17, 38, 54]  # line 48 is inside a fence


def test_a_callout_text_is_its_first_paragraph_on_one_line(page):
    before, save, in_tab, after_fence = find_callouts(page)
    assert before.text == "Before any recipe."
    assert save.text == '`model.save("dir")` raises `ValueError`. A SavedModel comes from `model.export`.'
    assert save.first_sentence == '`model.save("dir")` raises `ValueError`.'
    assert in_tab.first_sentence == "In a tab, collapsed: e.g. `tf.keras` wrote `h5`."
    assert after_fence.text == "Only after a fenced block: see [the other page](../other/page.md#there)."


def test_callouts_shown_inside_a_fence_and_other_titles_do_not_count(page):
    assert all("example" not in callout.text and "Not a change" not in callout.text for callout in find_callouts(page))


def test_titles_are_those_of_the_page_language(tmp_path):
    text = (
        "# 标题\n\n## 第一个示例\n\n"
        '!!! note "Keras 3 的变化"\n    变化一。第二句。\n\n'
        '!!! note "从 TF 2.15 / Keras 2 迁移"\n    变化二！\n\n'
        '!!! note "Changed in Keras 3"\n    An English title on a Chinese page.\n\n'
        "## 第二个示例\n\n"
        '!!! note "Keras 3 的变化"\n    `x.y` 变了：见下文。\n'
    )
    found = find_callouts(parse_page(tmp_path / "page.zh.md", text))
    assert [(callout.first_sentence, callout.anchor) for callout in found] == [
        # Headings with no ASCII letters get numbered anchors, as MkDocs gives them ("_1" is the title's).
        ("变化一。", "_2"),
        ("变化二！", "_2"),
        ("`x.y` 变了：见下文。", "_3"),
    ]
    assert not find_callouts(parse_page(tmp_path / "page.md", text.replace("Changed in Keras 3", "Other")))


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("One. Two.", "One."),
        ("Ends without a stop", "Ends without a stop"),
        ("Code `a. b` stays. Next.", "Code `a. b` stays."),
        ("See [a. b](x.md). Next.", "See [a. b](x.md)."),
        ("Version 2.16 and e.g. 2.15 differ! Next.", "Version 2.16 and e.g. 2.15 differ!"),
        ("Really? Yes.", "Really?"),
        ("中文。第二句。", "中文。"),
        ("Unclosed `code. Next.", "Unclosed `code. Next."),
    ],
)
def test_first_sentence(text, sentence):
    assert first_sentence(text) == sentence


def test_page_title(page, tmp_path):
    assert page.title == "Saving `models`"
    assert parse_page(tmp_path / "untitled.md", "## Only a recipe\n").title == "untitled"


def rendered_heading_ids(text: str, config) -> list[str]:
    """The ids of a page's headings as MkDocs renders it: its Markdown extensions, as mkdocs.yml configures them."""
    import markdown

    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    html = md.convert(body)
    return re.findall(r'<h[1-6] id="([^"]*)"', html)


@pytest.fixture(scope="module")
def mkdocs_config():
    from mkdocs.config import load_config

    return load_config(str(REPO / "mkdocs.yml"))


def test_anchors_are_the_ids_markdown_gives_the_fixture(page, mkdocs_config):
    anchors = [page.anchors[heading] for heading in page.headings]
    assert anchors == rendered_heading_ids(PAGE, mkdocs_config)
    assert anchors == ["saving-models", "save-a-model-modelsave", "save-a-model-modelsave_1", "data-recipe"]


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.md")), ids=lambda path: str(path.relative_to(DOCS)))
def test_anchors_are_the_ids_mkdocs_gives_every_page(path, mkdocs_config):
    page = PageLibrary(REPO).page(path)
    anchors = [page.anchors[heading] for heading in page.headings]
    assert anchors == rendered_heading_ids(page.text, mkdocs_config)
