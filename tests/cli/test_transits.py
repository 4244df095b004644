"""send, receive, confirm-receipt, transits, transit-receipt, authorise-courier, revoke-courier
and couriers: allowed and refused.

The scene (tests/transport.py): a SECRET HQ document; carl (HQ custodian) is authorised to carry
up to SECRET; rita (HQ registrar) sends copy 1 to NORTH with him; nils (NORTH registrar) receives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.models import CourierAuthorisation, Transit
from strongroom.services import transits
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry
from tests.transport import INNER, OUTER, authorise, copy_of, send, stored

Register = Callable[..., Any]


def _send_args(document: Any, *extra: str, courier: str = "carl") -> list[str]:
    return [
        "send",
        f"{document.control_number}/1",
        "--to-unit",
        "NORTH",
        "--courier",
        courier,
        "--inner",
        INNER,
        "--outer",
        OUTER,
        *extra,
    ]


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor) == ("access.refused", actor)
    assert entry.data["action"] == action


@pytest.fixture
def document(org: Organisation, register: Register) -> Any:
    authorise(org, org.custodian)
    return register("SECRET")


@pytest.fixture
def sent(org: Organisation, document: Any) -> Transit:
    return send(org, document)


# --- send ------------------------------------------------------------------------------------


def test_the_registry_sends_a_copy(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli(*_send_args(document, "--expected-version", "1"), as_=org.registrar)

    assert result.code == 0, result.err
    transit = Transit.objects.get()
    reference = f"{document.control_number}/1"
    assert result.out.startswith(
        f"Sent {reference} to the registry of NORTH with Carl Custodian (carl, HQ), who answers "
        "for it until it is received (expected by "
    )
    assert result.out.rstrip().endswith(f"Record and receipt {transit.short_reference}.")
    assert result.err == ""
    copy = copy_of(document)
    assert (copy.state, copy.holder, copy.version) == ("in_transit", org.custodian, 2)
    assert (transit.inner_wrapping, transit.outer_wrapping) == (INNER, OUTER)
    assert (last_entry().kind, last_entry().actor) == ("transit.dispatched", org.registrar)


def test_the_sender_may_expect_it_earlier(org: Organisation, cli: Cli, document: Any) -> None:
    expected = (datetime.now(UTC) + timedelta(hours=4)).replace(second=0, microsecond=0)
    result = cli(*_send_args(document, "--expected", expected.isoformat()), as_=org.registrar)
    assert result.code == 0, result.err
    assert Transit.objects.get().expected_by == expected


@pytest.mark.parametrize(
    ("setup", "courier", "reason"),
    [
        (None, "ines", "no courier authorisation on record"),
        ("CONFIDENTIAL", "nils", "the courier authorisation reaches only CONFIDENTIAL"),
        ("expired", "nils", f"the courier authorisation expired on {date.today().isoformat()}"),
    ],
    ids=["unauthorised", "under-level", "expired"],
)
def test_a_courier_who_may_not_carry_it_is_refused_with_the_reason(
    org: Organisation, cli: Cli, document: Any, setup: str | None, courier: str, reason: str
) -> None:
    if setup == "CONFIDENTIAL":
        authorise(org, org.north_registrar, "CONFIDENTIAL")
    elif setup == "expired":
        authorise(org, org.north_registrar, days=0)
    with clock.frozen(datetime.now(UTC) + timedelta(days=1 if setup == "expired" else 0)):
        result = cli(*_send_args(document, courier=courier), as_=org.registrar)

    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: the courier is not authorised to carry SECRET material: "
        f"{reason}\n"
    )
    _refused(last_entry(), org.registrar, "transit:send")
    assert not Transit.objects.exists()
    assert copy_of(document).state == "in_registry"


def test_bad_input_is_a_usage_error_without_a_traceback(
    org: Organisation, cli: Cli, document: Any
) -> None:
    def run(*argv: str) -> Any:
        result = cli(*argv, as_=org.registrar)
        assert "Traceback" not in result.err
        assert len(result.err.splitlines()) == 1, result.err
        return result

    no_courier = run("send", f"{document.control_number}/1", "--to-unit", "NORTH")
    assert no_courier.code == 2 and "required" in no_courier.err
    marked = run(*_send_args(document)[:-2], "--outer", "box marked SECRET")
    assert marked.code == 2
    assert "The outer wrapping must show no marking" in marked.err
    same = run(*_send_args(document)[:3], "HQ", *_send_args(document)[4:])
    assert same.code == 2 and "already in the registry of HQ" in same.err
    no_zone = run(*_send_args(document, "--expected", "2026-11-23T17:00"))
    assert no_zone.code == 2 and "has no time zone" in no_zone.err
    nowhere = run(*_send_args(document)[:3], "NOWHERE", *_send_args(document)[4:])
    assert nowhere.code == 3 and "No unit NOWHERE." in nowhere.err
    assert not Transit.objects.exists()


def test_a_stale_copy_version_is_a_conflict(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli(*_send_args(document, "--expected-version", "9"), as_=org.registrar)
    assert result.code == 4
    assert "moved by someone else" in result.err
    assert not Transit.objects.exists()


def test_sending_a_hidden_copy_looks_like_a_missing_document(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli(*_send_args(document), as_=org.worker)
    assert result.code == 3
    assert result.err == (
        f"strongroom: error: No document {document.control_number} in the register.\n"
    )


def test_a_copy_in_transit_cannot_be_issued(
    org: Organisation, cli: Cli, document: Any, sent: Transit
) -> None:
    result = cli("issue", f"{document.control_number}/1", "--to", "ines", as_=org.registrar)
    assert result.code == 4
    assert "The copy is in transit; only a copy in the registry can be issued." in result.err


# --- receive, confirm-receipt ---------------------------------------------------------------


def test_the_destination_receives_and_the_sender_confirms(
    org: Organisation, cli: Cli, document: Any, sent: Transit
) -> None:
    received = cli("receive", sent.short_reference.lower(), as_=org.north_registrar)
    assert received.code == 0, received.err
    assert received.out == (
        f"Received {document.control_number}/1 (transit {sent.short_reference}) into the "
        "registry of NORTH; send the signed receipt back to HQ.\n"
    )
    copy = copy_of(document)
    assert (copy.state, copy.unit, copy.location) == ("in_registry", org.north, "NORTH registry")

    confirmed = cli("confirm-receipt", str(sent.reference), as_=org.registrar)
    assert confirmed.code == 0, confirmed.err
    assert "is back; the transit is closed." in confirmed.out
    assert stored(sent).state == "receipt_returned"


def test_the_courier_may_not_receive_it(org: Organisation, cli: Cli, sent: Transit) -> None:
    result = cli("receive", sent.short_reference, as_=org.custodian)
    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: the courier may not sign for the copy they carried\n"
    )
    _refused(last_entry(), org.custodian, "transit:receive")


def test_out_of_order_and_stale_steps_exit_4(org: Organisation, cli: Cli, sent: Transit) -> None:
    early = cli("confirm-receipt", sent.short_reference, as_=org.registrar)
    assert early.code == 4 and "has not been received yet" in early.err
    stale = cli("receive", sent.short_reference, "--expected-version", "3", as_=org.north_registrar)
    assert stale.code == 4 and "was changed by someone else" in stale.err
    hidden = cli("receive", sent.short_reference, as_=org.worker)
    assert hidden.code == 3
    assert hidden.err == f"strongroom: error: No transit {sent.short_reference}.\n"


# --- transits, transit-receipt -----------------------------------------------------------------


def test_the_lists(org: Organisation, cli: Cli, document: Any) -> None:
    t0 = datetime.now(UTC) + timedelta(hours=1)
    closed = send(org, document, 1, at=t0)
    waiting = send(org, document, 2, at=t0, expected_by=t0 + timedelta(hours=2))
    transits.receive_transit(stored(closed), by=org.north_registrar)
    transits.confirm_receipt(stored(closed), by=org.registrar)

    listed = cli("transits", as_=org.registrar)
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0] == lines[-1] == "SECRET"
    assert lines[1].split() == [
        "REF", "COPY", "MARKING", "STATE", "FROM", "TO", "COURIER", "EXPECTED", "BY"
    ]  # fmt: skip
    assert waiting.short_reference in lines[3] and closed.short_reference in lines[4]

    suspense = json.loads(cli("transits", "--suspense", "--json", as_=org.registrar).out)
    assert [row["short_reference"] for row in suspense] == [waiting.short_reference]
    assert suspense[0]["state"] == "in_transit"
    with clock.frozen(t0 + timedelta(hours=3)):
        late = json.loads(cli("transits", "--late", "--json", as_=org.registrar).out)
    assert [row["short_reference"] for row in late] == [waiting.short_reference]
    carrying = json.loads(cli("transits", "--box", "carrying", "--json", as_=org.custodian).out)
    assert len(carrying) == 2
    assert cli("transits", as_=org.worker).out == "No transits.\n"


def test_the_record_and_receipt_is_written_to_a_file(
    org: Organisation, cli: Cli, sent: Transit, tmp_path: Path
) -> None:
    target = tmp_path / "record.pdf"
    result = cli(
        "transit-receipt", sent.short_reference, "--output", str(target), as_=org.registrar
    )
    assert result.code == 0, result.err
    assert result.out == f"Wrote the record and receipt to {target}.\n"
    assert target.read_bytes().startswith(b"%PDF")
    unwritable = cli(
        "transit-receipt", sent.short_reference, "--output", str(tmp_path / "no" / "x.pdf"),
        as_=org.registrar,
    )  # fmt: skip
    assert unwritable.code == 2 and "Cannot write" in unwritable.err


# --- couriers ----------------------------------------------------------------------------------


def test_a_security_officer_authorises_lists_and_revokes(org: Organisation, cli: Cli) -> None:
    until = (date.today() + timedelta(days=9)).isoformat()
    granted = cli(
        "authorise-courier", "nils", "--level", "secret", "--until", until, "--note", "to HQ",
        as_=org.officer,
    )  # fmt: skip
    assert granted.code == 0, granted.err
    assert granted.out == (
        f"Nils North (nils, NORTH) may carry material up to SECRET from "
        f"{date.today().isoformat()} until {until}.\n"
    )
    listed = json.loads(cli("couriers", "--json", as_=org.registrar).out)
    assert [(row["courier"], row["level"], row["note"]) for row in listed] == [
        ("nils", "SECRET", "to HQ")
    ]
    table = cli("couriers", as_=org.north_registrar).out.splitlines()
    assert table[0].split()[:3] == ["COURIER", "UNIT", "UP"]
    assert table[2].split()[:3] == ["nils", "NORTH", "SECRET"]

    revoked = cli("revoke-courier", "nils", "--reason", "moved", as_=org.officer)
    assert revoked.code == 0, revoked.err
    assert revoked.out == "Nils North (nils, NORTH) may no longer carry material as a courier.\n"
    assert cli("couriers", as_=org.officer).out == "No courier authorisations.\n"
    assert len(json.loads(cli("couriers", "--all", "--json", as_=org.officer).out)) == 1
    assert last_entry().kind == "courier.revoked"


def test_courier_refusals_and_bad_input(org: Organisation, cli: Cli) -> None:
    until = (date.today() + timedelta(days=9)).isoformat()
    refused = cli("authorise-courier", "carl", "--level", "SECRET", "--until", until,
                  as_=org.registrar)  # fmt: skip
    assert refused.code == 3
    assert refused.err == "strongroom: error: refused: this needs the role of security officer\n"
    _refused(last_entry(), org.registrar, "courier:authorise")
    uncleared = cli("authorise-courier", "rosa", "--level", "SECRET", "--until", until,
                    as_=org.officer)  # fmt: skip
    assert uncleared.code == 3
    assert "the courier may not hold SECRET material: clearance does not reach SECRET" in (
        uncleared.err
    )
    not_a_date = cli("authorise-courier", "carl", "--level", "SECRET", "--until", "soon",
                     as_=org.officer)  # fmt: skip
    assert not_a_date.code == 2 and "'soon' is not a date" in not_a_date.err
    nothing = cli("revoke-courier", "carl", "--reason", "x", as_=org.officer)
    assert nothing.code == 2 and "carl holds no courier authorisation to revoke." in nothing.err
    assert not CourierAuthorisation.objects.exists()
