"""The Chinese edition's prose. (That it shows exactly the English edition's code and outputs is checked by
`pytest docs/` itself, block by block: see cookbook/plugin.py.)"""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
TRANSLATED = sorted(DOCS.rglob("*.zh.md"))


CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
BROKEN_LINE = re.compile(rf"{CJK}\n[ \t]*(?![-*+] |\d+\. |\||#|!!!|===|```){CJK}")


@pytest.mark.parametrize("page", TRANSLATED, ids=lambda p: str(p.relative_to(DOCS)))
def test_chinese_prose_does_not_break_lines_between_characters(page):
    """A line break inside Chinese text shows as a stray space in the browser: keep a paragraph on one line."""
    prose = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    breaks = [prose[m.start() - 10 : m.end() + 10] for m in BROKEN_LINE.finditer(prose)]
    assert not breaks, breaks
