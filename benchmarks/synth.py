"""A synthetic egovgraph of a chosen size as one self-contained N-Quads dump: the bundled build plus
``egovgraph.graph.synth`` output (municipalities, EfA services with reuse, officials with dated roles,
initiatives, evidence for every fact, one named graph per synthetic source).

The generator itself lives in the library (``egovgraph synth``); this script only picks the sizes for
a target number of quads and prepends the bundled build so that named queries see the Länder, the
ontology and the vocabularies. Deterministic for a given size and seed.
Run ``python benchmarks/synth.py 100000 out.nq``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

#: Real-world caps: about 11,000 municipalities and 600 EfA services in Germany.
MUNICIPALITIES = 11_000
SERVICES = 600


def sizes(target: int) -> tuple[int, int]:
    """Municipalities and services for about ``target`` quads (initiatives fill the rest)."""
    return min(MUNICIPALITIES, target // 60), min(SERVICES, max(1, target // 1500))


def build_nquads() -> bytes:
    """The bundled build (ontology, reference data, sources) as N-Quads."""
    import pyoxigraph as ox

    from egovgraph.graph.build import DUMP_NAME, render
    from egovgraph.graph.load import load

    trig = render(load())[f"{DUMP_NAME}.trig"]
    return ox.serialize(ox.parse(trig, format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS) or b""


def write(target: int, path: Path, seed: int = 0) -> int:
    """Write the bundled build plus synthetic data to ``path`` (N-Quads) and return the number of quads."""
    from egovgraph.graph.synth import generate

    build = build_nquads()
    base = build.count(b"\n")
    municipalities, services = sizes(target)
    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "synth.nq"
        done = generate(
            part, municipalities=municipalities, services=services, seed=seed, triples=max(0, target - base)
        )
        with path.open("wb") as out:
            out.write(build)
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    return base + done.triples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("triples", type=int, help="about how many quads to write, e.g. 100000")
    parser.add_argument("out", type=Path, help="the .nq file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"wrote {write(args.triples, args.out, args.seed)} quads to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
