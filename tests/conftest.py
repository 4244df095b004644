"""Named personas shared by every test layer.

The organisation: HQ (headquarters) with NORTH below it and NCITY below NORTH; SOUTH beside NORTH.

- ``officer``: security officer and administrator at HQ, with no clearance (role gives no content)
- ``second_officer``: security officer at HQ who grants clearances to the others
- ``registrar``: registrar at HQ, cleared TOP SECRET with ALPHA and BRAVO
- ``north_registrar``: registrar at NORTH, cleared SECRET, no compartments
- ``custodian``: custodian at HQ, cleared SECRET with ALPHA
- ``reader``: staff at NORTH, cleared CONFIDENTIAL
- ``worker``: ordinary staff at HQ, never cleared
- ``inspector``: inspector at HQ, cleared TOP SECRET with every compartment
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

PASSWORD = "correct-horse-battery-9"


@dataclass
class Organisation:
    hq: Any
    north: Any
    ncity: Any
    south: Any
    officer: Any
    second_officer: Any
    registrar: Any
    north_registrar: Any
    custodian: Any
    reader: Any
    worker: Any
    inspector: Any


def _build() -> Organisation:
    from strongroom.services import clearances, people

    officer = people.bootstrap(
        unit_code="HQ",
        unit_name="Headquarters",
        username="olga",
        full_name="Olga Officer",
        password=PASSWORD,
    )
    hq = officer.unit
    north = people.create_unit(code="NORTH", name="North Province", parent=hq, by=officer)
    ncity = people.create_unit(code="NCITY", name="North City Office", parent=north, by=officer)
    south = people.create_unit(code="SOUTH", name="South Province", parent=hq, by=officer)

    def person(username: str, name: str, unit: Any, roles: list[str]) -> Any:
        return people.create_person(
            username=username,
            full_name=name,
            unit=unit,
            roles=roles,
            password=PASSWORD,
            by=officer,
        )

    second = person("sven", "Sven Second", hq, ["security_officer"])
    registrar = person("rita", "Rita Registrar", hq, ["registrar"])
    north_registrar = person("nils", "Nils North", north, ["registrar"])
    custodian = person("carl", "Carl Custodian", hq, ["custodian"])
    reader = person("rosa", "Rosa Reader", north, ["staff"])
    worker = person("wally", "Wally Worker", hq, ["staff"])
    inspector = person("ines", "Ines Inspector", hq, ["inspector"])
    later = date.today() + timedelta(days=365)
    briefed = date.today() - timedelta(days=30)
    for who, level, compartments in [
        (registrar, "TOP SECRET", ["ALPHA", "BRAVO"]),
        (north_registrar, "SECRET", []),
        (custodian, "SECRET", ["ALPHA"]),
        (reader, "CONFIDENTIAL", []),
        (inspector, "TOP SECRET", ["ALPHA", "BRAVO", "CHARLIE"]),
    ]:
        clearances.grant_clearance(
            who,
            level=level,
            compartments=compartments,
            expires_on=later,
            briefed_on=briefed,
            by=second,
        )
    from strongroom.models import Person

    def fresh(p: Any) -> Any:
        return Person.objects.select_related("unit").get(pk=p.pk)

    return Organisation(
        hq=hq,
        north=north,
        ncity=ncity,
        south=south,
        officer=fresh(officer),
        second_officer=fresh(second),
        registrar=fresh(registrar),
        north_registrar=fresh(north_registrar),
        custodian=fresh(custodian),
        reader=fresh(reader),
        worker=fresh(worker),
        inspector=fresh(inspector),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    # Production hashing is deliberately slow; tests hash dozens of persona passwords.
    # Domain and policy tests may run without pytest-django (-p no:django): nothing to do then.
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db: None) -> Organisation:
    return _build()


@pytest.fixture
def register(org: Organisation) -> Callable[..., Any]:
    """Register a document as ``by`` (default: the registrar). Keyword overrides any field."""
    from strongroom.services import registry

    def make(marking: str = "SECRET", *, by: Any = None, **fields: Any) -> Any:
        values: dict[str, Any] = {
            "unit": org.hq,
            "short_title": "Directive 12",
            "full_title": "Directive 12 on the handling of widgets",
            "originator": "Ministry of Widgets",
            "originator_reference": "MW/12",
            "received_on": date.today(),
            "pages": 4,
            "medium": "paper",
            "copies": 3,
        }
        values.update(fields)
        return registry.register_document(marking=marking, by=by or org.registrar, **values)

    return make


def last_entry() -> Any:
    from strongroom.ledger.models import LedgerEntry

    return LedgerEntry.objects.order_by("-seq").first()


def behind_the_triggers_back(sql: str, params: list[Any]) -> None:
    """What a database administrator could do: switch the guard off, change rows, switch it on."""
    import importlib

    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser session can skip triggers without touching the table definition.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER ledger_entry_no_update")
            cursor.execute("DROP TRIGGER ledger_entry_no_delete")
            cursor.execute(sql, params)
            triggers = importlib.import_module("strongroom.ledger.migrations.0002_append_only")
            for statement in triggers.SQLITE:
                cursor.execute(statement)


@pytest.fixture
def history(org: Any, register: Any) -> tuple[Any, Any]:
    """A register with movement: registrations, an issue and return, a held copy, a correction
    (the ledger's tests, and those of what is built on it)."""
    from strongroom.services import custody, registry

    secret = register("SECRET//ALPHA", copies=2)
    confidential = register("CONFIDENTIAL", copies=3)
    custody.issue_copy(confidential.copies.get(number=1), to=org.reader, by=org.custodian)
    custody.return_copy(confidential.copies.get(number=1), by=org.custodian)
    custody.issue_copy(secret.copies.get(number=2), to=org.custodian, by=org.registrar)
    registry.correct_registration(secret, changes={"pages": 7}, reason="recount", by=org.registrar)
    return secret, confidential
