"""What the drafting rules look for, read from the graph itself: Länder, roles, technologies, Themenfelder,
EfA services, portals, organisations, persons and their roles, time instants.

Labels and altLabels come from the loaded ontology and data, so a new altLabel in vocabularies.ttl or a
new person in a source file is found in the next draft without touching code. German grammar the graph
does not hold (official Land names, adjectives such as "Bremer" or "sächsisch", compounds such as
"Digitalministerin") is added here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS
from rdflib.term import Node

from egovgraph.graph.load import Loaded
from egovgraph.vocab.namespaces import CPSV, CV, DEFAULT_BASE, EGOV

__all__ = ["Lexicon", "Pattern", "lexicon", "slug"]

ID = DEFAULT_BASE + "id/"
ROLE_NS = DEFAULT_BASE + "vocab/role/"
TECH_NS = DEFAULT_BASE + "vocab/technology/"

#: Official names, abbreviations and adjective stems of the Länder (grammar, not facts of a source).
LAND_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "baden-wuerttemberg": (("Land Baden-Württemberg", "BaWü"), ("baden-württembergisch",)),
    "bayern": (("Freistaat Bayern",), ("bayerisch", "bayrisch")),
    "berlin": (("Land Berlin",), ("berlinisch", "Berliner")),
    "brandenburg": (("Land Brandenburg",), ("brandenburgisch", "Brandenburger")),
    "bremen": (("Freie Hansestadt Bremen", "FHB"), ("bremisch", "Bremer")),
    "hamburg": (("Freie und Hansestadt Hamburg", "FHH"), ("hamburgisch", "Hamburger")),
    "hessen": (("Land Hessen",), ("hessisch",)),
    "mecklenburg-vorpommern": (("Land Mecklenburg-Vorpommern", "M-V"), ("mecklenburg-vorpommersch",)),
    "niedersachsen": (("Land Niedersachsen",), ("niedersächsisch",)),
    "nordrhein-westfalen": (("Land Nordrhein-Westfalen", "NRW"), ("nordrhein-westfälisch",)),
    "rheinland-pfalz": (("Land Rheinland-Pfalz", "RLP"), ("rheinland-pfälzisch",)),
    "saarland": ((), ("saarländisch",)),
    "sachsen": (("Freistaat Sachsen",), ("sächsisch",)),
    "sachsen-anhalt": (("Land Sachsen-Anhalt",), ("sachsen-anhaltisch",)),
    "schleswig-holstein": (("Land Schleswig-Holstein",), ("schleswig-holsteinisch",)),
    "thueringen": (("Freistaat Thüringen",), ("thüringisch", "Thüringer")),
}
#: Role words beyond the role scheme's labels: compounds and feminine forms.
ROLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(?:Landes-)?CIO|Chief Information Officer|(?:Landes)?[Bb]eauftragte[rn]? für (?:Informationstechnik|IT)", "cio"),
    (r"(?:Landes-)?CDO|Chief Digital Officer", "cdo"),
    (r"\w*[Ss]taatssekretär(?:in)?", "state-secretary"),
    (r"(?!Ministerpräsident)\w*[Mm]inister(?:in)?(?!ium|präsident)|Senator(?:in)?", "minister"),
    (r"Amtsleiter(?:in)?|Amtschef(?:in)?", "head-of-office"),
)
_WORD = r"(?<![\w-])"
_END = r"(?![\w-])"


@dataclass(frozen=True)
class Pattern:
    """A compiled label and the slug (or IRI tail) it stands for."""

    regex: re.Pattern[str]
    key: str


@dataclass
class Lexicon:
    """Everything the rules match, keyed by slugs (``bremen``, ``cio``, ``artificial-intelligence`` ...)."""

    lands: list[Pattern] = field(default_factory=list)
    land_labels: dict[str, str] = field(default_factory=dict)
    adjectives: list[Pattern] = field(default_factory=list)
    roles: list[Pattern] = field(default_factory=list)
    techs: list[Pattern] = field(default_factory=list)
    themenfelder: list[Pattern] = field(default_factory=list)
    services: list[Pattern] = field(default_factory=list)
    portals: list[Pattern] = field(default_factory=list)
    bodies: list[Pattern] = field(default_factory=list)
    body_land: dict[str, str] = field(default_factory=dict)
    persons: dict[str, str] = field(default_factory=dict)  # full name -> person slug
    families: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    holders: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    memberships: set[str] = field(default_factory=set)
    instants: set[str] = field(default_factory=set)
    subjects: set[str] = field(default_factory=set)  # "person/carola-heilemann-jeschke" ... (under id/)
    sources: set[str] = field(default_factory=set)
    organisations: dict[str, str] = field(default_factory=dict)  # label -> organisation slug


def slug(text: str) -> str:
    """ASCII slug of a label: ä→ae, ö→oe, ü→ue, ß→ss, everything else but letters and digits → '-'."""
    text = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("é", "e"), ("è", "e"), ("á", "a")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _tail(iri: Node | None, kind: str) -> str | None:
    prefix = ID + kind + "/"
    return str(iri)[len(prefix) :] if isinstance(iri, URIRef) and str(iri).startswith(prefix) else None


def _label_regex(label: str) -> re.Pattern[str]:
    """A label as a regex: whole words, flexible whitespace, inflected adjectives ("künstliche(r)")."""
    words = label.split()
    parts = []
    for i, word in enumerate(words):
        w = re.escape(word)
        if i < len(words) - 1:
            # an attributive adjective in any case ("künstliche(r)"), a plural inside ("Single Points of ...")
            w += r"[nrsm]?" if re.fullmatch(r"[a-zäöüß]+e", word, re.IGNORECASE) else r"s?"
        parts.append(w)
    body = r"\s+".join(parts)
    if len(label) <= 5:  # an abbreviation: case-sensitive, also as the first part of a compound ("KI-Lösungen")
        return re.compile(_WORD + "(?:" + body + ")" + r"s?(?!\w)")
    return re.compile(_WORD + "(?:" + body + ")" + r"(?:s|es|n|en)?" + _END, re.IGNORECASE)


def _compound_regexes(label: str) -> list[re.Pattern[str]]:
    """A one-word compound also as its analytic form: "Registermodernisierung" ~ "Modernisierung der Register"."""
    out: list[re.Pattern[str]] = []
    if " " in label or not re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+", label):
        return out
    if re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]{5,}(?:keit|heit)", label):  # "Nutzerfreundlichkeit" ~ "nutzerfreundlich(er)"
        out.append(re.compile(_WORD + re.escape(label[:-4].lower()) + r"\w*", re.IGNORECASE))
    for cut in range(4, len(label) - 5):
        head, rest = label[:cut], label[cut:]
        if rest.endswith("ierung") and len(rest) >= 9:  # "Prozessoptimierung" ~ "Verwaltungsprozesse ... optimiert"
            verb = rest[:-3].lower() + "t"
            out.append(
                re.compile(
                    _WORD + r"\w*" + re.escape(head.lower()) + r"\w*\s+(?:\w+\s+){0,3}" + re.escape(verb) + _END,
                    re.IGNORECASE,
                )
            )
        if rest.endswith("ung") and len(rest) >= 7:
            out.append(
                re.compile(
                    _WORD
                    + re.escape(rest.capitalize())
                    + r"\s+(?:der|des|von|vorhandener)\s+\w*"
                    + re.escape(head.lower()),
                    re.IGNORECASE,
                )
            )
    return out


def _add_labels(target: list[Pattern], graph: Graph, subject: Node, key: str, *, alt: bool = True) -> None:
    labels = {
        label
        for label in set(graph.objects(subject, RDFS.label)) | set(graph.objects(subject, SKOS.prefLabel))
        if getattr(label, "language", None) in (None, "de")  # the texts are German: English names mislead
    }
    if alt:
        labels |= set(graph.objects(subject, SKOS.altLabel))
    for label in sorted(str(lbl) for lbl in labels):
        for variant in label.split("/"):
            variant = re.sub(r"\s*\([^)]*\)\s*$", "", variant).strip()
            if len(variant) >= 2:
                target.append(Pattern(_label_regex(variant), key))
                target.extend(Pattern(r, key) for r in _compound_regexes(variant))
        inner = re.search(r"\(([^)]+)\)", label)
        if inner and len(inner.group(1)) >= 2 and inner.group(1).isupper():
            target.append(Pattern(_label_regex(inner.group(1)), key))


def lexicon(loaded: Loaded) -> Lexicon:
    """The lexicon of a loaded build."""
    graph = loaded.union()
    lex = Lexicon()
    lex.subjects = {str(s)[len(ID) :] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ID)}
    for land in sorted(graph.subjects(RDF.type, EGOV.Land), key=str):
        key = _tail(land, "land")
        if key is None:
            continue
        lex.land_labels[key] = str(graph.value(land, RDFS.label) or key)
        _add_labels(lex.lands, graph, land, key)
        names, adjectives = LAND_NAMES.get(key, ((), ()))
        for name in names:
            lex.lands.append(Pattern(re.compile(_WORD + re.escape(name) + r"s?" + _END), key))
        for adjective in adjectives:
            if adjective[0].isupper():  # "Bremer", "Hamburger": invariable
                lex.adjectives.append(Pattern(re.compile(_WORD + re.escape(adjective) + _END), key))
            else:
                rx = _WORD + r"(?:inner|gesamt)?" + re.escape(adjective) + r"(?:e|en|er|es|em)?" + _END
                lex.adjectives.append(Pattern(re.compile(rx, re.IGNORECASE), key))
    for rx, key in ROLE_PATTERNS:
        lex.roles.append(Pattern(re.compile(_WORD + "(?:" + rx + ")" + _END), key))
    for role in sorted(graph.subjects(RDF.type, ORG.Role), key=str):
        if str(role).startswith(ROLE_NS):
            _add_labels(lex.roles, graph, role, str(role)[len(ROLE_NS) :])
    for tech in sorted(graph.subjects(RDF.type, EGOV.Technology), key=str):
        if str(tech).startswith(TECH_NS):
            _add_labels(lex.techs, graph, tech, str(tech)[len(TECH_NS) :])
    for kind, cls, target in (
        ("themenfeld", EGOV.Themenfeld, lex.themenfelder),
        ("service", CPSV.PublicService, lex.services),
        ("portal", EGOV.Portal, lex.portals),
    ):
        subjects = set(graph.subjects(RDF.type, cls))
        if cls == CPSV.PublicService:
            subjects |= set(graph.subjects(RDF.type, EGOV.EfaService))
        for subject in sorted(subjects, key=str):
            key = _tail(subject, kind)
            if key is not None:
                _add_labels(target, graph, subject, key)
    _bodies(graph, lex)
    _persons(graph, lex)
    lex.instants = {s[len("time/") :] for s in lex.subjects if s.startswith("time/")}
    lex.sources = {t for s in graph.subjects(RDF.type, EGOV.Source) if (t := _tail(s, "source")) is not None}
    for org in graph.subjects(RDF.type, FOAF.Organization):
        key = _tail(org, "organisation")
        if key is not None:
            for label in graph.objects(org, RDFS.label):
                lex.organisations[str(label).lower()] = key
    return lex


def _bodies(graph: Graph, lex: Lexicon) -> None:
    """Ministries and other public bodies of a Land, found by label and mapped to their Land."""
    bodies = set(graph.subjects(RDF.type, CV.PublicOrganisation)) | set(graph.subjects(RDF.type, EGOV.Ministry))
    for body in sorted(bodies, key=str):
        key = _tail(body, "organisation")
        if key is None:
            continue
        seen: set[Node] = set()
        parent = graph.value(body, ORG.subOrganizationOf)
        while parent is not None and parent not in seen and _tail(parent, "land") is None:
            seen.add(parent)
            parent = graph.value(parent, ORG.subOrganizationOf)
        land = _tail(parent, "land") if parent is not None else None
        if land is None:
            continue
        lex.body_land[key] = land
        _add_labels(lex.bodies, graph, body, key)


def _persons(graph: Graph, lex: Lexicon) -> None:
    for person in sorted(graph.subjects(RDF.type, FOAF.Person), key=str):
        key = _tail(person, "person")
        name = graph.value(person, FOAF.name)
        if key is None or name is None:
            continue
        lex.persons[str(name)] = key
        family = graph.value(person, FOAF.familyName) or str(name).split()[-1]
        lex.families[str(family)].append(key)
    for membership in sorted(graph.subjects(RDF.type, ORG.Membership), key=str):
        key = _tail(membership, "membership")
        if key is not None:
            lex.memberships.add(key)
        member, organisation, role = (graph.value(membership, p) for p in (ORG.member, ORG.organization, ORG.role))
        if member is None or organisation is None or role is None:
            continue
        land = _tail(organisation, "land")
        holder = _tail(member, "person")
        if land and holder and str(role).startswith(ROLE_NS):
            lex.holders[(land, str(role)[len(ROLE_NS) :])].append(holder)
