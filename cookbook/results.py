"""Verification results: what the last test run of each page found, for the site's "verified with" stamp.

The test run writes one small JSON file per page, outside the repository, when the page's last block has
run; the site build reads it. A page whose text changed since, whose run failed or was partial, or that
never ran has no valid result, and the site says so instead of claiming it is verified.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path

#: Environment variable that moves the results folder (the default is under the user's cache folder).
RESULTS_DIR_VARIABLE = "COOKBOOK_RESULTS_DIR"


@dataclass(frozen=True)
class PageResult:
    """The outcome of one page's last test run."""

    page: str  #: the page's path below ``docs/``
    page_sha256: str  #: hash of the page's text when it ran
    blocks: int  #: Python blocks on the page
    passed: int  #: blocks that ran and printed what the page shows
    failed: int
    skipped: int
    tensorflow: str
    keras: str
    python: str
    verified_on: str  #: the date of the run, ISO 8601

    @property
    def verified(self) -> bool:
        return self.failed == 0 and self.passed + self.skipped == self.blocks and self.passed > 0


def cache_home() -> Path:
    """The cookbook's cache folder, outside the repository: ``$XDG_CACHE_HOME/tf2-cookbook``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tf2-cookbook"


def results_dir() -> Path:
    configured = os.environ.get(RESULTS_DIR_VARIABLE)
    return Path(configured) if configured else cache_home() / "results"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _result_file(docs: Path, page: str) -> Path:
    """Where the result of ``page`` (a path below the folder of pages ``docs``) is kept: one folder per
    folder of pages, so that two clones on one machine never overwrite each other's results."""
    if not isinstance(page, str) or not page.endswith(".md") or ".." in Path(page).parts or Path(page).is_absolute():
        raise ValueError(f"page must be a relative path below docs/ ending in .md, got {page!r}")
    docs = Path(docs).resolve()
    checkout = f"{docs.parent.name}-{hashlib.sha256(str(docs).encode()).hexdigest()[:10]}"
    return results_dir() / checkout / (page.replace("/", "__") + ".json")


def write_result(
    docs: Path, page: str, text: str, blocks: int, passed: int, failed: int, skipped: int, versions: dict[str, str]
) -> PageResult:
    """Record a page's run. ``docs`` is the folder of pages; ``page`` the page's path below it; ``text`` the
    page text that ran; ``versions`` the ``tensorflow``, ``keras`` and ``python`` versions it ran with."""
    result = PageResult(
        page=page,
        page_sha256=text_hash(text),
        blocks=blocks,
        passed=passed,
        failed=failed,
        skipped=skipped,
        tensorflow=versions.get("tensorflow", "none"),
        keras=versions.get("keras", "none"),
        python=versions.get("python", platform.python_version()),
        verified_on=datetime.date.today().isoformat(),
    )
    path = _result_file(docs, page)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(result), indent=1), encoding="utf-8")
    temporary.replace(path)  # atomic: a build never reads half a file
    return result


def read_result(docs: Path, page: str, text: str) -> PageResult | None:
    """The recorded result of ``page`` (below ``docs``) if it was recorded for exactly this ``text``, else ``None``."""
    path = _result_file(docs, page)
    try:
        result = PageResult(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return result if result.page_sha256 == text_hash(text) else None
