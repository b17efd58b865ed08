"""MkDocs hook: "Copy with setup", a second copy button on each recipe's code.

Material's own button copies one code block. A reader who wants to run a recipe also needs the page's setup
block, so each Python block of a recipe carries, in ``data-cookbook-copy``, the setup block followed by that
recipe's code (in a content tab: that tab's code), which is exactly what ``pytest --isolated-recipes`` runs.
``docs/javascripts/copy-recipe.js`` turns the attribute into a button that Material's clipboard handler
copies (``data-clipboard-text``). Blocks marked ``Not run:`` are left out, as the tests leave them out.
"""

from __future__ import annotations

import html
import re

from mkdocs.exceptions import PluginError

_PYTHON_BLOCK = re.compile(r'<div class="language-python highlight">')


def recipe_script(page, block) -> str:
    """The setup block followed by the code of ``block``'s recipe (its tab's, in a content tab)."""
    runnable = [each for each in page.blocks if each.skip_reason is None]
    setup = [each.code.body for each in runnable if each.recipe is None]
    recipe = [each.code.body for each in runnable if (each.recipe, each.tab) == (block.recipe, block.tab)]
    return "\n".join(part.rstrip("\n") + "\n" for part in setup + recipe)


def on_page_content(content: str, page, config, files) -> str:
    from cookbook.site import pages
    from cookbook.translations import UI_TEXT

    recipe_page = pages(config).page(page.file.abs_src_path)
    if not recipe_page.is_recipe_page:
        return content
    words = UI_TEXT[recipe_page.language]
    found = list(_PYTHON_BLOCK.finditer(content))
    if len(found) != len(recipe_page.blocks):
        raise PluginError(
            f"{page.file.src_uri}: {len(found)} Python blocks in the HTML, {len(recipe_page.blocks)} on the page: "
            "cannot tell which recipe each belongs to"
        )
    out, at = [], 0
    for match, block in zip(found, recipe_page.blocks, strict=True):
        out.append(content[at : match.start()])
        if block.recipe is None or block.skip_reason is not None:
            out.append(match.group())
        else:
            out.append(
                '<div class="language-python highlight"'
                f' data-cookbook-copy="{html.escape(recipe_script(recipe_page, block), quote=True)}"'
                f' data-cookbook-copy-label="{html.escape(words["copy_with_setup"], quote=True)}"'
                f' data-cookbook-copy-title="{html.escape(words["copy_with_setup_title"], quote=True)}">'
            )
        at = match.end()
    out.append(content[at:])
    return "".join(out)
