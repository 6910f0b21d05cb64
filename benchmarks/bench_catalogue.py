"""What the OZG catalogue (data/reference/ozg-leistungen.ttl, 5,482 triples) costs the commands.

Runs ``egovgraph stats``, ``egovgraph validate``, ``egovgraph serve --get /`` and ``serve --get`` of one OZG
page on the bundled data with and without the catalogue file, alternating the two sides run by run (so
both see the same machine load), and prints the median seconds of each side and their ratio. Every run is
a fresh process, so the figures include start-up, loading and (for ``serve``) rendering the dumps. A
script, never a unit test:

    python benchmarks/bench_catalogue.py --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("reference") / "ozg-leistungen.ttl"
COMMANDS = {
    "stats": ["stats"],
    "validate": ["validate"],
    "serve --get /": ["serve", "--get", "/"],
    "serve --get /doc/id/land/bremen": ["serve", "--get", "/doc/id/land/bremen"],
}


def timed(args: list[str], data: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "egovgraph", *args, "--data", str(data)],
        capture_output=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"egovgraph {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per side and command (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        without = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", without)
        (without / CATALOGUE).unlink()
        sides = {"without": without, "with": ROOT / "data"}
        print("| command | without catalogue (s) | with catalogue (s) | ratio |")
        print("|---|---|---|---|")
        for name, command in COMMANDS.items():
            times: dict[str, list[float]] = {side: [] for side in sides}
            for i in range(args.repeat):
                order = list(sides) if i % 2 == 0 else list(reversed(sides))
                for side in order:
                    times[side].append(timed(command, sides[side]))
            a, b = statistics.median(times["without"]), statistics.median(times["with"])
            print(f"| {name} | {a:.2f} | {b:.2f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
