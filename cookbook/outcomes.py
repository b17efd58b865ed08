"""What a block's run can come to, in one vocabulary for the stamps (:mod:`cookbook.results`), the report of
``--cookbook-report`` and the version matrix (:mod:`cookbook.matrix`). Standard library only."""

from __future__ import annotations

import enum


class Outcome(str, enum.Enum):
    PASSED = "passed"  #: it printed what the page shows
    DIFFERS = "differs"  #: it printed something else
    ERROR = "error"  #: it raised an exception, hung, or ended its Python (or its page is wrong)
    SKIPPED = "skipped"  #: its page says it is not run

    @property
    def failed(self) -> bool:
        return self in (Outcome.DIFFERS, Outcome.ERROR)


__all__ = ["Outcome"]
