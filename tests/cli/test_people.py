"""whoami, units and people."""

from __future__ import annotations

from tests.cli.conftest import Cli
from tests.conftest import Organisation


def test_whoami_shows_unit_roles_and_clearance(org: Organisation, cli: Cli) -> None:
    result = cli("whoami", as_=org.registrar)

    assert result.code == 0, result.err
    assert "rita" in result.out
    assert "registrar" in result.out
    assert "TOP SECRET//ALPHA/BRAVO, active" in result.out


def test_units_lists_the_tree(org: Organisation, cli: Cli) -> None:
    result = cli("units", as_=org.worker)

    assert result.code == 0, result.err
    assert "HQ/NORTH/NCITY" in result.out
    assert "South Province" in result.out


def test_people_shows_clearances_only_to_those_who_may_see_them(
    org: Organisation, cli: Cli
) -> None:
    as_officer = cli("people", "--unit", "hq", as_=org.officer)
    as_worker = cli("people", "--q", "rita", as_=org.worker)

    assert as_officer.code == as_worker.code == 0
    assert "TOP SECRET//ALPHA/BRAVO" in as_officer.out
    assert "rosa" not in as_officer.out  # NORTH, filtered out
    assert "rita" in as_worker.out
    assert "not shown" in as_worker.out
    assert "TOP SECRET" not in as_worker.out
