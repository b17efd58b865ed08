"""MkDocs hook: keeps the build's output to MkDocs' own messages.

jieba, which segments the Chinese pages for search, logs its dictionary loading at INFO level to stderr.
"""

from __future__ import annotations

import logging


def on_startup(command, dirty) -> None:
    logging.getLogger("jieba").setLevel(logging.WARNING)
