"""delegate, revoke-delegation and delegations: allowed and refused, bad input, hidden ones.

The scene: rita (HQ registrar, TOP SECRET) delegates registering at HQ up to SECRET to carl
(HQ custodian, SECRET//ALPHA) for a week.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Delegation
from strongroom.services import delegations
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry


def _today() -> date:
    return clock.today()


def _stored(delegation: Delegation) -> Delegation:
    return Delegation.objects.select_related("revoked_by").get(pk=delegation.pk)


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor) == ("access.refused", actor)
    assert entry.data["action"] == action


def _delegate(*extra: str, to: str = "carl", **options: str) -> list[str]:
    """The delegate command's arguments: rita's week of registering up to SECRET by default."""
    values = {
        "--duty": "register",
        "--level": "SECRET",
        "--until": (_today() + timedelta(days=7)).isoformat(),
        "--reason": "on leave for a week",
    }
    values.update({f"--{name.replace('_', '-')}": value for name, value in options.items()})
    argv = ["delegate", "--to", to]
    for name, value in values.items():
        argv += [name, value]
    return argv + list(extra)


@pytest.fixture
def granted(org: Organisation) -> Delegation:
    """rita has delegated registering at HQ up to SECRET to carl for a week (version 1)."""
    return delegations.grant_delegation(
        org.custodian,
        duty="register",
        level="SECRET",
        ends_on=_today() + timedelta(days=7),
        reason="on leave for a week",
        by=org.registrar,
    )


# --- delegate --------------------------------------------------------------------------------


def test_a_registrar_delegates_registering(org: Organisation, cli: Cli) -> None:
    last_day = _today() + timedelta(days=7)

    result = cli(*_delegate(), as_=org.registrar)

    assert result.code == 0, result.err
    granted = Delegation.objects.get()
    assert result.out == (
        f"Delegation {granted.pk}: carl may register for you up to SECRET until "
        f"{last_day.isoformat()}; you remain accountable.\n"
    )
    assert result.err == ""
    assert (granted.delegator, granted.delegate, granted.duty, granted.level_name) == (
        org.registrar,
        org.custodian,
        "register",
        "SECRET",
    )
    assert (granted.starts_on, granted.ends_on, granted.reason) == (
        _today(),
        last_day,
        "on leave for a week",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "delegation.granted",
        org.registrar,
        f"delegation:{granted.pk}",
    )


def test_a_custodian_delegates_copies_from_a_later_day(org: Organisation, cli: Cli) -> None:
    starts = _today() + timedelta(days=1)

    result = cli(
        *_delegate(
            to="rosa",
            duty="handle_copies",
            level="confidential",
            start=starts.isoformat(),
            until=(starts + timedelta(days=2)).isoformat(),
        ),
        as_=org.custodian,
    )

    assert result.code == 0, result.err
    assert "rosa may handle copies for you up to CONFIDENTIAL until" in result.out
    granted = Delegation.objects.get()
    assert (granted.duty, granted.starts_on, granted.level_name) == (
        "handle_copies",
        starts,
        "CONFIDENTIAL",
    )


def test_delegating_to_someone_not_cleared_is_refused_and_recorded(
    org: Organisation, cli: Cli
) -> None:
    result = cli(*_delegate(to="wally"), as_=org.registrar)

    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: the delegate may not hold SECRET material: the person "
        "holds no clearance\n"
    )
    assert result.out == ""
    entry = last_entry()
    _refused(entry, org.registrar, "delegation:grant")
    assert entry.subject == "person:wally"
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    ("who", "to", "options", "reason"),
    [
        ("reader", "nils", {"level": "CONFIDENTIAL"}, "this needs the role of registrar"),
        ("registrar", "rita", {}, "nobody may delegate a duty for themselves"),
        (
            "north_registrar",
            "rita",
            {"level": "TOP SECRET"},
            "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        ),
    ],
    ids=["without-the-duty", "to-oneself", "above-own-clearance"],
)
def test_a_delegation_that_may_not_be_given_is_refused(
    org: Organisation, cli: Cli, who: str, to: str, options: dict[str, str], reason: str
) -> None:
    person = getattr(org, who)

    result = cli(*_delegate(to=to, **options), as_=person)

    assert result.code == 3
    assert result.err == f"strongroom: error: refused: {reason}\n"
    _refused(last_entry(), person, "delegation:grant")
    assert not Delegation.objects.exists()


def test_bad_delegate_input_is_a_usage_error_without_a_traceback(
    org: Organisation, cli: Cli, settings: Any
) -> None:
    settings.STRONGROOM_DELEGATION_MAX_DAYS = 30
    today = _today()
    before = last_entry().seq

    def run(argv: list[str], code: int = 2) -> str:
        result = cli(*argv, as_=org.registrar)
        assert result.code == code, (argv, result.code, result.err)
        assert "Traceback" not in result.err
        assert len(result.err.splitlines()) == 1, result.err
        return result.err

    assert "'next week' is not a date" in run(_delegate(until="next week"))
    assert "'sweep'" in run(_delegate(duty="sweep"))
    assert "--to" in run(["delegate", "--duty", "register", "--level", "SECRET"])
    assert "ULTRA" in run(_delegate(level="ULTRA"))
    assert "A delegation may last at most 30 days; delegate again when it ends." in run(
        _delegate(until=(today + timedelta(days=30)).isoformat())
    )
    assert "A delegation cannot start in the past." in run(
        _delegate(start=(today - timedelta(days=1)).isoformat())
    )
    assert "A delegation must end on or after the day it starts." in run(
        _delegate(until=(today - timedelta(days=1)).isoformat())
    )
    assert "Give the reason for the delegation; it goes on record." in run(_delegate(reason=" "))
    assert "The reason may be at most 500 characters." in run(_delegate(reason="x" * 501))
    assert "No person nobody." in run(_delegate(to="nobody"), code=3)
    assert not Delegation.objects.exists()
    assert last_entry().seq == before


# --- revoke-delegation -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "officer"], ids=["the-delegator", "an-officer"])
def test_the_delegator_or_an_officer_revokes(
    org: Organisation, cli: Cli, granted: Delegation, who: str
) -> None:
    person = getattr(org, who)

    result = cli(
        "revoke-delegation",
        str(granted.pk),
        "--reason",
        "back early",
        "--expected-version",
        "1",
        as_=person,
    )

    assert result.code == 0, result.err
    assert result.out == f"Delegation {granted.pk} is revoked.\n"
    stored = _stored(granted)
    assert (stored.revoked_by, stored.version) == (person, 2)
    assert stored.revoked_at is not None
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "delegation.revoked",
        person,
        f"delegation:{granted.pk}",
    )
    assert entry.data == {"reason": "back early"}


def test_the_delegate_may_not_revoke(org: Organisation, cli: Cli, granted: Delegation) -> None:
    result = cli("revoke-delegation", str(granted.pk), "--reason", "no", as_=org.custodian)

    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: this needs the role of security officer or administrator\n"
    )
    _refused(last_entry(), org.custodian, "delegation:revoke")
    assert _stored(granted).revoked_at is None


@pytest.mark.parametrize("who", ["worker", "north_registrar", "inspector"])
def test_a_hidden_delegation_looks_exactly_like_a_missing_one(
    org: Organisation, cli: Cli, granted: Delegation, who: str
) -> None:
    person = getattr(org, who)
    missing = granted.pk + 100
    before = LedgerEntry.objects.filter(kind="access.refused").count()

    seen = cli("revoke-delegation", str(granted.pk), "--reason", "x", as_=person)
    absent = cli("revoke-delegation", str(missing), "--reason", "x", as_=person)

    assert seen.code == absent.code == 3
    assert seen.err == f"strongroom: error: No delegation {granted.pk}.\n"
    assert absent.err == f"strongroom: error: No delegation {missing}.\n"
    assert seen.out == absent.out == ""
    refusals = LedgerEntry.objects.filter(kind="access.refused").order_by("seq")
    assert refusals.count() == before + 1
    _refused(refusals.last(), person, "delegation:view")
    assert refusals.last().subject == f"delegation:{granted.pk}"
    assert _stored(granted).revoked_at is None


def test_a_stale_version_is_a_conflict(org: Organisation, cli: Cli, granted: Delegation) -> None:
    before = last_entry().seq

    result = cli(
        "revoke-delegation",
        str(granted.pk),
        "--reason",
        "back early",
        "--expected-version",
        "7",
        as_=org.registrar,
    )

    assert result.code == 4
    assert result.err == (
        f"strongroom: error: Delegation {granted.pk} was changed by someone else a moment ago; "
        "reload it and try again.\n"
    )
    assert _stored(granted).revoked_at is None
    assert last_entry().seq == before


def test_revoking_twice_is_not_allowed_in_that_state(
    org: Organisation, cli: Cli, granted: Delegation
) -> None:
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)

    result = cli("revoke-delegation", str(granted.pk), "--reason", "again", as_=org.officer)

    assert result.code == 4
    assert result.err == f"strongroom: error: Delegation {granted.pk} is already revoked.\n"
    assert _stored(granted).revoked_by == org.registrar


def test_bad_revoke_input_is_a_usage_error(
    org: Organisation, cli: Cli, granted: Delegation
) -> None:
    def run(*argv: str) -> Any:
        result = cli("revoke-delegation", *argv, as_=org.registrar)
        assert result.code == 2, (argv, result.code, result.err)
        assert "Traceback" not in result.err
        assert len(result.err.splitlines()) == 1, result.err
        return result

    assert "'abc' is not a delegation number." in run("abc", "--reason", "x").err
    assert "--reason" in run(str(granted.pk)).err
    assert "NUMBER" in run("--reason", "x").err
    run(str(granted.pk), "--reason", "x", "--expected-version", "x")
    run(str(granted.pk), "--reason", "x", "--expected-version", str(2**63))
    assert "Give the reason for the delegation" in run(str(granted.pk), "--reason", "  ").err
    assert _stored(granted).revoked_at is None


# --- delegations -----------------------------------------------------------------------------


def test_the_list_is_a_table(org: Organisation, cli: Cli, granted: Delegation) -> None:
    result = cli("delegations", as_=org.custodian)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["NO", "FROM", "TO", "DUTY", "UP", "TO", "DAYS", "STATE"]
    row = lines[-1].split()
    assert row == [
        str(granted.pk),
        "rita",
        "carl",
        "register",
        "SECRET",
        f"{granted.starts_on.isoformat()}..{granted.ends_on.isoformat()}",
        "granted",
    ]


def test_the_lists_given_to_me_by_me_and_of_my_units_as_json(
    org: Organisation, cli: Cli, granted: Delegation
) -> None:
    def numbers(person: Any, *options: str) -> list[int]:
        result = cli("delegations", *options, "--json", as_=person)
        assert result.code == 0, result.err
        return [item["number"] for item in json.loads(result.out)]

    number = granted.pk
    assert numbers(org.custodian) == [number]
    assert numbers(org.custodian, "--box", "given") == []
    assert numbers(org.registrar, "--box", "given") == [number]
    assert numbers(org.registrar) == []
    assert numbers(org.officer, "--box", "unit") == [number]
    assert numbers(org.worker, "--box", "unit") == []
    assert numbers(org.north_registrar, "--box", "unit") == []

    [item] = json.loads(cli("delegations", "--json", as_=org.custodian).out)
    assert item == {
        "number": number,
        "delegator": "rita",
        "delegate": "carl",
        "duty": "register",
        "unit": "HQ",
        "level": "SECRET",
        "starts_on": granted.starts_on.isoformat(),
        "ends_on": granted.ends_on.isoformat(),
        "reason": "on leave for a week",
        "revoked_at": None,
        "version": 1,
    }


def test_the_in_force_filter_and_an_empty_list(
    org: Organisation, cli: Cli, granted: Delegation
) -> None:
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)

    in_force = cli("delegations", "--in-force", as_=org.custodian)
    everything = cli("delegations", "--json", as_=org.custodian)

    assert in_force.code == 0
    assert in_force.out == "No delegations.\n"
    [item] = json.loads(everything.out)
    assert item["revoked_at"] is not None
    assert item["version"] == 2


def test_an_unknown_box_is_a_usage_error(org: Organisation, cli: Cli) -> None:
    result = cli("delegations", "--box", "everything", as_=org.registrar)

    assert result.code == 2
    assert "invalid choice: 'everything'" in result.err


def test_without_credentials_nothing_is_done(org: Organisation, cli: Cli) -> None:
    result = cli(*_delegate())
    assert result.code == 2
    assert "--user NAME" in result.err
    assert not Delegation.objects.exists()
