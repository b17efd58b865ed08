"""The API index on the site: "Recipes using tf.X", read from the pages' verified code (:mod:`cookbook.api_index`).

* The page that holds ``<!-- cookbook:api-index -->`` (``api.md``, ``api.zh.md``) gets the index: every name
  grouped by module, each a heading with its own anchor (``#tf.nn.top_k``, so the site's search finds it),
  the recipes that use it and its official reference.
* Under each recipe's ``##`` heading, a line "APIs used:" links the names it uses to their index entries.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from ..api_index import ApiIndex, reference_site, reference_url
from ..page import Page
from ..translations import UI_TEXT

INDEX_PAGE = "api.md"


def _link(from_uri: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def index_markdown(index: ApiIndex, titles: dict[Path, str], language: str, index_uri: str, docs_dir: Path) -> str:
    """The index itself, as Markdown (names are headings with their dotted name as id); ``titles`` are the
    pages' titles in the navigation, by path."""
    words = UI_TEXT[language]
    groups = index.grouped()
    out = [
        '<div class="cookbook-api-index" markdown>',
        "",
        f"{words['api_modules']} " + " · ".join(f"[`{module}`](#module-{module})" for module, _ in groups),
        "",
    ]
    for module, names in groups:
        out += [f"## {module} {{ #module-{module} }}", ""]
        for name in names:
            links = []
            for use in index.uses[name]:
                target = _link(index_uri, use.page.path.relative_to(docs_dir).as_posix())
                title = titles.get(use.page.path) or use.page.title
                if use.recipe is None:
                    links.append(f"[{title}]({target}) ({words['api_setup']})")
                    continue
                heading = next(heading for heading in use.page.recipe_headings if heading.text == use.recipe)
                links.append(f"[{title} › {heading.shown}]({target}#{use.page.anchors[heading]})")
            url = reference_url(name, name in index.called)
            site = words["api_reference"].format(site=reference_site(url))
            out += [
                f"### {name} {{ #{name} }}",
                "",
                f"{words['api_used_in']} " + " · ".join(links) + f" — [{site}]({url})",
                "",
            ]
    return "\n".join([*out, "</div>"])


def apis_used_lines(page: Page, index: ApiIndex, page_uri: str) -> dict[int, str]:
    """The line "APIs used: ..." of each recipe heading whose code uses covered names, by the offset of the
    line under the heading."""
    words = UI_TEXT[page.language]
    target = _link(page_uri, INDEX_PAGE if page.language == "en" else f"api.{page.language}.md")
    found = {}
    for heading in page.recipe_headings:
        names = index.recipe_names(page, heading.text)
        if names:
            links = words["list_separator"].join(f"[`{name}`]({target}#{name})" for name in names)
            found[line_end(page.text, heading.offset)] = (
                f"\n{words['apis_used']} {links}\n{{ .cookbook-apis data-search-exclude }}\n\n"
            )
    return found


def line_end(text: str, offset: int) -> int:
    """The offset just past the line at ``offset`` (its newline included)."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1
