"""The ledger tests' shared history."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.services import custody, registry


@pytest.fixture
def history(org: Any, register: Any) -> tuple[Any, Any]:
    """A register with movement: registrations, an issue and return, a held copy, a correction."""
    secret = register("SECRET//ALPHA", copies=2)
    confidential = register("CONFIDENTIAL", copies=3)
    custody.issue_copy(confidential.copies.get(number=1), to=org.reader, by=org.custodian)
    custody.return_copy(confidential.copies.get(number=1), by=org.custodian)
    custody.issue_copy(secret.copies.get(number=2), to=org.custodian, by=org.registrar)
    registry.correct_registration(secret, changes={"pages": 7}, reason="recount", by=org.registrar)
    return secret, confidential
