"""Comparing what a snippet printed with the output shown on the page.

The rules, in the order they apply:

* White space is normalised: any run of spaces, tabs and newlines equals any other.
* ``...`` in the expected output stands for any text, including none (object addresses, paths).
* Numbers are compared as numbers. Two integers must be equal. Otherwise the actual value ``a`` and the
  shown value ``e`` agree when ``|a - e| <= max(rtol * |e|, atol)``, with ``rtol = 1e-6`` and
  ``atol = 1e-6`` unless the output block says otherwise (``rtol="..."``, ``atol="..."``).
* Everything else must be equal, character for character.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: A line TensorFlow's C++ runtime writes straight to the process's standard error (absl's log format; the
#: format of TensorFlow 2.16 to 2.20, "2026-11-26 12:29:20.152362: W tensorflow/core/...:404] ..."; or its
#: start-up notes), or an INFO line of LiteRT's C++ logger ("INFO: Created TensorFlow Lite XNNPACK delegate
#: for CPU.", written when a process's first interpreter sets up its CPU backend): it depends on the CPU and
#: on what the process ran before, it is never part of an output block, and readers see it in a terminal or
#: a notebook whatever a page does (in Jupyter it reaches the cell apart from what Python printed around it).
NATIVE_LOG_LINE = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.-]+:\d+\] .*"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] [\w./-]+:\d+\] .*"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|To enable the following instructions: .*"
    r"|INFO: (?:Created|Initialized) TensorFlow Lite .*)$"
)


#: The source location trace that the nightly (2.23.0.dev) adds below a warning or error: a heading, then
#: one C++ file and line a line.
_SOURCE_TRACE = re.compile(r"^(?:=== Source Location Trace: ===|[\w./+-]+\.(?:cc|h|cpp):\d+)$")


def without_native_log(text: str) -> str:
    """``text`` without the lines in :data:`NATIVE_LOG_LINE`'s format, and the lines that continue such a
    record (blank or indented lines right after it, a source location trace, and the ``}`` that closes a
    protocol buffer printed in it: a C++ message that spans several lines)."""
    kept, in_record = [], False
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\n")
        if NATIVE_LOG_LINE.match(content):
            in_record = True
        elif in_record and content == "}":
            in_record = False
        elif in_record and (not content.strip() or content[:1] in " \t" or _SOURCE_TRACE.match(content)):
            continue
        else:
            in_record = False
            kept.append(line)
    return "".join(kept)


DEFAULT_RTOL = 1e-6
"""Relative tolerance for numbers in output blocks, unless a block states ``rtol="..."``."""
DEFAULT_ATOL = 1e-6
"""Absolute tolerance for numbers in output blocks, unless a block states ``atol="..."``."""

_NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"(?P<ellipsis>\.\.\.)|(?P<number>{_NUMBER})|(?P<word>[A-Za-z_]+)|(?P<other>\S)")


@dataclass(frozen=True)
class Token:
    text: str
    kind: str  # "ellipsis", "number", "word" or "other"
    line: int  # 1-based line within the output

    @property
    def is_integer(self) -> bool:
        return self.kind == "number" and not any(c in self.text for c in ".eE")


@dataclass(frozen=True)
class Mismatch:
    """Where the printed output first departs from the shown output."""

    #: 1-based line of the shown output at which they part (0 if the shown output ran out).
    expected_line: int
    expected: str
    actual: str
    #: 1-based line of the printed output at which they part (0 if the printed output ran out).
    actual_line: int = 0

    def describe(self) -> str:
        where = f"line {self.expected_line} of the shown output" if self.expected_line else "the end"
        return f"at {where}: expected {self.expected!r}, got {self.actual!r}"


def tokenize(text: str) -> list[Token]:
    """Split output text into numbers, words, ``...`` and single punctuation characters."""
    tokens = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for match in _TOKEN.finditer(line):
            tokens.append(Token(match.group(), match.lastgroup or "other", line_number))
    return tokens


def numbers_agree(expected: str, actual: str, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> bool:
    """True if two printed numbers agree under the page's tolerance."""
    expected_token, actual_token = Token(expected, "number", 0), Token(actual, "number", 0)
    if expected_token.is_integer and actual_token.is_integer:
        return int(expected) == int(actual)
    e, a = float(expected), float(actual)
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    # The slack absorbs binary rounding: 4.34055 - 4.34054 is 1.0000000000065512e-05, not 1e-05.
    return abs(a - e) <= max(rtol * abs(e), atol) * (1 + 1e-9)


def _tokens_agree(expected: Token, actual: Token, rtol: float, atol: float) -> bool:
    if expected.kind == "number" and actual.kind == "number":
        return numbers_agree(expected.text, actual.text, rtol, atol)
    return expected.text == actual.text


def compare_output(
    expected: str, actual: str, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> Mismatch | None:
    """Compare shown output with printed output; return ``None`` if they agree, else the first mismatch."""
    for name, text in (("expected", expected), ("actual", actual)):
        if not isinstance(text, str):
            raise TypeError(f"compare_output() compares text: {name} is a {type(text).__name__}, not a str")
    if rtol < 0 or atol < 0:
        raise ValueError(f"tolerances must be non-negative, got rtol={rtol}, atol={atol}")
    want, got = tokenize(expected), tokenize(actual)

    # Glob matching with backtracking to the last ``...``; iterative, so long outputs cannot overflow
    # the stack. ``furthest`` remembers the deepest point reached, for the error message.
    i = j = 0
    star_i, star_j = -1, 0
    furthest = (0, 0)
    while j < len(got):
        if i < len(want) and want[i].kind == "ellipsis":
            star_i, star_j = i, j
            i += 1
        elif i < len(want) and _tokens_agree(want[i], got[j], rtol, atol):
            i, j = i + 1, j + 1
        elif star_i >= 0:
            star_j += 1
            i, j = star_i + 1, star_j
        else:
            break
        if i > furthest[0]:
            furthest = (i, j)
    else:
        while i < len(want) and want[i].kind == "ellipsis":
            i += 1
        if i == len(want):
            return None
        furthest = max(furthest, (i, j))
    if i > furthest[0]:
        furthest = (i, j)
    i, j = furthest
    expected_text = want[i].text if i < len(want) else "<end of shown output>"
    actual_text = got[j].text if j < len(got) else "<end of printed output>"
    return Mismatch(
        want[i].line if i < len(want) else 0, expected_text, actual_text, got[j].line if j < len(got) else 0
    )
