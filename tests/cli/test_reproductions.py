"""reproduce, approve-reproduction, refuse-reproduction, withdraw-reproduction, reproductions.

The scene: a SECRET document registered at HQ with 7 copies; carl (HQ custodian) asks for 3
more, and rita (HQ registrar) decides. nils (NORTH registrar) does not answer for HQ.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from strongroom.models import Copy, Document, Reproduction
from strongroom.services import reproductions
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry

Register = Callable[..., Any]


def _document(document: Any) -> Document:
    return Document.objects.select_related("unit").get(pk=document.pk)


def _stored(reproduction: Reproduction) -> Reproduction:
    return Reproduction.objects.get(pk=reproduction.pk)


def _numbers(document: Any) -> list[int]:
    return list(
        Copy.objects.filter(document=document).order_by("number").values_list("number", flat=True)
    )


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor) == ("access.refused", actor)
    assert entry.data["action"] == action


@pytest.fixture
def document(org: Organisation, register: Register) -> Document:
    """A SECRET HQ document of 7 copies."""
    return _document(register("SECRET", copies=7))


@pytest.fixture
def pending(org: Organisation, document: Document) -> Reproduction:
    """carl has asked for 3 more copies (request version 1)."""
    return reproductions.request_reproduction(
        document, copies=3, reason="briefing", by=org.custodian
    )


# --- reproduce -------------------------------------------------------------------------------


def test_a_custodian_asks_for_copies(org: Organisation, cli: Cli, document: Document) -> None:
    control = document.control_number
    result = cli("reproduce", control, "--copies", "3", "--reason", "briefing", as_=org.custodian)

    assert result.code == 0, result.err
    made = Reproduction.objects.get()
    assert result.out == (
        f"Asked for 3 copies of {control} (request {made.short_reference}); nothing is copied "
        "until another registrar approves it.\n"
    )
    assert result.err == ""
    assert (made.requested_by, made.count, made.reason, made.state) == (
        org.custodian,
        3,
        "briefing",
        "pending",
    )
    assert _numbers(document) == list(range(1, 8))
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "reproduction.requested",
        org.custodian,
        f"document:{control}",
    )


def test_no_copy_is_refused_with_that_reason_and_recorded(
    org: Organisation, cli: Cli, register: Register
) -> None:
    document = register("SECRET//NO COPY")
    result = cli(
        "reproduce", document.control_number, "--copies", "1", "--reason", "x", as_=org.registrar
    )
    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: the marking SECRET//NO COPY carries NO COPY: no copies "
        "of it may be made\n"
    )
    _refused(last_entry(), org.registrar, "reproduction:request")
    assert not Reproduction.objects.exists()


def test_staff_are_refused_with_the_reason(org: Organisation, cli: Cli, register: Register) -> None:
    document = register("CONFIDENTIAL", unit=org.north, by=org.north_registrar)
    result = cli(
        "reproduce", document.control_number, "--copies", "1", "--reason", "x", as_=org.reader
    )
    assert result.code == 3
    assert "refused: this needs the role of registrar or custodian" in result.err
    _refused(last_entry(), org.reader, "reproduction:request")


def test_a_hidden_document_looks_missing(org: Organisation, cli: Cli, document: Document) -> None:
    missing = document.control_number[:-4] + "9999"
    seen = cli(
        "reproduce", document.control_number, "--copies", "1", "--reason", "x", as_=org.worker
    )
    entry = last_entry()
    absent = cli("reproduce", missing, "--copies", "1", "--reason", "x", as_=org.worker)
    assert seen.code == absent.code == 3
    assert seen.err.replace(document.control_number, "X") == absent.err.replace(missing, "X")
    _refused(entry, org.worker, "document:view")


def test_bad_input_is_a_usage_error_without_a_traceback(
    org: Organisation, cli: Cli, document: Document
) -> None:
    control = document.control_number

    def run(*argv: str) -> Any:
        result = cli("reproduce", control, *argv, as_=org.custodian)
        assert "Traceback" not in result.err
        assert len(result.err.splitlines()) == 1, result.err
        assert result.code == 2, result.err
        return result

    assert "--reason" in run("--copies", "2").err
    assert "--copies" in run("--reason", "x").err
    assert "invalid int value" in run("--copies", "two", "--reason", "x").err
    assert "between 1 and 20" in run("--copies", "21", "--reason", "x").err
    assert "between 1 and 20" in run("--copies", str(2**63), "--reason", "x").err
    assert "A reason for the reproduction is required." in run("--copies", "2", "--reason", " ").err
    assert not Reproduction.objects.exists()


# --- approve, refuse, withdraw ---------------------------------------------------------------


def test_the_authority_approves_and_the_numbering_extends(
    org: Organisation, cli: Cli, document: Document, pending: Reproduction
) -> None:
    result = cli(
        "approve-reproduction",
        pending.short_reference.lower(),
        "--note",
        "granted",
        "--expected-version",
        "1",
        as_=org.registrar,
    )
    assert result.code == 0, result.err
    assert result.out == (
        f"Approved {pending.short_reference}: copies 8-10 of 10 of {document.control_number} "
        "are in the registry.\n"
    )
    assert _numbers(document) == list(range(1, 11))
    row = _stored(pending)
    assert (row.state, row.decided_by, row.decision_note) == ("approved", org.registrar, "granted")

    second = cli(
        "reproduce", document.control_number, "--copies", "2", "--reason", "more", as_=org.custodian
    )
    assert second.code == 0, second.err
    other = Reproduction.objects.get(state="pending")
    again = cli("approve-reproduction", str(other.reference), as_=org.registrar)
    assert again.code == 0, again.err
    assert "copies 11-12 of 12" in again.out


def test_the_requester_cannot_approve_their_own_request(
    org: Organisation, cli: Cli, document: Document
) -> None:
    mine = reproductions.request_reproduction(document, copies=1, reason="x", by=org.registrar)
    result = cli("approve-reproduction", mine.short_reference, as_=org.registrar)
    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: the person who asked for the reproduction may not decide "
        "it; another registrar must\n"
    )
    _refused(last_entry(), org.registrar, "reproduction:approve")
    assert _stored(mine).state == "pending"
    assert _numbers(document) == list(range(1, 8))


def test_a_request_one_may_not_see_looks_missing(
    org: Organisation, cli: Cli, pending: Reproduction
) -> None:
    other = "FFFFFFFF" if pending.short_reference != "FFFFFFFF" else "EEEEEEEE"
    seen = cli("approve-reproduction", pending.short_reference, as_=org.north_registrar)
    entry = last_entry()
    absent = cli("approve-reproduction", other, as_=org.north_registrar)
    assert seen.code == absent.code == 3
    assert seen.err == f"strongroom: error: No reproduction request {pending.short_reference}.\n"
    assert seen.err.replace(pending.short_reference, "X") == absent.err.replace(other, "X")
    _refused(entry, org.north_registrar, "reproduction:view")
    assert _stored(pending).state == "pending"


def test_a_stale_version_is_a_conflict_and_a_decided_one_too(
    org: Organisation, cli: Cli, document: Document, pending: Reproduction
) -> None:
    stale = cli(
        "approve-reproduction",
        pending.short_reference,
        "--expected-version",
        "2",
        as_=org.registrar,
    )
    assert stale.code == 4
    assert "was changed by someone else" in stale.err
    reproductions.withdraw_reproduction(pending, by=org.custodian)
    decided = cli("approve-reproduction", pending.short_reference, as_=org.registrar)
    assert decided.code == 4
    assert f"Reproduction request {pending.short_reference} is already withdrawn." in decided.err
    assert _numbers(document) == list(range(1, 8))


@pytest.mark.parametrize("value", ["x", "0", str(2**63)])
def test_a_version_no_request_can_have_is_a_usage_error(
    org: Organisation, cli: Cli, pending: Reproduction, value: str
) -> None:
    result = cli(
        "approve-reproduction",
        pending.short_reference,
        "--expected-version",
        value,
        as_=org.registrar,
    )
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert _stored(pending).state == "pending"


def test_the_authority_refuses_with_a_reason(
    org: Organisation, cli: Cli, document: Document, pending: Reproduction
) -> None:
    missing = cli("refuse-reproduction", pending.short_reference, as_=org.registrar)
    assert missing.code == 2
    assert "--reason" in missing.err
    result = cli(
        "refuse-reproduction", pending.short_reference, "--reason", "enough", as_=org.registrar
    )
    assert result.code == 0, result.err
    assert result.out == f"Refused {pending.short_reference}; no copies were made.\n"
    assert (_stored(pending).state, _stored(pending).decision_note) == ("refused", "enough")
    assert _numbers(document) == list(range(1, 8))


def test_only_the_requester_withdraws(org: Organisation, cli: Cli, pending: Reproduction) -> None:
    refused = cli("withdraw-reproduction", pending.short_reference, as_=org.registrar)
    assert refused.code == 3
    assert "only the person who asked for a reproduction may withdraw it" in refused.err
    done = cli(
        "withdraw-reproduction", pending.short_reference, "--reason", "later", as_=org.custodian
    )
    assert done.code == 0, done.err
    assert done.out == f"Withdrew {pending.short_reference}; no copies were made.\n"
    assert _stored(pending).state == "withdrawn"


# --- reproductions ---------------------------------------------------------------------------


def test_the_list_between_banners_and_as_json(
    org: Organisation, cli: Cli, document: Document, pending: Reproduction
) -> None:
    other = reproductions.request_reproduction(
        _document(document), copies=1, reason="spare", by=org.custodian
    )
    reproductions.approve_reproduction(other, by=org.registrar)

    shown = cli("reproductions", as_=org.registrar)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == lines[-1] == "SECRET"
    assert lines[1].split()[:4] == ["REF", "DOCUMENT", "MARKING", "STATE"]
    assert any(
        line.split()[:4] == [other.short_reference, document.control_number, "SECRET", "approved"]
        and line.rstrip().endswith("8-8")
        for line in lines
    ), shown.out
    assert any(line.startswith(pending.short_reference) and " pending " in line for line in lines)

    waiting = json.loads(cli("reproductions", "--pending", "--json", as_=org.registrar).out)
    assert [item["short_reference"] for item in waiting] == [pending.short_reference]
    assert waiting[0] == {
        "reference": str(pending.reference),
        "short_reference": pending.short_reference,
        "document": document.control_number,
        "marking": "SECRET",
        "requested_by": "carl",
        "requested_at": pending.requested_at.isoformat(),
        "copies": 3,
        "reason": "briefing",
        "state": "pending",
        "decided_by": None,
        "decided_at": None,
        "decision_note": "",
        "first_number": None,
        "last_number": None,
        "version": 1,
    }

    of_document = json.loads(
        cli("reproductions", "--document", document.control_number, "--json", as_=org.custodian).out
    )
    assert [item["state"] for item in of_document] == ["approved", "pending"]


def test_an_empty_list_says_so(org: Organisation, cli: Cli, pending: Reproduction) -> None:
    result = cli("reproductions", as_=org.reader)
    assert (result.code, result.out) == (0, "No reproduction requests.\n")
