"""Time the ledger's commands on synthetic ledgers against SPEC §11 and the aims of Speed II.

    python benchmarks/bench.py [--sizes 1000,10000,100000] [--runs 5] [--million] [--keep DIR]

For each size it writes a realistic sheet — ten years of cases, about 95% closed; of the open
ones 4 in 5 are late (4,000 late cases at 100,000), Chinese text of realistic length — imports
it with `ledger import` (timed: that is the import benchmark), then runs each command as a whole
process the way the clerk does. Every run of a command is paired with a run of the floor, a bare
`python -c "import typer, rich, sqlite_utils, holidays, dateutil"` started just before it, so a
busy machine slows both alike: each figure is the median of its runs, and the median of its
ratios to the floor of the same pair. `--million` adds a ledger of 1,000,000 cases (the import
and the commands a morning runs; it takes a while). The day's first change — the full
integrity check and the copy into backups/ — is timed on its own at each size.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import i18n  # noqa: E402
from ledger.calendar import WorkCalendar  # noqa: E402
from ledger.timelimits import DEFAULT_LIMITS  # noqa: E402
from ledger.words import CASE_FIELDS  # noqa: E402

TODAY = dt.date(2026, 10, 14)
FLOOR = [sys.executable, "-c", "import typer, rich, sqlite_utils, holidays, dateutil"]
# command -> (seconds, MB or None, × floor or None, where the aim comes from)
AIMS = {
    "--help": (0.3, None, 1.2, "SPEC §11 · Speed II"),
    "daily": (0.5, None, 1.5, "SPEC §11 · Speed II"),
    "daily --json": (0.5, None, 1.5, "Speed II"),
    "overdue": (0.5, None, 1.5, "SPEC §11 · Speed II"),
    "overdue --json": (0.5, None, 1.5, "Speed II"),
    "list --status": (0.5, None, 1.5, "SPEC §11 · Speed II"),
    "list --search": (0.5, None, 1.5, "SPEC §11 · Speed II"),
    "list --search rare": (0.5, None, 1.5, "SPEC §11 · Speed II"),
    "show": (0.5, None, 1.5, "Speed II"),
    "list, long matter": (0.5, None, None, "SPEC §11"),
    "add": (0.4, None, 1.5, "SPEC §11 · Speed II"),
    "weekly": (1.0, 150, None, "own"),
    "weekly 10 years": (1.0, 150, None, "SPEC §11 · Speed II"),
    "export": (5.0, 150, None, "SPEC §11"),
    "import": (15.0, 100, 35, "SPEC §11 · Speed II"),
    "first change": (None, None, None, "reported"),
}
MATTERS = [
    "食品经营许可证新办",
    "道路运输经营许可变更",
    "建筑工程施工许可证办理",
    "城乡居民医保异地就医备案",
    "农机购置补贴申请",
    "个体工商户注销",
    "增值税留抵退税",
    "公共租赁住房申请资格审核",
    "取水许可延续",
    "高标准农田建设项目尾款拨付",
    "商品房预售许可",
    "企业投资项目备案信息变更",
]
CAUSES = [
    "网上提交三次均被退回，每次退回理由不一致，申请人多次来窗口未解决",
    "材料齐全但超过承诺时限仍无审核结果，电话询问无人答复",
    "两个部门互相要求对方先出具意见，申请人来回跑了四趟",
    "系统提示数据不一致无法提交，技术支持电话一直占线",
]
METHODS = [
    "协调承办科室一次性告知补正材料并当场受理",
    "联系省平台运维修正数据后重新提交",
    "召集相关科室会商明确办理顺序",
    "督促承办科室加快现场核查",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
STATUSES = ("received", "classified", "dispatched", "resolved")
DEPARTMENTS = ["市场准入", "投资项目", "工程建设", "社会事务", "农水事务", "税务"]
SECTIONS = ["market", "investment", "construction", "social", "agri-water"]


def write_sheet(path: Path, size: int, seed: int = 7) -> None:
    """A ledger's worth of cases as our own export (Chinese headers), for `ledger import`:
    5% open, and of those four in five already late."""
    i18n.set_language("zh")
    rng = random.Random(seed)
    cal = WorkCalendar(lang="zh")
    first = TODAY - dt.timedelta(days=3650)
    span = (TODAY - first).days
    open_count = max(10, size // 20)
    keys = [key for key, _ in CASE_FIELDS]
    rows = []
    for n in range(size):
        is_open = n >= size - open_count
        late = is_open and rng.random() < 0.8
        if late:
            received = TODAY - dt.timedelta(days=rng.randint(15, 60))
        elif is_open:
            received = TODAY - dt.timedelta(days=rng.randint(0, 4))
        else:
            received = first + dt.timedelta(days=rng.randint(0, span - 30))
        at = dt.datetime.combine(received, dt.time(8 + rng.randint(0, 6), rng.randint(0, 59)))
        limit = rng.choice(["simple", "standard", "standard", "complex"])
        deadline = cal.add_working_days(received, DEFAULT_LIMITS[limit])
        department = rng.choice(DEPARTMENTS)
        status = (rng.choice(STATUSES[2:3] if late else STATUSES)) if is_open else "closed"
        row = {
            "status": i18n.label("status", status),
            "received_at": at.strftime("%Y-%m-%d %H:%M"),
            "channel": i18n.label("channel", rng.choice(["window", "phone", "online", "hotline"])),
            "applicant": rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            "contact": f"13{rng.randint(100000000, 999999999)}",
            "matter": rng.choice(MATTERS),
            "problem": i18n.label(
                "problem", rng.choice(["not-accepted", "not-approved", "repeat-visits"])
            ),
            "cause": rng.choice(CAUSES),
            "sections": i18n.label("section", rng.choice(SECTIONS)),
            "scope": i18n.label("scope", "within"),
            "limit": i18n.label("limit", limit),
            "deadline": deadline.isoformat(),
            "chase_count": str(rng.randint(0, 2)),
        }
        if status != "received":
            row["department"] = department
        if status in ("dispatched", "resolved", "closed"):
            row["dispatched_at"] = (at + dt.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")
        if status in ("resolved", "closed"):
            done = min(received + dt.timedelta(days=rng.randint(0, 8)), TODAY)
            resolved = dt.datetime.combine(done, dt.time(17, 30))
            row["resolved_at"] = resolved.strftime("%Y-%m-%d %H:%M")
            row["resolution"] = i18n.label("resolution", "done")
            row["method"] = rng.choice(METHODS)
            row["outcome"] = "已办结，申请人事项办成"
            row["feedback_due"] = cal.add_working_days(done, 1).isoformat()
        if status == "closed":
            row["feedback_at"] = row["resolved_at"][:10] + " 17:50"
            row["feedback_via"] = i18n.label("via", "phone")
            row["satisfaction"] = i18n.label("satisfaction", "satisfied")
        rows.append(row)
    rows.sort(key=lambda r: r["received_at"])
    seq: dict[str, int] = {}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([i18n.t(f"field.{key}") for key in keys])
        for row in rows:
            year = row["received_at"][:4]
            seq[year] = seq.get(year, 0) + 1
            row["id"] = f"{year}-{seq[year]:04d}"
            writer.writerow([row.get(key, "") for key in keys])


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one whole process: of it and the processes it
    started together (an import's readers), as often as they can be looked at (Linux), and
    never less than the largest of them alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    together = [0.0]
    running = threading.Event()
    running.set()

    def watch() -> None:
        while running.is_set():
            together[0] = max(together[0], _tree_mb(proc.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    running.clear()
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return elapsed, max(usage.ru_maxrss / 1024, together[0])


def _tree_mb(pid: int) -> float:
    """The memory of a process and of those it started, from /proc (0 elsewhere): the
    first one's resident memory, and what each of the others holds of its own. The others
    are the same Python running the same code, so the pages they share with it (Python
    itself, its libraries) are in memory once, and counted once; adding their resident
    memory would count them again for each (an import: 102 MB that way, 87 MB counted once)."""
    total, todo = 0, [pid]
    while todo:
        each = todo.pop()
        try:
            total += _own_kb(each) if each != pid else _resident_kb(each)
            todo += [int(c) for c in Path(f"/proc/{each}/task/{each}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def _resident_kb(pid: int) -> int:
    return int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0])


def _own_kb(pid: int) -> int:
    """The pages a process holds of its own (its resident memory on a kernel that does not
    say: counted twice rather than not at all)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return _resident_kb(pid)
    return sum(
        int(rollup.split(f"\n{kind}:")[1].split()[0]) for kind in ("Private_Clean", "Private_Dirty")
    )


def paired(args: list[str], env: dict, runs: int, prepare=None) -> dict:
    """Median seconds, peak MB, and the median ratio to the floor run just before each run."""
    timed(args, env)  # warm-up: the page cache and the calendar cache
    seconds, peaks, ratios = [], [], []
    for _ in range(runs):
        floor, _ = timed(FLOOR, env)
        if prepare:
            prepare()
        took, peak = timed(args, env)
        seconds.append(took)
        peaks.append(peak)
        ratios.append(took / floor)
    return {
        "seconds": statistics.median(seconds),
        "mb": max(peaks),
        "ratio": statistics.median(ratios),
    }


def first_change(db: Path, env: dict, runs: int) -> dict:
    """The day's first change: the full integrity check, then the copy into backups/."""
    backups = db.parent / "backups"

    def forget_today() -> None:
        shutil.rmtree(backups, ignore_errors=True)

    args = [sys.executable, "-m", "ledger", "--db", str(db), "note", _some_id(db), "基准"]
    return paired(args, env, runs, prepare=forget_today)


def run_size(size: int, work: Path, env: dict, runs: int, light: bool = False) -> list[tuple]:
    sheet = work / f"cases-{size}.csv"
    # in a process of its own: a child forked from a big parent reports its peak memory
    subprocess.run([sys.executable, __file__, "--write-sheet", str(sheet), str(size)], check=True)
    db = work / f"ledger-{size}.db"
    ledger = [sys.executable, "-m", "ledger"]
    floor, _ = timed(FLOOR, env)
    seconds, mb = timed([*ledger, "--db", str(db), "import", str(sheet)], env)
    rows = [(size, "import", {"seconds": seconds, "mb": mb, "ratio": seconds / floor})]
    base = [*ledger, "--db", str(db)]
    # a hotline transcript pasted as the matter: its table took minutes to lay out
    transcript = "来电人反映多次到窗口办理未果，" * 1334
    long_case = [*base, "add", "--applicant", "长文本", "--matter", f"{transcript}长文本标记"]
    subprocess.run(long_case, check=True, env=env, capture_output=True)
    ten_years = (TODAY - dt.timedelta(days=3650)).isoformat()
    commands = {
        "--help": [*ledger, "--help"],
        "daily": [*base, "daily", "--date", TODAY.isoformat()],
        "daily --json": [*base, "daily", "--date", TODAY.isoformat(), "--json"],
        "overdue": [*base, "overdue", "--date", TODAY.isoformat()],
        "overdue --json": [*base, "overdue", "--date", TODAY.isoformat(), "--json"],
        "list --status": [*base, "list", "--status", "dispatched"],
        "list --search": [*base, "list", "--search", "补贴"],
        # a name the ledger does not hold: the whole ledger is read to be sure
        "list --search rare": [*base, "list", "--search", "欧阳锋"],
        "show": [*base, "show", _some_id(db)],
        "list, long matter": [*base, "list", "--search", "长文本标记"],
        "add": [*base, "add", "--applicant", "测试", "--matter", "基准测试事项"],
        "weekly": [*base, "weekly", "--week", "2026-W41"],
        "weekly 10 years": [*base, "weekly", "--from", ten_years, "--to", TODAY.isoformat()],
        "export": [*base, "export", "--out", str(work / "out.csv")],
    }
    if light:
        commands = {
            k: v for k, v in commands.items() if k in ("daily", "overdue", "weekly 10 years")
        }
    for name, args in commands.items():
        rows.append((size, name, paired(args, env, runs)))
    rows.append((size, "first change", first_change(db, env, max(3, runs // 2))))
    return rows


def verdict(size: int, name: str, figure: dict, judged: bool) -> str:
    seconds, mb, times, _ = AIMS[name]
    if not judged or seconds is None:
        return "-"
    ok = figure["seconds"] <= seconds and (mb is None or figure["mb"] <= mb)
    ok = ok and (times is None or figure["ratio"] <= times)
    return "pass" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--million", action="store_true", help="add a ledger of 1,000,000 cases")
    parser.add_argument("--keep", help="keep the ledgers in this folder")
    parser.add_argument("--write-sheet", nargs=2, metavar=("FILE", "SIZE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write_sheet:
        write_sheet(Path(options.write_sheet[0]), int(options.write_sheet[1]))
        return
    sizes = [int(s) for s in options.sizes.split(",")]
    # the floor's packages were compiled when pip installed them; an editable install (or
    # PYTHONDONTWRITEBYTECODE) leaves the ledger's own modules to be compiled on every run,
    # which is not what an installed ledger does: compile them once, as pip would
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ledger")], check=True)
    work = Path(options.keep or tempfile.mkdtemp(prefix="ledger-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LEDGER_LANG": "zh", "COLUMNS": "100"}
    rows = []
    try:
        for size in sizes:
            rows += run_size(size, work, env, options.runs)
        if options.million:
            rows += run_size(1_000_000, work, env, max(3, options.runs // 2), light=True)
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, sizes, options)


def report(rows: list[tuple], sizes: list[int], options) -> None:
    floors = [timed(FLOOR, os.environ)[0] for _ in range(5)]
    print(
        f"floor (bare imports): {statistics.median(floors):.3f} s; runs: {options.runs}; "
        f"python {sys.version.split()[0]}; {os.cpu_count()} cores"
    )
    print(
        f"{'cases':>9}  {'command':<18} {'median s':>9} {'peak MB':>8} {'× floor':>8} "
        f"{'aim':>18}  verdict"
    )
    failures = 0
    judged_size = 100_000 if 100_000 in sizes else max(sizes)
    daily = {}
    for size, name, figure in rows:
        seconds, mb, times, source = AIMS[name]
        aim = " · ".join(
            x
            for x in (
                f"{seconds:g} s" if seconds else "",
                f"{mb} MB" if mb else "",
                f"{times:g}×" if times else "",
            )
            if x
        )
        judged = size == judged_size or (size == 1_000_000 and name == "import")
        if size == 1_000_000 and name == "import":
            judged = False  # at a million, the import is judged by its memory staying flat
        said = verdict(size, name, figure, judged)
        failures += said == "FAIL"
        if name == "daily":
            daily[size] = figure["seconds"]
        print(
            f"{size:>9}  {name:<18} {figure['seconds']:>9.3f} {figure['mb']:>8.0f} "
            f"{figure['ratio']:>8.2f} {aim or '-':>18}  {said} ({source})"
        )
    if len(daily) > 1 and min(sizes) in daily and judged_size in daily:
        ratio = daily[judged_size] / daily[min(sizes)]
        ok = ratio <= 1.5
        failures += not ok
        print(f"daily {judged_size}/{min(sizes)}: {ratio:.2f} (aim 1.5) {'pass' if ok else 'FAIL'}")
    imports = {size: figure for size, name, figure in rows if name == "import"}
    if 1_000_000 in imports and judged_size in imports:
        grew = imports[1_000_000]["mb"] / imports[judged_size]["mb"]
        print(f"import memory 1,000,000 / {judged_size}: {grew:.2f} (flat: at most 1.5)")
        failures += grew > 1.5
    raise SystemExit(1 if failures else 0)


def _some_id(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT id FROM cases ORDER BY year, seq LIMIT 1 OFFSET "
            "(SELECT count(*) / 2 FROM cases)"
        ).fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    main()
