"""register, list, show, history, issue and return: allowed and refused, as each persona."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from strongroom.domain.custody import CopyState
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Document
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry

Register = Callable[..., Any]

REGISTER = [
    "register",
    "--short-title",
    "Directive 12",
    "--full-title",
    "Directive 12 on widgets",
    "--originator",
    "Ministry of Widgets",
    "--reference",
    "MW/12",
    "--pages",
    "4",
    "--copies",
    "2",
]


# --- register -------------------------------------------------------------------------------


def test_a_registrar_registers_a_document(org: Organisation, cli: Cli) -> None:
    result = cli(
        *REGISTER,
        "--marking",
        "secret//alpha//no copy",
        "--received",
        "2026-01-05",
        as_=org.registrar,
    )

    assert result.code == 0, result.err
    document = Document.objects.get()
    assert document.control_number in result.out
    assert "SECRET//ALPHA//NO COPY" in result.out
    assert document.received_on == date(2026, 1, 5)
    assert document.registered_by == org.registrar
    assert document.copies.count() == 2
    assert last_entry().kind == "document.registered"


def test_register_as_json_names_the_control_number(org: Organisation, cli: Cli) -> None:
    result = cli(*REGISTER, "--marking", "SECRET", "--json", as_=org.registrar)

    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["control_number"] == Document.objects.get().control_number
    assert body["banner"] == "SECRET"


def test_staff_may_not_register_and_the_refusal_is_recorded(org: Organisation, cli: Cli) -> None:
    result = cli(*REGISTER, "--marking", "UNCLASSIFIED", as_=org.worker)

    assert result.code == 3
    assert result.err == "strongroom: error: refused: this needs the role of registrar\n"
    assert not Document.objects.exists()
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.actor == org.worker
    assert entry.data["action"] == "document:register"


def test_a_bad_date_is_a_usage_error_without_a_traceback(org: Organisation, cli: Cli) -> None:
    result = cli(*REGISTER, "--marking", "SECRET", "--received", "5/1/2026", as_=org.registrar)

    assert result.code == 2
    assert result.err.startswith("strongroom: error: argument --received: '5/1/2026' is not a")
    assert "Traceback" not in result.err
    assert not Document.objects.exists()


def test_a_date_in_the_future_is_refused_as_bad_input(org: Organisation, cli: Cli) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()

    result = cli(*REGISTER, "--marking", "SECRET", "--received", tomorrow, as_=org.registrar)

    assert result.code == 2
    assert "cannot be in the future" in result.err


def test_a_bad_marking_is_a_usage_error_naming_the_levels(org: Organisation, cli: Cli) -> None:
    result = cli(*REGISTER, "--marking", "SECRT//ALPHA", as_=org.registrar)

    assert result.code == 2
    assert "'SECRT' is not a level" in result.err
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1


def test_a_missing_option_is_a_usage_error(org: Organisation, cli: Cli) -> None:
    result = cli("register", "--short-title", "x", as_=org.registrar)

    assert result.code == 2
    assert "required" in result.err
    assert "strongroom register --help" in result.err


def test_register_for_a_unit_outside_ones_own_is_refused(org: Organisation, cli: Cli) -> None:
    result = cli(*REGISTER, "--marking", "SECRET", "--unit", "south", as_=org.north_registrar)

    assert result.code == 3
    assert "outside yours" in result.err


# --- list -----------------------------------------------------------------------------------


def test_list_shows_only_what_the_reader_may_see(
    org: Organisation, cli: Cli, register: Register
) -> None:
    top = register("TOP SECRET//BRAVO", short_title="Bravo plan")
    secret = register("SECRET", short_title="Secret plan")
    open_ = register("UNCLASSIFIED", short_title="Canteen menu")

    as_registrar = cli("list", as_=org.registrar)
    as_custodian = cli("list", as_=org.custodian)
    as_worker = cli("list", as_=org.worker)

    assert as_registrar.code == as_custodian.code == as_worker.code == 0
    assert top.control_number in as_registrar.out
    assert as_registrar.out.splitlines()[0] == "TOP SECRET//BRAVO"
    assert as_registrar.out.splitlines()[-1] == "TOP SECRET//BRAVO"
    assert top.control_number not in as_custodian.out
    assert "Bravo plan" not in as_custodian.out
    assert secret.control_number in as_custodian.out
    assert as_custodian.out.splitlines()[0] == "SECRET"
    assert as_worker.out.splitlines()[0] == "UNCLASSIFIED"
    assert open_.control_number in as_worker.out
    assert secret.control_number not in as_worker.out


def test_list_filters_and_prints_json(org: Organisation, cli: Cli, register: Register) -> None:
    def titled(marking: str, title: str) -> Any:
        return register(marking, short_title=title, full_title=title, originator="Treasury")

    titled("SECRET", "Widget plan")
    wanted = titled("CONFIDENTIAL", "Widget budget")
    titled("CONFIDENTIAL", "Gadget budget")

    result = cli(
        "list",
        "--q",
        "widget",
        "--level",
        "confidential",
        "--state",
        "in_registry",
        "--unit",
        "HQ",
        "--json",
        as_=org.registrar,
    )

    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert [d["control_number"] for d in body["documents"]] == [wanted.control_number]
    assert body["banner"] == "CONFIDENTIAL"
    assert body["documents"][0]["copies"][0]["state"] == "in_registry"


def test_list_says_when_it_shows_only_part(org: Organisation, cli: Cli, register: Register) -> None:
    for _ in range(3):
        register("SECRET")

    result = cli("list", "--limit", "2", as_=org.registrar)

    assert "Showing 2 of 3" in result.out


def test_list_with_an_unknown_level_is_a_usage_error(org: Organisation, cli: Cli) -> None:
    result = cli("list", "--level", "SECRETISH", as_=org.registrar)

    assert result.code == 2
    assert "SECRETISH" in result.err


# --- show -----------------------------------------------------------------------------------


def test_show_prints_the_document_and_its_copies(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET//ALPHA", copies=2)

    result = cli("show", document.control_number.lower(), as_=org.custodian)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "SECRET//ALPHA"
    assert "Directive 12 on the handling of widgets" in result.out
    assert f"{document.control_number}/2" in result.out
    assert "HQ registry" in result.out


def test_show_as_json_lists_the_copies(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("SECRET", copies=3)

    body = json.loads(cli("show", document.control_number, "--json", as_=org.registrar).out)

    assert [c["number"] for c in body["copies"]] == [1, 2, 3]
    assert body["marking"] == "SECRET"


def test_a_hidden_document_looks_exactly_like_a_missing_one(
    org: Organisation, cli: Cli, register: Register
) -> None:
    hidden = register("TOP SECRET//BRAVO")
    missing = hidden.control_number[:-4] + "9999"

    seen = cli("show", hidden.control_number, as_=org.custodian)
    absent = cli("show", missing, as_=org.custodian)

    assert seen.code == absent.code == 3
    assert seen.out == absent.out == ""
    assert seen.err.replace(hidden.control_number, "X") == absent.err.replace(missing, "X")
    assert "in the register" in seen.err
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.actor == org.custodian
    assert entry.subject == f"document:{hidden.control_number}"
    assert entry.data["action"] == "document:view"


# --- issue and return -----------------------------------------------------------------------


def test_a_registrar_issues_a_copy_and_takes_it_back(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")
    reference = f"{document.control_number}/2"

    issued = cli("issue", reference, "--to", "carl", as_=org.registrar)
    copy = Copy.objects.get(document=document, number=2)
    assert issued.code == 0, issued.err
    assert "Issued" in issued.out and "carl" in issued.out
    assert copy.state == CopyState.HELD and copy.holder == org.custodian

    returned = cli("return", reference, "--expected-version", str(copy.version), as_=org.registrar)
    copy.refresh_from_db()
    assert returned.code == 0, returned.err
    assert copy.state == CopyState.IN_REGISTRY and copy.holder is None
    assert last_entry().kind == "copy.returned"


def test_a_copy_is_not_issued_to_someone_not_cleared(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")

    result = cli("issue", f"{document.control_number}/1", "--to", "wally", as_=org.custodian)

    assert result.code == 3
    assert "refused: the recipient may not hold SECRET material" in result.err
    assert Copy.objects.get(document=document, number=1).holder is None
    assert last_entry().kind == "access.refused"


def test_staff_may_not_issue_even_what_they_may_see(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("UNCLASSIFIED")

    result = cli("issue", f"{document.control_number}/1", "--to", "wally", as_=org.worker)

    assert result.code == 3
    assert "this needs the role of registrar or custodian" in result.err


def test_staff_may_not_return_a_copy(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("UNCLASSIFIED")
    cli("issue", f"{document.control_number}/1", "--to", "wally", as_=org.registrar)

    result = cli("return", f"{document.control_number}/1", as_=org.worker)

    assert result.code == 3
    assert "refused" in result.err
    assert Copy.objects.get(document=document, number=1).holder == org.worker


def test_a_stale_version_is_a_conflict(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("SECRET")
    reference = f"{document.control_number}/1"

    result = cli("issue", reference, "--to", "carl", "--expected-version", "7", as_=org.registrar)

    assert result.code == 4
    assert "moved by someone else" in result.err
    assert Copy.objects.get(document=document, number=1).holder is None


def test_returning_a_copy_in_the_registry_is_not_allowed_in_that_state(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")

    result = cli("return", f"{document.control_number}/1", as_=org.registrar)

    assert result.code == 4
    assert "only a copy that is held can be returned" in result.err


def test_a_control_number_without_a_copy_number_is_a_usage_error(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")

    result = cli("issue", document.control_number, "--to", "carl", as_=org.registrar)

    assert result.code == 2
    assert "is not a copy reference" in result.err
    assert "Traceback" not in result.err


def test_issuing_to_an_unknown_person_is_not_found(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")

    result = cli("issue", f"{document.control_number}/1", "--to", "nobody", as_=org.registrar)

    assert result.code == 3
    assert "No person nobody" in result.err


def test_issuing_a_hidden_copy_looks_like_a_missing_document(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("TOP SECRET")

    result = cli("issue", f"{document.control_number}/1", "--to", "carl", as_=org.custodian)

    assert result.code == 3
    assert (
        result.err == f"strongroom: error: No document {document.control_number} in the register.\n"
    )


# --- history --------------------------------------------------------------------------------


def test_the_copy_timeline_shows_each_holder_and_who_authorised_it(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")
    reference = f"{document.control_number}/1"
    cli("issue", reference, "--to", "carl", as_=org.registrar)
    cli("return", reference, as_=org.registrar)

    result = cli("history", reference, as_=org.custodian)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "SECRET"
    assert "copy 1 of 3" in result.out
    rows = [line for line in lines if line.split()[:1] and line.split()[0].isdigit()]
    assert [row.split()[3] for row in rows] == [
        "document.registered",
        "copy.issued",
        "copy.returned",
    ]
    assert "carl" in rows[1] and "rita" in rows[1]


def test_the_copy_timeline_as_json(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("SECRET")
    reference = f"{document.control_number}/1"
    cli("issue", reference, "--to", "carl", as_=org.registrar)

    body = json.loads(cli("history", reference, "--json", as_=org.registrar).out)

    assert [(s["state"], s["holder"]) for s in body["steps"]] == [
        ("in_registry", None),
        ("held", "carl"),
    ]


def test_the_document_history_lists_its_ledger_entries(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET")
    cli("issue", f"{document.control_number}/3", "--to", "carl", as_=org.registrar)

    result = cli("history", document.control_number, "--json", as_=org.inspector)

    assert result.code == 0, result.err
    body = json.loads(result.out)
    expected = LedgerEntry.objects.filter(subject__contains=document.control_number)
    assert [e["seq"] for e in body["entries"]] == [e.seq for e in expected]
    assert body["entries"][-1]["kind"] == "copy.issued"


def test_the_history_of_a_hidden_document_is_not_found(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("TOP SECRET")

    result = cli("history", document.control_number, as_=org.custodian)

    assert result.code == 3
    assert result.out == ""
    assert "in the register" in result.err


def test_history_of_something_that_is_no_reference_is_a_usage_error(
    org: Organisation, cli: Cli
) -> None:
    result = cli("history", "directive 12", as_=org.registrar)

    assert result.code == 2
    assert "neither a control number" in result.err
