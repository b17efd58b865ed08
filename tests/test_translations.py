"""The Chinese edition's prose. (That it shows exactly the English edition's code and outputs is checked by
`pytest docs/` itself, block by block: see cookbook/plugin.py.)"""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
TRANSLATED = sorted(DOCS.rglob("*.zh.md"))


CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
BROKEN_LINE = re.compile(rf"{CJK}\n[ \t]*(?![-*+] |\d+\. |\||#|!!!|===|```){CJK}")


@pytest.mark.parametrize("page", TRANSLATED, ids=lambda p: str(p.relative_to(DOCS)))
def test_chinese_prose_does_not_break_lines_between_characters(page):
    """A line break inside Chinese text shows as a stray space in the browser: keep a paragraph on one line."""
    prose = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    breaks = [prose[m.start() - 10 : m.end() + 10] for m in BROKEN_LINE.finditer(prose)]
    assert not breaks, breaks


# Is each translation current? (cookbook/freshness.py) ----------------------------------------------------


def test_translations_that_are_not_current_are_listed_as_warnings():
    """A translation whose English prose changed since it was marked is not an error (the translator may
    come later), but it is listed: `python -m cookbook.translations --mark docs/<page>.zh.md` after updating."""
    import warnings

    from cookbook.freshness import translations_not_current

    for page, state in translations_not_current(DOCS):
        warnings.warn(
            f"{page.path.relative_to(DOCS)} is {state}: the English page's prose changed after it was translated "
            "(update it, then run `python -m cookbook.translations --mark` on it)",
            stacklevel=1,
        )


ENGLISH = """---
description: A page.
---

# Title

Some prose that a translator
translates.

```python
print(1)
```

```text title="Output"
1
```
"""
CHINESE = """---
description: 一个页面。
---

# 标题

译文。

```python
print(1)
```

```text title="Output"
1
```
"""


def twin_pages(tmp_path, english=ENGLISH, chinese=CHINESE):
    from cookbook import PageLibrary

    (tmp_path / "page.md").write_text(english, encoding="utf-8")
    (tmp_path / "page.zh.md").write_text(chinese, encoding="utf-8")
    library = PageLibrary(tmp_path)
    return library, library.page(tmp_path / "page.md"), library.page(tmp_path / "page.zh.md")


def test_the_prose_hash_ignores_code_outputs_and_line_wrapping_but_not_prose(tmp_path):
    from cookbook import parse_page
    from cookbook.freshness import prose_hash

    original = prose_hash(parse_page(tmp_path / "a.md", ENGLISH))
    rewrapped = ENGLISH.replace("translator\ntranslates", "translator translates")
    new_code = ENGLISH.replace("print(1)", "print(2)").replace("\n1\n```\n", "\n2\n```\n")
    new_prose = ENGLISH.replace("Some prose", "Other prose")
    new_description = ENGLISH.replace("A page.", "Another page.")
    assert prose_hash(parse_page(tmp_path / "a.md", rewrapped)) == original
    assert prose_hash(parse_page(tmp_path / "a.md", new_code)) == original
    assert prose_hash(parse_page(tmp_path / "a.md", new_prose)) != original
    assert prose_hash(parse_page(tmp_path / "a.md", new_description)) != original


def test_marking_records_the_english_prose_and_a_later_change_makes_it_stale(tmp_path):
    from cookbook.freshness import CURRENT, STALE, UNMARKED, main, state

    library, english, chinese = twin_pages(tmp_path)
    assert state(chinese, english) == UNMARKED
    assert main(["--mark", str(tmp_path / "page.zh.md")]) == 0
    marked = (tmp_path / "page.zh.md").read_text(encoding="utf-8")
    assert marked.startswith("---\ndescription: 一个页面。\ntranslated_from: ") and marked.endswith(
        CHINESE.split("---\n", 2)[2]
    )
    library, english, chinese = twin_pages(tmp_path, chinese=marked)
    assert state(chinese, english) == CURRENT
    library, english, chinese = twin_pages(tmp_path, english=ENGLISH.replace("Some prose", "New prose"), chinese=marked)
    assert state(chinese, english) == STALE
    assert main([str(tmp_path)]) == 1  # the listing names it
    assert main(["--mark", str(tmp_path / "page.zh.md")]) == 0  # marking again replaces the line
    library, english, chinese = twin_pages(
        tmp_path, english=ENGLISH.replace("Some prose", "New prose"), chinese=(tmp_path / "page.zh.md").read_text()
    )
    assert state(chinese, english) == CURRENT and chinese.text.count("translated_from:") == 1


def test_a_stale_translation_shows_a_note_linking_to_the_english_page(tmp_path):
    from cookbook.freshness import mark
    from cookbook.matrix import empty_results
    from cookbook.site.header import page_header

    library, english, chinese = twin_pages(tmp_path)
    mark([tmp_path / "page.zh.md"], library)

    def header() -> str:
        chinese = library.page(tmp_path / "page.zh.md")
        return page_header(chinese, library, empty_results(), tmp_path, "zh/area/page/", "area/page.zh.md")

    assert "cookbook-translation-note" not in header()
    (tmp_path / "page.md").write_text(ENGLISH.replace("Some prose", "New prose"), encoding="utf-8")
    library.page(tmp_path / "page.md", (tmp_path / "page.md").read_text(encoding="utf-8"))
    shown = header()
    assert shown.startswith('\n\n<div class="admonition warning cookbook-translation-note" data-translation="stale"')
    assert "英文页面在此翻译之后有改动" in shown and '<a href="../../../area/page/">英文页面</a>' in shown
