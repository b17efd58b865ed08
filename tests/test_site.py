"""The site build: strict, complete, self-contained."""

import re
import zlib
from pathlib import Path

import pytest
import yaml

import cookbook

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def nav_pages(items):
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from nav_pages(value)
        else:
            yield value


@pytest.fixture(scope="module")
def site(built_site):
    """The site, built once for the session with ``strict: true`` (``conftest.BuiltSite``)."""
    BUILD["config"] = built_site.config
    return built_site.folder


BUILD: dict = {}  # the site fixture's MkDocs config, after the build


ENGLISH_PAGES = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md"))
CHINESE_PAGES = sorted(DOCS.rglob("*.zh.md"))


def built_path(site: Path, page: Path) -> Path:
    """Where the build writes a page: ``x/y.md`` to ``x/y/index.html``, ``x/y.zh.md`` to ``zh/x/y/index.html``."""
    relative = page.relative_to(DOCS)
    name = relative.name.removesuffix(".md").removesuffix(".zh")
    folder = (Path("zh") if page.name.endswith(".zh.md") else Path()) / relative.parent
    return site / folder / ("index.html" if name == "index" else f"{name}/index.html")


def test_every_page_is_in_the_navigation():
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert set(nav_pages(config["nav"])) == {str(p.relative_to(DOCS)) for p in ENGLISH_PAGES}


def test_every_page_exists_in_both_languages():
    assert [p.with_name(p.name.replace(".md", ".zh.md")) for p in ENGLISH_PAGES] == CHINESE_PAGES


def test_every_page_is_built(site):
    for page in ENGLISH_PAGES + CHINESE_PAGES:
        assert built_path(site, page).is_file(), f"{page.relative_to(DOCS)} was not built"


def test_the_harness_is_not_published(site):
    assert not list(site.rglob("conftest.py"))


def test_no_request_leaves_the_site(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, html


@pytest.mark.parametrize("language", ["en", "zh"])
def test_home_page_lists_every_recipe_page(site, language):
    home = (site / ("zh" if language == "zh" else "") / "index.html").read_text(encoding="utf-8")
    for page in ENGLISH_PAGES:
        relative = page.relative_to(DOCS)
        if relative.name != "index.md":
            assert f'href="{relative.with_suffix("").as_posix()}/"' in home, (
                f"{relative} is not on the {language} home page"
            )


def inventory_names(path: Path) -> set[str]:
    data = path.read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode()
    return {line.split(" ", 1)[0] for line in body.splitlines()}


def test_reference_documents_every_public_name(site):
    names = inventory_names(site / "objects.inv")
    missing = [name for name in cookbook.__all__ if f"cookbook.{name}" not in names]
    assert not missing, f"not in the API reference: {missing}"


def test_pages_show_pictures_that_were_built(site):
    for html in site.rglob("*.html"):
        for src in re.findall(r'<img[^>]+src="([^"]+\.png)"', html.read_text(encoding="utf-8")):
            assert (html.parent / src).resolve().is_file(), f"{html.relative_to(site)} shows a missing {src}"


RECIPE_PAGES = sorted(p for p in DOCS.rglob("*.md") if "```python" in p.read_text(encoding="utf-8"))


def built_html(site: Path, page: Path) -> str:
    return built_path(site, page).read_text(encoding="utf-8")


def test_each_recipe_page_offers_its_notebook(site):
    for page in RECIPE_PAGES:
        notebook = site / page.relative_to(DOCS).with_suffix(".ipynb")
        assert notebook.is_file(), f"no notebook for {page.relative_to(DOCS)}"
        assert re.search(
            rf'href="(\.\./)+{re.escape(notebook.relative_to(site).as_posix())}"|href="\.\./{re.escape(notebook.name)}"',
            built_html(site, page),
        )


def test_stamps_claim_verification_only_for_a_passing_run_of_that_exact_text(site, built_site, monkeypatch):
    """Each stamp says what the results the build read say (``BuiltSite.results``); that a passing run writes
    a verified result is tests/test_harness.py's check."""
    from cookbook import PageLibrary
    from cookbook.results import RESULTS_DIR_VARIABLE
    from cookbook.site.header import tested_page, verified_result

    monkeypatch.setenv(RESULTS_DIR_VARIABLE, str(built_site.results))
    library = PageLibrary(REPO)
    for path in RECIPE_PAGES:
        page = library.page(path)
        tested, same = tested_page(library, page)
        result = verified_result(DOCS, tested) if same else None
        relative = path.relative_to(DOCS).as_posix()
        stamp = re.search(r'data-stamp="(\w+)"', built_html(site, path))
        assert stamp, f"{relative} has no stamp"
        expected = "verified" if result is not None and result.verified else "unverified"
        assert stamp.group(1) == expected, relative


def test_each_recipe_page_offers_its_data_files_for_download(site):
    """Each page links its data files; both languages' pages link the one copy next to the English page."""
    from cookbook import PageLibrary

    library = PageLibrary(REPO)
    offered = 0
    for path in RECIPE_PAGES:
        page = library.page(path)
        html_path = built_path(site, path)
        html = html_path.read_text(encoding="utf-8")
        for name in page.downloads:
            tags = [tag for tag in re.findall(r"<a [^>]*>", html) if f'download="{name}"' in tag]
            assert tags, f"{path.relative_to(DOCS)} does not offer {name}"
            target = (html_path.parent / re.search(r'href="([^"]+)"', tags[0]).group(1)).resolve()
            assert target.read_bytes() == (REPO / "data" / name).read_bytes(), f"{path.relative_to(DOCS)}: {target}"
            offered += 1
    assert offered >= 8  # four pages with downloads, in two languages


@pytest.mark.parametrize("language", ["en", "zh"])
def test_migration_page_lists_every_keras3_callout_of_every_page(site, language):
    """The migration page's generated index (cookbook/site/migration_index.py) links every "Changed in Keras 3" callout
    of every other page of its language, once, to the id of the recipe it stands in."""
    from collections import Counter
    from urllib.parse import unquote

    from cookbook import PageLibrary
    from cookbook.callouts import find_callouts

    library = PageLibrary(REPO)
    migrating = DOCS / ("migrating.zh.md" if language == "zh" else "migrating.md")
    expected = Counter(
        (built_path(site, path), callout.anchor)
        for path in (CHINESE_PAGES if language == "zh" else ENGLISH_PAGES)
        if path != migrating
        for callout in find_callouts(library.page(path))
    )
    assert sum(expected.values()) >= 15, "the pages' callouts were not found"
    shown = built_path(site, migrating)
    html = shown.read_text(encoding="utf-8")
    links = re.findall(r'<a class="cookbook-keras3-change" href="([^"#]*)#?([^"]*)"', html)
    listed = Counter(
        ((shown.parent / unquote(path) / "index.html").resolve(), anchor or None) for path, anchor in links
    )
    assert listed == expected
    for target, anchor in listed:
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{target.relative_to(site)} has no #{anchor}"


def _marks(html: str) -> dict[str, str]:
    """The "Runs on" row's marks: version to state."""
    marks = {}
    for tag in re.findall(r"<(?:a|span)\b[^>]*\bcookbook-mark\b[^>]*>", html):
        version, state = re.search(r'data-version="([^"]+)"', tag), re.search(r'data-state="([^"]+)"', tag)
        marks[version.group(1)] = state.group(1)
    return marks


def test_each_recipe_page_says_which_versions_it_runs_on(site):
    """Under the stamp, in both languages, the row that cookbook.site.version_matrix.page_row gives the page (its
    states are tested on fixtures in tests/test_matrix.py); each ✗ links to the matrix page's account of it, in
    the same language."""
    from cookbook import PageLibrary
    from cookbook.matrix import load_results
    from cookbook.site.header import tested_page
    from cookbook.site.version_matrix import page_row

    results = load_results()
    library = PageLibrary(REPO)
    for path in RECIPE_PAGES:
        html = built_html(site, path)
        relative = path.relative_to(DOCS).as_posix()
        row = re.search(r'<div class="cookbook-matrix" data-matrix="(\w+)"', html)
        assert row, f"{relative} has no 'Runs on' row"
        assert html.index("cookbook-stamp") < row.start(), f"{relative}: the row is not under the stamp"
        page = library.page(path)
        expected = page_row(results, page, *tested_page(library, page), DOCS.resolve())
        assert row.group(1) == expected.state, relative
        assert set(_marks(html)) == set(re.findall(r'data-version="([^"]+)"', expected.body)), relative
        for link in re.findall(r'<a\b[^>]*\bcookbook-mark\b[^>]*href="([^"]+)"', html):
            target, _, anchor = link.partition("#")
            page = (built_path(site, path).parent / target / "index.html").resolve()
            assert page == built_path(
                site, DOCS / "about" / ("versions.zh.md" if path.name.endswith(".zh.md") else "versions.md")
            )
            assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), f"{relative} links to a missing #{anchor}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_matrix_page_shows_every_recipe_page_on_every_version(site, language):
    from cookbook.matrix import load_results, version_anchor

    results = load_results()
    html = built_html(site, DOCS / "about" / ("versions.zh.md" if language == "zh" else "versions.md"))
    assert "matrix:" not in html and "TODO" not in html
    grid = re.search(r"<table>(?:(?!</table>).)*?\ball pages\b|<table>(?:(?!</table>).)*?全部页面", html, re.DOTALL)
    assert grid, "no grid of pages × versions"
    for path in RECIPE_PAGES:
        if path.name.endswith(".zh.md"):
            continue
        link = path.relative_to(DOCS).with_suffix("").as_posix()
        assert f'href="../../{link}/"' in grid.group(0), f"{link} is not in the grid"
    for version in results["versions"]:
        assert f'id="{version_anchor(version)}"' in html, f"no section for {version}"
        assert f'href="#{version_anchor(version)}"' in grid.group(0)


# Reader features: the API index, "Copy with setup", translation notes, the search dialog's name -----------


def element_ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_api_index_links_resolve_both_ways(site, language):
    """Every "APIs used" link leads to an entry of the index; every recipe link of the index leads to a
    heading of that page; every entry has a reference link."""
    from urllib.parse import urlparse

    root = site / ("zh" if language == "zh" else "")
    index_html = (root / "api" / "index.html").read_text(encoding="utf-8")
    entries = set(re.findall(r'<h3 id="([^"]+)"', index_html))
    assert ("损失函数 › " if language == "zh" else "Losses › ") in index_html  # the navigation's page titles
    assert {"tf.nn.top_k", "tf.data.Dataset.from_tensor_slices", "keras.utils.FeatureSpace", "pd.read_csv"} <= entries
    pages = [p for p in (CHINESE_PAGES if language == "zh" else ENGLISH_PAGES) if p in RECIPE_PAGES]
    used = set()
    for path in pages:
        html = built_html(site, path)
        for line in re.findall(r'<p class="cookbook-apis".*?</p>', html):
            for href in re.findall(r'href="([^"]+)"', line):
                target = (built_path(site, path).parent / urlparse(href).path / "index.html").resolve()
                assert target == (root / "api" / "index.html").resolve(), href
                assert urlparse(href).fragment in entries, f"{path.relative_to(DOCS)}: {href}"
                used.add(urlparse(href).fragment)
    assert used <= entries and len(used) > 0.9 * len(entries)  # the rest are used by setup blocks only
    for href in set(re.findall(r'href="(\.\./[^"#]*/)#([^"]+)"', index_html)):
        target = (root / "api" / href[0] / "index.html").resolve()
        assert href[1] in element_ids(target.read_text(encoding="utf-8")), f"api index links to a missing {href}"
    for entry in re.findall(r'<h3 id="[^"]+">.*?</h3>\s*<p>(.*?)</p>', index_html, re.DOTALL):
        assert re.search(r'href="https://(www\.tensorflow\.org|keras\.io|numpy\.org|pandas\.pydata\.org)/', entry), (
            entry
        )


def test_every_recipe_block_carries_its_setup_and_recipe_for_copy_with_setup(site):
    import html as html_module

    from cookbook import PageLibrary

    library = PageLibrary(REPO)
    for path in RECIPE_PAGES:
        page = library.page(path)
        copies = [
            html_module.unescape(found)
            for found in re.findall(
                r'<div class="language-python highlight"(?: data-cookbook-copy="([^"]*)")?', built_html(site, path)
            )
        ]
        assert len(copies) == len(page.blocks), path
        setup = "".join(block.code.body for block in page.setup)
        for block, copied in zip(page.blocks, copies, strict=True):
            if block.recipe is None or block.skip_reason is not None:
                assert copied == "", f"{path.relative_to(DOCS)}:{block.line} should have no copy-with-setup"
                continue
            assert copied.startswith(setup.rstrip("\n") + "\n"), f"{path.relative_to(DOCS)}:{block.line}"
            assert block.code.body.rstrip("\n") in copied, f"{path.relative_to(DOCS)}:{block.line}"
            others = [b for b in page.blocks if b.recipe is not None and (b.recipe, b.tab) != (block.recipe, block.tab)]
            assert not any(b.code.body.strip() in copied for b in others if b.code.body.strip() not in block.code.body)


def test_translation_notes_appear_exactly_on_translations_that_are_not_current(site):
    from cookbook.freshness import translations_not_current

    not_current = {page.path for page, _ in translations_not_current(DOCS)}
    for path in CHINESE_PAGES:
        shown = "cookbook-translation-note" in built_html(site, path)
        assert shown == (path in not_current), f"{path.relative_to(DOCS)}: note shown={shown}"


def test_the_search_dialog_has_an_accessible_name_on_every_page(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        if 'class="md-search"' in text:
            assert re.search(r'<div class="md-search"[^>]* role="dialog" aria-label="[^"]+"', text), html


def page_config(html: Path) -> dict:
    """A built page's configuration for Material's scripts (``<script id="__config">``)."""
    import json

    pattern = r'<script id="__config" type="application/json">(.*?)</script>'
    return json.loads(re.search(pattern, html.read_text(encoding="utf-8"), re.DOTALL)[1])


def test_every_page_searches_its_language_in_the_cookbook_search_worker(site):
    """Each page's search runs in docs/javascripts/search-worker.js, which loads Material's worker (that file
    exists) with the page's language's pages only; the 404 page, served at every language's addresses, searches
    all of them."""
    from urllib.parse import parse_qs, urljoin, urlsplit

    for page in ENGLISH_PAGES + CHINESE_PAGES:
        path = built_path(site, page)
        address = urljoin("http://site/" + path.relative_to(site).as_posix(), page_config(path)["search"])
        assert urlsplit(address).path == "/javascripts/search-worker.js", (page, address)
        parameters = parse_qs(urlsplit(address).query, keep_blank_values=True)
        assert parameters["home"] == ["zh/" if page.name.endswith(".zh.md") else ""], page
        assert parameters["homes"] == [",zh/"]
        material = urlsplit(urljoin(address, parameters["worker"][0])).path
        assert material.startswith("/assets/javascripts/workers/search.") and (site / material[1:]).is_file()
    not_found = urlsplit(page_config(site / "404.html")["search"])
    assert not_found.path == "/javascripts/search-worker.js" and "home" not in parse_qs(not_found.query)


def test_the_build_reads_each_page_once(site):
    """Every part of the plugin (stamps, notebooks, pictures, the API index, copy with setup, translation
    notes) shares one parse of each page, across both languages' builds."""
    parses = BUILD["config"].plugins["cookbook"].library.parses
    assert len(parses) == len(ENGLISH_PAGES + CHINESE_PAGES) and set(parses.values()) == {1}


def test_the_404_page_leads_to_each_language_home(site):
    """The 404 page is served at any address: its language links are absolute, to each language's home, not
    to the page the build rendered last."""
    html = (site / "404.html").read_text()
    links = dict(re.findall(r'href="([^"]*)" hreflang="([\w-]+)"', html))
    assert links == {"/": "en", "/zh/": "zh"}, links


def test_a_page_of_the_navigation_without_a_description_stops_the_build(tmp_path):
    """cookbook/page.py says ``description:`` is required: the home page's table, which lists every page of the
    navigation with its description, is where it is checked."""
    from mkdocs.exceptions import PluginError

    from cookbook import PageLibrary
    from cookbook.site.navigation import NavEntry
    from cookbook.site.recipe_index import table_markdown

    (tmp_path / "a.md").write_text("---\ndownloads: []\n---\n# A\n", encoding="utf-8")
    entries = [NavEntry("", "A", "a.md", str(tmp_path / "a.md"))]
    with pytest.raises(PluginError, match="a.md has no 'description:'"):
        table_markdown(entries, "index.md", "en", PageLibrary(tmp_path))
    (tmp_path / "a.md").write_text("---\ndescription: What A shows.\n---\n# A\n", encoding="utf-8")
    assert table_markdown(entries, "index.md", "en", PageLibrary(tmp_path)).endswith("| A | [A](a.md) | What A shows. |")


def _text(html: str) -> str:
    """What a reader sees of ``html``: its text, tags removed and entities resolved."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_error_index_messages_are_shown_where_they_link(site, language):
    """Each message of the error index (read from the built index page) is shown in the recipe it links to: in the
    text of the linked page from the linked heading to the next ``##`` heading; a type listed alone is shown
    there as a type. So the index can neither invent a message nor send a reader to a recipe that lacks it."""
    from urllib.parse import urlparse

    root = site / ("zh" if language == "zh" else "")
    index_html = (root / "errors" / "index.html").read_text(encoding="utf-8")
    index = re.search(r'<div class="cookbook-error-index">(.*)</div>', index_html, re.DOTALL)[1]
    sections = re.split(r'<h2 id="(error-[^"]+)">', index)[1:]
    types = {}
    for anchor, body in zip(sections[::2], sections[1::2]):
        name = _text(re.match(r"(.*?)<a", body, re.DOTALL)[1]).strip()
        types[name] = body
    assert {"ValueError", "InvalidArgumentError", "UserWarning", "WARNING:tensorflow"} <= set(types)
    checked = 0
    for name, body in types.items():
        for item in re.split(r"<li>", body)[1:]:
            item = re.split(r"<ul>|</li>", item)[0]  # the item's own line, not its nested variants
            code = re.search(r"<code>(.*?)</code>", item, re.DOTALL)
            message = _text(code[1]) if code and not item.startswith("<em>") else None
            hrefs = re.findall(r'href="([^"]+)"', item)
            assert hrefs, f"{name}: {message!r} links to no recipe"
            for href in hrefs:
                target = (root / "errors" / urlparse(href).path / "index.html").resolve()
                page_html = target.read_text(encoding="utf-8")
                fragment = urlparse(href).fragment
                start = page_html.index(f'id="{fragment}"') if fragment else 0
                end = page_html.find("<h2 ", start + 1)
                shown = _text(page_html[start : end if end > 0 else len(page_html)])
                expected = message if message is not None else name.removeprefix("WARNING:")
                assert expected in shown, f"{name}: {expected!r} is not shown at {href}"
                checked += 1
    assert checked > 80


def test_other_versions_wording_of_a_message_is_on_the_page_and_in_the_search(site):
    """Issue #21: each message line that ``make matrix`` recorded a block printing instead of the page's (its
    ``printed`` lines, for the page's current text) is shown under that block on the built page, in both
    languages, inside the note the plugin adds, and is in the search index (a reader pasting it finds the
    recipe). The fixture-based tests in tests/test_matrix.py show the note's words and place."""
    import html as html_module
    import json

    from cookbook.matrix import load_results, older_messages
    from cookbook.site.version_matrix import OLDER_WORDING_CLASS

    results = load_results(REPO / "matrix" / "results.json")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    searchable = {}
    for doc in index:
        page = doc["location"].split("#")[0]
        searchable[page] = searchable.get(page, "") + " " + html_module.unescape(re.sub(r"<[^>]+>", "", doc["text"]))
    checked = 0
    for english in ENGLISH_PAGES:
        name = english.relative_to(DOCS).as_posix()
        wordings = older_messages(results, name, english.read_text(encoding="utf-8"))
        lines = {line for found in wordings.values() for _, printed in found for line in printed}
        if not lines:
            continue
        for page in (english, english.with_name(english.name.replace(".md", ".zh.md"))):
            built = built_path(site, page)
            notes = re.findall(rf'<div class="admonition info {OLDER_WORDING_CLASS}">(.*?)</div>', built.read_text(encoding="utf-8"), re.DOTALL)
            shown = _text("".join(notes))
            location = built.relative_to(site).parent.as_posix() + "/"
            for line in lines:
                assert line in shown, f"{page.relative_to(DOCS)}: {line!r} is not shown under its block"
                assert " ".join(line.split()) in " ".join(searchable.get(location, "").split()), (
                    f"{line!r} is not in the search index of {location}"
                )
                checked += 1
    if not checked:
        pytest.skip("matrix/results.json records no other wording of a page's message for the pages' current text")
