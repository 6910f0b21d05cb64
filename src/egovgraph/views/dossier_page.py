"""A Land dossier -> one self-contained HTML page (no script runs, nothing is fetched), from Jinja2 templates.

The templates are package data (``views/templates``) with autoescape on: every label and literal is text.
``dossier_section.html`` is the dossier's body; this module wraps it into an offline page, and the server
puts the same section above the property table of a Land's page (:mod:`egovgraph.server.pages`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovgraph.graph.files import write_atomic
from egovgraph.version import __version__
from egovgraph.views.html import script_json

if TYPE_CHECKING:
    import jinja2

    from egovgraph.views.dossier import Dossier

TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title": "{land}: Dossier",
        "description": "Was der Graph über das Land weiß: Verantwortliche, EfA-Leistungen, Vorhaben, Strategien, "
        "Technologien und Portale, jede Angabe mit ihren Quellen.",
        "empty": "Der Graph enthält zu {land} außer den Stammdaten noch keine Angaben: keine Verantwortlichen, "
        "EfA-Leistungen, Vorhaben, Strategien oder Portale.",
        "nothing": "Keine Angaben im Graphen.",
        "id_iso": "ISO 3166-2",
        "id_regional_key": "Länderschlüssel",
        "id_gnd": "GND",
        "count_leaders": "Verantwortliche",
        "count_services_built": "EfA-Leistungen entwickelt",
        "count_services_reused": "nachgenutzt",
        "count_services_partner": "als Entwicklungspartner",
        "count_initiatives": "Vorhaben",
        "count_strategies": "Strategien",
        "count_technologies": "Technologien",
        "count_portals": "Portale",
        "leaders": "Verantwortliche im Zeitverlauf",
        "person": "Person",
        "role": "Rolle",
        "organisation": "Organisation",
        "since": "seit",
        "until": "bis",
        "unknown": "unbekannt",
        "services": "EfA-Leistungen: entwickelt, nachgenutzt, mitentwickelt",
        "service": "Leistung",
        "part": "Rolle des Landes",
        "part_built": "entwickelt",
        "part_reused": "nachgenutzt",
        "part_partner": "Entwicklungspartner",
        "focus": "Fokusleistung",
        "builders": "entwickelt von",
        "partners": "Partner",
        "reusers": "Nachnutzer",
        "themenfeld": "Themenfeld",
        "initiatives": "Vorhaben nach Status und Jahr",
        "by_status": "Vorhaben je Status und Jahr",
        "status": "Status",
        "no_status": "ohne Status",
        "no_year": "ohne Jahr",
        "total": "gesamt",
        "year_note": "Jahr: aus der Zeitangabe des Vorhabens, sonst aus dem Datum seiner Quelle.",
        "name": "Name",
        "when": "Zeitangabe",
        "year": "Jahr",
        "technologies": "Technologien",
        "technology": "Technologie",
        "used_by": "genutzt von",
        "strategies": "Strategien",
        "portals": "Portale",
        "portal": "Portal",
        "operators": "betrieben von",
        "integrated_into": "integriert in",
        "sources": "Quellen",
        "sources_all": "Quellen",
    },
    "en": {
        "title": "{land}: dossier",
        "description": "What the graph knows about the Land: leaders, EfA services, initiatives, strategies, "
        "technologies and portals, each with its sources.",
        "empty": "The graph holds nothing about {land} yet beyond its reference data: no leaders, EfA services, "
        "initiatives, strategies or portals.",
        "nothing": "Nothing in the graph.",
        "id_iso": "ISO 3166-2",
        "id_regional_key": "state key",
        "id_gnd": "GND",
        "count_leaders": "leaders",
        "count_services_built": "EfA services built",
        "count_services_reused": "reused",
        "count_services_partner": "as development partner",
        "count_initiatives": "initiatives",
        "count_strategies": "strategies",
        "count_technologies": "technologies",
        "count_portals": "portals",
        "leaders": "Leaders over time",
        "person": "Person",
        "role": "Role",
        "organisation": "Organisation",
        "since": "from",
        "until": "until",
        "unknown": "unknown",
        "services": "EfA services: built, reused, co-developed",
        "service": "Service",
        "part": "The Land's part",
        "part_built": "built",
        "part_reused": "reused",
        "part_partner": "development partner",
        "focus": "focus service",
        "builders": "built by",
        "partners": "partners",
        "reusers": "reused by",
        "themenfeld": "subject area",
        "initiatives": "Initiatives by status and year",
        "by_status": "Initiatives per status and year",
        "status": "Status",
        "no_status": "no status",
        "no_year": "no year",
        "total": "total",
        "year_note": "Year: from the initiative's time, else from the date of its source.",
        "name": "Name",
        "when": "Time",
        "year": "Year",
        "technologies": "Technologies",
        "technology": "Technology",
        "used_by": "used by",
        "strategies": "Strategies",
        "portals": "Portals",
        "portal": "Portal",
        "operators": "operated by",
        "integrated_into": "integrated into",
        "sources": "Sources",
        "sources_all": "Sources",
    },
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the view templates (autoescape on for every template)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("egovgraph.views", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def texts(dossier: Dossier) -> dict[str, str]:
    """The page's texts in the dossier's language, with the Land's name filled in."""
    return {k: v.replace("{land}", dossier.land.label) for k, v in TEXT[dossier.lang].items()}


def section_context(dossier: Dossier, href: Callable[[str], str]) -> dict[str, Any]:
    """What ``dossier_section.html`` needs: the dossier, its texts, the years, the source numbers, links."""
    years = sorted({y for _, _, counts in dossier.by_status for y, _ in counts}, key=lambda y: (y == 0, y))
    return {
        "d": dossier,
        "t": texts(dossier),
        "years": years,
        "cite": {s.source.iri: i for i, s in enumerate(dossier.sources, start=1)},
        "href": href,
    }


def web_link(iri: str) -> str:
    """An IRI as a link target only if it is a web address (no ``javascript:`` or other schemes)."""
    return iri if iri.startswith(("https://", "http://")) else ""


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The dossier's stylesheet (inlined into the offline page)."""
    return (resources.files("egovgraph.views") / "assets" / "dossier.css").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def dossier_html(dossier: Dossier, *, title: str | None = None) -> str:
    """The dossier as one self-contained page: the section, its stylesheet inlined and its data as JSON."""
    css = stylesheet()
    csp = f"default-src 'none'; style-src {_sha256(css)}; img-src data:; base-uri 'none'; form-action 'none'"
    context = section_context(dossier, web_link)
    return (
        environment()
        .get_template("dossier.html")
        .render(
            **context,
            title=title if title is not None else context["t"]["title"],
            csp=csp,
            css=css,
            version=__version__,
            data=script_json(dossier.as_dict()),
        )
    )


def write_dossier(dossier: Dossier, path: str | Path, *, title: str | None = None) -> Path:
    """Write ``dossier_html(dossier)`` to ``path`` atomically, as UTF-8 whatever the locale."""
    return write_atomic(Path(path), dossier_html(dossier, title=title).encode("utf-8"))


__all__ = ["TEXT", "dossier_html", "environment", "section_context", "texts", "web_link", "write_dossier"]
