"""export-bundle and verify-bundle from the command line, verify-bundle also where Django cannot
even be imported; and the printed checkpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import strongroom
from strongroom.ledger.log_key import log_verifier
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.notes import KeyType, Signer
from strongroom.services import checkpoints
from tests.cli.conftest import Cli, Result
from tests.conftest import Organisation, last_entry
from tests.pdfs import text

TODAY = date.today().isoformat()


@pytest.fixture(autouse=True)
def log_key(settings: Any, tmp_path: Path) -> None:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"


def export(cli: Cli, unit: str, by: Any, *more: str) -> Result:
    """``strongroom export-bundle --unit UNIT`` for today, as ``by``, with ``more`` options."""
    return cli("export-bundle", "--unit", unit, "--from", TODAY, "--to", TODAY, *more, as_=by)


@pytest.fixture
def exported(org: Organisation, history: Any, cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "hq.jsonl"
    result = export(cli, "hq", org.inspector, "--out", str(path))
    assert result.code == 0, result.err
    return path


# --- export-bundle ------------------------------------------------------------------------------


def test_an_inspector_exports_a_bundle_and_is_told_how_to_check_it(
    org: Organisation, exported: Path, cli: Cli
) -> None:
    record = last_entry()
    assert record.kind == "ledger.exported"
    entries = record.data["entries"]
    key = log_verifier().vkey()
    # The message the export printed, reproduced from what it recorded.
    again = export(cli, "HQ", org.inspector, "--output", str(exported))
    assert again.out == (
        f"Wrote the inspection bundle of HQ {TODAY}..{TODAY} to {exported}: {entries + 1} "
        f"entries (0 withheld), proven against the checkpoint at size {record.seq + 1}; the "
        f"export is entry #{record.seq + 1}.\n"
        f"Check it anywhere, with no database: strongroom verify-bundle {exported} --log-key "
        f"{key}\n"
    )


def test_export_bundle_json_and_a_gzip_file(org: Organisation, cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "north.jsonl.gz"
    result = export(cli, "NORTH", org.officer, "--output", str(path), "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["path"] == str(path) and report["unit"] == "NORTH"
    assert report["export_record"] == last_entry().seq
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    verified = cli("verify-bundle", str(path), "--log-key", report["log_key"])
    assert verified.code == 0, verified.out


def test_the_default_file_name_names_the_unit_and_period(
    org: Organisation, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = export(cli, "NCITY", org.officer)
    assert result.code == 0, result.err
    assert (tmp_path / f"bundle-NCITY-{TODAY}-{TODAY}.jsonl").exists()


def test_a_worker_is_refused_nothing_is_written_and_the_refusal_is_recorded(
    org: Organisation, cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "b.jsonl"
    result = export(cli, "HQ", org.worker, "--output", str(path))
    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: this needs the role of inspector or security officer or "
        "administrator\n"
    )
    assert not path.exists()
    assert last_entry().kind == "access.refused"
    assert last_entry().data["action"] == "ledger:export"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--unit", "NOWHERE", "--from", TODAY, "--to", TODAY], 3, "No unit NOWHERE."),
        (["--unit", "HQ", "--from", "1 Oct", "--to", TODAY], 2, "'1 Oct' is not a date"),
        (["--unit", "HQ", "--to", TODAY], 2, "the following arguments are required: --from"),
        (
            ["--unit", "HQ", "--from", TODAY, "--to", "2000-01-01"],
            2,
            "give --from on or before --to",
        ),
        (
            ["--unit", "HQ", "--from", TODAY, "--to", TODAY, "--output", "/nonexistent/dir/b"],
            2,
            "Cannot write /nonexistent/dir/b: No such file or directory.",
        ),
    ],
)
def test_export_bundle_says_what_is_wrong(
    org: Organisation, cli: Cli, argv: list[str], code: int, message: str
) -> None:
    before = LedgerEntry.objects.count()
    result = cli("export-bundle", *argv, as_=org.inspector)
    assert result.code == code, result.err
    assert result.err.startswith("strongroom: error: ") and message in result.err
    assert result.err.count("\n") == 1
    assert not LedgerEntry.objects.filter(kind="ledger.exported").exists()
    assert LedgerEntry.objects.count() == before


# --- verify-bundle ------------------------------------------------------------------------------


def test_verify_bundle_prints_the_verdict(exported: Path, cli: Cli) -> None:
    result = cli("verify-bundle", str(exported), "--log-key", log_verifier().vkey())
    record = last_entry()
    assert result.code == 0, result.out
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == (
        f"bundle verified: {record.data['entries']} entries of HQ {TODAY}..{TODAY} are in the "
        f"log records.test/strongroom at size {record.seq}, signed by {log_verifier().label}"
    )
    assert lines[1] == (
        f"  exported by ines (Ines Inspector) at {json.loads(record.body)['at']}, recorded in "
        f"the log as entry #{record.seq}"
    )


def test_verify_bundle_without_a_key_warns_what_it_proves(exported: Path, cli: Cli) -> None:
    result = cli("verify-bundle", str(exported))
    assert result.code == 0
    assert result.err.startswith("strongroom: warning: no --log-key given: the bundle's own log")


def test_verify_bundle_names_each_problem_and_exits_1(exported: Path, cli: Cli) -> None:
    lines = exported.read_bytes().splitlines(keepends=True)
    del lines[5]
    exported.write_bytes(b"".join(lines))
    result = cli("verify-bundle", str(exported), "--log-key", log_verifier().vkey(), "--json")
    report = json.loads(result.out)
    assert result.code == 1
    assert report["ok"] is False and report["problem_count"] == len(report["problems"]) == 4
    plain = cli("verify-bundle", str(exported), "--max-problems", "1")
    assert plain.code == 1
    assert plain.out.splitlines() == [
        "bundle NOT verified: 4 problems",
        "  entry #4 is listed in the manifest but missing from the bundle",
        "  (and 3 more; see --max-problems)",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["/nonexistent.jsonl"], "cannot read /nonexistent.jsonl: No such file or directory"),
        (["b.jsonl", "--log-key", "nonsense"], "--log-key: a verifier key is <name>+<key ID>+"),
        (["b.jsonl", "--max-problems", "0"], "--max-problems is 0; give 1 or more"),
    ],
)
def test_verify_bundle_usage_errors(cli: Cli, argv: list[str], message: str) -> None:
    result = cli("verify-bundle", *argv)
    assert result.code == 2
    assert result.err.startswith("strongroom: error: ") and message in result.err


def test_a_witness_key_is_not_the_log_key(cli: Cli) -> None:
    witness = Signer.generate("witness.test", KeyType.COSIGNATURE_V1).verifier.vkey()
    result = cli("verify-bundle", "b.jsonl", "--log-key", witness)
    assert result.code == 2
    assert "is a Ed25519 cosignature/v1 key (type 0x04)" in result.err


def _without_django(argv: list[str], root: Path) -> subprocess.CompletedProcess[str]:
    """``python -m strongroom ARGV`` where Django cannot be imported (a package of that name,
    ahead on the path, refuses) and no settings or database could be used either."""
    fake = root / "fake"
    if not fake.exists():
        (fake / "django").mkdir(parents=True)
        (fake / "django" / "__init__.py").write_text(
            "raise ImportError('Django is unusable in this test')\n", encoding="utf-8"
        )
    source = Path(strongroom.__file__).resolve().parents[1]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([str(fake), str(source)]),
        # Were settings read, each of these would fail them.
        "DJANGO_SETTINGS_MODULE": "no.such.settings",
        "STRONGROOM_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing",
        "STRONGROOM_DATA_DIR": str(root / "no" / "such" / "dir"),
    }
    return subprocess.run(
        [sys.executable, "-m", "strongroom", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=False,
        timeout=120,
    )


def test_verify_bundle_runs_with_no_django_no_settings_and_no_database(
    exported: Path, tmp_path: Path
) -> None:
    key = log_verifier().vkey()
    good = _without_django(["verify-bundle", str(exported), "--log-key", key], tmp_path)
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("bundle verified: ")
    assert good.stderr == ""
    exported.write_bytes(exported.read_bytes().replace(b'"seq":4,', b'"seq":44,', 1))
    bad = _without_django(["verify-bundle", str(exported), "--log-key", key], tmp_path)
    assert bad.returncode == 1
    assert bad.stdout.startswith("bundle NOT verified: ")
    assert "entry #44" in bad.stdout
    # The probe can fail: any other command needs Django, and here cannot have it.
    other = _without_django(["whoami"], tmp_path)
    assert other.returncode != 0 and "Django is unusable in this test" in other.stderr


def test_verify_bundle_help_lists_its_options(tmp_path: Path) -> None:
    result = _without_django(["verify-bundle", "--help"], tmp_path)
    assert result.returncode == 0
    for option in ("PATH", "--log-key VKEY", "--max-problems N", "--json"):
        assert option in result.stdout


# --- print-checkpoint ---------------------------------------------------------------------------


def test_anyone_signed_in_prints_the_checkpoint(
    org: Organisation, history: Any, cli: Cli, tmp_path: Path
) -> None:
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    path = tmp_path / "head.pdf"
    result = cli("print-checkpoint", "--out", str(path), as_=org.worker)
    assert result.code == 0, result.err
    assert result.out == f"Wrote the checkpoint to {path}.\n"
    words = text(path.read_bytes())
    assert f"Size (entries) {signed.size}" in words
    assert signed.root.hex()[:32] in words.replace(" ", "")
    assert "records.test/strongroom" in words


def test_print_checkpoint_before_any_is_signed(org: Organisation, cli: Cli) -> None:
    result = cli("print-checkpoint", as_=org.worker)
    assert result.code == 3
    assert result.err == "strongroom: error: No checkpoint has been signed yet.\n"
