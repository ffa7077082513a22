"""Time the ledger's commands on synthetic ledgers against the budgets of SPEC §11.

    python benchmarks/bench.py [--sizes 1000,10000,100000] [--runs 5]

For each size it writes a realistic sheet (ten years, about 95% closed, the rest open and some
late, Chinese text of realistic length), imports it with `ledger import` (timed: that is the
import benchmark), then runs each command as a whole process the way the clerk does, after a
warm-up, and reports the median wall time and the peak memory (max RSS) of each, beside a floor:
a bare `python -c "import typer, rich, sqlite_utils, holidays, dateutil"` timed in the same run.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import i18n  # noqa: E402
from ledger.calendar import WorkCalendar  # noqa: E402
from ledger.timelimits import DEFAULT_LIMITS  # noqa: E402
from ledger.words import CASE_FIELDS  # noqa: E402

TODAY = dt.date(2026, 10, 14)
# command -> (budget seconds, budget MB or None, from the SPEC or our own)
BUDGETS = {
    "--help": (0.3, None, "SPEC"),
    "daily": (0.5, None, "SPEC"),
    "overdue": (0.5, None, "SPEC"),
    "list --status": (0.5, None, "SPEC"),
    "list --search": (0.5, None, "SPEC"),
    "show": (0.5, None, "own"),
    "add": (0.4, None, "SPEC"),
    "weekly": (1.0, None, "own"),
    "export": (5.0, 150, "SPEC"),
    "import": (15.0, 150, "SPEC"),
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
    """A ledger's worth of cases as our own export (Chinese headers), for `ledger import`."""
    i18n.set_language("zh")
    rng = random.Random(seed)
    cal = WorkCalendar(lang="zh")
    first = TODAY - dt.timedelta(days=3650)
    span = (TODAY - first).days
    rows = []
    open_count = max(10, size // 20)
    for n in range(size):
        is_open = n >= size - open_count
        if is_open:
            received = TODAY - dt.timedelta(days=rng.randint(0, 20))
        else:
            received = first + dt.timedelta(days=rng.randint(0, span - 30))
        at = dt.datetime.combine(received, dt.time(8 + rng.randint(0, 6), rng.randint(0, 59)))
        limit = rng.choice(["simple", "standard", "standard", "complex"])
        deadline = cal.add_working_days(received, DEFAULT_LIMITS[limit])
        if is_open and rng.random() < 0.9:
            # most open cases are within their (often extended) time limit; some are late
            deadline = cal.add_working_days(TODAY, rng.randint(0, 15))
        department = rng.choice(DEPARTMENTS)
        status = rng.choice(STATUSES) if is_open else "closed"
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
            done = received + dt.timedelta(days=rng.randint(0, 8))
            done = min(done, TODAY)
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
    for row in rows:
        year = row["received_at"][:4]
        seq[year] = seq.get(year, 0) + 1
        row["id"] = f"{year}-{seq[year]:04d}"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        keys = [key for key, _ in CASE_FIELDS]
        writer.writerow([i18n.t(f"field.{key}") for key in keys])
        for row in rows:
            writer.writerow([row.get(key, "") for key in keys])


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def median_of(args: list[str], env: dict, runs: int) -> tuple[float, float]:
    timed(args, env)  # warm-up
    results = [timed(args, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-sheet", nargs=2, metavar=("FILE", "SIZE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write_sheet:
        write_sheet(Path(options.write_sheet[0]), int(options.write_sheet[1]))
        return
    sizes = [int(s) for s in options.sizes.split(",")]
    ledger_cmd = [sys.executable, "-m", "ledger"]
    work = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    env = {**os.environ, "LEDGER_LANG": "zh", "COLUMNS": "100"}
    floor, floor_mb = median_of(
        [sys.executable, "-c", "import typer, rich, sqlite_utils, holidays, dateutil"],
        env,
        options.runs,
    )
    rows = []
    daily_by_size = {}
    try:
        for size in sizes:
            sheet = work / f"cases-{size}.csv"
            # in a process of its own: a child forked from a big parent reports its peak memory
            subprocess.run(
                [sys.executable, __file__, "--write-sheet", str(sheet), str(size)], check=True
            )
            db = work / f"ledger-{size}.db"
            seconds, mb = timed([*ledger_cmd, "--db", str(db), "import", str(sheet)], env)
            rows.append((size, "import", seconds, mb))
            base = [*ledger_cmd, "--db", str(db)]
            commands = {
                "--help": [*ledger_cmd, "--help"],
                "daily": [*base, "daily", "--date", TODAY.isoformat()],
                "overdue": [*base, "overdue", "--date", TODAY.isoformat()],
                "list --status": [*base, "list", "--status", "dispatched"],
                "list --search": [*base, "list", "--search", "补贴"],
                "show": [*base, "show", _some_id(db)],
                "add": [*base, "add", "--applicant", "测试", "--matter", "基准测试事项"],
                "weekly": [*base, "weekly", "--week", "2026-W41"],
                "export": [*base, "export", "--out", str(work / "out.csv")],
            }
            for name, args in commands.items():
                seconds, mb = median_of(args, env, options.runs)
                rows.append((size, name, seconds, mb))
                if name == "daily":
                    daily_by_size[size] = seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"floor (bare imports): {floor:.3f} s, {floor_mb:.0f} MB; runs: {options.runs}; "
        f"python {sys.version.split()[0]}; {os.cpu_count()} cores"
    )
    print(
        f"{'cases':>7}  {'command':<14} {'median s':>9} {'peak MB':>8} {'budget':>12} "
        f"{'× floor':>8}  verdict"
    )
    failures = 0
    for size, name, seconds, mb in rows:
        limit, mb_limit, source = BUDGETS[name]
        judged = size == max(sizes)
        ok = seconds <= limit and (mb_limit is None or mb <= mb_limit)
        budget = f"{limit:g} s" + (f"/{mb_limit} MB" if mb_limit else "")
        verdict = ("pass" if ok else "FAIL") if judged else "-"
        if judged and not ok:
            failures += 1
        print(
            f"{size:>7}  {name:<14} {seconds:>9.3f} {mb:>8.0f} {budget:>12} "
            f"{seconds / floor:>8.2f}  {verdict} ({source})"
        )
    if len(daily_by_size) > 1:
        ratio = daily_by_size[max(sizes)] / daily_by_size[min(sizes)]
        ok = ratio <= 1.5
        failures += not ok
        print(
            f"daily {max(sizes)}/{min(sizes)} ratio: {ratio:.2f} (budget 1.5) "
            f"{'pass' if ok else 'FAIL'}"
        )
    raise SystemExit(1 if failures else 0)


def _some_id(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id FROM cases ORDER BY year, seq LIMIT 1 OFFSET "
            "(SELECT count(*) / 2 FROM cases)"
        ).fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    main()
