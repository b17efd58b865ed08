"""The Chinese edition shows exactly the English edition's code and outputs, so one verification covers both."""

from pathlib import Path

import pytest

from cookbook.translations import translation_differences

DOCS = Path(__file__).resolve().parent.parent / "docs"
TRANSLATED = sorted(DOCS.rglob("*.zh.md"))


@pytest.mark.parametrize("page", TRANSLATED, ids=lambda p: str(p.relative_to(DOCS)))
def test_translation_shows_the_same_code_and_outputs(page):
    assert translation_differences(page) == []
