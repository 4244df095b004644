"""hand-over, acknowledge, refuse, call-back, hand-overs and receipt: allowed and refused.

The scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) has issued copy 1 to
rosa (NORTH staff, cleared CONFIDENTIAL), who hands it to nils (NORTH registrar, SECRET).
"""

from __future__ import annotations

import json
import sys
import types
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, HandOver
from strongroom.queries.hand_overs import qr_payload
from strongroom.services import custody, hand_overs
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry

Register = Callable[..., Any]


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(hand_over: HandOver) -> HandOver:
    return HandOver.objects.select_related("resolved_by").get(pk=hand_over.pk)


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor) == ("access.refused", actor)
    assert entry.data["action"] == action


def _missing_short(hand_over: HandOver) -> str:
    return "FFFFFFFF" if hand_over.short_reference != "FFFFFFFF" else "EEEEEEEE"


@pytest.fixture
def document(org: Organisation, register: Register) -> Any:
    """A CONFIDENTIAL HQ document whose copy 1 rosa holds (copy version 2)."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    return document


@pytest.fixture
def pending(org: Organisation, document: Any) -> HandOver:
    """Rosa has sent copy 1 to nils; he has not acknowledged it yet (copy version 3)."""
    return hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)


# --- hand-over -------------------------------------------------------------------------------


def test_the_holder_hands_a_copy_over(org: Organisation, cli: Cli, document: Any) -> None:
    reference = f"{document.control_number}/1"

    result = cli("hand-over", reference, "--to", "nils", "--expected-version", "2", as_=org.reader)

    assert result.code == 0, result.err
    sent = HandOver.objects.get()
    assert result.out.startswith(
        f"Sent {reference} to Nils North (nils, NORTH); it stays yours until they acknowledge it "
    )
    assert result.out.rstrip().endswith(f"Receipt {sent.short_reference}.")
    assert result.err == ""
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.version) == ("in_hand_over", org.reader, 3)
    assert (sent.sender, sent.recipient, sent.state) == (
        org.reader,
        org.north_registrar,
        "pending",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "hand_over.dispatched",
        org.reader,
        f"copy:{reference}",
    )
    assert entry.data["recipient"] == "nils"


def test_the_holder_may_set_a_deadline(
    org: Organisation, cli: Cli, document: Any, settings: Any
) -> None:
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    due = (datetime.now(UTC) + timedelta(hours=4)).replace(second=0, microsecond=0)

    result = cli(
        "hand-over",
        f"{document.control_number}/1",
        "--to",
        "nils",
        "--due",
        due.isoformat(),
        as_=org.reader,
    )

    assert result.code == 0, result.err
    assert HandOver.objects.get().due_by == due


def test_only_the_holder_may_hand_it_over(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli("hand-over", f"{document.control_number}/1", "--to", "nils", as_=org.custodian)

    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: only the person who holds the copy may hand it over\n"
    )
    _refused(last_entry(), org.custodian, "hand_over:dispatch")
    assert not HandOver.objects.exists()
    assert _copy(document).state == "held"


def test_a_copy_is_not_handed_to_someone_not_cleared(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli("hand-over", f"{document.control_number}/1", "--to", "wally", as_=org.reader)

    assert result.code == 3
    assert "refused: the recipient may not hold CONFIDENTIAL material" in result.err
    _refused(last_entry(), org.reader, "hand_over:dispatch")
    assert not HandOver.objects.exists()
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.version) == ("held", org.reader, 2)


def test_handing_over_a_hidden_copy_looks_like_a_missing_document(
    org: Organisation, cli: Cli, register: Register
) -> None:
    hidden = register("SECRET")
    custody.issue_copy(_copy(hidden), to=org.custodian, by=org.registrar)
    missing = hidden.control_number[:-4] + "9999"

    seen = cli("hand-over", f"{hidden.control_number}/1", "--to", "ines", as_=org.worker)
    entry = last_entry()
    absent = cli("hand-over", f"{missing}/1", "--to", "ines", as_=org.worker)

    assert seen.code == absent.code == 3
    assert seen.err == f"strongroom: error: No document {hidden.control_number} in the register.\n"
    assert seen.err.replace(hidden.control_number, "X") == absent.err.replace(missing, "X")
    assert seen.out == absent.out == ""
    _refused(entry, org.worker, "document:view")
    assert last_entry().seq == entry.seq
    assert not HandOver.objects.exists()


def test_bad_hand_over_input_is_a_usage_error_without_a_traceback(
    org: Organisation, cli: Cli, document: Any, settings: Any
) -> None:
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    reference = f"{document.control_number}/1"

    def run(*argv: str) -> Any:
        result = cli("hand-over", *argv, as_=org.reader)
        assert "Traceback" not in result.err
        assert len(result.err.splitlines()) == 1, result.err
        return result

    no_copy_number = run(document.control_number, "--to", "nils")
    assert no_copy_number.code == 2
    assert "is not a copy reference" in no_copy_number.err
    no_recipient = run(reference)
    assert no_recipient.code == 2
    assert "--to" in no_recipient.err and "required" in no_recipient.err
    not_a_time = run(reference, "--to", "nils", "--due", "tomorrow")
    assert not_a_time.code == 2
    assert "'tomorrow' is not a time" in not_a_time.err
    no_zone = run(reference, "--to", "nils", "--due", "2026-11-23T17:00")
    assert no_zone.code == 2
    assert "has no time zone" in no_zone.err
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    in_the_past = run(reference, "--to", "nils", "--due", past)
    assert in_the_past.code == 2
    assert "The deadline must be in the future." in in_the_past.err
    far = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    too_far = run(reference, "--to", "nils", "--due", far)
    assert too_far.code == 2
    assert "The deadline may be at most 24 hours from now." in too_far.err
    bad_version = run(reference, "--to", "nils", "--expected-version", "x")
    assert bad_version.code == 2
    unknown = run(reference, "--to", "nobody")
    assert unknown.code == 3
    assert "No person nobody." in unknown.err
    assert not HandOver.objects.exists()
    assert _copy(document).version == 2


def test_a_stale_copy_version_is_a_conflict(org: Organisation, cli: Cli, document: Any) -> None:
    # Rosa read version 2; meanwhile she sent it and called it back elsewhere (version 4).
    sent = hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)
    hand_overs.cancel_hand_over(sent, by=org.reader)
    before = last_entry().seq

    result = cli(
        "hand-over",
        f"{document.control_number}/1",
        "--to",
        "nils",
        "--expected-version",
        "2",
        as_=org.reader,
    )

    assert result.code == 4
    assert "moved by someone else" in result.err
    assert HandOver.objects.count() == 1
    assert _copy(document).version == 4
    assert last_entry().seq == before


def test_a_version_no_copy_can_have_is_bad_input_not_a_crash(
    org: Organisation, cli: Cli, document: Any
) -> None:
    # Versions are 32-bit: a larger one is a usage error, never a traceback.
    try:
        result = cli(
            "hand-over",
            f"{document.control_number}/1",
            "--to",
            "nils",
            "--expected-version",
            str(2**63),
            as_=org.reader,
        )
    except OverflowError as crash:
        pytest.fail(f"the command crashed instead of answering: {crash!r}")
    assert not HandOver.objects.exists()
    assert _copy(document).version == 2
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert result.code == 2, result.err


def test_handing_over_a_copy_already_in_hand_over_is_not_allowed_in_that_state(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    result = cli("hand-over", f"{document.control_number}/1", "--to", "carl", as_=org.reader)

    assert result.code == 4
    assert "only a copy that is held can be handed over" in result.err
    assert HandOver.objects.count() == 1


# --- acknowledge -----------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["short", "lower", "full", "qr"])
def test_the_recipient_acknowledges(
    org: Organisation, cli: Cli, document: Any, pending: HandOver, form: str
) -> None:
    ref = {
        "short": pending.short_reference,
        "lower": pending.short_reference.lower(),
        "full": str(pending.reference),
        "qr": qr_payload(pending),
    }[form]

    result = cli("acknowledge", ref, "--expected-version", "1", as_=org.north_registrar)

    assert result.code == 0, result.err
    assert result.out == (
        f"Acknowledged {document.control_number}/1 (hand-over {pending.short_reference}); "
        "it is yours now.\n"
    )
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by, stored.version) == (
        "accepted",
        org.north_registrar,
        2,
    )
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == (
        "held",
        org.north_registrar,
        "with nils (NORTH)",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor) == ("hand_over.accepted", org.north_registrar)


def test_only_the_recipient_may_acknowledge(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    result = cli("acknowledge", pending.short_reference, as_=org.reader)

    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: only the recipient named in the hand-over may acknowledge it\n"
    )
    _refused(last_entry(), org.reader, "hand_over:accept")
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"


def test_a_stale_hand_over_version_is_a_conflict(
    org: Organisation, cli: Cli, pending: HandOver
) -> None:
    before = last_entry().seq

    result = cli(
        "acknowledge", pending.short_reference, "--expected-version", "7", as_=org.north_registrar
    )

    assert result.code == 4
    assert result.err == (
        f"strongroom: error: Hand-over {pending.short_reference} was changed by someone else a "
        "moment ago; reload it and try again.\n"
    )
    assert _stored(pending).state == "pending"
    assert last_entry().seq == before


def test_acknowledging_what_was_called_back_is_not_allowed_in_that_state(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    hand_overs.cancel_hand_over(pending, by=org.reader)

    result = cli("acknowledge", pending.short_reference, as_=org.north_registrar)

    assert result.code == 4
    assert f"Hand-over {pending.short_reference} is already called back." in result.err
    assert _copy(document).holder == org.reader


COMMANDS: dict[str, tuple[str, ...]] = {
    "acknowledge": ("acknowledge",),
    "refuse": ("refuse", "--reason", "x"),
    "call-back": ("call-back", "--reason", "x"),
    "receipt": ("receipt",),
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
@pytest.mark.parametrize("by", ["short", "full"])
def test_a_hidden_hand_over_looks_exactly_like_a_missing_one(
    org: Organisation,
    cli: Cli,
    pending: HandOver,
    command: tuple[str, ...],
    by: str,
    tmp_path: Path,
) -> None:
    if by == "short":
        ref, missing = pending.short_reference, _missing_short(pending)
    else:
        ref, missing = str(pending.reference), str(uuid.uuid4())
    name, *options = command
    if name == "receipt":
        options = ["--output", str(tmp_path / "receipt.pdf")]
    refusals_before = LedgerEntry.objects.filter(kind="access.refused").count()

    seen = cli(name, ref, *options, as_=org.worker)
    absent = cli(name, missing, *options, as_=org.worker)

    assert seen.code == absent.code == 3
    assert seen.err == f"strongroom: error: No hand-over {ref.upper()}.\n"
    assert seen.err.replace(ref.upper(), "X") == absent.err.replace(missing.upper(), "X")
    assert seen.out == absent.out == ""
    refusals = LedgerEntry.objects.filter(kind="access.refused").order_by("seq")
    assert refusals.count() == refusals_before + 1
    _refused(refusals.last(), org.worker, "hand_over:view")
    assert _stored(pending).state == "pending"
    assert not (tmp_path / "receipt.pdf").exists()


def test_a_reference_that_is_no_reference_is_a_usage_error(
    org: Organisation, cli: Cli, pending: HandOver
) -> None:
    result = cli("acknowledge", "HQ-2026-0001/1", as_=org.north_registrar)

    assert result.code == 2
    assert "'HQ-2026-0001/1' is not a hand-over reference" in result.err
    assert "Traceback" not in result.err


def test_acknowledge_without_a_reference_is_a_usage_error(org: Organisation, cli: Cli) -> None:
    result = cli("acknowledge", as_=org.north_registrar)

    assert result.code == 2
    assert "REF" in result.err


# --- refuse and call back --------------------------------------------------------------------


def test_the_recipient_refuses_and_the_copy_goes_back(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    result = cli(
        "refuse", pending.short_reference, "--reason", "not for my desk", as_=org.north_registrar
    )

    assert result.code == 0, result.err
    assert result.out == (
        f"Refused {document.control_number}/1 (hand-over {pending.short_reference}); it is back "
        "with the sender.\n"
    )
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by, stored.note) == (
        "refused",
        org.north_registrar,
        "not for my desk",
    )
    copy = _copy(document)
    assert (copy.state, copy.holder) == ("held", org.reader)
    entry = last_entry()
    assert (entry.kind, entry.actor) == ("hand_over.refused", org.north_registrar)
    assert entry.data["reason"] == "not for my desk"


def test_only_the_recipient_may_refuse(org: Organisation, cli: Cli, pending: HandOver) -> None:
    result = cli("refuse", pending.short_reference, as_=org.custodian)

    assert result.code == 3
    assert "refused: only the recipient named in the hand-over may refuse it" in result.err
    _refused(last_entry(), org.custodian, "hand_over:refuse")
    assert _stored(pending).state == "pending"


def test_a_reason_too_long_is_a_usage_error(org: Organisation, cli: Cli, pending: HandOver) -> None:
    result = cli("refuse", pending.short_reference, "--reason", "x" * 501, as_=org.north_registrar)

    assert result.code == 2
    assert "The reason may be at most 500 characters." in result.err
    assert _stored(pending).state == "pending"


@pytest.mark.parametrize("who", ["reader", "custodian"], ids=["the-sender", "the-registry"])
def test_the_sender_or_the_registry_calls_it_back(
    org: Organisation, cli: Cli, document: Any, pending: HandOver, who: str
) -> None:
    person = getattr(org, who)

    result = cli(
        "call-back",
        pending.short_reference,
        "--reason",
        "wrong recipient",
        "--expected-version",
        "1",
        as_=person,
    )

    assert result.code == 0, result.err
    assert result.out == (
        f"Called back {document.control_number}/1 (hand-over {pending.short_reference}).\n"
    )
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by, stored.note) == (
        "cancelled",
        person,
        "wrong recipient",
    )
    assert _copy(document).holder == org.reader
    entry = last_entry()
    assert (entry.kind, entry.actor) == ("hand_over.cancelled", person)


def test_an_inspector_may_not_call_it_back(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    result = cli("call-back", pending.short_reference, as_=org.inspector)

    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: this needs the role of registrar or custodian\n"
    )
    _refused(last_entry(), org.inspector, "hand_over:cancel")
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"


# --- hand-overs ------------------------------------------------------------------------------


def test_the_list_is_framed_by_the_marking(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    result = cli("hand-overs", as_=org.north_registrar)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    assert lines[1].split() == ["REF", "COPY", "MARKING", "STATE", "FROM", "TO", "DUE", "BY"]
    row = lines[3].split()
    assert row[:6] == [
        pending.short_reference,
        f"{document.control_number}/1",
        "CONFIDENTIAL",
        "pending",
        "rosa",
        "nils",
    ]


def test_the_lists_sent_to_me_by_me_and_of_my_units_as_json(
    org: Organisation, cli: Cli, document: Any, pending: HandOver
) -> None:
    def refs(person: Any, *options: str) -> list[str]:
        result = cli("hand-overs", *options, "--json", as_=person)
        assert result.code == 0, result.err
        return [item["reference"] for item in json.loads(result.out)]

    ref = str(pending.reference)
    assert refs(org.north_registrar) == [ref]
    assert refs(org.north_registrar, "--box", "outgoing") == []
    assert refs(org.reader, "--box", "outgoing") == [ref]
    assert refs(org.reader) == []
    assert refs(org.custodian, "--box", "unit") == [ref]
    assert refs(org.worker, "--box", "unit") == []

    [item] = json.loads(cli("hand-overs", "--json", as_=org.north_registrar).out)
    assert item["short_reference"] == pending.short_reference
    assert (item["copy"], item["marking"], item["sender"], item["recipient"]) == (
        f"{document.control_number}/1",
        "CONFIDENTIAL",
        "rosa",
        "nils",
    )
    assert (item["state"], item["resolved_at"], item["version"]) == ("pending", None, 1)


def test_the_pending_filter_and_an_empty_list(
    org: Organisation, cli: Cli, pending: HandOver
) -> None:
    hand_overs.accept_hand_over(pending, by=org.north_registrar)

    only_pending = cli("hand-overs", "--pending", as_=org.north_registrar)
    everything = cli("hand-overs", "--json", as_=org.north_registrar)

    assert only_pending.code == 0
    assert only_pending.out == "No hand-overs.\n"
    assert [item["state"] for item in json.loads(everything.out)] == ["accepted"]


def test_an_unknown_box_is_a_usage_error(org: Organisation, cli: Cli) -> None:
    result = cli("hand-overs", "--box", "everything", as_=org.reader)

    assert result.code == 2
    assert "invalid choice: 'everything'" in result.err


# --- receipt ---------------------------------------------------------------------------------


def test_the_receipt_is_written_to_the_file_asked_for(
    org: Organisation, cli: Cli, pending: HandOver, tmp_path: Path
) -> None:
    target = tmp_path / "receipt.pdf"

    result = cli("receipt", pending.short_reference, "--output", str(target), as_=org.reader)

    assert result.code == 0, result.err
    assert result.out == f"Wrote the receipt to {target}.\n"
    assert target.read_bytes().startswith(b"%PDF")


def test_the_receipt_is_written_by_default_beside_the_caller(
    org: Organisation,
    cli: Cli,
    pending: HandOver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)

    result = cli("receipt", pending.short_reference, as_=org.custodian)

    assert result.code == 0, result.err
    written = tmp_path / f"hand-over-{pending.short_reference}.pdf"
    assert written.read_bytes().startswith(b"%PDF")


def test_an_unwritable_receipt_path_is_a_clear_error(
    org: Organisation, cli: Cli, pending: HandOver, tmp_path: Path
) -> None:
    nowhere = tmp_path / "no-such-folder" / "receipt.pdf"

    missing_folder = cli(
        "receipt", pending.short_reference, "--output", str(nowhere), as_=org.reader
    )
    a_folder = cli("receipt", pending.short_reference, "--output", str(tmp_path), as_=org.reader)

    assert missing_folder.code == a_folder.code == 2
    assert missing_folder.err == (
        f"strongroom: error: Cannot write {nowhere}: No such file or directory.\n"
    )
    assert a_folder.err.startswith(f"strongroom: error: Cannot write {tmp_path}: ")
    assert "Traceback" not in missing_folder.err + a_folder.err
    assert not nowhere.parent.exists()


class _NoPango(types.ModuleType):
    """WeasyPrint as it behaves without the system's Pango: importing it fails with OSError."""

    def __getattr__(self, name: str) -> Any:
        raise OSError("cannot load library 'libpango-1.0-0'")


def test_a_receipt_without_pango_fails_with_the_reason(
    org: Organisation,
    cli: Cli,
    pending: HandOver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", _NoPango("weasyprint"))
    target = tmp_path / "receipt.pdf"

    result = cli("receipt", pending.short_reference, "--output", str(target), as_=org.reader)

    assert result.code == 1
    assert result.err.startswith(
        "strongroom: error: PDF printing is not available here: cannot load library "
        "'libpango-1.0-0'. Install Pango"
    )
    assert len(result.err.splitlines()) == 1
    assert "Traceback" not in result.err
    assert result.out == ""
    assert not target.exists()
