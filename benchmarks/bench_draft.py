"""How much of a hand-curated source does `egovgraph draft` find? Recall and precision per kind of fact.

Articles: the founding article (part 3 of the series, copied from the page with its furniture) against the
hand-curated data/sources/egovernment-bilanz-teil-3.ttl, and the synthetic test articles of
benchmarks/data/draft/ (invented statements, never data) against their gold JSON. The draft is made
against the bundled data without the gold source, so nothing the curator wrote for the article helps.

Kinds: Länder (the source's schema:about), persons with role (name, role, Land), statements (exact text
and speaker), initiatives (same Land and evidence; then with the right status, and with status and time),
technologies ((Land, technology) of the initiatives). "furniture" counts drafted literals that contain
page furniture (must be 0). Not a pass/fail test: it prints figures.

    PYTHONPATH=src python benchmarks/bench_draft.py [--article NAME] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS

from egovgraph.draft.run import draft
from egovgraph.draft.write import Meta
from egovgraph.graph.load import default_data_dir, load
from egovgraph.vocab.namespaces import DEFAULT_BASE, EGOV, SCHEMA

HERE = Path(__file__).parent / "data" / "draft"
DCT = "http://purl.org/dc/terms/"
ID = DEFAULT_BASE + "id/"


def tail(node: object) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Initiative:
    lands: frozenset[str]
    status: str
    times: frozenset[str]
    evidence: tuple[str, ...]
    label: str


@dataclass
class Facts:
    lands: set[str] = field(default_factory=set)
    persons: set[tuple[str, str, str]] = field(default_factory=set)
    statements: set[tuple[str, str]] = field(default_factory=set)
    initiatives: list[Initiative] = field(default_factory=list)
    technologies: set[tuple[str, str]] = field(default_factory=set)
    literals: list[str] = field(default_factory=list)


def extract(graph: Graph, names: Graph, source: str) -> Facts:
    """The facts of one source file, in the benchmark's terms (names of persons looked up in ``names``)."""
    facts = Facts()
    src = URIRef(ID + "source/" + source)
    facts.lands = {tail(o) for o in graph.objects(src, SCHEMA.about) if "/land/" in str(o)}

    def name(person: object) -> str:
        value = graph.value(person, FOAF.name) or names.value(person, FOAF.name)  # type: ignore[arg-type]
        return norm(str(value)) if value is not None else tail(person)

    for m in set(graph.subjects(RDF.type, ORG.Membership)) | set(graph.subjects(EGOV.hasEvidence, None)):
        if "/membership/" not in str(m):
            continue
        member = graph.value(m, ORG.member) or names.value(m, ORG.member)
        org = graph.value(m, ORG.organization) or names.value(m, ORG.organization)
        role = graph.value(m, ORG.role) or names.value(m, ORG.role)
        if member is not None and org is not None and role is not None and "/land/" in str(org):
            facts.persons.add((name(member), tail(role), tail(org)))
    for st in graph.subjects(RDF.type, EGOV.Statement):
        text = graph.value(st, SCHEMA.text)
        for speaker in graph.objects(st, PROV.wasAttributedTo):
            facts.statements.add((norm(str(text)), name(speaker)))
    for cls in (EGOV.Initiative, EGOV.Strategy):
        for i in sorted(graph.subjects(RDF.type, cls), key=str):
            lands = frozenset(tail(o) for o in graph.objects(i, EGOV.responsibleOrganisation))
            status = tail(graph.value(i, EGOV.status) or "none")
            times = frozenset(tail(o) for p in (URIRef(DCT + "temporal"), EGOV.dueBy) for o in graph.objects(i, p))
            evidence = tuple(
                norm(str(q)) for e in graph.objects(i, EGOV.hasEvidence) for q in graph.objects(e, EGOV.quote)
            )
            facts.initiatives.append(Initiative(lands, status, times, evidence, str(graph.value(i, RDFS.label))))
            for tech in graph.objects(i, EGOV.usesTechnology):
                facts.technologies.update((land, tail(tech)) for land in lands)
    facts.literals = [str(o) for o in graph.objects() if isinstance(o, Literal)]
    return facts


def gold_from_json(gold: dict[str, object]) -> Facts:
    facts = Facts()
    facts.lands = set(gold["lands"])  # type: ignore[arg-type]
    facts.persons = {tuple(p) for p in gold["persons"]}  # type: ignore[misc, attr-defined]
    facts.statements = {(norm(t), s) for t, s in gold["statements"]}  # type: ignore[attr-defined]
    for i in gold["initiatives"]:  # type: ignore[attr-defined]
        times = frozenset([i["time"]] if i["time"] else [])
        facts.initiatives.append(Initiative(frozenset([i["land"]]), i["status"], times, (norm(i["evidence"]),), ""))
    facts.technologies = {tuple(t) for t in gold["technologies"]}  # type: ignore[misc, attr-defined]
    return facts


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w{4,}", text)}


def match_initiatives(gold: list[Initiative], drafted: list[Initiative]) -> list[tuple[Initiative, Initiative]]:
    """One draft per gold initiative: same Land, evidence overlapping, the clause closest in words."""
    free = list(drafted)
    pairs = []
    for g in sorted(gold, key=lambda g: len(g.evidence)):  # the most constrained first
        candidates = [
            d for d in free if d.lands & g.lands and any(ge in de or de in ge for ge in g.evidence for de in d.evidence)
        ]
        if not candidates:
            continue
        target = words(" ".join(g.evidence) + " " + g.label)
        best = max(
            candidates,
            key=lambda d: (
                sum(ge in de or de in ge for ge in g.evidence for de in d.evidence),
                len(words(d.label) & target),
            ),
        )
        free.remove(best)
        pairs.append((g, best))
    return pairs


def ratio(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    – "


def row(kind: str, matched: int, gold: int, drafted: int) -> str:
    counts = f"{matched:>3} of {gold:>3} gold, {drafted:>3} drafted"
    return f"  {kind:<34} {counts}   recall {ratio(matched, gold)}   precision {ratio(matched, drafted)}"


def measure(
    name: str, text: Path, gold: Facts, data: Path, furniture: list[str], verbose: bool
) -> dict[str, tuple[int, int, int]]:
    loaded = load(data)
    slug = "bench-" + name
    result = draft(text.read_bytes(), str(text), loaded, Meta(slug, "", date="2024-12"), text_path=f"texts/{slug}.txt")
    graph = Graph().parse(data=result.turtle, format="turtle")
    found = extract(graph, loaded.union(), slug)
    pairs = match_initiatives(gold.initiatives, found.initiatives)
    status_ok = [p for p in pairs if p[0].status == p[1].status]
    time_ok = [p for p in status_ok if p[0].times == p[1].times]
    leaked = [lit for lit in found.literals for f in furniture if f in lit]
    figures = {
        "Länder": (len(gold.lands & found.lands), len(gold.lands), len(found.lands)),
        "persons with role": (len(gold.persons & found.persons), len(gold.persons), len(found.persons)),
        "statements (text and speaker)": (
            len(gold.statements & found.statements),
            len(gold.statements),
            len(found.statements),
        ),
        "initiatives (Land, evidence)": (len(pairs), len(gold.initiatives), len(found.initiatives)),
        "initiatives with the right status": (len(status_ok), len(gold.initiatives), len(found.initiatives)),
        "initiatives with status and time": (len(time_ok), len(gold.initiatives), len(found.initiatives)),
        "technologies (Land, technology)": (
            len(gold.technologies & found.technologies),
            len(gold.technologies),
            len(found.technologies),
        ),
    }
    print(f"{name}:")
    for kind, (m, g, d) in figures.items():
        print(row(kind, m, g, d))
    print(f"  {'facts from page furniture':<34} {len(leaked):>3}")
    if verbose:
        for label, missing in (
            ("persons missed", gold.persons - found.persons),
            ("persons extra", found.persons - gold.persons),
            ("statements missed", gold.statements - found.statements),
            ("statements extra", found.statements - gold.statements),
            ("technologies missed", gold.technologies - found.technologies),
            ("technologies extra", found.technologies - gold.technologies),
        ):
            for item in sorted(missing):
                print(f"    {label}: {str(item)[:140]}")
        matched = {id(g) for g, _ in pairs}
        for g in gold.initiatives:
            if id(g) not in matched:
                print(f"    initiative missed: {sorted(g.lands)} {g.status} {sorted(g.times)} {g.evidence[0][:100]}")
        for g, d in pairs:
            if g.status != d.status or g.times != d.times:
                said = f"gold {g.status} {sorted(g.times)} draft {d.status} {sorted(d.times)}"
                print(f"    initiative wrong: {said}: {d.label[:80]}")
        used = {id(d) for _, d in pairs}
        for d in found.initiatives:
            if id(d) not in used:
                print(f"    initiative extra: {sorted(d.lands)} {d.status} {d.label[:100]}")
        for lit in leaked:
            print(f"    furniture: {lit[:100]}")
    figures["furniture"] = (len(leaked), 0, 0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--article", default=None, help="only this article (file stem)")
    parser.add_argument("--verbose", action="store_true", help="list misses, extras and wrong statuses")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec in sorted(HERE.glob("*.json")):
            if args.article and spec.stem != args.article:
                continue
            gold_spec = json.loads(spec.read_text(encoding="utf-8"))
            text = (HERE / gold_spec["text"]).resolve()
            data = Path(tmp) / spec.stem
            shutil.copytree(default_data_dir(), data)
            if "gold_ttl" in gold_spec:
                gold_ttl = (HERE / gold_spec["gold_ttl"]).resolve()
                (data / "sources" / gold_ttl.name).unlink()
                (data / "texts" / f"{gold_ttl.stem}.txt").unlink(missing_ok=True)
                names = load().union()
                gold = extract(Graph().parse(gold_ttl, format="turtle"), names, gold_ttl.stem)
            else:
                gold = gold_from_json(gold_spec)
            figures = measure(spec.stem, text, gold, data, gold_spec.get("furniture", []), args.verbose)
            if gold_spec.get("synthetic"):
                for kind, values in figures.items():
                    totals.setdefault(kind, [0, 0, 0])
                    totals[kind] = [a + b for a, b in zip(totals[kind], values, strict=True)]
    if totals:
        print("synthetic articles together:")
        for kind, (m, g, d) in totals.items():
            print(row(kind, m, g, d) if kind != "furniture" else f"  {'facts from page furniture':<34} {m:>3}")


if __name__ == "__main__":
    main()
