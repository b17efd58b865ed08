"""Finding fences, with Material's attributes, in cookbook.fences."""

import pytest

from cookbook import find_fences, parse_info


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
        find_fences(Path("docs/index.md"))
