"""Services are the only writers: no adapter saves, updates or deletes a model itself."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "strongroom"
ADAPTERS = ("web", "api", "cli")
WRITES = re.compile(
    r"\.(save|delete|bulk_create|bulk_update|get_or_create|update_or_create)\(|"
    r"\.objects\.(create|update)\(|\.update\(\s*\*\*|\brecord(_many)?\("
)
# Tokens are credentials, not custody: they are outside the ledgered state on purpose.
ALLOWED = {Path("api/tokens.py")}


def test_adapters_do_not_write_models():
    offenders = []
    for area in ADAPTERS:
        for path in (SRC / area).rglob("*.py"):
            relative = path.relative_to(SRC)
            if relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if WRITES.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "adapters must call services instead:\n" + "\n".join(offenders)


def test_only_ledger_record_appends_entries():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if re.search(
            r"(?<!class )LedgerEntry\(|LedgerEntry\.objects\.(bulk_)?create", path.read_text()
        )
    ]
    assert offenders == ["ledger/record.py"]
