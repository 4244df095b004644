"""check-out, check-in, check-outs and readers: allowed and refused.

The scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) lends copy 1 to rosa
(NORTH staff, cleared CONFIDENTIAL) in the reading room.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from strongroom.adapters import clock
from strongroom.models import CheckOut, Copy
from strongroom.services import check_outs
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry

Register = Callable[..., Any]


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _due(hours: float = 2) -> str:
    return (clock.now() + timedelta(hours=hours)).replace(microsecond=0).isoformat()


@pytest.fixture
def document(register: Register) -> Any:
    return register("CONFIDENTIAL")


@pytest.fixture
def lent(org: Organisation, document: Any) -> CheckOut:
    """Copy 1 lent to rosa by carl, due in two hours (copy version 2)."""
    return check_outs.check_out_copy(
        _copy(document), to=org.reader, by=org.custodian, due_back=clock.now() + timedelta(hours=2)
    )


# --- check-out -------------------------------------------------------------------------------


def test_the_registry_lends_a_copy(org: Organisation, cli: Cli, document: Any) -> None:
    reference = f"{document.control_number}/1"
    due = _due(3)

    result = cli(
        "check-out", reference, "--to", "rosa", "--due", due, "--expected-version", "1",
        as_=org.custodian,
    )  # fmt: skip

    assert result.code == 0, result.err
    local = timezone.localtime(CheckOut.objects.get().due_back).strftime("%Y-%m-%d %H:%M")
    assert result.out == (
        f"Lent {reference} to Rosa Reader (rosa, NORTH) in the reading room, due back by "
        f"{local}; it is now at version 2.\n"
    )
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == (
        "checked_out",
        org.reader,
        "reading room of HQ, with rosa",
    )
    assert last_entry().kind == "check_out.lent"


def test_the_place_is_given(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli(
        "check-out", f"{document.control_number}/1", "--to", "rosa", "--due", _due(),
        "--place", "secure annex", as_=org.custodian,
    )  # fmt: skip

    assert result.code == 0, result.err
    assert "in the secure annex" in result.out
    assert _copy(document).location == "secure annex of HQ, with rosa"


def test_lending_to_an_ineligible_reader_is_refused_and_recorded(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli(
        "check-out", f"{document.control_number}/1", "--to", "wally", "--due", _due(),
        as_=org.custodian,
    )  # fmt: skip

    assert result.code == 3
    assert result.err.startswith("strongroom: error: refused: the reader may not hold CONFIDENTIAL")
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.custodian,
        "check_out:lend",
    )


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2026-11-23T17:00", "has no time zone"),
        ("tomorrow", "is not a time"),
    ],
)
def test_a_due_time_the_command_cannot_read_is_a_usage_error(
    org: Organisation, cli: Cli, document: Any, due: str, message: str
) -> None:
    result = cli(
        "check-out", f"{document.control_number}/1", "--to", "rosa", "--due", due,
        as_=org.custodian,
    )  # fmt: skip

    assert result.code == 2
    assert message in result.err


def test_a_due_time_past_the_limit_is_bad_input(
    org: Organisation, cli: Cli, document: Any, settings: Any
) -> None:
    settings.STRONGROOM_CHECK_OUT_HOURS = 8
    result = cli(
        "check-out", f"{document.control_number}/1", "--to", "rosa", "--due", _due(9),
        as_=org.custodian,
    )  # fmt: skip

    assert result.code == 2
    assert "at most 8 hours from now" in result.err
    assert not CheckOut.objects.exists()


def test_the_due_time_is_required(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli("check-out", f"{document.control_number}/1", "--to", "rosa", as_=org.custodian)

    assert result.code == 2
    assert "--due" in result.err


def test_a_hidden_copy_reads_as_missing(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("TOP SECRET")

    result = cli(
        "check-out", f"{document.control_number}/1", "--to", "ines", "--due", _due(),
        as_=org.custodian,
    )  # fmt: skip

    assert result.code == 3
    assert result.err == (
        f"strongroom: error: No document {document.control_number} in the register.\n"
    )


def test_a_copy_out_cannot_be_lent_again(
    org: Organisation, cli: Cli, document: Any, lent: CheckOut
) -> None:
    result = cli(
        "check-out", f"{document.control_number}/1", "--to", "nils", "--due", _due(),
        as_=org.registrar,
    )  # fmt: skip

    assert result.code == 4
    assert "The copy is checked out" in result.err


# --- check-in --------------------------------------------------------------------------------


def test_the_registry_checks_a_copy_in(
    org: Organisation, cli: Cli, document: Any, lent: CheckOut
) -> None:
    reference = f"{document.control_number}/1"

    result = cli("check-in", reference, "--expected-version", "2", as_=org.custodian)

    assert result.code == 0, result.err
    assert result.out == (
        f"Checked in {reference} from Rosa Reader (rosa, NORTH); it is back in the HQ registry.\n"
    )
    assert _copy(document).state == "in_registry"
    assert last_entry().kind == "check_out.returned"


def test_a_late_check_in_says_so(
    org: Organisation, cli: Cli, document: Any, lent: CheckOut
) -> None:
    with clock.frozen(clock.now() + timedelta(hours=3)):
        result = cli("check-in", f"{document.control_number}/1", as_=org.custodian)

    assert result.code == 0, result.err
    assert "after it was due" in result.out


def test_the_reader_may_not_check_in(
    org: Organisation, cli: Cli, document: Any, lent: CheckOut
) -> None:
    result = cli("check-in", f"{document.control_number}/1", as_=org.reader)

    assert result.code == 3
    assert "this needs the role of registrar or custodian" in result.err


def test_a_stale_version_is_a_conflict(
    org: Organisation, cli: Cli, document: Any, lent: CheckOut
) -> None:
    result = cli(
        "check-in", f"{document.control_number}/1", "--expected-version", "1", as_=org.custodian
    )

    assert result.code == 4
    assert "was moved by someone else a moment ago" in result.err


def test_a_reference_without_a_copy_number_is_a_usage_error(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli("check-in", document.control_number, as_=org.custodian)

    assert result.code == 2


# --- check-outs and readers ------------------------------------------------------------------


def test_what_is_out_framed_by_its_banner_with_the_overdue_marked(
    org: Organisation, cli: Cli, document: Any, lent: CheckOut
) -> None:
    check_outs.check_out_copy(
        _copy(document, 2),
        to=org.north_registrar,
        by=org.custodian,
        due_back=clock.now() + timedelta(hours=1),
    )

    with clock.frozen(clock.now() + timedelta(hours=1, minutes=30)):
        result = cli("check-outs", as_=org.custodian)
        overdue = cli("check-outs", "--overdue", "--json", as_=org.custodian)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    assert lines[1].split() == [
        "COPY", "MARKING", "READER", "WHERE", "LENT", "BY", "OUT", "SINCE", "DUE", "BACK",
    ]  # fmt: skip
    assert "nils" in lines[3] and lines[3].endswith("OVERDUE")
    assert "rosa" in lines[4] and not lines[4].endswith("OVERDUE")
    rows = json.loads(overdue.out)
    assert [(r["reader"], r["overdue"]) for r in rows] == [("nils", True)]


def test_nothing_out(org: Organisation, cli: Cli) -> None:
    result = cli("check-outs", as_=org.custodian)

    assert (result.code, result.out) == (0, "No copies are out for reading.\n")


def test_who_read_a_top_secret_document(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("TOP SECRET")
    due = clock.now() + timedelta(hours=1)
    check_outs.check_out_copy(_copy(document), to=org.inspector, by=org.registrar, due_back=due)
    check_outs.check_in_copy(_copy(document), by=org.registrar)

    result = cli("readers", document.control_number, as_=org.registrar)
    as_json = cli("readers", document.control_number, "--json", as_=org.inspector)
    hidden = cli("readers", document.control_number, as_=org.custodian)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "TOP SECRET"
    assert lines[1] == f"Who read {document.control_number}:"
    assert lines[5].split()[:4] == ["ines", f"{document.control_number}/1", "reading", "room"]
    assert lines[5].split()[-1] == "rita"
    body = json.loads(as_json.out)
    assert body["banner"] == "TOP SECRET"
    assert [(r["reader"], r["checked_in_by"]) for r in body["readers"]] == [("ines", "rita")]
    assert hidden.code == 3
    assert "No document" in hidden.err


def test_a_document_nobody_read(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli("readers", document.control_number, as_=org.custodian)

    assert result.code == 0
    assert "Nobody has been lent a copy of it for reading." in result.out
