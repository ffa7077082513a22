"""Time the office above (SPEC §13): `ledger city` over 150 packs of 6,700 cases, and the
README's DuckDB query over the same packs.

    python benchmarks/city.py [--packs 150] [--cases 6700] [--distinct 10] [--runs 3] [--keep DIR]

(`--keep DIR` builds in DIR and keeps it; a later run with the same DIR reuses its packs.)

It writes `--distinct` ledgers of `--cases` cases each with the sheet of `benchmarks/bench.py`
(ten years, about 95% closed, of the open ones four in five late) and imports them with
`ledger import`; each gets a window code and is packed with `ledger pack` (timed). The other
windows' packs are copies of these under codes of their own (their `pack_info` rewritten), so
that 150 packs cost ten imports: the figures of a copy are counted like any other pack's.
Then `ledger city` for a week and for the year so far, and the DuckDB script of the README
for the same week, each as a whole process: median wall time and peak memory (max RSS).
Exits 1 if `ledger city` misses SPEC §13's budget (60 s, 1 GB).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import timed, write_sheet  # noqa: E402

BUDGET_SECONDS, BUDGET_MB = 60.0, 1024
WEEK = ("2026-10-05", "2026-10-11")


def duckdb_script(folder: Path) -> Path:
    """The README's DuckDB script, exactly as documented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- duckdb-query -->\n```python\n(.*?)```", readme, re.S)
    if found is None:
        raise SystemExit("README.md: the DuckDB script after <!-- duckdb-query --> is missing")
    script = folder / "city_counts.py"
    script.write_text(found.group(1), encoding="utf-8")
    return script


def build_packs(work: Path, packs: int, cases: int, distinct: int, env: dict) -> list[Path]:
    ledger = [sys.executable, "-m", "ledger"]
    folder = work / "packs"
    if len(list(folder.glob("*.db"))) == packs:
        print(f"reusing the {packs} packs in {folder}")
        return sorted(folder.glob("*.db"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    made: list[Path] = []
    pack_times = []
    for n in range(min(distinct, packs)):
        sheet = work / f"cases-{n}.csv"
        write_sheet(sheet, cases, seed=100 + n)
        db = work / f"window-{n}.db"
        subprocess.run(
            [*ledger, "--db", db, "import", sheet], env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            [*ledger, "--db", db, "settings", "set", "window_code", f"W{n:03d}"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [*ledger, "--db", db, "settings", "set", "window_name", f"第{n:03d}号窗口"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        target = folder / f"W{n:03d}.db"
        seconds, mb = timed([*ledger, "--db", str(db), "pack", str(target)], env)
        pack_times.append((seconds, mb))
        made.append(target)
    for n in range(len(made), packs):
        target = folder / f"W{n:03d}.db"
        shutil.copyfile(made[n % len(made)], target)
        with sqlite3.connect(target) as conn:
            conn.execute(
                "UPDATE pack_info SET window_code = ?, window_name = ?",
                (f"W{n:03d}", f"第{n:03d}号窗口"),
            )
        conn.close()
    seconds = statistics.median(s for s, _ in pack_times)
    mb = max(m for _, m in pack_times)
    size = statistics.median(p.stat().st_size for p in made) / 1e6
    print(f"ledger pack of {cases} cases: {seconds:.2f} s, {mb:.0f} MB; a pack is {size:.1f} MB")
    return sorted(folder.glob("*.db"))


def measure(name: str, args: list[str], env: dict, runs: int) -> tuple[float, float]:
    timed(args, env)  # warm-up: the page cache
    results = [timed(args, env) for _ in range(runs)]
    seconds, mb = statistics.median(s for s, _ in results), max(m for _, m in results)
    print(f"  {name}: {seconds:.2f} s, {mb:.0f} MB", flush=True)
    return seconds, mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=150)
    parser.add_argument("--cases", type=int, default=6700)
    parser.add_argument("--distinct", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    options = parser.parse_args()
    env = {**os.environ, "LEDGER_LANG": "en", "PYTHONPATH": str(ROOT)}
    env.pop("LEDGER_DEBUG", None)
    work = options.keep or Path(tempfile.mkdtemp(prefix="ledger-city-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        packs = build_packs(work, options.packs, options.cases, options.distinct, env)
        print(f"{len(packs)} packs built in {time.perf_counter() - started:.0f} s")
        city = [sys.executable, "-m", "ledger", "city", *map(str, packs), "--json"]
        script = [sys.executable, str(duckdb_script(work)), *WEEK, *map(str, packs)]
        runs = options.runs
        rows = [
            (
                "ledger city, a week",
                measure("city, a week", [*city, "--from", WEEK[0], "--to", WEEK[1]], env, runs),
                True,
            ),
            (
                "ledger city, the year",
                measure(
                    "city, the year", [*city, "--from", "2026-01-01", "--to", WEEK[1]], env, runs
                ),
                True,
            ),
            ("DuckDB script, a week", measure("DuckDB, a week", script, env, runs), False),
        ]
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{options.packs} packs × {options.cases} cases; {os.cpu_count()} cores; runs: {runs}")
    print(f"  {'what':28} {'median s':>9} {'peak MB':>8}  budget")
    failed = False
    for name, (seconds, mb), budgeted in rows:
        verdict = ""
        if budgeted:
            ok = seconds <= BUDGET_SECONDS and mb <= BUDGET_MB
            failed |= not ok
            verdict = f"{BUDGET_SECONDS:.0f} s/{BUDGET_MB} MB {'ok' if ok else 'MISSED'}"
        print(f"  {name:28} {seconds:9.2f} {mb:8.0f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
