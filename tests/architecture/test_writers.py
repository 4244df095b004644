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


def _appends_to_ledger(text: str) -> bool:
    through_the_orm = re.search(
        r"(?<!class )LedgerEntry\(|LedgerEntry\.objects\.(bulk_)?create", text
    )
    # The table named directly, or through a variable bound to the table's name (other
    # ledger tables, such as the Merkle tree's, are inserted into the same way).
    direct = re.search(r"INSERT INTO ledger_ledgerentry", text)
    named = any(
        re.search(rf"{variable}\s*=\s*(LedgerEntry\._meta\.db_table|\"ledger_ledgerentry\")", text)
        for variable in re.findall(r"INSERT INTO \{(\w+)\}", text)
    )
    return bool(through_the_orm or direct or named)


def test_only_ledger_record_appends_entries():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if _appends_to_ledger(path.read_text())
    ]
    assert offenders == ["ledger/record.py"]
