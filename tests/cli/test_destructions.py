"""destroy, witness-destruction, refuse-destruction, withdraw-destruction, destructions and
certificate: allowed and refused; and a destroyed copy no command can move again.

The scene: a SECRET//ALPHA paper document registered at HQ; carl (HQ custodian, SECRET ALPHA)
destroys copy 1 and names rita (HQ registrar, TOP SECRET ALPHA/BRAVO) as his witness.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Destruction
from strongroom.queries.destructions import qr_payload
from strongroom.services import destructions
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry
from tests.pdfs import text

Register = Callable[..., Any]


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(destruction: Destruction) -> Destruction:
    return Destruction.objects.select_related(
        "copy__document__unit", "destroyer__unit", "witness__unit", "resolved_by"
    ).get(pk=destruction.pk)


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor) == ("access.refused", actor)
    assert entry.data["action"] == action


def _missing_short(destruction: Destruction) -> str:
    return "FFFFFFFF" if destruction.short_reference != "FFFFFFFF" else "EEEEEEEE"


@pytest.fixture
def document(register: Register) -> Any:
    return register("SECRET//ALPHA")


@pytest.fixture
def pending(org: Organisation, document: Any) -> Destruction:
    """Carl has put copy 1 forward (copy version 2), naming rita as his witness."""
    return destructions.propose_destruction(
        _copy(document), witness=org.registrar, method="pulping", by=org.custodian
    )


@pytest.fixture
def witnessed(org: Organisation, pending: Destruction) -> Destruction:
    destructions.witness_destruction(_stored(pending), by=org.registrar)
    return _stored(pending)


# --- destroy -----------------------------------------------------------------------------------


def test_the_destroyer_signs_and_is_told_what_the_witness_needs(
    org: Organisation, cli: Cli, document: Any
) -> None:
    reference = f"{document.control_number}/1"
    today = date.today().isoformat()

    result = cli(
        "destroy", reference, "--method", "shredding", "--witness", "rita", "--on", today,
        "--note", "bag 17", "--expected-version", "1", as_=org.custodian,
    )  # fmt: skip

    assert result.code == 0, result.err
    proposed = Destruction.objects.get()
    assert result.out == (
        f"Put {reference} forward for destruction by shredding on {today}. It counts as "
        f"destroyed only when Rita Registrar (rita, HQ) countersigns destruction "
        f"{proposed.short_reference} ('strongroom witness-destruction "
        f"{proposed.short_reference}').\n"
    )
    assert result.err == ""
    assert (proposed.destroyer, proposed.witness, proposed.note) == (
        org.custodian,
        org.registrar,
        "bag 17",
    )
    assert _copy(document).state == "awaiting_destruction"
    assert last_entry().kind == "destruction.proposed"


def test_the_same_person_cannot_be_destroyer_and_witness(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli(
        "destroy", f"{document.control_number}/1", "--method", "shredding", "--witness", "carl",
        as_=org.custodian,
    )  # fmt: skip
    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: the destroyer and the witness must be two different people\n"
    )
    _refused(last_entry(), org.custodian, "destruction:propose")
    assert not Destruction.objects.exists()


def test_a_witness_not_read_into_the_compartment_is_refused(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli(
        "destroy", f"{document.control_number}/1", "--method", "shredding", "--witness", "nils",
        as_=org.custodian,
    )  # fmt: skip
    assert result.code == 3
    assert (
        "the witness may not hold SECRET//ALPHA material: not read into compartment(s) ALPHA"
        in (result.err)
    )
    assert _copy(document).state == "in_registry"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--method", "eating"], "invalid choice: 'eating'"),
        (["--method", "degaussing"], "cannot destroy a copy on paper"),
        (["--on", "yesterday"], "'yesterday' is not a date; write YYYY-MM-DD"),
        (
            ["--on", (date.today() + timedelta(days=2)).isoformat()],
            "The date of destruction cannot be in the future.",
        ),
        (["--witness", "nobody"], "No person nobody."),
        (["--expected-version", str(2**63)], "is not a version; versions run from 1 to"),
        (["--expected-version", "0"], "is not a version"),
    ],
)
def test_bad_input_is_a_usage_error_without_a_traceback(
    org: Organisation, cli: Cli, document: Any, options: list[str], message: str
) -> None:
    values = {"--method": "shredding", "--witness": "rita"}
    for name, value in zip(options[::2], options[1::2], strict=True):
        values[name] = value
    argv = [item for pair in values.items() for item in pair]
    result = cli("destroy", f"{document.control_number}/1", *argv, as_=org.custodian)
    assert result.code in (2, 3), result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert not Destruction.objects.exists()


def test_a_missing_method_or_witness_is_a_usage_error(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli("destroy", f"{document.control_number}/1", "--witness", "rita", as_=org.custodian)
    assert result.code == 2
    assert "--method" in result.err


def test_a_stale_copy_version_is_a_conflict(org: Organisation, cli: Cli, document: Any) -> None:
    result = cli(
        "destroy", f"{document.control_number}/1", "--method", "shredding", "--witness", "rita",
        "--expected-version", "5", as_=org.custodian,
    )  # fmt: skip
    assert result.code == 4
    assert "was moved by someone else a moment ago" in result.err
    assert not Destruction.objects.exists()


def test_destroying_a_copy_of_a_hidden_document_looks_like_a_missing_document(
    org: Organisation, cli: Cli, document: Any
) -> None:
    missing = document.control_number[:-4] + "9999"
    seen = cli(
        "destroy", f"{document.control_number}/1", "--method", "shredding", "--witness", "rita",
        as_=org.worker,
    )  # fmt: skip
    absent = cli(
        "destroy", f"{missing}/1", "--method", "shredding", "--witness", "rita", as_=org.worker
    )
    assert seen.code == absent.code == 3
    assert (
        seen.err == f"strongroom: error: No document {document.control_number} in the register.\n"
    )
    assert seen.err.replace(document.control_number, "X") == absent.err.replace(missing, "X")
    _refused(
        LedgerEntry.objects.filter(kind="access.refused").order_by("seq").last(),
        org.worker,
        "document:view",
    )


# --- the witness -------------------------------------------------------------------------------


def test_the_witness_countersigns(
    org: Organisation, cli: Cli, document: Any, pending: Destruction
) -> None:
    result = cli("witness-destruction", pending.short_reference, as_=org.registrar)

    assert result.code == 0, result.err
    stored = _stored(pending)
    assert result.out == (
        f"Countersigned destruction {pending.short_reference}: {document.control_number}/1 is "
        f"destroyed. The record is kept until {stored.kept_until:%Y-%m-%d}; 'strongroom "
        f"certificate {pending.short_reference}' prints the certificate.\n"
    )
    assert stored.state == "witnessed"
    assert _copy(document).state == "destroyed"
    entry = last_entry()
    assert (entry.kind, entry.actor) == ("destruction.witnessed", org.registrar)


def test_the_witness_may_scan_the_reference(
    org: Organisation, cli: Cli, pending: Destruction
) -> None:
    result = cli(
        "witness-destruction", qr_payload(pending), "--expected-version", "1", as_=org.registrar
    )
    assert result.code == 0, result.err


def test_only_the_witness_may_countersign(
    org: Organisation, cli: Cli, document: Any, pending: Destruction
) -> None:
    result = cli("witness-destruction", pending.short_reference, as_=org.custodian)
    assert result.code == 3
    assert result.err == (
        "strongroom: error: refused: only the witness named in the destruction may countersign it\n"
    )
    _refused(last_entry(), org.custodian, "destruction:witness")
    assert _copy(document).state == "awaiting_destruction"


def test_a_stale_destruction_version_is_a_conflict(
    org: Organisation, cli: Cli, pending: Destruction
) -> None:
    result = cli(
        "witness-destruction", pending.short_reference, "--expected-version", "7", as_=org.registrar
    )
    assert result.code == 4
    assert result.err == (
        f"strongroom: error: Destruction {pending.short_reference} was changed by someone else a "
        "moment ago; reload it and try again.\n"
    )


def test_the_witness_refuses_with_a_reason(
    org: Organisation, cli: Cli, document: Any, pending: Destruction
) -> None:
    without = cli("refuse-destruction", pending.short_reference, as_=org.registrar)
    assert without.code == 2
    assert "--reason" in without.err
    blank = cli("refuse-destruction", pending.short_reference, "--reason", " ", as_=org.registrar)
    assert blank.code == 2
    assert "A reason is required." in blank.err
    result = cli(
        "refuse-destruction", pending.short_reference, "--reason", "not the copy I saw",
        as_=org.registrar,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == (
        f"Refused to countersign destruction {pending.short_reference}; "
        f"{document.control_number}/1 is back in the registry.\n"
    )
    assert (_stored(pending).state, _copy(document).state) == ("refused", "in_registry")


def test_the_destroyer_withdraws_and_an_inspector_may_not(
    org: Organisation, cli: Cli, document: Any, pending: Destruction
) -> None:
    refused = cli(
        "withdraw-destruction", pending.short_reference, "--reason", "x", as_=org.inspector
    )
    assert refused.code == 3
    assert "refused: this needs the role of registrar or custodian" in refused.err
    result = cli(
        "withdraw-destruction", pending.short_reference, "--reason", "wrong copy", as_=org.custodian
    )
    assert result.code == 0, result.err
    assert result.out == (
        f"Withdrew destruction {pending.short_reference}; {document.control_number}/1 is back in "
        "the registry.\n"
    )
    assert _stored(pending).state == "withdrawn"


def test_acting_on_a_resolved_destruction_is_not_allowed_in_that_state(
    org: Organisation, cli: Cli, witnessed: Destruction
) -> None:
    result = cli("witness-destruction", witnessed.short_reference, as_=org.registrar)
    assert result.code == 4
    assert f"Destruction {witnessed.short_reference} is already witnessed." in result.err


COMMANDS: dict[str, tuple[str, ...]] = {
    "witness-destruction": ("witness-destruction",),
    "refuse-destruction": ("refuse-destruction", "--reason", "x"),
    "withdraw-destruction": ("withdraw-destruction", "--reason", "x"),
    "certificate": ("certificate",),
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_hidden_destruction_looks_exactly_like_a_missing_one(
    org: Organisation, cli: Cli, pending: Destruction, command: tuple[str, ...], tmp_path: Path
) -> None:
    ref, missing = pending.short_reference, _missing_short(pending)
    name, *options = command
    if name == "certificate":
        options = ["--output", str(tmp_path / "certificate.pdf")]

    seen = cli(name, ref, *options, as_=org.worker)
    absent = cli(name, missing, *options, as_=org.worker)

    assert seen.code == absent.code == 3
    assert seen.err == f"strongroom: error: No destruction {ref}.\n"
    assert seen.err.replace(ref, "X") == absent.err.replace(missing, "X")
    _refused(
        LedgerEntry.objects.filter(kind="access.refused").order_by("seq").last(),
        org.worker,
        "destruction:view",
    )
    assert _stored(pending).state == "pending"
    assert not (tmp_path / "certificate.pdf").exists()


def test_a_reference_that_is_no_reference_is_a_usage_error(
    org: Organisation, cli: Cli, pending: Destruction
) -> None:
    result = cli("witness-destruction", "HQ-2026-0001/1", as_=org.registrar)
    assert result.code == 2
    assert "'HQ-2026-0001/1' is not a destruction reference" in result.err


# --- lists and the certificate -----------------------------------------------------------------


def test_the_list_is_framed_by_the_marking(
    org: Organisation, cli: Cli, document: Any, pending: Destruction
) -> None:
    result = cli("destructions", as_=org.registrar)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "SECRET//ALPHA"
    assert lines[1].split() == [
        "REF", "COPY", "MARKING", "STATE", "METHOD", "DATE", "DESTROYER", "WITNESS",
        "COUNTERSIGNED",
    ]  # fmt: skip
    assert pending.short_reference in lines[3]
    assert "pending" in lines[3] and "pulping" in lines[3]


def test_the_lists_as_json(org: Organisation, cli: Cli, pending: Destruction) -> None:
    def refs(person: Any, *options: str) -> list[str]:
        result = cli("destructions", "--json", *options, as_=person)
        assert result.code == 0, result.err
        return [row["short_reference"] for row in json.loads(result.out)]

    assert refs(org.registrar) == [pending.short_reference]
    assert refs(org.custodian) == []
    assert refs(org.custodian, "--box", "destroyer") == [pending.short_reference]
    assert refs(org.inspector, "--box", "unit", "--pending") == [pending.short_reference]
    row = json.loads(cli("destructions", "--json", as_=org.registrar).out)[0]
    assert (row["copy"], row["method"], row["state"], row["witnessed_at"]) == (
        pending.copy.reference,
        "pulping",
        "pending",
        None,
    )
    empty = cli("destructions", "--box", "unit", as_=org.north_registrar)
    assert (empty.code, empty.out) == (0, "No destructions.\n")


def test_the_certificate_is_written_to_the_file_asked_for(
    org: Organisation, cli: Cli, document: Any, witnessed: Destruction, tmp_path: Path
) -> None:
    target = tmp_path / "certificate.pdf"
    result = cli(
        "certificate", witnessed.short_reference, "--output", str(target), as_=org.custodian
    )
    assert result.code == 0, result.err
    assert result.out == f"Wrote the certificate of destruction to {target}.\n"
    words = text(target.read_bytes())
    assert document.control_number in words
    assert "Method pulping" in words
    assert "Rita Registrar (rita, HQ), countersigned" in words


def test_the_certificate_is_written_by_default_beside_the_caller(
    org: Organisation,
    cli: Cli,
    witnessed: Destruction,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("certificate", str(witnessed.reference), as_=org.registrar)
    assert result.code == 0, result.err
    assert (
        (tmp_path / f"destruction-{witnessed.short_reference}.pdf").read_bytes().startswith(b"%PDF")
    )


def test_no_certificate_before_the_witness_countersigns(
    org: Organisation, cli: Cli, pending: Destruction, tmp_path: Path
) -> None:
    target = tmp_path / "certificate.pdf"
    result = cli("certificate", pending.short_reference, "--output", str(target), as_=org.registrar)
    assert result.code == 4
    assert "has not been witnessed; a certificate is issued only once" in result.err
    assert not target.exists()


def test_an_unwritable_certificate_path_is_a_clear_error(
    org: Organisation, cli: Cli, witnessed: Destruction, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "dir" / "c.pdf"
    result = cli(
        "certificate", witnessed.short_reference, "--output", str(target), as_=org.registrar
    )
    assert result.code == 2
    assert f"Cannot write {target}: No such file or directory." in result.err


# --- destroyed is final ------------------------------------------------------------------------


def test_no_command_can_move_a_destroyed_copy(
    org: Organisation, cli: Cli, document: Any, witnessed: Destruction
) -> None:
    reference = f"{document.control_number}/1"
    before = last_entry().seq
    issue = cli("issue", reference, "--to", "ines", as_=org.registrar)
    assert issue.code == 4
    assert issue.err == (
        "strongroom: error: The copy is destroyed; only a copy in the registry can be issued.\n"
    )
    give_back = cli("return", reference, as_=org.registrar)
    assert give_back.code == 4
    assert "The copy is destroyed; only a copy that is held can be returned." in give_back.err
    again = cli("destroy", reference, "--method", "burning", "--witness", "ines", as_=org.registrar)
    assert again.code == 4
    assert "The copy is destroyed; only a copy in the registry can be destroyed." in again.err
    assert last_entry().seq == before
    hand_over = cli("hand-over", reference, "--to", "ines", as_=org.registrar)
    assert hand_over.code == 3
    assert "refused: only the person who holds the copy may hand it over" in hand_over.err
    assert _copy(document).state == "destroyed"


def test_where_a_destroyed_copy_is_names_no_holder_nor_registry_but_its_destruction(
    org: Organisation, cli: Cli, document: Any, witnessed: Destruction
) -> None:
    reference = f"{document.control_number}/1"
    timeline = cli("history", reference, as_=org.custodian)
    assert timeline.code == 0
    rows = timeline.out.splitlines()
    last_step = next(row for row in rows if "destruction.witnessed" in row)
    assert last_step.split()[-5:] == ["destroyed", "-", "destroyed", "by", "pulping"]
    assert "registry" not in last_step
    assert (
        f"Destroyed: destruction {witnessed.short_reference}, countersigned by rita at "
        f"{timezone.localtime(witnessed.resolved_at):%Y-%m-%d %H:%M}; 'strongroom certificate "
        f"{witnessed.short_reference}' prints its certificate."
    ) in rows
    shown = cli("show", document.control_number, as_=org.custodian)
    [row] = [line for line in shown.out.splitlines() if line.startswith(f"{reference} ")]
    assert row.split()[1:6] == ["destroyed", "-", "destroyed", "by", "pulping"]

    as_json = json.loads(cli("history", reference, "--json", as_=org.custodian).out)
    assert as_json["destruction"] == {
        "reference": str(witnessed.reference),
        "short_reference": witnessed.short_reference,
        "state": "witnessed",
    }
    assert (as_json["steps"][-1]["holder"], as_json["steps"][-1]["state"]) == (None, "destroyed")


def test_a_copy_awaiting_destruction_says_whose_signature_is_missing(
    org: Organisation, cli: Cli, document: Any, pending: Destruction
) -> None:
    timeline = cli("history", f"{document.control_number}/1", as_=org.registrar)
    assert (
        f"Awaiting destruction {pending.short_reference}, signed by carl: rita has not "
        "countersigned yet."
    ) in timeline.out.splitlines()


def test_a_destruction_the_reader_may_not_see_is_not_named(
    org: Organisation, cli: Cli, register: Register
) -> None:
    unclassified = register("UNCLASSIFIED")
    proposed = destructions.propose_destruction(
        _copy(unclassified), witness=org.registrar, method="shredding", by=org.custodian
    )
    destructions.witness_destruction(_stored(proposed), by=org.registrar)
    reference = f"{unclassified.control_number}/1"
    timeline = cli("history", reference, as_=org.worker)
    assert timeline.code == 0
    assert "destroyed by shredding" in timeline.out
    assert proposed.short_reference not in timeline.out
    assert (
        json.loads(cli("history", reference, "--json", as_=org.worker).out)["destruction"] is None
    )


def test_an_unknown_reference_is_not_found(org: Organisation, cli: Cli) -> None:
    unknown = str(uuid.uuid4())
    result = cli("witness-destruction", unknown, as_=org.registrar)
    assert result.code == 3
    assert result.err == f"strongroom: error: No destruction {unknown.upper()}.\n"
