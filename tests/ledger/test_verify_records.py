"""`strongroom verify` compares every record custody keeps with the ledger: hand-overs, check-outs,
transits, courier authorisations, destructions, reproductions, delegations, campaigns and their
copies, incidents, alerts, unit heads and the registry unit of a copy received elsewhere.

The demo organisation has each of them; each tampering below changes one behind the ledger's back
(as an administrator with SQL could) and must be named, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection, transaction

from strongroom.demo import load_demo
from strongroom.ledger.verify import verify

# (what the report names, what it says about it, the SQL that changes the table)
TAMPERING: dict[str, tuple[str, str, str]] = {
    "a hand-over's note rewritten": (
        "hand-over ",
        ": note is 'rewritten' in the database but ",
        "UPDATE strongroom_handover SET note = 'rewritten' "
        "WHERE id = (SELECT MIN(id) FROM strongroom_handover)",
    ),
    "a hand-over's recipient changed": (
        "hand-over ",
        ": recipient is ",
        "UPDATE strongroom_handover SET recipient_id = sender_id "
        "WHERE id = (SELECT MIN(id) FROM strongroom_handover)",
    ),
    "a check-out's reader hidden": (
        "check-out ",
        ": reader is ",
        "UPDATE strongroom_checkout SET reader_id = lent_by_id "
        "WHERE id = (SELECT MIN(id) FROM strongroom_checkout)",
    ),
    "a transit's wrapping rewritten": (
        "transit ",
        ": outer_wrapping is 'paper' in the database but ",
        "UPDATE strongroom_transit SET outer_wrapping = 'paper' "
        "WHERE id = (SELECT MIN(id) FROM strongroom_transit)",
    ),
    "a courier authorisation widened": (
        "courier authorisation ",
        ": level is 'TOP SECRET' in the database but ",
        "UPDATE strongroom_courierauthorisation SET level = 4 "
        "WHERE id = (SELECT MIN(id) FROM strongroom_courierauthorisation)",
    ),
    "a destruction's witness swapped": (
        "destruction ",
        ": witness is ",
        "UPDATE strongroom_destruction SET witness_id = (SELECT MIN(p.id) FROM strongroom_person p "
        "WHERE p.id <> strongroom_destruction.witness_id "
        "AND p.id <> strongroom_destruction.destroyer_id) "
        "WHERE id = (SELECT MIN(id) FROM strongroom_destruction)",
    ),
    "a reproduction's approver erased": (
        "reproduction ",
        ": decided_by is None in the database but ",
        "UPDATE strongroom_reproduction SET decided_by_id = NULL "
        "WHERE id = (SELECT MIN(id) FROM strongroom_reproduction WHERE decided_by_id IS NOT NULL)",
    ),
    "a delegation extended": (
        "delegation ",
        ": ends_on is '2099-12-31' in the database but ",
        "UPDATE strongroom_delegation SET ends_on = '2099-12-31' "
        "WHERE id = (SELECT MIN(id) FROM strongroom_delegation)",
    ),
    "a delegation planted": (
        "delegation ",
        ": in the database but no ledger entry created it",
        "INSERT INTO strongroom_delegation (delegator_id, delegate_id, duty, unit_id, max_level, "
        "starts_on, ends_on, reason, granted_at, revoked_at, revoked_by_id, version) "
        "SELECT delegator_id, delegate_id, duty, unit_id, max_level, starts_on, ends_on, reason, "
        "granted_at, NULL, NULL, 1 FROM strongroom_delegation "
        "WHERE id = (SELECT MIN(id) FROM strongroom_delegation)",
    ),
    "a campaign's due-back moved": (
        "campaign ",
        ": due_back is ",
        "UPDATE strongroom_campaign SET due_back = created_at "
        "WHERE id = (SELECT MIN(id) FROM strongroom_campaign)",
    ),
    "a campaign copy's recipient changed": (
        "campaign copy ",
        ": recipient is ",
        "UPDATE strongroom_campaignitem SET recipient_id = (SELECT MIN(id) FROM strongroom_person "
        "WHERE id <> strongroom_campaignitem.recipient_id) "
        "WHERE id = (SELECT MIN(id) FROM strongroom_campaignitem)",
    ),
    "an incident's summary rewritten": (
        "incident ",
        ": summary is 'nothing happened' in the database but ",
        "UPDATE strongroom_incident SET summary = 'nothing happened' "
        "WHERE id = (SELECT MIN(id) FROM strongroom_incident)",
    ),
    "an open alert silenced": (
        "alert ",
        ": cleared_at is ",
        "UPDATE strongroom_alert SET cleared_at = raised_at, cleared_because = 'quiet' "
        "WHERE id = (SELECT MIN(id) FROM strongroom_alert WHERE cleared_at IS NULL)",
    ),
    "a unit's head removed": (
        "head of unit ",
        ": missing from the database (last set by entry #",
        "UPDATE strongroom_unit SET head_id = NULL "
        "WHERE id = (SELECT MIN(id) FROM strongroom_unit WHERE head_id IS NOT NULL)",
    ),
    "a copy sent back to its document's registry": (
        "registry unit of copy ",
        ": missing from the database (last set by entry #",
        "UPDATE strongroom_copy SET unit_id = (SELECT unit_id FROM strongroom_document d "
        "WHERE d.id = strongroom_copy.document_id) "
        "WHERE id = (SELECT MIN(c.id) FROM strongroom_copy c JOIN strongroom_document d "
        "ON d.id = c.document_id WHERE c.unit_id <> d.unit_id)",
    ),
}


class _Undo(Exception):
    """Raised to roll back one tampering."""


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    # The real hasher costs a quarter of a second per login; the hashes are not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(out=io.StringIO())


def _problems_after(sql: str) -> list[str]:
    """What verify reports once ``sql`` has changed a table; the change is then undone."""
    problems: list[str] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
                assert cursor.rowcount == 1, sql  # the demo has the row this changes
            problems = verify(parallel=False).problems
            raise _Undo
    except _Undo:
        pass
    return problems


@pytest.mark.usefixtures("demo")
def test_every_record_changed_behind_the_ledger_is_named() -> None:
    clean = verify(parallel=False)
    assert clean.ok, clean.problems
    missed = {}
    for name, (row, says, sql) in TAMPERING.items():
        problems = _problems_after(sql)
        if not any(p.startswith(row) and says in p for p in problems):
            missed[name] = problems
    assert missed == {}
    assert verify(parallel=False).ok  # each change was undone
