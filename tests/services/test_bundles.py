"""Exporting an inspection bundle: who may, which entries are about a unit and its period, what
is withheld from an exporter who may not see it, and the record the export leaves."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput, Unavailable
from strongroom.ledger import bundle
from strongroom.ledger.log_key import log_verifier
from strongroom.ledger.models import Checkpoint, LedgerEntry
from strongroom.policy import Denied
from strongroom.services import bundles, checkpoints, custody, hand_overs, people
from tests.conftest import PASSWORD, Organisation, last_entry
from tests.cosigned import cosigned_checkpoint


@pytest.fixture(autouse=True)
def log_key(settings: Any, tmp_path: Path) -> None:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"


TODAY = date.today()


def export(
    unit: Any, by: Any, first_day: date = TODAY, last_day: date = TODAY
) -> tuple[bundles.Exported, list[dict[str, Any]]]:
    out = io.BytesIO()
    done = bundles.export_bundle(unit=unit, first_day=first_day, last_day=last_day, by=by, out=out)
    raw = out.getvalue()
    verdict = bundle.verify(raw.splitlines(), log_key=log_verifier())
    assert verdict.ok, verdict.problems
    return done, [json.loads(line) for line in raw.splitlines()]


def bodies(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        json.loads(base64.b64decode(value["body"])) for value in values if value["type"] == "entry"
    ]


def subjects(values: list[dict[str, Any]]) -> set[str]:
    return {body["subject"] for body in bodies(values)}


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


# --- the record of the export, and who may ------------------------------------------------------


def test_the_export_is_recorded_with_a_digest_of_exactly_what_it_carried(
    org: Organisation, history: Any
) -> None:
    done, values = export(org.hq, org.inspector)
    record = LedgerEntry.objects.get(seq=done.export_record)
    assert (record.kind, record.subject, record.actor) == (
        "ledger.exported",
        "unit:HQ",
        org.inspector,
    )
    digest = bundle.Digest()
    for value in values[1:-1]:
        if value["type"] in ("entry", "withheld"):
            digest.add(value["seq"], base64.b64decode(value["leaf_hash"]))
    assert record.data == {
        "unit": "HQ",
        "from": TODAY.isoformat(),
        "to": TODAY.isoformat(),
        "entries": done.entries,
        "withheld": 0,
        "digest": digest.hexdigest(),
    }
    # The checkpoint was signed with the export, so the bundle proves the export's own record.
    assert done.checkpoint_size == done.export_record == LedgerEntry.objects.count()
    assert Checkpoint.objects.filter(size=done.checkpoint_size).exists()


@pytest.mark.parametrize("who", ["inspector", "officer"])
def test_inspectors_and_security_officers_export(org: Organisation, who: str) -> None:
    done, _ = export(org.north, getattr(org, who))
    assert done.entries > 0


@pytest.mark.parametrize("who", ["worker", "registrar"])
def test_others_may_not_and_the_refusal_is_recorded(org: Organisation, who: str) -> None:
    person = getattr(org, who)
    with pytest.raises(Denied, match="this needs the role of inspector"):
        export(org.hq, person)
    refusal = last_entry()
    assert (refusal.kind, refusal.subject, refusal.actor) == ("access.refused", "unit:HQ", person)
    assert refusal.data["action"] == "ledger:export"
    assert not LedgerEntry.objects.filter(kind="ledger.exported").exists()
    assert not Checkpoint.objects.exists()


def test_a_unit_officer_exports_their_own_tree_and_not_above(org: Organisation) -> None:
    nora = people.create_person(
        username="nora",
        full_name="Nora North",
        unit=org.north,
        roles=["security_officer"],
        password=PASSWORD,
        by=org.officer,
    )
    export(org.ncity, nora)
    with pytest.raises(Denied, match=r"the unit belongs to a unit outside yours \(HQ/NORTH\)"):
        export(org.hq, nora)
    assert last_entry().data["action"] == "ledger:export"


@pytest.mark.parametrize(
    ("first_day", "last_day", "message"),
    [
        (TODAY, TODAY - timedelta(days=1), "The period starts on"),
        (TODAY, TODAY + timedelta(days=1), "which has not come yet: give --to today or earlier"),
    ],
)
def test_a_period_that_cannot_be_is_refused_before_anything_is_recorded(
    org: Organisation, first_day: date, last_day: date, message: str
) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(InvalidInput, match=message):
        export(org.hq, org.inspector, first_day, last_day)
    assert LedgerEntry.objects.count() == before


# --- about a unit -------------------------------------------------------------------------------


def test_a_unit_bundle_holds_what_is_about_its_tree(
    org: Organisation, register: Callable[..., Any]
) -> None:
    hq_document = register("CONFIDENTIAL")
    hq_only = register("CONFIDENTIAL", short_title="Kept at HQ")
    north_document = register("SECRET", unit=org.north, by=org.north_registrar)
    # An HQ copy in the hands of one of NORTH's people is about NORTH too.
    custody.issue_copy(hq_document.copies.get(number=1), to=org.reader, by=org.custodian)
    custody.issue_copy(hq_only.copies.get(number=1), to=org.custodian, by=org.registrar)
    _, values = export(org.north, org.inspector)
    about = subjects(values)
    assert {"unit:NORTH", "unit:NCITY", "person:rosa", "person:nils", "clearance:rosa"} <= about
    assert f"document:{north_document.control_number}" in about
    assert f"copy:{hq_document.control_number}/1" in about
    # Nothing of HQ's own, nor of SOUTH.
    assert not about & {"unit:HQ", "unit:SOUTH", "person:carl", "clearance:rita"}
    assert f"document:{hq_document.control_number}" not in about
    assert not any(hq_only.control_number in subject for subject in about)
    # HQ's bundle holds all of its tree.
    _, everything = export(org.hq, org.inspector)
    assert about < subjects(everything)


def test_an_entry_about_a_record_is_about_the_unit_of_its_copy(
    org: Organisation, register: Callable[..., Any]
) -> None:
    document = register("CONFIDENTIAL", unit=org.north, by=org.north_registrar)
    copy = document.copies.get(number=1)
    custody.issue_copy(copy, to=org.reader, by=org.north_registrar)
    sent = hand_overs.dispatch_hand_over(copy, to=org.north_registrar, by=org.reader)
    # Someone of HQ tries to sign for it: the refusal names only the hand-over.
    with pytest.raises(Denied):
        hand_overs.accept_hand_over(sent, by=org.custodian)
    refusal = last_entry()
    assert (refusal.subject, refusal.actor) == (f"hand_over:{sent.reference}", org.custodian)
    _, values = export(org.north, org.inspector)
    assert refusal.seq in {value.get("seq") for value in values if value["type"] == "entry"}


def test_someone_who_left_the_unit_is_still_one_of_its_people(
    org: Organisation, register: Callable[..., Any]
) -> None:
    people.change_person(org.reader, unit=org.south, by=org.officer)
    document = register("CONFIDENTIAL")
    custody.issue_copy(document.copies.get(number=1), to=org.reader, by=org.custodian)
    _, values = export(org.north, org.inspector)
    assert f"copy:{document.control_number}/1" in subjects(values)
    assert any(
        body["kind"] == "person.changed" and body["subject"] == "person:rosa"
        for body in bodies(values)
    )


def test_the_period_is_whole_days_in_utc(org: Organisation, register: Callable[..., Any]) -> None:
    first, second, third = (TODAY + timedelta(days=n) for n in (1, 2, 3))
    with clock.frozen(at(first, 23)):
        before = register("CONFIDENTIAL", short_title="Before")
    with clock.frozen(at(second, 0)):
        within = register("CONFIDENTIAL", short_title="Within")
    with clock.frozen(datetime.combine(third, time.min, tzinfo=UTC)):
        after = register("CONFIDENTIAL", short_title="After")
        done, values = export(org.hq, org.inspector, second, second)
    about = subjects(values)
    assert about == {f"document:{within.control_number}"}
    assert not about & {f"document:{before.control_number}", f"document:{after.control_number}"}
    assert values[0]["period"] == {"from": second.isoformat(), "to": second.isoformat()}
    assert done.entries == 1


# --- what the exporter may not see --------------------------------------------------------------


def test_entries_about_documents_the_exporter_may_not_see_are_withheld(
    org: Organisation, register: Callable[..., Any]
) -> None:
    secret = register("SECRET//ALPHA", short_title="Operation Nightjar")
    copy = secret.copies.get(number=2)
    custody.issue_copy(copy, to=org.custodian, by=org.registrar)
    with pytest.raises(Denied):  # rosa, of NORTH, is refused: her refusal names the copy
        custody.issue_copy(secret.copies.get(number=1), to=org.reader, by=org.reader)
    # The officer's role opens no content: the entries naming the document are withheld.
    out = io.BytesIO()
    done = bundles.export_bundle(
        unit=org.hq, first_day=TODAY, last_day=TODAY, by=org.officer, out=out
    )
    raw = out.getvalue()
    assert b"Nightjar" not in raw
    withheld = [json.loads(line) for line in raw.splitlines() if b'"type":"withheld"' in line]
    assert done.withheld == len(withheld) == 3  # registered, issued, the refusal
    assert all("body" not in line for line in withheld)
    assert withheld[0]["reason"] == "about a document the exporter may not see"
    verdict = bundle.verify(raw.splitlines(), log_key=log_verifier())
    assert verdict.ok
    assert any("3 more entries are withheld" in detail for detail in verdict.details)
    # The inspector, cleared for it, gets every body.
    done, values = export(org.hq, org.inspector)
    assert done.withheld == 0
    assert f"document:{secret.control_number}" in subjects(values)


# --- checkpoints --------------------------------------------------------------------------------


def test_earlier_checkpoints_come_with_proofs_that_the_log_only_grew(
    org: Organisation, register: Callable[..., Any]
) -> None:
    yesterday = TODAY - timedelta(days=1)
    with clock.frozen(at(yesterday)):
        before_period = checkpoints.sign_checkpoint(by=org.inspector)
    register("CONFIDENTIAL")
    latest_before_export = checkpoints.sign_checkpoint(by=org.inspector)
    register("CONFIDENTIAL")
    done, values = export(org.hq, org.inspector)
    heads = [value for value in values if value["type"] == "checkpoint"]
    assert before_period is not None and latest_before_export is not None
    assert [head["note"].encode() for head in heads[:2]] == [
        before_period.note,
        latest_before_export.note,
    ]
    assert all("consistency" in head for head in heads[:2])
    assert heads[2]["note"].split("\n")[1] == str(done.checkpoint_size)
    assert values[0]["counts"]["checkpoints"] == 3


def test_a_period_with_nothing_about_the_unit_still_proves_its_export(org: Organisation) -> None:
    yesterday = TODAY - timedelta(days=1)
    done, values = export(org.hq, org.inspector, yesterday, yesterday)
    assert (done.entries, done.withheld) == (0, 0)
    assert [value["type"] for value in values] == ["manifest", "checkpoint", "export"]
    assert values[0]["seqs"] == []


def test_the_cosignature_lines_a_kept_note_carries_travel_with_it(
    org: Organisation, register: Callable[..., Any]
) -> None:
    cosigned = cosigned_checkpoint(witnesses=2)
    register("CONFIDENTIAL")
    out = io.BytesIO()
    bundles.export_bundle(unit=org.hq, first_day=TODAY, last_day=TODAY, by=org.inspector, out=out)
    heads = [json.loads(line) for line in out.getvalue().splitlines()[1:3]]
    assert heads[0]["note"].encode() == cosigned.note
    verdict = bundle.verify(out.getvalue().splitlines(), log_key=log_verifier())
    assert verdict.ok, verdict.problems
    carried = [detail for detail in verdict.details if "also carries signature lines" in detail]
    assert len(carried) == 1
    assert (
        f"the checkpoint at size {cosigned.size} also carries signature lines by witness1.test+"
        in (carried[0])
    )
    assert "witness2.test+" in carried[0] and "does not check them yet" in carried[0]


def test_without_a_usable_log_key_nothing_is_exported_or_recorded(
    org: Organisation, settings: Any
) -> None:
    key = Path(settings.STRONGROOM_LOG_KEY_FILE)
    key.write_text("not a key\n", encoding="utf-8")
    key.chmod(0o644)
    before = LedgerEntry.objects.count()
    out = io.BytesIO()
    with pytest.raises(Unavailable, match="run `chmod 600"):
        bundles.export_bundle(
            unit=org.hq, first_day=TODAY, last_day=TODAY, by=org.inspector, out=out
        )
    assert LedgerEntry.objects.count() == before
    assert out.getvalue() == b""
