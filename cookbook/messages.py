"""Which output lines show an exception or a warning: the one rule that the error index
(:mod:`cookbook.site.error_index`) lists and that ``--cookbook-report`` records, for ``make matrix``, when a
block printed another message on some TensorFlow version (:func:`changed_messages`). Standard library only (the
matrix's environments have no site packages).

A line counts if an exception type stands on it as a word (``ValueError``, ``InvalidArgumentError``,
``UserWarning``: a CamelCase name ending in ``Error``, ``Exception`` or ``Warning``, optionally after a dotted
module path) followed by ``: message`` (as a traceback prints it) or by a space and the message (as
``print(type(error).__name__, error)`` prints it); whatever comes before the type is the page's own label. A line
that starts with a logging warning (``WARNING:tensorflow:message``, ``WARNING:absl:message``) counts too, its type
the logger's prefix. A type followed by nothing, or by the page's own words (the rest begins with one of
:data:`DESCRIPTION_WORDS`), is the type alone.
"""

from __future__ import annotations

import re

from .compare import DEFAULT_ATOL, DEFAULT_RTOL, compare_output

_TYPE = r"(?:[A-Za-z_]\w*\.)*(?P<type>[A-Z][A-Za-z0-9]*(?:Error|Exception|Warning))"
_EXCEPTION = re.compile(rf"(?<![\w.]){_TYPE}(?:(?P<colon>:)(?:\s+(?P<message>.*))?|\s+(?P<words>.*))?$")
_LOGGED = re.compile(r"^(?P<type>WARNING:[\w.]+):\s*(?P<message>.*)$")
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")
#: What a printed line carries that differs from one machine or run to the next, which the pages show as ``...``:
#: the folder packages are installed in (``.../tensorflow/lite/python/interpreter.py``) and objects' addresses.
_INSTALL_FOLDER = re.compile(r"(?<![\w.])/\S*?/(?:site|dist)-packages/")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{4,}\b")
#: Words that begin a page's own description after a bare type, rather than the exception's message.
DESCRIPTION_WORDS = frozenset("when for from on with in at if after before raised as while because".split())
#: At most this many changed lines of one block are recorded, each at most :data:`LINE_LIMIT` characters.
MOST_LINES = 5
LINE_LIMIT = 400


def parse_line(line: str) -> tuple[str, str] | None:
    """``(type, message)`` of an output line that shows an exception or warning (the module's rule), else ``None``."""
    line = line.rstrip()
    logged = _LOGGED.match(line.strip())
    if logged:
        return logged["type"], logged["message"].strip()
    match = _EXCEPTION.search(line)
    if match is None:
        return None
    if match["colon"]:
        return match["type"], (match["message"] or "").strip()
    words = (match["words"] or "").strip()
    if not words or words.split()[0] in DESCRIPTION_WORDS:  # lowercase: a message begins with its own case
        return match["type"], ""
    return match["type"], words


def as_pages_show(line: str) -> str:
    """``line`` with its install folder and addresses written ``...``, as the pages write them."""
    return _ADDRESS.sub("...", _INSTALL_FOLDER.sub(".../", line))


def changed_messages(shown: str, printed: str, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> list[str]:
    """The exception and warning lines that a block ``printed`` which no such line of the ``shown`` output
    matches (by :func:`cookbook.compare.compare_output`'s rules: ``...``, numbers within the tolerance), each
    stripped as the report strips the lines where outputs part, without terminal codes, once, in order.
    Empty when the shown output has no such line: then what changed is not a message the page shows."""
    expected = [line.strip() for line in shown.splitlines() if parse_line(line) is not None]
    if not expected:
        return []
    found: list[str] = []
    for line in printed.splitlines():
        line = _TERMINAL_CODES.sub("", line).strip()
        if parse_line(line) is None or line in found:
            continue
        if any(compare_output(shown_line, line, rtol, atol) is None for shown_line in expected):
            continue
        line = as_pages_show(line)
        found.append(line if len(line) <= LINE_LIMIT else line[: LINE_LIMIT - 1] + "…")
    return found[:MOST_LINES]


__all__ = ["DESCRIPTION_WORDS", "as_pages_show", "changed_messages", "parse_line"]
