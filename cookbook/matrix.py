"""The version matrix: on which TensorFlow versions each page's code prints what the page shows.

``make matrix`` (``matrix/run.py``) runs every page with each TensorFlow version in :data:`VERSIONS`, each in
an environment of its own, and merges what it found into ``matrix/results.json``; the site's plugin
(:mod:`cookbook.site.version_matrix`) shows it as a "Runs on" row on each recipe page and as the grid of the page
``about/versions.md``. This module is the results file's model, shared by both: reading it (a missing or
empty file is an empty matrix), merging one version's run into it, and what it says about one page's text.
It needs only the standard library. ``matrix/results.schema.json`` is the file's JSON Schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .outcomes import Outcome
from .results import text_hash

#: The results file, committed with the repository.
RESULTS_FILE = Path(__file__).resolve().parent.parent / "matrix" / "results.json"
FORMAT = 1
#: The versions ``make matrix`` runs, in the order the site shows them.
VERSIONS = ("2.16", "2.17", "2.18", "2.19", "2.20", "2.21", "2.22", "nightly")
#: What a block's run can come to (:class:`cookbook.outcomes.Outcome`), as the results file writes them.
OUTCOMES = tuple(outcome.value for outcome in Outcome)


def empty_results() -> dict:
    return {"format": FORMAT, "versions": {}}


def version_order(version: str) -> tuple:
    """Sort key: the versions of :data:`VERSIONS` in that order, any other after them by name."""
    return (VERSIONS.index(version), "") if version in VERSIONS else (len(VERSIONS), version)


def load_results(path: str | Path = RESULTS_FILE) -> dict:
    """The results file's data; an empty matrix if the file is missing or empty.

    Raises:
        ValueError: if the file is not JSON, or not a results file of this format.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_results()
    if not text.strip():
        return empty_results()
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("versions"), dict):
        raise ValueError(f"{path} is not a version-matrix results file of format {FORMAT} (see matrix/run.py)")
    return data


def totals(pages: dict) -> dict[str, int]:
    """How many blocks came to each outcome, over a version's pages."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for page in pages.values():
        for block in page["blocks"]:
            counts[block["outcome"]] += 1
    return counts


def merge(results: dict, version: str, entry: dict) -> dict:
    """``results`` with ``version``'s entry replaced by ``entry`` (a whole run of that version); the other
    versions keep theirs. The file's ``date`` and ``machine`` are those of the newest run."""
    versions = {**results.get("versions", {}), version: entry}
    merged = {
        "format": FORMAT,
        "date": max(str(item.get("date", "")) for item in versions.values()),
        "machine": entry["machine"],
        "versions": {name: versions[name] for name in sorted(versions, key=version_order)},
    }
    return merged


def anchor(version: str, page: str) -> str:
    """The id, on the matrix page, of what ``page`` (``area/name.md``) does on ``version``."""
    return f"tf-{version.replace('.', '-')}--{page.removesuffix('.md').replace('/', '--')}"


def block_anchor(version: str, page: str, line: int) -> str:
    """The id, on the matrix page, of what the block at ``line`` of ``page`` did on ``version``."""
    return f"{anchor(version, page)}--{line}"


def version_anchor(version: str) -> str:
    """The id of ``version``'s section on the matrix page."""
    return f"tf-{version.replace('.', '-')}"


@dataclass(frozen=True)
class Mark:
    """What the matrix says about one page on one version."""

    version: str
    #: ``passed`` (every block that ran printed what the page shows), ``failed``, ``outdated`` (the page's
    #: text changed since that version ran it) or ``missing`` (that version's run did not include the page).
    state: str
    passed: int = 0
    #: Blocks that ran (skipped ones are not counted).
    ran: int = 0


def page_marks(results: dict, page: str, text: str) -> list[Mark]:
    """For each version in ``results``, what it says about ``page`` (its path below ``docs/``) with this
    ``text``: a version that ran another text of the page is ``outdated`` for it."""
    marks = []
    digest = text_hash(text)
    for version in sorted(results.get("versions", {}), key=version_order):
        found = results["versions"][version].get("pages", {}).get(page)
        if found is None:
            marks.append(Mark(version, "missing"))
            continue
        if found["sha256"] != digest:
            marks.append(Mark(version, "outdated"))
            continue
        outcomes = [block["outcome"] for block in found["blocks"] if block["outcome"] != Outcome.SKIPPED]
        passed = outcomes.count(Outcome.PASSED)
        marks.append(Mark(version, "passed" if passed == len(outcomes) else "failed", passed, len(outcomes)))
    return marks


def recipe_failures(
    results: dict, page: str, text: str, recipes: dict[str, tuple[int, ...]], setup: tuple[int, ...] = ()
) -> dict[str, dict[str, int | None]]:
    """For each version that ran exactly this ``text`` of ``page``, what each recipe came to: ``None`` if it
    printed what the page shows (every block of it and of the setup that ran passed), else the line of its
    first block that did not (or of the setup's). ``recipes`` names each recipe's blocks by their lines; a
    recipe none of whose blocks ran (all skipped) is left out."""
    found: dict[str, dict[str, int | None]] = {}
    digest = text_hash(text)
    for version in sorted(results.get("versions", {}), key=version_order):
        ran = results["versions"][version].get("pages", {}).get(page)
        if ran is None or ran["sha256"] != digest:
            continue
        outcomes = {block["line"]: block["outcome"] for block in ran["blocks"] if block["outcome"] != Outcome.SKIPPED}
        setup_failure = next((line for line in setup if outcomes.get(line, Outcome.PASSED) != Outcome.PASSED), None)
        found[version] = {}
        for recipe, lines in recipes.items():
            if not any(line in outcomes for line in lines):
                continue
            own = next((line for line in lines if outcomes.get(line, Outcome.PASSED) != Outcome.PASSED), None)
            found[version][recipe] = setup_failure if setup_failure is not None else own
    return found


def older_messages(results: dict, page: str, text: str) -> dict[int, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """The other wordings of the messages ``page`` shows with this ``text``: for each block (by line) that printed
    exception or warning lines the page does not show (``printed``) on a version that ran exactly this text, each
    distinct set of lines with the versions that printed it, in version order."""
    found: dict[int, dict[tuple[str, ...], list[str]]] = {}
    digest = text_hash(text)
    for version in sorted(results.get("versions", {}), key=version_order):
        ran = results["versions"][version].get("pages", {}).get(page)
        if ran is None or ran["sha256"] != digest:
            continue
        for block in ran["blocks"]:
            if block["outcome"] == Outcome.DIFFERS and block.get("printed"):
                found.setdefault(block["line"], {}).setdefault(tuple(block["printed"]), []).append(version)
    return {
        line: [(tuple(versions), lines) for lines, versions in wordings.items()]
        for line, wordings in sorted(found.items())
    }


def version_spans(versions: list[str], known: list[str]) -> list[str]:
    """``versions`` as spans of consecutive versions of ``known`` (in that order): ``["2.16–2.18", "nightly"]``;
    the nightly is never part of a span."""
    spans: list[list[str]] = []
    for version in sorted(versions, key=version_order):
        position = known.index(version) if version in known and version != "nightly" else -2
        if spans and spans[-1][-1] in known and known.index(spans[-1][-1]) == position - 1:
            spans[-1].append(version)
        else:
            spans.append([version])
    return [span[0] if len(span) == 1 else f"{span[0]}–{span[-1]}" for span in spans]


__all__ = [
    "FORMAT",
    "OUTCOMES",
    "RESULTS_FILE",
    "VERSIONS",
    "Mark",
    "anchor",
    "block_anchor",
    "empty_results",
    "load_results",
    "merge",
    "older_messages",
    "page_marks",
    "recipe_failures",
    "totals",
    "version_anchor",
    "version_order",
    "version_spans",
]
