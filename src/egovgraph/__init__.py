"""egovgraph: a sourced knowledge graph of the German Länder's digital government, and its toolkit.

The public API: :func:`query` (SPARQL on the bundled graph), :func:`view` (a networkx view),
:func:`to_html` and :func:`write_html` (the offline HTML page); the stages live in the subpackages
``vocab``, ``graph``, ``sparql``, ``stores``, ``views``, ``server`` and ``cli`` (docs/architecture.md).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType
    from typing import Any

__version__ = "0.1.0"

#: Modules of the flat layout before 0.2 and where they live now; the old names still import, with a
#: DeprecationWarning, for one release.
MOVED: dict[str, str] = {
    "vocab": "vocab.namespaces",
    "names": "vocab.names",
    "load": "graph.load",
    "validate": "graph.validate",
    "build": "graph.build",
    "formats": "graph.formats",
    "docs": "graph.docs",
    "stats": "graph.stats",
    "synth": "graph.synth",
    "files": "graph.files",
    "querytext": "sparql.text",
    "querylib": "sparql.library",
    "workers": "sparql.pool",
    "results": "sparql.results",
    "stores": "stores.kinds",
    "oxstore": "stores.oxigraph",
    "remote": "stores.remote",
    "publish": "stores.publish",
    "storeview": "stores.view",
    "memory": "stores.memory",
    "project": "views.project",
    "facts": "views.facts",
    "slices": "views.slices",
    "metrics": "views.metrics",
    "layout": "views.layout",
    "exports": "views.exports",
    "render": "views.html",
    "protocol": "server.http",
    "pages": "server.pages",
    "endpoint": "server.endpoint",
    "linkeddata": "server.linkeddata",
    "serverstate": "server.state",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``egovgraph.<old>`` as the module it moved to, with a DeprecationWarning."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        package, _, old = fullname.rpartition(".")
        if package != __name__ or old not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        new = f"{__name__}.{MOVED[spec.name.rpartition('.')[2]]}"
        warnings.warn(f"{spec.name} moved to {new}; the old name goes in 0.3", DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """The moved module is already executed."""


sys.meta_path.append(_MovedModules())


def __getattr__(name: str) -> Any:
    """The public functions (query, view, to_html, write_html), imported on first use."""
    if name == "query":
        from egovgraph.sparql.run import query

        return query
    if name == "view":
        from egovgraph.views.project import view

        return view
    if name in ("to_html", "write_html"):
        from egovgraph.views import html

        return getattr(html, name)
    raise AttributeError(f"module 'egovgraph' has no attribute {name!r}")
