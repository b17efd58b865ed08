""""Copy with setup", a second copy button on each recipe's code.

Material's own button copies one code block. A reader who wants to run a recipe also needs the page's setup
block, so each Python block of a recipe carries, in ``data-cookbook-copy``, the recipe's runnable script
(:meth:`cookbook.page.Page.recipe_script`: the setup block followed by that recipe's code, in a content tab
that tab's), which is exactly what ``pytest --isolated-recipes`` runs. ``docs/javascripts/copy-recipe.js``
turns the attribute into a button that Material's clipboard handler copies (``data-clipboard-text``). Blocks
marked ``Not run:`` are left out, as the tests leave them out.
"""

from __future__ import annotations

import html
import re

from mkdocs.exceptions import PluginError

from ..page import Page
from ..translations import UI_TEXT

# The element Python-Markdown's highlighter writes for each ```python fence of the page.
_PYTHON_BLOCK = re.compile(r'<div class="language-python highlight">')


def with_copy_buttons(content: str, page: Page, src_uri: str) -> str:
    words = UI_TEXT[page.language]
    found = list(_PYTHON_BLOCK.finditer(content))
    if len(found) != len(page.blocks):
        raise PluginError(
            f"{src_uri}: {len(found)} Python blocks in the HTML, {len(page.blocks)} on the page: "
            "cannot tell which recipe each belongs to"
        )
    out, at = [], 0
    for match, block in zip(found, page.blocks, strict=True):
        out.append(content[at : match.start()])
        recipe = page.recipe_of(block)
        if recipe is None or block.skip_reason is not None:
            out.append(match.group())
        else:
            out.append(
                '<div class="language-python highlight"'
                f' data-cookbook-copy="{html.escape(page.recipe_script(recipe), quote=True)}"'
                f' data-cookbook-copy-label="{html.escape(words["copy_with_setup"], quote=True)}"'
                f' data-cookbook-copy-title="{html.escape(words["copy_with_setup_title"], quote=True)}">'
            )
        at = match.end()
    out.append(content[at:])
    return "".join(out)
