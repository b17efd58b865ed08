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
def site(tmp_path_factory):
    """The site, built in-process with ``strict: true`` into a temporary folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    folder = tmp_path_factory.mktemp("site")
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(folder), strict=True))
    return folder


def test_every_page_is_in_the_navigation():
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    in_nav = set(nav_pages(config["nav"]))
    on_disk = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert on_disk == in_nav


def test_every_page_is_built(site):
    for page in DOCS.rglob("*.md"):
        relative = page.relative_to(DOCS).with_suffix("")
        built = site / "index.html" if relative.name == "index" else site / relative / "index.html"
        assert built.is_file(), f"{relative} was not built"


def test_the_harness_is_not_published(site):
    assert not list(site.rglob("conftest.py"))


def test_no_request_leaves_the_site(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, html


def test_home_page_lists_every_recipe_page(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        relative = page.relative_to(DOCS)
        if relative.name != "index.md":
            assert f'href="{relative.with_suffix("").as_posix()}/"' in home, f"{relative} is not on the home page"


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
    return (site / page.relative_to(DOCS).with_suffix("") / "index.html").read_text(encoding="utf-8")


def test_each_recipe_page_offers_its_notebook(site):
    for page in RECIPE_PAGES:
        notebook = site / page.relative_to(DOCS).with_suffix(".ipynb")
        assert notebook.is_file(), f"no notebook for {page.relative_to(DOCS)}"
        assert f'href="../{notebook.name}"' in built_html(site, page)


def test_stamps_claim_verification_only_for_a_passing_run_of_that_exact_text(site):
    from cookbook import harness
    from cookbook.results import read_result

    ran_this_session = {Path(path) for (path, _), outcome in harness.settings.outcomes.items()}
    for page in RECIPE_PAGES:
        relative = page.relative_to(DOCS).as_posix()
        result = read_result(relative, page.read_text(encoding="utf-8"))
        stamp = re.search(r'data-stamp="(\w+)"', built_html(site, page))
        assert stamp, f"{relative} has no stamp"
        expected = "verified" if result is not None and result.verified else "unverified"
        assert stamp.group(1) == expected, relative
        if page in ran_this_session and all(
            outcome == "passed" for (path, _), outcome in harness.settings.outcomes.items() if Path(path) == page
        ):
            assert expected == "verified", f"{relative} passed in this run but is not stamped as verified"
