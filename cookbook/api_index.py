"""The API index: which recipes use ``tf.nn.top_k`` (or any other name of TensorFlow, Keras, tf_keras, NumPy
or pandas), read from the pages' verified code.

Each page's Python blocks are parsed with :mod:`ast` (never run, never imported). A name is recorded when
the code reaches it through a module it imported:

* ``import tensorflow as tf`` then ``tf.nn.top_k(...)`` records ``tf.nn.top_k``; ``import numpy`` then
  ``numpy.allclose`` records ``np.allclose`` (names are shown with the usual aliases: :data:`MODULES`);
* ``from keras.utils import FeatureSpace`` then ``FeatureSpace.float_normalized()`` records
  ``keras.utils.FeatureSpace.float_normalized``;
* the whole attribute chain is the name (``tf.random.Generator.from_seed``); a chain stops at a call, a
  subscript or anything but a module alias, so ``tf.constant(1).numpy()`` records ``tf.constant`` only, and
  ``tape.gradient(...)`` records nothing (its receiver is an object, not a module).

A recipe (each content tab on its own) sees the aliases its page's setup block imports and those its own
blocks import; blocks marked ``Not run:`` are left out (the index only shows code the tests run).

Links to the official reference follow one rule per library (:func:`reference_url`), stated on the index
page itself.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .page import Page

#: The libraries the index covers: the module's import name, and the alias its names are shown with.
MODULES = {"tensorflow": "tf", "keras": "keras", "tf_keras": "tf_keras", "numpy": "np", "pandas": "pd"}
#: The order of the libraries on the index page.
LIBRARY_ORDER = ("tf", "keras", "tf_keras", "np", "pd")


def canonical_module(dotted: str) -> str | None:
    """``"tensorflow.nn"`` -> ``"tf.nn"``; ``None`` for a module the index does not cover (``os``)."""
    root, _, rest = dotted.partition(".")
    alias = MODULES.get(root)
    if alias is None:
        return None
    return f"{alias}.{rest}" if rest else alias


def _import_aliases(tree: ast.AST, aliases: dict[str, str]) -> None:
    """Add (or, for a name rebound to another module, remove) the module aliases that ``tree`` imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                bound = name.asname or name.name.split(".")[0]
                target = canonical_module(name.name if name.asname else name.name.split(".")[0])
                if target is None:
                    aliases.pop(bound, None)
                else:
                    aliases[bound] = target
        elif isinstance(node, ast.ImportFrom):
            base = canonical_module(node.module) if node.module and not node.level else None
            for name in node.names:
                if name.name == "*":
                    continue
                bound = name.asname or name.name
                if base is None:
                    aliases.pop(bound, None)
                else:
                    aliases[bound] = f"{base}.{name.name}"


def _chain(node: ast.AST) -> list[str] | None:
    """``tf.nn.top_k`` -> ``["tf", "nn", "top_k"]``; ``None`` unless the chain starts at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def names_used(code: str, aliases: dict[str, str]) -> dict[str, bool]:
    """The names of the covered libraries that ``code`` uses, each with whether it is called (or used as a
    decorator), in order of first use. ``aliases`` maps the names bound to modules (``{"tf": "tf"}``); the
    code's own imports are added to it.

    Raises:
        SyntaxError: if ``code`` is not valid Python.
    """
    tree = ast.parse(code)
    _import_aliases(tree, aliases)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    # Code that expects an AttributeError shows that a name is gone (``try: tf.estimator`` ...): not a use.
    expected_missing = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Try)
        and any("AttributeError" in ast.unparse(handler.type or ast.Constant(None)) for handler in node.handlers)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found: dict[str, bool] = {}
    nodes = sorted(
        (node for node in ast.walk(tree) if isinstance(node, (ast.Attribute, ast.Name))),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for node in nodes:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            continue  # part of a longer chain: the chain's outermost attribute is the name
        chain = _chain(node)
        if chain is None or chain[0] not in aliases or isinstance(node.ctx, ast.Store | ast.Del):
            continue
        if id(node) in expected_missing or any(part.startswith("__") for part in chain):
            continue  # a name shown to be gone, or a module's metadata such as __version__
        target = aliases[chain[0]]
        if len(chain) == 1 and "." not in target:
            continue  # the module itself (``tf`` passed as a value)
        name = ".".join([target, *chain[1:]])
        called = (isinstance(parent, ast.Call) and parent.func is node) or (
            isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node in parent.decorator_list
        )
        found[name] = found.get(name, False) or called
    return found


@dataclass(frozen=True)
class Use:
    """Where a name is used: a recipe of a page (``recipe`` is ``None`` for the page's setup block)."""

    page: Page
    recipe: str | None


@dataclass
class ApiIndex:
    """Every covered name the pages' code uses, with the recipes that use it."""

    uses: dict[str, list[Use]] = field(default_factory=dict)
    #: Names that some block calls (or uses as a decorator): functions, classes and methods.
    called: set[str] = field(default_factory=set)
    #: The names of each recipe (all its tabs), in order of first use, by page path and recipe.
    by_recipe: dict[tuple[Path, str | None], dict[str, None]] = field(default_factory=dict)

    def add_page(self, page: Page) -> None:
        """Index the names of each recipe of ``page`` (each content tab on its own: a tab sees the setup
        block's imports and its own, never another tab's)."""
        setup_aliases: dict[str, str] = {}
        setup = [block for block in page.setup if block.skip_reason is None]
        for block in setup:
            _import_aliases(ast.parse(block.code.body), setup_aliases)
        parts = [(None, setup)] + [(recipe.heading.text, recipe.blocks) for recipe in page.recipes]
        for recipe, blocks in parts:
            aliases = dict(setup_aliases)
            for block in blocks:
                if block.skip_reason is None:
                    for name, called in names_used(block.code.body, aliases).items():
                        self._add(name, called, Use(page, recipe))

    def _add(self, name: str, called: bool, use: Use) -> None:
        uses = self.uses.setdefault(name, [])
        if use not in uses:
            uses.append(use)
        if called:
            self.called.add(name)
        self.by_recipe.setdefault((use.page.path, use.recipe), {})[name] = None

    def recipe_names(self, page: Page, recipe: str | None) -> list[str]:
        """The covered names one recipe of ``page`` uses, in order of first use."""
        return list(self.by_recipe.get((page.path, recipe), {}))

    def grouped(self) -> list[tuple[str, list[str]]]:
        """The names by module (:func:`module_of`), modules in library order then alphabetically."""
        groups: dict[str, list[str]] = {}
        for name in self.uses:
            groups.setdefault(module_of(name), []).append(name)

        def module_key(module: str):
            library = module.split(".")[0]
            return (LIBRARY_ORDER.index(library), module.lower())

        return [(module, sorted(groups[module], key=str.lower)) for module in sorted(groups, key=module_key)]


def build_index(pages: Iterable[Page]) -> ApiIndex:
    index = ApiIndex()
    for page in pages:
        index.add_page(page)
    return index


def _is_class_like(segment: str) -> bool:
    return segment[:1].isupper()


def module_of(name: str) -> str:
    """The module a name is grouped under: its dotted path up to its first CapWords part (a class) or its
    last part. ``tf.nn.top_k`` -> ``tf.nn``; ``tf.data.Dataset.from_tensor_slices`` -> ``tf.data``."""
    parts = name.split(".")
    module = [parts[0]]
    for part in parts[1:-1]:
        if _is_class_like(part):
            break
        module.append(part)
    return ".".join(module)


#: How each library's names link to their official reference. ``{path}`` is the name's dotted path below the
#: library with ``/`` for ``.``, up to and including its first CapWords part (a class); ``{anchor}`` is the
#: rest (a method or attribute of that class). See :func:`reference_url`.
REFERENCE_RULES = {
    "tf": "https://www.tensorflow.org/api_docs/python/tf/{path}{anchor}",
    # tf_keras is Keras 2, which TensorFlow 2.15 (its last release with Keras 2 as tf.keras) documents.
    "tf_keras": "https://www.tensorflow.org/versions/r2.15/api_docs/python/tf/keras/{path}{anchor}",
    "pd": "https://pandas.pydata.org/docs/reference/api/pandas.{dotted}.html",
}
#: The search pages used where no page can be derived from the name.
SEARCH_URLS = {
    "tf": "https://www.tensorflow.org/s/results?q={query}",
    "tf_keras": "https://www.tensorflow.org/s/results?q={query}",
    "keras": "https://keras.io/search.html?query={query}",
    "np": "https://numpy.org/doc/stable/search.html?q={query}",
    "pd": "https://pandas.pydata.org/docs/search.html?q={query}",
}
_FULL_NAMES = {"tf": "tf", "tf_keras": "tf.keras", "keras": "keras", "np": "numpy", "pd": "pandas"}


def reference_url(name: str, called: bool) -> str:
    """The official reference of a name.

    * ``tf.*`` and ``tf_keras.*`` names that the code calls (functions, classes, methods) link to their
      tensorflow.org page, whose path is the name's: ``tf.nn.top_k`` -> ``.../python/tf/nn/top_k``, a method
      to its class's page and anchor: ``tf.data.Dataset.from_tensor_slices`` ->
      ``.../python/tf/data/Dataset#from_tensor_slices``. tf_keras links to TensorFlow 2.15's ``tf.keras``.
    * ``pd.*`` names that the code calls link to pandas' generated page ``reference/api/pandas.<name>.html``.
    * Everything else (constants such as ``tf.float32``, every ``keras.*`` name, whose keras.io pages are
      arranged by topic rather than by name, and NumPy's, whose pages are not all named after the function)
      links to the library's own documentation search for the full dotted name.
    """
    library, _, rest = name.partition(".")
    rule = REFERENCE_RULES.get(library)
    if called and rule is not None and rest:
        parts = rest.split(".")
        cut = next((i + 1 for i, part in enumerate(parts) if _is_class_like(part)), len(parts))
        path, anchor = parts[:cut], parts[cut:]
        return rule.format(path="/".join(path), anchor=f"#{anchor[0]}" if anchor else "", dotted=rest)
    full = ".".join([_FULL_NAMES[library], rest]) if rest else _FULL_NAMES[library]
    return SEARCH_URLS[library].format(query=quote(full))


def reference_site(url: str) -> str:
    """The host a reference link leads to, for its link text."""
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return host


__all__ = [
    "MODULES",
    "ApiIndex",
    "Use",
    "build_index",
    "canonical_module",
    "module_of",
    "names_used",
    "reference_url",
]
