"""SHACL plus the checks SHACL cannot express (verbatim quotes, references, unique codes) -> problems."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF
from rdflib.term import Node

from egovgraph.graph import consistency
from egovgraph.graph.consistency import form_hint, well_typed
from egovgraph.graph.load import ONTOLOGY_GRAPH, Loaded, default_ontology_dir, parse_graph
from egovgraph.vocab.namespaces import CURATION, EGOV, SCHEMA, SH, VOCAB, graph_iri, id_namespace

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PREFIX_DECL = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    file: str
    line: int
    focus: str
    path: str
    message: str
    check: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else (self.file or "<graph>")
        subject = f"{self.focus} {self.path}".strip()
        return f"{where}: {subject}: {self.message} [{self.check}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line or None,
            "focus": self.focus,
            "path": self.path,
            "message": self.message,
            "check": self.check,
        }


def normalise_text(text: str) -> str:
    """Whitespace-insensitive form of a text, for comparing quotes with their source."""
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


@dataclass(frozen=True, order=True)
class DraftNote:
    """A resource still marked as a draft (egov:curationStatus curation:draft): a notice, not a problem."""

    file: str
    line: int
    focus: str
    kind: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else (self.file or "<graph>")
        return f"{where}: {self.focus} ({self.kind}) [draft]"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line or None, "focus": self.focus, "kind": self.kind}


def drafts(loaded: Loaded) -> list[DraftNote]:
    """Every resource marked as a draft, with its file and line, sorted (what the curator still has to review)."""
    checker = _Checker(loaded, default_ontology_dir() / "shapes.ttl")
    notes = []
    for node in set(checker.graph.subjects(EGOV.curationStatus, CURATION.draft)):
        file, line = checker.locate(node)
        kinds = sorted(checker.short(k) for k in checker.graph.objects(node, RDF.type))
        notes.append(DraftNote(file, line, checker.short(node), ", ".join(kinds)))
    return sorted(notes)


def validate(loaded: Loaded, *, shapes: Path | None = None) -> list[Problem]:
    """Every problem of a loaded build, sorted by file and line; an empty list means valid."""
    checker = _Checker(loaded, shapes or default_ontology_dir() / "shapes.ttl")
    problems = set(checker.shacl())
    problems.update(checker.terms_and_references())
    problems.update(checker.blank_nodes())
    problems.update(checker.ill_typed_literals())
    problems.update(checker.unique_land_codes())
    problems.update(checker.quotes())
    problems.update(checker.orphan_evidence())
    problems.update(checker.cooperation_parties())
    problems.update(checker.consistency())
    return sorted(problems)


class _Checker:
    def __init__(self, loaded: Loaded, shapes: Path) -> None:
        self.loaded = loaded
        self.shapes_path = shapes
        self.graph = loaded.union()
        self.nm = self.graph.namespace_manager
        self.ontology = loaded.dataset.graph(graph_iri(ONTOLOGY_GRAPH, loaded.base))
        self.id_ns = str(id_namespace(loaded.base))
        self._texts: dict[Path, list[str]] = {}

    # ---------------------------------------------------------------- helpers
    def short(self, term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            try:
                return self.nm.normalizeUri(term)
            except Exception:  # pragma: no cover - rdflib refuses odd IRIs
                return f"<{term}>"
        if isinstance(term, BNode):
            return "[]"
        return term.n3()

    def _lines(self, path: Path) -> list[str]:
        if path not in self._texts:
            self._texts[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return self._texts[path]

    def _forms(self, path: Path, term: Node) -> list[str]:
        if not isinstance(term, URIRef):
            return []
        forms = [f"<{term}>"]
        for line in self._lines(path):
            m = _PREFIX_DECL.match(line)
            if m and str(term).startswith(m.group(2)):
                forms.append(f"{m.group(1) or ''}:{str(term)[len(m.group(2)) :]}")
        return forms

    def _display(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def files_of(self, node: Node, predicate: Node | None = None) -> tuple[Path, ...]:
        files = self.loaded.subject_files.get(node, ())
        if predicate is not None and len(files) > 1:
            holding = [
                f
                for ctx in self.loaded.dataset.graphs()
                if (node, predicate, None) in ctx
                for f in self.loaded.graph_files.get(ctx.identifier, ())  # type: ignore[call-overload]
            ]
            preferred = tuple(f for f in files if f in holding)
            if preferred:
                return preferred
        return files

    def locate(self, node: Node, predicate: Node | None = None) -> tuple[str, int]:
        files = self.files_of(node, predicate)
        if not files:
            return "", 0
        path = files[0]
        lines = self._lines(path)
        forms = self._forms(path, node)
        start = 0
        for i, line in enumerate(lines):
            if any(line.startswith(form) and line[len(form) : len(form) + 1] in (" ", "\t", "") for form in forms):
                start = i + 1
                break
        if start and predicate is not None:
            p_forms = self._forms(path, predicate) or [self.short(predicate)]
            if predicate == RDF.type:
                p_forms.append(" a ")
            for j in range(start - 1, len(lines)):
                if j > start - 1 and lines[j][:1] not in (" ", "\t", ""):
                    break
                if any(form in lines[j] for form in p_forms):
                    return self._display(path), j + 1
        return self._display(path), start

    def problem(self, node: Node, predicate: Node | None, message: str, check: str) -> Problem:
        file, line = self.locate(node, predicate)
        return Problem(file, line, self.short(node), self.short(predicate), message, check)

    # ---------------------------------------------------------------- SHACL
    def shacl(self) -> Iterator[Problem]:
        from pyshacl import validate as shacl_validate

        onto_dir = self.shapes_path.parent
        shapes = parse_graph([self.shapes_path])
        data = Graph()
        for triple in self.graph:
            data.add(triple)
        external = onto_dir / "external.ttl"
        if external.exists():
            for triple in parse_graph([external]):
                data.add(triple)
        _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", abort_on_first=False)
        for result in results.subjects(RDF.type, SH.ValidationResult):
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
            message = messages[0] if messages else "violates a shape"
            component = results.value(result, SH.sourceConstraintComponent)
            shape = results.value(result, SH.sourceShape)
            if component == SH.ClassConstraintComponent and shape is not None:
                expected = shapes.value(shape, SH["class"])
                message = f"expected a {self.short(expected)}, but {self.short(value)} is not one"
            elif component == SH.DatatypeConstraintComponent and shape is not None:
                expected = shapes.value(shape, SH.datatype)
                message = f"expected a {self.short(expected)} value, found {self.short(value)} — {message}"
            elif value is not None and not isinstance(value, BNode):
                message += f" (found {self.short(value)})"
            predicate = path if isinstance(path, URIRef) else None
            shown_path = self.short(predicate) if predicate is not None else self._path_text(results, path)
            file, line = self.locate(focus, predicate) if focus is not None else ("", 0)
            yield Problem(file, line, self.short(focus), shown_path, message, "shacl")

    def _path_text(self, results: Graph, path: Node | None) -> str:
        if path is None:
            return ""
        inverse = results.value(path, SH.inversePath)
        return f"^{self.short(inverse)}" if inverse is not None else self.short(path)

    # ---------------------------------------------------------------- references and terms
    @cached_property
    def defined(self) -> set[Node]:
        return set(self.graph.subjects(RDF.type, None))

    def _ours(self, term: Node) -> bool:
        return isinstance(term, URIRef) and (
            term.startswith(self.id_ns) or term.startswith(str(EGOV._NS)) or term.startswith(str(VOCAB))
        )

    def terms_and_references(self) -> Iterator[Problem]:
        onto_terms = {s for s in self.ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(EGOV._NS))}
        egov_names = sorted(self.short(t) for t in onto_terms)
        defined_ids = sorted(str(t) for t in self.defined if isinstance(t, URIRef) and t.startswith(self.id_ns))
        reported: set[tuple[Node, Node]] = set()
        for s, p, o in self.graph:
            for term, role in ((p, "property"), (o, "object")):
                if not self._ours(term) or (s, term) in reported:
                    continue
                if str(term).startswith(str(EGOV._NS)):
                    if term in onto_terms:
                        continue
                    guess = difflib.get_close_matches(self.short(term), egov_names, n=1)
                    hint = f" — did you mean {guess[0]}?" if guess else ""
                    reported.add((s, term))
                    yield self.problem(
                        s, p, f"unknown term {self.short(term)} (not in ontology/egov.ttl){hint}", "term"
                    )
                elif term not in self.defined and role == "object" and not self._ozg_id(term):
                    guess = difflib.get_close_matches(str(term), defined_ids, n=1, cutoff=0.8)
                    hint = f" — did you mean {self.short(URIRef(guess[0]))}?" if guess else ""
                    reported.add((s, term))
                    yield self.problem(
                        s,
                        p,
                        f"refers to {self.short(term)}, which is not defined anywhere (no rdf:type){hint}",
                        "reference",
                    )

    def _ozg_id(self, term: Node) -> bool:
        return str(term).startswith(self.id_ns + "ozg/") and str(term)[len(self.id_ns) + 4 :].isdigit()

    def consistency(self) -> Iterator[Problem]:
        findings = (
            *consistency.periods_in_order(self.graph),
            *consistency.instants_match_their_iris(self.graph, self.id_ns + "time/"),
            *consistency.known_ozg_ids(self.graph, self.id_ns + "ozg/"),
        )
        for node, predicate, message, check in findings:
            yield self.problem(node, predicate, message, check)

    def blank_nodes(self) -> Iterator[Problem]:
        message = "blank node: give it an IRI (blank nodes cannot be dereferenced and make dumps unstable)"
        referenced = set()
        for s, p, o in self.graph:
            if isinstance(o, BNode):
                referenced.add(o)
                if not isinstance(s, BNode):
                    yield self.problem(s, p, message, "blank-node")
        for s in set(self.graph.subjects()):
            if isinstance(s, BNode) and s not in referenced:
                yield Problem("", 0, "[]", "", message + " (a top-level blank node)", "blank-node")

    def ill_typed_literals(self) -> Iterator[Problem]:
        for s, p, o in self.graph:
            if not isinstance(o, Literal):
                continue
            if o.datatype is not None and not well_typed(o):
                fix = form_hint(o)
                yield self.problem(s, p, f"{o.n3()} is not a valid {self.short(o.datatype)} value{fix}", "datatype")
            bad = _CONTROL.search(str(o))
            if bad:
                yield self.problem(
                    s, p, f"literal contains the control character U+{ord(bad.group()):04X}: remove it", "datatype"
                )

    def unique_land_codes(self) -> Iterator[Problem]:
        lands = sorted(self.graph.subjects(RDF.type, EGOV.Land), key=str)
        keys: list[tuple[URIRef, str, bool]] = [
            (EGOV.isoCode, "ISO 3166-2 code", False),
            (EGOV.regionalKey, "Länderschlüssel", False),
            (EGOV.gndId, "GND identifier", False),
            (OWL.sameAs, "owl:sameAs identifier", True),
        ]
        for predicate, what, _ in keys:
            owners: dict[Node, list[Node]] = defaultdict(list)
            for land in lands:
                for value in self.graph.objects(land, predicate):
                    owners[value].append(land)
            for value, holders in sorted(owners.items()):
                if len(holders) < 2:
                    continue
                for land in holders:
                    others = ", ".join(self.short(h) for h in holders if h != land)
                    yield self.problem(
                        land, predicate, f"{what} {self.short(value)} is also used by {others}", "unique"
                    )

    # ---------------------------------------------------------------- quotes
    def _text_dirs(self) -> list[Path]:
        dirs = [self.loaded.data_dir / "texts"]
        for paths in self.loaded.graph_files.values():
            for path in paths:
                dirs.append(path.parent.parent / "texts")
                dirs.append(path.parent / "texts")
        return list(dict.fromkeys(d for d in dirs if d.is_dir()))

    @cached_property
    def text_dirs(self) -> list[Path]:
        return self._text_dirs()

    def source_text(self, source: Node) -> tuple[Path, str] | None:
        slug = str(source).rstrip("/").rsplit("/", 1)[-1]
        for directory in self.text_dirs:
            candidate = directory / f"{slug}.txt"
            if candidate.is_file():
                return candidate, normalise_text(candidate.read_text(encoding="utf-8"))
        return None

    def _mismatch(self, quote: str, text: str) -> str:
        lo, hi = 0, len(quote)
        while lo < hi:  # longest prefix of the quote that occurs in the text
            mid = (lo + hi + 1) // 2
            if quote[:mid] in text:
                lo = mid
            else:
                hi = mid - 1
        if lo == 0:
            return "not even its first character occurs there"
        return f'it matches up to "…{quote[max(0, lo - 30) : lo]}" and then differs at "{quote[lo : lo + 30]}…"'

    def quotes(self) -> Iterator[Problem]:
        for evidence, quote in sorted(self.graph.subject_objects(EGOV.quote)):
            source = self.graph.value(evidence, _PROV_ENTITY)
            yield from self._check_quote(evidence, EGOV.quote, str(quote), [source] if source else [])
        for statement, text in sorted(self.graph.subject_objects(SCHEMA.text)):
            if (statement, RDF.type, EGOV.Statement) not in self.graph:
                continue
            sources = [
                src
                for ev in self.graph.objects(statement, EGOV.hasEvidence)
                for src in self.graph.objects(ev, _PROV_ENTITY)
            ]
            yield from self._check_quote(statement, SCHEMA.text, str(text), sources)

    def _check_quote(self, node: Node, predicate: URIRef, quote: str, sources: list[Node]) -> Iterable[Problem]:
        wanted = normalise_text(quote)
        if not sources:
            return [self.problem(node, predicate, "the quote names no source to check it against", "quote")]
        texts = [t for t in (self.source_text(s) for s in sources) if t is not None]
        if not texts:
            names = ", ".join(self.short(s) for s in sources)
            return [
                self.problem(
                    node,
                    predicate,
                    f"no source text to check the quote against: add texts/<slug>.txt for {names}",
                    "quote",
                )
            ]
        if any(wanted in text for _, text in texts):
            return []
        path, text = texts[0]
        return [
            self.problem(
                node,
                predicate,
                f"quote does not occur verbatim in {self._display(path)}: {self._mismatch(wanted, text)}",
                "quote",
            )
        ]

    def orphan_evidence(self) -> Iterator[Problem]:
        used = set(self.graph.objects(None, EGOV.hasEvidence))
        for evidence in sorted(self.graph.subjects(RDF.type, EGOV.Evidence), key=str):
            if evidence not in used:
                yield self.problem(
                    evidence, RDF.type, "evidence that no fact uses (no egov:hasEvidence points to it)", "orphan"
                )

    def cooperation_parties(self) -> Iterator[Problem]:
        """A reuse, co-development or platform use names a participant other than its provider."""
        for record in sorted(set(self.graph.subjects(EGOV.participant, None)), key=str):
            providers = set(self.graph.objects(record, EGOV.provider))
            for land in sorted(self.graph.objects(record, EGOV.participant), key=str):
                if land in providers:
                    yield self.problem(
                        record,
                        EGOV.participant,
                        f"{self.short(land)} is both egov:provider and egov:participant: a Land does not reuse, "
                        "co-develop or use what it provides itself — put the Land that takes part in "
                        "egov:participant and the one that provides the solution in egov:provider",
                        "cooperation",
                    )


_PROV_ENTITY = PROV.entity
__all__ = ["DraftNote", "Problem", "drafts", "normalise_text", "validate"]
