"""What a session found, block by block: each block's :class:`~cookbook.outcomes.Outcome`, which the site's
stamp counts (:meth:`PageOutcomes.counts`), and, with ``--cookbook-report=FILE``, why (the shown and the printed
line where they part, the exception's type and message), which ``make matrix`` reads (:func:`report`).
Each page's outcomes live on its document; the report gathers the session's documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .compare import compare_output
from .messages import changed_messages
from .outcomes import Outcome
from .page import Block, Page
from .results import text_hash

if TYPE_CHECKING:
    from .collection import PageDocument

_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")


class PageOutcomes:
    """How each block (and page error) of one page fared in the session, by line; kept on the page's
    :class:`~cookbook.collection.PageDocument`."""

    def __init__(self, detailed: bool = False) -> None:
        #: Whether to keep what the report says about each block (``--cookbook-report``).
        self.detailed = detailed
        self.by_line: dict[int, Outcome] = {}
        self.details: dict[int, dict] = {}

    def mark(self, line: int, outcome: Outcome) -> None:
        """Record an outcome with nothing to report about it yet (a block about to run)."""
        self.by_line[line] = outcome

    def note(
        self, line: int, outcome: Outcome, kind: str | None = None, message: str | None = None, **more: str
    ) -> None:
        """Record how the block (or page error) at ``line`` fared, with what the report says about it."""
        self.by_line[line] = outcome
        if not self.detailed:
            return
        detail = {"outcome": outcome.value}
        if kind is not None:
            detail["type"] = kind
        if message is not None:
            detail["message"] = _shortened(message)
        detail.update({key: _shortened(value, 200) for key, value in more.items()})
        self.details[line] = detail

    def note_error(self, line: int, result, prefix: str = "") -> None:
        if result.exception_type is not None:
            # The first line, and the last, where an exception that wraps others (Keras's) names the cause.
            lines = [text[:200] for text in (result.exception or "").splitlines() if text.strip()]
            message = "\n".join(lines[:1] + (["…", lines[-1]] if len(lines) > 1 else []))
            self.note(line, Outcome.ERROR, result.exception_type, prefix + message)
        else:  # stopped: it hung past its timeout, or its Python ended
            message = (result.error or "").split("\n", 1)[0]
            self.note(line, Outcome.ERROR, "Stopped", prefix + message.split(": ", 1)[-1])

    def note_output(self, block: Block, printed: str, failure: str | None) -> None:
        if failure is None:
            return  # passed: recorded once the page's context has ended cleanly too
        if not self.detailed:
            self.mark(block.line, Outcome.DIFFERS)
            return
        if block.output is None:
            got = next((line for line in printed.splitlines() if line.strip()), "")
            message = "the code printed output but the page shows none"
            self.note(block.line, Outcome.DIFFERS, None, message, expected="", got=got)
            return
        mismatch = compare_output(block.output.body, printed, block.rtol, block.atol)
        shown, lines = block.output.body.splitlines(), printed.splitlines()
        expected = shown[mismatch.expected_line - 1] if mismatch.expected_line else "<end of shown output>"
        got = lines[mismatch.actual_line - 1] if mismatch.actual_line else "<end of printed output>"
        self.note(block.line, Outcome.DIFFERS, None, mismatch.describe(), expected=expected.strip(), got=got.strip())
        changed = changed_messages(block.output.body, printed, block.rtol, block.atol)
        if changed:  # another wording of a message the page shows: the site shows it under the block
            self.details[block.line]["printed"] = changed

    def counts(self, page: Page) -> dict[str, int] | None:
        """The stamp's counts of ``page`` (blocks, passed, failed, skipped), or ``None`` after a partial run,
        which proves nothing either way (a block that never ran counts as failed once another failed)."""
        lines = [block.line for block in page.blocks] + [error.line for error in page.errors]
        found = [self.by_line.get(line) for line in lines]
        if None in found and not any(outcome is not None and outcome.failed for outcome in found):
            return None
        return {
            "blocks": len(page.blocks),
            "passed": found.count(Outcome.PASSED),
            "failed": sum(outcome is None or outcome.failed for outcome in found),
            "skipped": found.count(Outcome.SKIPPED),
        }


def report(documents: Iterable[PageDocument], docs_root: Path | None, versions: dict) -> dict:
    """What ``--cookbook-report=FILE`` writes: the versions that ran, and for each English page that ran,
    its text's hash and, for each block (and page error) by line, its recipe and outcome: ``passed``,
    ``differs`` (with the shown and the printed line where they part, and in ``printed`` the exception and
    warning lines it printed that no such line of the shown output matches, if it shows one), ``error`` (with the exception's
    type and message) or ``skipped``."""
    # A page collected twice (by two conftest files) has two documents: what they found makes one entry.
    found: dict[Path, tuple[Page, dict[int, dict]]] = {}
    for document in documents:
        if document.outcomes.details and document.page.language == "en":
            found.setdefault(document.page.path, (document.page, {}))[1].update(document.outcomes.details)
    pages = []
    for page, details in (found[path] for path in sorted(found)):
        recipes = {block.line: block.recipe for block in page.blocks}
        pages.append(
            {
                "page": page.path.relative_to(docs_root).as_posix() if docs_root else page.path.name,
                "sha256": text_hash(page.text),
                "blocks": [
                    {"line": line, "recipe": recipes.get(line), **detail} for line, detail in sorted(details.items())
                ],
            }
        )
    return {"format": 1, "versions": dict(versions), "pages": pages}


def write_report(path: str | Path, documents: Iterable[PageDocument], docs_root: Path | None, versions: dict) -> None:
    """Write :func:`report` to ``path`` as JSON (``--cookbook-report=FILE``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report(documents, docs_root, versions), indent=1, ensure_ascii=False), encoding="utf-8")


def _shortened(text: str, limit: int = 400) -> str:
    """At most ``limit`` characters of ``text``, from its first lines, without terminal codes (a progress bar's
    colours and backspaces)."""
    text = "\n".join(_TERMINAL_CODES.sub("", line).rstrip() for line in text.strip().splitlines()[:6]).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
