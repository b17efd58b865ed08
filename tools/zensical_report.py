"""What the site loses when Zensical builds it instead of MkDocs: a report, page by page, on stdout.

``make zensical`` installs Zensical (pre-1.0) into a virtual environment of its own outside the repository
and runs this script, which builds the site twice into temporary folders, with MkDocs (this environment,
``mkdocs.yml`` as it is) and with Zensical (a copy of the docs and of ``mkdocs.yml``, with only the paths that
must be absolute for a build outside the repository changed), and compares what each page offers readers:
its place in the Chinese tree, its "Verified with" stamp, notebook and downloads, the API index and the
"APIs used" lines, "Copy with setup", pictures drawn by the page's code, heading anchors, and whether the
site's search index holds the page. Nothing is written into the repository. Not part of ``make test``.

Usage: python tools/zensical_report.py --zensical /path/to/bin/zensical
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


@dataclass
class Built:
    """What one page of one build offers."""

    path: Path | None
    html: str = ""
    checks: dict[str, object] = field(default_factory=dict)


def build_mkdocs(site: Path) -> None:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    sys.path.insert(0, str(REPO))
    import jieba  # noqa: F401  (imported first: it sets its logger's level when imported)

    logging.getLogger("jieba").setLevel(logging.WARNING)  # as the cookbook plugin does for `mkdocs build`
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=False))


def build_zensical(zensical: str, project: Path) -> str:
    """Build a copy of the project with Zensical; its output (warnings and errors)."""
    shutil.copytree(DOCS, project / "docs", ignore=shutil.ignore_patterns("__pycache__", "conftest.py"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # Paths that a build outside the repository must spell out: the snippets' base (MkDocs' !relative tag,
    # which Zensical does not read) and the folder mkdocstrings imports the cookbook package from.
    config = config.replace("[!relative $config_dir]", f"[{REPO}]").replace("paths: [.]", f"paths: [{REPO}]")
    config = config.replace("docs_dir: docs", "docs_dir: docs\nsite_dir: site", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = subprocess.run(
        [zensical, "build", "-f", str(project / "mkdocs.yml")], cwd=project, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"Zensical's build failed:\n{result.stdout}\n{result.stderr}")
    return (result.stdout + result.stderr).strip()


def mkdocs_path(site: Path, page: Path) -> Path:
    relative = page.relative_to(DOCS)
    name = relative.name.removesuffix(".md").removesuffix(".zh")
    folder = (Path("zh") if page.name.endswith(".zh.md") else Path()) / relative.parent
    return site / folder / ("index.html" if name == "index" else f"{name}/index.html")


def zensical_path(site: Path, page: Path) -> Path:
    """Where Zensical puts a page: in the Chinese tree if it has one, else where it writes ``x.zh.md``."""
    tree = mkdocs_path(site, page)
    if tree.is_file():
        return tree
    relative = page.relative_to(DOCS).with_suffix("")
    return site / relative / "index.html" if relative.name != "index" else site / "index.html"


def _resolves(html_path: Path, href: str) -> bool:
    target = (html_path.parent / href.split("#")[0]).resolve()
    return target.is_file() or (target / "index.html").is_file()


def inspect(path: Path | None, search: set[str], site: Path) -> Built:
    if path is None or not path.is_file():
        return Built(None)
    html = path.read_text(encoding="utf-8")
    url = path.parent.relative_to(site).as_posix()
    url = "" if url == "." else url + "/"
    pictures = re.findall(r'<img[^>]+src="([^"]*pictures/[^"]+\.png)"', html)
    downloads = re.findall(r'download="[^"]+" href="([^"]+)"', html) + re.findall(
        r'href="([^"]+)"[^>]* download=', html
    )
    checks = {
        "lang": (re.search(r'<html lang="([^"]+)"', html) or [None, "?"])[1],
        "title": re.sub(r"<[^>]+>", "", (re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL) or [None, ""])[1]).strip(),
        "table rows": len(re.findall(r"<tr>", html)),
        "stamp": (re.search(r'data-stamp="(\w+)"', html) or [None, None])[1],
        "notebook": [href for href in downloads if href.endswith(".ipynb") and _resolves(path, href)],
        "downloads": sorted(
            href.rsplit("/", 1)[-1] for href in downloads if not href.endswith(".ipynb") and _resolves(path, href)
        ),
        "apis used lines": html.count('class="cookbook-apis"'),
        "api index entries": len(re.findall(r"<h3 id=", html)) if "<!-- api-index -->" not in html else "marker left",
        "copy with setup": html.count("data-cookbook-copy="),
        "pictures": f"{sum(_resolves(path, src) for src in pictures)}/{len(pictures)}",
        "h2 anchors": re.findall(r'<h2 id="([^"]+)"', html),
        "search dialog name": bool(re.search(r'role="dialog" aria-label="', html)),
        "in search index": url in {location.split("#")[0] for location in search},
        "sections in search index": sum(location.startswith(url + "#") for location in search),
        "extra css": "stylesheets/extra.css" in html,
    }
    return Built(path, html, checks)


def search_locations(site: Path) -> set[str]:
    """The locations (page address and anchor) in the site's search index: MkDocs' search plugin writes
    ``search/search_index.json``, Zensical ``search.json``."""
    for candidate in (site / "search" / "search_index.json", site / "search.json"):
        if candidate.is_file():
            data = json.loads(candidate.read_text(encoding="utf-8"))
            return {str(doc.get("location", "")) for doc in data.get("docs") or data.get("items") or []}
    return set()


def report(mkdocs_site: Path, zensical_site: Path, zensical_log: str) -> list[str]:
    pages = sorted(DOCS.rglob("*.md"))
    mk_search, zen_search = search_locations(mkdocs_site), search_locations(zensical_site)
    lines = []
    tally: dict[str, int] = {}
    for page in pages:
        relative = page.relative_to(DOCS).as_posix()
        mine = inspect(mkdocs_path(mkdocs_site, page), mk_search, mkdocs_site)
        theirs = inspect(zensical_path(zensical_site, page), zen_search, zensical_site)
        if theirs.path is None:
            lines.append(f"{relative}: not built by Zensical")
            tally["not built"] = tally.get("not built", 0) + 1
            continue
        differences = []
        expected = mkdocs_path(zensical_site, page)
        if theirs.path != expected:
            where = theirs.path.parent.relative_to(zensical_site).as_posix()
            differences.append(f"not in the Chinese tree (zh/...): built at /{where}/")
        for key, value in mine.checks.items():
            other = theirs.checks[key]
            if key == "in search index":
                if value and not other:
                    differences.append("not in the search index")
            elif key == "sections in search index":
                if value and not other:
                    differences.append(f"none of its {value} sections in the search index")
                elif other != value and theirs.path == expected:
                    differences.append(f"sections in search index: {value} -> {other}")
            elif key == "h2 anchors":
                if value != other:
                    lost = [anchor for anchor in value if anchor not in other]
                    differences.append(f"heading anchors differ ({len(lost)} of {len(value)} not found)")
            elif value != other:
                differences.append(f"{key}: {short(value)} -> {short(other)}")
        for difference in differences:
            kind = difference.split(":")[0].split(" (")[0]
            tally[kind] = tally.get(kind, 0) + 1
        lines.append(f"{relative}: " + ("same" if not differences else "; ".join(differences)))
    extra = []
    if not (zensical_site / "zh").is_dir():
        extra.append("Zensical builds no zh/ tree: the Chinese pages are ordinary pages named x.zh (no i18n plugin).")
    if not list(zensical_site.rglob("*.ipynb")):
        extra.append("No notebooks (.ipynb) are generated: the cookbook's MkDocs plugin does not run.")
    if not list(zensical_site.rglob("pictures/*.png")):
        extra.append("No pictures drawn by the tf.image page's code are published.")
    summary = [
        f"MkDocs build: {mkdocs_site}",
        f"Zensical build: {zensical_site}",
        f"Zensical said: {zensical_log.splitlines()[-1] if zensical_log else '(nothing)'}",
        f"Search: MkDocs indexes {len(mk_search)} locations (both languages), Zensical {len(zen_search)}; "
        f"API index entries found by search: MkDocs {sum(loc.startswith(('api/#', 'zh/api/#')) for loc in mk_search)}, "
        f"Zensical {sum(loc.startswith(('api/#', 'api.zh/#')) for loc in zen_search)}",
        *extra,
        "Differences, by kind (pages): "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(tally.items(), key=lambda item: -item[1])),
        "",
        "Page by page (MkDocs -> Zensical):",
    ]
    return summary + lines


def short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zensical", required=True, help="the zensical command of its own virtual environment")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cookbook-zensical-") as folder:
        folder = Path(folder)
        log = build_zensical(options.zensical, folder / "project")
        build_mkdocs(folder / "mkdocs-site")
        for line in report(folder / "mkdocs-site", folder / "project" / "site", log):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
