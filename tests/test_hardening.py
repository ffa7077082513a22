"""SPEC §8–9 as the clerk's reality: power cuts, two terminals, odd files, restores, privacy."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd
from hypothesis import given
from hypothesis import strategies as st

SAMPLE = Path(__file__).parent.parent / "sample_data" / "cases.csv"


def big_sheet(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("受理时间,反映人,事项名称,问题缘由\n")
        for n in range(rows):
            day = dt.date(2026, 1, 5) + dt.timedelta(days=n % 280)
            handle.write(f"{day} 09:{n % 60:02d},申请人{n},事项{n},缘由写得长一些，像真的一样{n}\n")
    return path


def case_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


def spawn(db: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "LEDGER_DB": str(db), "LEDGER_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "ledger", *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# -- crash safety -----------------------------------------------------------------------


def test_an_import_killed_part_way_leaves_none_of_it(tmp_path):
    db = tmp_path / "ledger.db"
    sheet = big_sheet(tmp_path / "big.csv", 20000)
    assert ledger_cmd(db, "backup", tmp_path / "warm.db").returncode == 0
    ledger_cmd(db, "calendar", "holiday", "2026-12-31")  # the day's copy is made now
    wal = db.with_name(db.name + "-wal")
    proc = spawn(db, "import", sheet)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 256 * 1024:  # rows are going in
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert case_count(db) == 0
    result = ledger_cmd(db, "check")
    assert result.returncode == 0, result.stderr
    # and the same file imports whole afterwards
    assert ledger_cmd(db, "import", sheet).returncode == 0
    assert case_count(db) == 20000


def test_an_add_killed_during_the_daily_copy_changes_nothing(tmp_path):
    db = tmp_path / "ledger.db"
    assert ledger_cmd(db, "import", big_sheet(tmp_path / "big.csv", 20000)).returncode == 0
    backups = tmp_path / "backups"
    killed = False
    for _attempt in range(5):
        shutil.rmtree(backups, ignore_errors=True)
        before = case_count(db)
        proc = spawn(db, "add", "--applicant", "张三", "--matter", "事项")
        while proc.poll() is None:
            if backups.exists() and any(backups.glob("*.partial")):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
        proc.wait()
        if proc.returncode == -signal.SIGKILL:
            killed = True
            assert case_count(db) == before
            break
    assert killed, "the add never got caught in the middle of its copy"
    # no half-written copy is ever named as a good one
    assert not list(backups.glob("ledger-????-??-??.db"))
    assert ledger_cmd(db, "check").returncode == 0
    assert ledger_cmd(db, "add", "--applicant", "张三", "--matter", "事项").returncode == 0
    assert [p.name for p in backups.glob("ledger-????-??-??.db")] == [
        f"ledger-{dt.date.today()}.db"
    ]


# -- two terminals ----------------------------------------------------------------------

WORKER = """
import sys
from ledger.store import Ledger
from ledger.actions import Desk
ledger = Ledger(sys.argv[1])
worker = sys.argv[2]
for n in range(8):
    with ledger.writing():
        case = Desk(ledger).add(f"申请人{worker}-{n}", "事项", at="2026-10-12 09:00")
    with ledger.writing():
        Desk(ledger).dispatch(case.id, dept="税务", at="2026-10-12 10:00")
    with ledger.writing():
        Desk(ledger).urge(case.id, at="2026-10-12 11:00")
    with ledger.writing():
        Desk(ledger).resolve(case.id, method="m", outcome="o", at="2026-10-12 12:00")
"""


def test_several_terminals_at_once_lose_nothing(tmp_path):
    db = tmp_path / "ledger.db"
    assert ledger_cmd(db, "settings", "show").returncode == 0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), str(w)], stderr=subprocess.PIPE, text=True
        )
        for w in range(6)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(db)
    seqs = [r[0] for r in conn.execute("SELECT seq FROM cases WHERE year = 2026 ORDER BY seq")]
    assert seqs == list(range(1, 49))  # unique and gap-free
    actions = conn.execute(
        "SELECT group_concat(action, ' ') FROM (SELECT case_id, action FROM events ORDER BY id) "
        "GROUP BY case_id"
    ).fetchall()
    assert {a[0] for a in actions} == {"received classify dispatch urge resolve"}
    assert conn.execute("SELECT min(chase_count), max(chase_count) FROM cases").fetchone() == (1, 1)
    conn.close()
    assert ledger_cmd(db, "check").returncode == 0


# -- files ------------------------------------------------------------------------------


@pytest.fixture
def sample_ledger(tmp_path) -> Path:
    db = tmp_path / "ledger.db"
    assert ledger_cmd(db, "import", SAMPLE).returncode == 0
    return db


def refused_unchanged(db: Path, *args: str, message: str) -> str:
    before = digest(db)
    result = ledger_cmd(db, *args)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert digest(db) == before
    return lines[0]


def test_a_read_only_ledger_is_refused_with_a_clear_message(sample_ledger):
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    made = subprocess.run(["chattr", "+i", str(sample_ledger)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("this filesystem cannot mark a file immutable")
    try:
        before = sample_ledger.read_bytes()
        (sample_ledger.parent / "backups").mkdir(exist_ok=True)
        result = ledger_cmd(sample_ledger, "note", "2026-0001", "x")
        assert result.returncode == 1 and "cannot be written" in result.stderr
        assert "Traceback" not in result.stderr
        assert sample_ledger.read_bytes() == before
        assert ledger_cmd(sample_ledger, "list", "--json").returncode == 0  # reading still works
    finally:
        subprocess.run(["chattr", "-i", str(sample_ledger)])


def test_a_full_disk_changes_nothing(sample_ledger, tmp_path):
    sheet = big_sheet(tmp_path / "big.csv", 5000)
    ledger_cmd(sample_ledger, "calendar", "holiday", "2026-12-31")  # the day's copy exists
    limit = sample_ledger.stat().st_size + 64 * 1024

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    listed = ledger_cmd(sample_ledger, "list", "--json").stdout
    before = sample_ledger.read_bytes()
    result = ledger_cmd(sample_ledger, "import", sheet, preexec_fn=small_disk)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sample_ledger.read_bytes() == before
    assert ledger_cmd(sample_ledger, "list", "--json").stdout == listed
    assert ledger_cmd(sample_ledger, "check").returncode == 0


def _damage(path: Path, where: float, length: int = 4096) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * where) // 4096 * 4096 + 100
    data[start : start + length] = bytes((i * 37) % 251 for i in range(length))
    path.write_bytes(bytes(data))


def test_a_ledger_damaged_in_its_middle_pages_is_refused_unchanged(sample_ledger):
    _damage(sample_ledger, 0.5)
    refused_unchanged(sample_ledger, "add", "--applicant", "x", "--matter", "y", message="damaged")
    result = ledger_cmd(sample_ledger, "check")
    said = result.stderr + result.stdout
    assert result.returncode == 1 and ("integrity" in said or "damaged" in said)


def test_a_truncated_ledger_is_refused_unchanged(sample_ledger):
    data = sample_ledger.read_bytes()
    sample_ledger.write_bytes(data[: len(data) // 2])
    refused_unchanged(sample_ledger, "add", "--applicant", "x", "--matter", "y", message="damaged")


def test_check_names_a_status_that_disagrees_with_the_timeline(sample_ledger):
    conn = sqlite3.connect(sample_ledger)
    conn.execute("UPDATE cases SET status = 'closed' WHERE id = '2026-0031'")
    conn.commit()
    conn.close()
    result = ledger_cmd(sample_ledger, "check")
    assert result.returncode == 1
    found = "2026-0031: status Closed (applicant answered) disagrees with its timeline"
    assert found in result.stderr


def test_a_closure_moves_an_imported_deadline_and_check_agrees(sample_ledger):
    """2026-0022 was imported due 2026-10-15; a closure declared on that day moves it to the
    next working day (SPEC §3), so the ledger stays sound."""
    moved = ledger_cmd(sample_ledger, "calendar", "holiday", "2026-10-15")
    assert moved.returncode == 0
    assert "2026-0022" in moved.stdout + moved.stderr
    shown = json.loads(ledger_cmd(sample_ledger, "show", "2026-0022", "--json").stdout)
    assert shown["deadline"] == "2026-10-16"
    assert ledger_cmd(sample_ledger, "check").returncode == 0


def test_check_names_a_deadline_that_is_not_a_working_day(sample_ledger):
    """Written into the file by another program: `check` says so."""
    conn = sqlite3.connect(sample_ledger)
    conn.execute("UPDATE cases SET deadline = '2026-10-17' WHERE id = '2026-0022'")
    conn.commit()
    conn.close()
    result = ledger_cmd(sample_ledger, "check")
    assert result.returncode == 1
    assert "2026-0022: deadline 2026-10-17 is not a working day" in result.stderr


# -- restore ----------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_the_current_file(sample_ledger, tmp_path):
    copy = tmp_path / "copy.db"
    assert ledger_cmd(sample_ledger, "backup", copy).returncode == 0
    assert (
        ledger_cmd(sample_ledger, "add", "--applicant", "后来", "--matter", "后来的事").returncode
        == 0
    )
    assert case_count(sample_ledger) == 47
    result = ledger_cmd(sample_ledger, "restore", copy)
    assert result.returncode == 0, result.stderr
    assert case_count(sample_ledger) == 46
    kept = next((tmp_path / "backups").glob("ledger-before-restore-*.db"))
    assert case_count(kept) == 47
    assert ledger_cmd(sample_ledger, "check").returncode == 0


def test_restore_refuses_a_bad_backup(sample_ledger, tmp_path):
    damaged = tmp_path / "damaged.db"
    shutil.copy(sample_ledger, damaged)
    _damage(damaged, 0.5)
    refused_unchanged(sample_ledger, "restore", damaged, message="damaged")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    refused_unchanged(sample_ledger, "restore", foreign, message="not a ledger")
    refused_unchanged(sample_ledger, "restore", tmp_path / "nothing.db", message="does not exist")


# -- privacy ----------------------------------------------------------------------------


def test_no_full_phone_number_leaves_without_full_contact(sample_ledger, tmp_path):
    phones = set(re.findall(r"1[3-9]\d{9}", SAMPLE.read_text(encoding="utf-8-sig")))
    assert len(phones) > 30
    page, sheet, week = tmp_path / "sheet.html", tmp_path / "out.csv", tmp_path / "week.csv"
    outputs = []
    for args in (
        ("list",),
        ("list", "--json"),
        ("show", "2026-0004"),
        ("show", "2026-0004", "--json"),
        ("daily", "--date", "2026-10-14"),
        ("daily", "--date", "2026-10-14", "--json"),
        ("daily", "--date", "2026-10-14", "--html", page),
        ("overdue", "--date", "2026-10-14"),
        ("overdue", "--date", "2026-10-14", "--json"),
        ("weekly", "--week", "2026-W41"),
        ("weekly", "--week", "2026-W41", "--json", "--csv", week),
        ("export",),
        ("export", "--out", sheet),
        ("add", "--applicant", "刘先生", "--contact", "13705710004", "--matter", "再来"),
    ):
        result = ledger_cmd(sample_ledger, *args)
        assert result.returncode == 0, (args, result.stderr)
        outputs.append(result.stdout + result.stderr)
    outputs += [
        page.read_text(encoding="utf-8"),
        sheet.read_text(encoding="utf-8-sig"),
        week.read_text(encoding="utf-8-sig"),
    ]
    everything = "\n".join(outputs)
    assert [p for p in phones if p in everything] == []
    assert "137****0004" in everything
    full = ledger_cmd(sample_ledger, "show", "2026-0004", "--full-contact").stdout
    assert "13705710004" in full


@pytest.mark.parametrize(
    "contact, masked",
    [
        ("13812345678", "138****5678"),
        ("057187654321", "057****4321"),
        ("+8613812345678", "+86****5678"),
        ("85551234", "85****34"),  # a landline without its area code
        ("855512345", "85****345"),
        ("0571855512", "057****512"),
        ("8555123", "8******"),
        # the marks a number is written with are not what the mask hides: four digits are
        ("8555-1234", "85****34"),
        ("8555 1234", "85****34"),
        ("138-1234-5678", "138****5678"),
    ],
)
def test_a_mask_always_hides_four_characters(contact, masked):
    from ledger.privacy import mask, same_under_mask

    assert mask(contact) == masked
    assert same_under_mask(masked, contact)
    # another number that differs in a character the mask shows is not the same
    other = (
        contact[:-1] + str((int(contact[-1]) + 1) % 10)
        if masked[-1] != "*"
        else str((int(contact[0]) + 1) % 10) + contact[1:]
    )
    assert not same_under_mask(masked, other)


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=24)
    | st.text(alphabet="0123456789０１２³", min_size=8, max_size=16)
)
def test_a_number_of_plain_digits_is_masked_as_any_other(contact):
    """`mask` takes a short way for a number typed as plain digits, the common contact: it
    must give what the long way gives (the same number with a space either side takes it)."""
    from ledger.privacy import mask

    assert mask(contact) == mask(f" {contact} ")


@given(st.text(alphabet="0123456789-+ ", min_size=5, max_size=20))
def test_no_mask_gives_a_number_away(contact):
    from ledger.privacy import mask

    text = contact.strip()
    masked = mask(contact)
    shown = len(masked) - masked.count("*")
    hidden = len(text) - shown
    assert hidden >= min(4, len(text) - 1), (contact, masked)
    digits = sum(c.isdigit() for c in text)
    digits_shown = sum(c.isdigit() for c in masked)
    assert digits - digits_shown >= min(4, digits - 1), (contact, masked)


def test_an_export_masked_before_landlines_kept_four_hidden_imports_as_the_same(run, tmp_path):
    """Exports made before a landline's mask hid four characters wrote 855****1234: they
    still import as the case they are, not as a conflict."""
    added = run("add", "--applicant", "王先生", "--contact", "85551234", "--matter", "座机")
    assert added.exit_code == 0, added.stderr
    out = tmp_path / "out.csv"
    assert run("export", "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "85****34" in text and "85551234" not in text
    out.write_text(text.replace("85****34", "855****1234"), encoding="utf-8-sig")
    again = run("import", out)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 1 already in the ledger unchanged" in again.stdout


def test_exported_cells_never_start_with_a_formula_prefix(sample_ledger, tmp_path):
    import csv

    ledger_cmd(sample_ledger, "note", "2026-0001", "=cmd|' /C calc'!A0")
    ledger_cmd(sample_ledger, "edit", "2026-0001", "--cause", "+1-1", "--outcome", "@SUM(1)")
    out = tmp_path / "out.csv"
    assert ledger_cmd(sample_ledger, "export", "--out", out, "--full-contact").returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
