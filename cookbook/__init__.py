"""Helpers for the TF2 Cookbook's recipes and for verifying them.

Recipes use :func:`data_path`, :func:`load_heart_csv`, :func:`load_sample_image` and
:func:`seed_everything`; the test harness uses the rest.
"""

from .data import available_data_files, data_dir, data_path, load_heart_csv, load_sample_image
from .fences import Fence, find_fences, parse_info
from .harness import run_snippet
from .outputs import DEFAULT_ATOL, DEFAULT_RTOL, Mismatch, compare_output, numbers_agree, tokenize
from .pages import page_sybil
from .rewrite import rewrite_page
from .scratch import scratch_directory
from .seeding import seed_everything
from .snippets import PageError, Snippet, snippets_of

__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "Fence",
    "Mismatch",
    "PageError",
    "Snippet",
    "available_data_files",
    "compare_output",
    "data_dir",
    "data_path",
    "find_fences",
    "load_heart_csv",
    "load_sample_image",
    "numbers_agree",
    "page_sybil",
    "parse_info",
    "rewrite_page",
    "run_snippet",
    "scratch_directory",
    "seed_everything",
    "snippets_of",
    "tokenize",
]
