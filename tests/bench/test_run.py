"""``strongroom bench`` end to end on a tiny dataset. Only what is printed is checked, never how
fast anything was: timings depend on the machine, and benchmarks inform rather than fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.bench import run

FIGURES = (
    "1a durable registrations",
    "1b durable issue/return ops",
    "2a verify (serial, default)",
    "2b verify --parallel",
    "3a copy + history, p50",
    "3b copy + history, p99",
)


def test_quick_run_prints_every_figure_with_its_reference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["--quick"]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    for figure in FIGURES:
        row = next((line for line in lines if line.startswith(figure)), None)
        assert row is not None, f"no line for {figure!r} in:\n{printed}"
        if not figure.startswith("3a"):
            assert row.split()[-1] in {"PASS", "BELOW"}
    assert "verify: ok" in printed
    assert "dataset: built in" in printed
    assert "peak memory" in printed
    assert "single-row INSERT + COMMIT" in printed


def test_keep_builds_once_and_reuses_the_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "bench"
    sizes = ["--quick", "--copies", "60", "--entries", "500", "--writes", "4", "--samples", "5"]
    assert run([*sizes, "--keep", str(kept)]) == 0
    assert "dataset: built in" in capsys.readouterr().out
    assert (kept / "strongroom.sqlite3").exists()

    assert run([*sizes, "--keep", str(kept)]) == 0
    assert "dataset: reused" in capsys.readouterr().out

    assert run(["--quick", "--copies", "61", "--keep", str(kept)]) == 1
    assert "holds a dataset of 60 copies" in capsys.readouterr().out


def test_too_few_entries_for_the_copies_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--quick", "--copies", "500", "--entries", "50"]) == 1
    assert "too few" in capsys.readouterr().out


def test_usage_errors_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--copies", "many"]) == 2
    assert "not a whole number" in capsys.readouterr().err
    assert run(["--help"]) == 0
    assert "--keep" in capsys.readouterr().out
