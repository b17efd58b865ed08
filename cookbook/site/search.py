"""The site's search runs in the cookbook's search worker, ``docs/javascripts/search-worker.js``, which loads
Material's worker unchanged and changes what it is asked: each language's search holds that language's pages
only (the i18n plugin writes one index for all of them), and a pasted message is searched as plain words
(Material's query syntax and trailing wildcards let the long pages win), its results ranked by how much of
the message's word order a section shows.

Material reads the worker's address from each page's configuration (``"search"`` in ``<script id="__config">``);
that address is replaced by the cookbook's worker, which is told Material's worker and the page's language.
"""

from __future__ import annotations

import json
import posixpath
import re
from urllib.parse import urlencode

from ..page import LANGUAGES

#: The cookbook's search worker, from the site's root (``docs/javascripts/search-worker.js``).
WORKER = "javascripts/search-worker.js"

_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
_SEARCH = re.compile(r'"search": "[^"]*"')


def _home(language: str) -> str:
    """A language's folder in the site, as its search documents' locations begin: ``""`` for the default."""
    return f"{language}/" if language in LANGUAGES else ""


def worker_address(config: dict, language: str | None, url: str) -> str:
    """The cookbook's worker for a page at ``url`` whose configuration is ``config`` (addresses relative to
    the page, or absolute as on the 404 page): Material's worker relative to it, the page's language folder
    (none for the 404 page, served at any language's addresses: it searches every language's pages) and every
    language's."""
    folder = posixpath.dirname("/" + url)
    root = posixpath.normpath(posixpath.join(folder, config["base"]))
    material = posixpath.normpath(posixpath.join(folder, config["search"]))
    worker = posixpath.join(root, WORKER)
    parameters = {"worker": posixpath.relpath(material, posixpath.dirname(worker))}
    if language is not None:
        parameters["home"] = _home(language)
    parameters["homes"] = ",".join([""] + [_home(other) for other in LANGUAGES])
    return posixpath.join(config["base"], WORKER) + "?" + urlencode(parameters)


def with_search_worker(output: str, language: str | None, url: str) -> str:
    """A built page whose search runs in the cookbook's worker (pages without a search are left as they are);
    ``language`` is None for a page of every language."""

    def replace(match: re.Match) -> str:
        config = json.loads(match[2])
        if not config.get("search"):
            return match[0]
        search = _SEARCH.sub(lambda _: f'"search": {json.dumps(worker_address(config, language, url))}', match[2], 1)
        return match[1] + search + match[3]

    return _CONFIG.sub(replace, output, count=1)
