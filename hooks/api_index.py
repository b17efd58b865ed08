"""MkDocs hook: "Recipes using tf.X", read from the pages' verified code (:mod:`cookbook.api_index`).

* The page that holds the marker ``<!-- api-index -->`` (``api.md``, ``api.zh.md``) gets the index: every
  name grouped by module, each a heading with its own anchor (``#tf.nn.top_k``, so the site's search finds
  it), the recipes that use it and its official reference.
* Under each recipe's ``##`` heading, a line "APIs used:" links the names it uses to their index entries.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page as MkDocsPage

MARKER = "<!-- api-index -->"
INDEX_PAGE = "api.md"
_RECIPE_HEADING = re.compile(r"^## +(?P<title>.+?)\s*#*\s*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")  # a heading's { #id .class }


def _index(config, language: str):
    """The index of one language's pages, built once per build."""
    from cookbook.api_index import build_index
    from cookbook.site import pages_in_nav_order

    key = f"cookbook_api_index_{language}"
    if config.get(key) is None:
        config[key] = build_index(page for page in pages_in_nav_order(config, language) if page.is_recipe_page)
    return config[key]


def _link(from_uri: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def _src_uri(page, config) -> str:
    return page.path.relative_to(Path(config["docs_dir"]).resolve()).as_posix()


def index_markdown(config, language: str, index_uri: str) -> str:
    """The index itself, as Markdown (names are headings with their dotted name as id)."""
    from cookbook.api_index import heading_anchors, page_title, reference_site, reference_url
    from cookbook.site import nav_titles
    from cookbook.translations import UI_TEXT

    words = UI_TEXT[language]
    index = _index(config, language)
    titles = nav_titles(config, language)
    toc_config = config["mdx_configs"].get("toc", {})
    anchors: dict[int, dict[str, str]] = {}
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
                target = _link(index_uri, _src_uri(use.page, config))
                title = titles.get(use.page.path) or page_title(use.page)
                if use.recipe is None:
                    links.append(f"[{title}]({target}) ({words['api_setup']})")
                    continue
                if id(use.page) not in anchors:
                    anchors[id(use.page)] = heading_anchors(use.page, toc_config)
                shown = _ATTRIBUTES.sub("", use.recipe)
                links.append(f"[{title} › {shown}]({target}#{anchors[id(use.page)][use.recipe]})")
            url = reference_url(name, name in index.called)
            site = words["api_reference"].format(site=reference_site(url))
            out += [
                f"### {name} {{ #{name} }}",
                "",
                f"{words['api_used_in']} " + " · ".join(links) + f" — [{site}]({url})",
                "",
            ]
    return "\n".join([*out, "</div>"])


def apis_used_lines(markdown: str, recipe_page, config, page_uri: str) -> str:
    """``markdown`` with a line "APIs used: ..." under each recipe heading whose code uses covered names."""
    from cookbook.page import find_fences
    from cookbook.translations import UI_TEXT

    index = _index(config, recipe_page.language)
    words = UI_TEXT[recipe_page.language]
    target = _link(page_uri, INDEX_PAGE if recipe_page.language == "en" else f"api.{recipe_page.language}.md")
    fences, _ = find_fences(markdown)
    inside = [(fence.start, fence.end) for fence in fences]
    out, offset = [], 0
    for line in markdown.splitlines(keepends=True):
        out.append(line)
        heading = _RECIPE_HEADING.match(line.rstrip("\n"))
        if heading and not any(start <= offset < end for start, end in inside):
            names = index.recipe_names(recipe_page, heading["title"])
            if names:
                links = words["list_separator"].join(f"[`{name}`]({target}#{name})" for name in names)
                out.append(f"\n{words['apis_used']} {links}\n{{ .cookbook-apis data-search-exclude }}\n\n")
        offset += len(line)
    return "".join(out)


def on_page_markdown(markdown: str, page: MkDocsPage, config, files: Files) -> str:
    from cookbook.page import language_of
    from cookbook.site import pages

    if MARKER in markdown:
        language = language_of(page.file.src_uri)
        return markdown.replace(MARKER, index_markdown(config, language, page.file.src_uri))
    recipe_page = pages(config).page(page.file.abs_src_path)
    if not recipe_page.is_recipe_page:
        return markdown
    return apis_used_lines(markdown, recipe_page, config, page.file.src_uri)
