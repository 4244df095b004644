"""Inspection bundles checked offline: a genuine bundle verifies, and each way of tampering with
one is caught and named (strongroom.ledger.bundle; the export itself is tests/services)."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from strongroom.ledger import bundle
from strongroom.ledger.checkpoints import Checkpoint
from strongroom.ledger.entry import leaf_hash
from strongroom.ledger.events import Event
from strongroom.ledger.log_key import log_verifier
from strongroom.ledger.notes import KeyType, Signer, Verifier, sign_note
from strongroom.services import bundles, checkpoints, custody
from tests.conftest import Organisation

Lines = list[dict[str, Any]]


@pytest.fixture(autouse=True)
def log_key(settings: Any, tmp_path: Path) -> None:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"


def export(org: Organisation, unit: Any = None, by: Any = None) -> bytes:
    out = io.BytesIO()
    today = date.today()
    bundles.export_bundle(
        unit=unit or org.hq, first_day=today, last_day=today, by=by or org.inspector, out=out
    )
    return out.getvalue()


@pytest.fixture
def genuine(org: Organisation, history: Any) -> bytes:
    # An earlier checkpoint, so the bundle carries a consistency proof too.
    checkpoints.sign_checkpoint(by=org.inspector)
    secret, _ = history
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)
    return export(org)


def lines(raw: bytes) -> Lines:
    return [json.loads(line) for line in raw.splitlines()]


def encode(values: Lines) -> list[bytes]:
    return [json.dumps(value, ensure_ascii=False).encode() + b"\n" for value in values]


def check(values: Lines | bytes, key: Verifier | None = None) -> bundle.Verdict:
    raw = values if isinstance(values, bytes) else b"".join(encode(values))
    return bundle.verify(
        raw.splitlines(keepends=True), log_key=key or log_verifier(), max_problems=50
    )


def entries(values: Lines) -> list[int]:
    """Indices of the entry lines."""
    return [i for i, value in enumerate(values) if value["type"] == "entry"]


def problems_of(verdict: bundle.Verdict) -> str:
    assert not verdict.ok
    assert verdict.problem_count == len(verdict.problems)
    return "\n".join(verdict.problems)


# --- a genuine bundle ---------------------------------------------------------------------------


def test_a_genuine_bundle_verifies_with_the_log_key(genuine: bytes) -> None:
    verdict = check(genuine)
    assert verdict.ok, verdict.problems
    manifest = lines(genuine)[0]
    size = lines(genuine)[2]["note"].split("\n")[1]
    key = log_verifier().label
    assert verdict.summary == (
        f"bundle verified: {manifest['counts']['entries']} entries of HQ "
        f"{date.today()}..{date.today()} are in the log records.test/strongroom at size {size}, "
        f"signed by {key}"
    )
    assert verdict.warnings == []
    assert any("consistent with it" in detail for detail in verdict.details)
    assert any(f"recorded in the log as entry #{size}" in detail for detail in verdict.details)


def test_the_bundle_is_its_manifest_checkpoints_entries_and_export_record(genuine: bytes) -> None:
    values = lines(genuine)
    assert [v["type"] for v in values[:3]] == ["manifest", "checkpoint", "checkpoint"]
    assert {v["type"] for v in values[3:-1]} == {"entry"}
    assert values[-1]["type"] == "export"
    manifest = values[0]
    assert (manifest["format"], manifest["version"]) == ("strongroom-inspection-bundle", 1)
    assert manifest["log"]["log_key"] == log_verifier().vkey()
    assert manifest["unit"]["units"] == ["HQ", "NCITY", "NORTH", "SOUTH"]
    # Every entry of the day is about HQ's tree; the export record itself comes last.
    seqs = [v["seq"] for v in values[3:-1]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert manifest["seqs"] == [[1, len(seqs)]]
    assert values[-1]["seq"] == manifest["export_record"] == len(seqs) + 1
    assert "consistency" in values[1] and "consistency" not in values[2]
    body = json.loads(base64.b64decode(values[-1]["body"]))
    assert body["kind"] == Event.LEDGER_EXPORTED == bundle.EXPORTED
    assert body["data"]["entries"] == len(seqs)


def test_a_gzip_bundle_is_read_through(genuine: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bundle.jsonl.gz"
    with bundle.open_for_writing(path) as file:
        file.write(genuine)
    assert path.read_bytes()[:2] == bundle.GZIP_MAGIC
    assert bundle.verify(bundle.read_lines(path), log_key=log_verifier()).ok
    path.write_bytes(path.read_bytes()[:-20])
    verdict = bundle.verify(bundle.read_lines(path), log_key=log_verifier())
    assert "the file is not a complete gzip stream" in problems_of(verdict)


def test_without_the_log_key_the_bundle_only_agrees_with_itself(genuine: bytes) -> None:
    verdict = bundle.verify(genuine.splitlines(), log_key=None)
    assert verdict.ok
    assert len(verdict.warnings) == 1
    assert verdict.warnings[0].startswith("no --log-key given: the bundle's own log key")
    assert "proves only that the bundle agrees with itself" in verdict.warnings[0]


# --- tampering, each named ----------------------------------------------------------------------


def test_a_byte_changed_in_a_body(genuine: bytes) -> None:
    values = lines(genuine)
    line = values[entries(values)[2]]
    body = bytearray(base64.b64decode(line["body"]))
    body[body.index(b'"kind":"') + 8] ^= 0x20  # one letter's case
    line["body"] = base64.b64encode(bytes(body)).decode()
    assert problems_of(check(values)) == (
        f"entry #{line['seq']}: its body does not match its leaf hash (the body was altered)"
    )


def test_a_body_changed_with_its_leaf_hash_is_not_in_the_tree(genuine: bytes) -> None:
    values = lines(genuine)
    line = values[entries(values)[2]]
    body = base64.b64decode(line["body"]).replace(b'"actor":"', b'"actor":"x', 1)
    line["body"] = base64.b64encode(body).decode()
    line["leaf_hash"] = base64.b64encode(leaf_hash(body)).decode()
    found = problems_of(check(values))
    assert f"entry #{line['seq']}: its inclusion proof does not prove it is in the log's tree" in (
        found
    )
    assert "commits to the entries' digest" in found


def test_an_entry_removed(genuine: bytes) -> None:
    values = lines(genuine)
    removed = values.pop(entries(values)[3])
    found = problems_of(check(values))
    assert f"entry #{removed['seq']} is listed in the manifest but missing from the bundle" in found
    assert "the manifest counts" in found


def test_an_entry_removed_and_the_manifest_rewritten_is_caught_by_the_export_record(
    genuine: bytes,
) -> None:
    values = lines(genuine)
    removed = values.pop(entries(values)[3])
    manifest = values[0]
    kept = [v["seq"] for v in values if v["type"] == "entry"]
    manifest["seqs"] = bundle.seq_ranges(kept)
    manifest["counts"]["entries"] -= 1
    found = problems_of(check(values))
    record = manifest["export_record"]
    assert found.splitlines()[0] == (
        f"the export record (entry #{record}) says {len(kept) + 1} entries were exported; the "
        f"bundle holds {len(kept)} (entries were removed or added)"
    )
    assert f"#{removed['seq']}" not in found  # nothing names it any more: the digest does
    assert "commits to the entries' digest" in found


def test_two_entries_swapped(genuine: bytes) -> None:
    values = lines(genuine)
    first, second = entries(values)[4:6]
    values[first], values[second] = values[second], values[first]
    earlier, later = values[second]["seq"], values[first]["seq"]
    found = problems_of(check(values))
    assert found.splitlines()[0] == (
        f"entry #{earlier} (line {second + 1}) comes after entry #{later}: entries come by "
        "increasing number (moved, swapped or repeated)"
    )


def test_two_bodies_swapped_between_their_lines(genuine: bytes) -> None:
    values = lines(genuine)
    first, second = (values[i] for i in entries(values)[4:6])
    first["body"], second["body"] = second["body"], first["body"]
    found = problems_of(check(values))
    assert f"entry #{first['seq']}: its body does not match its leaf hash" in found
    assert f"entry #{second['seq']}: its body does not match its leaf hash" in found


def test_a_hash_changed_in_a_proof(genuine: bytes) -> None:
    values = lines(genuine)
    line = values[entries(values)[1]]
    proof = base64.b64decode(line["proof"][0])
    line["proof"][0] = base64.b64encode(bytes([proof[0] ^ 1]) + proof[1:]).decode()
    found = problems_of(check(values))
    assert found.startswith(
        f"entry #{line['seq']}: its inclusion proof does not prove it is in the log's tree at size"
    )
    assert "does not lead to the root" in found
    assert found.count("\n") == 0  # that entry alone


def test_a_consistency_proof_changed(genuine: bytes) -> None:
    values = lines(genuine)
    proof = values[1]["consistency"]
    proof[-1] = base64.b64encode(bytes(32)).decode()
    assert "does not extend the one at size" in problems_of(check(values))


def _re_signed(values: Lines, signer: Signer, *, replace_key: bool) -> Lines:
    """Every checkpoint signed again by ``signer`` (the log's name, another key)."""
    for line in values[1:3]:
        note = line["note"]
        line["note"] = sign_note(note[: note.index("\n\n") + 1], [signer]).decode()
    if replace_key:
        values[0]["log"]["log_key"] = signer.verifier.vkey()
    return values


def test_the_checkpoint_re_signed_with_another_key(genuine: bytes) -> None:
    forger = Signer.generate("records.test/strongroom")
    real = log_verifier()
    forged = _re_signed(lines(genuine), forger, replace_key=True)
    # Brought from a trusted source, the log's key is not fooled.
    found = problems_of(check(forged, real))
    assert found.splitlines()[0] == (
        f"the checkpoint on line 2 is not signed by the log key {real.label}: it is signed by "
        f"{forger.verifier.label}"
    )
    # Without it, the forger's key in the bundle agrees with the bundle: only a warning says
    # what that is worth, and the verdict names the key that signed.
    alone = bundle.verify(b"".join(encode(forged)).splitlines(), log_key=None)
    assert alone.ok
    assert forger.verifier.label in alone.summary and real.label not in alone.summary
    assert "proves only that the bundle agrees with itself" in alone.warnings[0]


def test_the_checkpoint_re_signed_but_the_bundle_keeps_the_log_key(genuine: bytes) -> None:
    forged = _re_signed(
        lines(genuine), Signer.generate("records.test/strongroom"), replace_key=False
    )
    verdict = bundle.verify(b"".join(encode(forged)).splitlines(), log_key=None)
    assert "the checkpoint on line 2 is not signed by the log key" in problems_of(verdict)


def test_a_wrong_log_key_given(genuine: bytes) -> None:
    other = Signer.generate("records.test/strongroom").verifier
    verdict = check(genuine, other)
    found = problems_of(verdict)
    assert f"is not signed by the log key {other.label}: it is signed by" in found
    assert f"the bundle names the log key {log_verifier().label}" in verdict.warnings[0]


def test_the_export_record_cut_off(genuine: bytes) -> None:
    values = lines(genuine)[:-1]
    assert problems_of(check(values)) == (
        "the bundle has no export record, the ledger entry that recorded this export; it ends "
        "early (truncated) or was cut"
    )


def test_an_entry_moved_to_another_number(genuine: bytes) -> None:
    values = lines(genuine)
    line = values[entries(values)[-1]]
    line["seq"] += 100
    found = problems_of(check(values))
    assert f"entry #{line['seq']} (line" in found and "is not listed in the manifest" in found
    assert f"entry #{line['seq']}: its body says it is entry #{line['seq'] - 100}" in found


# --- what is not a bundle -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the bundle is empty"),
        (b"not json\n", "line 1 is not JSON"),
        (b'{"type": "entry"}\n', "line 1 is not a manifest: this is not an inspection bundle"),
        (b"[1, 2]\n", "the manifest (line 1) is not a JSON object"),
    ],
)
def test_what_is_not_a_bundle_says_so(raw: bytes, message: str) -> None:
    verdict = bundle.verify(raw.splitlines(), log_key=None)
    assert verdict.problems == [message]


def test_a_later_format_version_is_named(genuine: bytes) -> None:
    values = lines(genuine)
    values[0]["version"] = 2
    assert problems_of(check(values)) == (
        "this bundle is format version 2; this strongroom reads version 1"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v[0].pop("period"), "the manifest (line 1) has no object 'period'"),
        (lambda v: v[0]["period"].update({"to": "31/10"}), "'to' is '31/10', not a YYYY-MM-DD"),
        (lambda v: v[0].update({"seqs": [[5, 1]]}), "'seqs' holds [5, 1], not a run"),
        (lambda v: v[3].update({"leaf_hash": "AAAA"}), "'leaf_hash' is 3 bytes, not a SHA-256"),
        (lambda v: v[3].update({"proof": "x"}), "has no list 'proof'"),
        (lambda v: v[3].update({"type": "note"}), "line 4 is of unknown type 'note'"),
        (lambda v: v.insert(5, v[1]), "line 6: a checkpoint after the entries"),
        (lambda v: v.append(v[3]), "follows the export record, which ends a bundle"),
        (lambda v: v.__delitem__(slice(1, 3)), "the bundle has no checkpoint to check"),
    ],
)
def test_a_malformed_part_is_named(
    genuine: bytes, change: Callable[[Lines], Any], message: str
) -> None:
    values = lines(genuine)
    change(values)
    assert message in problems_of(check(values))


def test_problems_beyond_the_limit_are_counted(genuine: bytes) -> None:
    values = lines(genuine)
    root = Checkpoint.parse(values[2]["note"][: values[2]["note"].index("\n\n") + 1])
    forged = Checkpoint(root.origin, root.size, bytes(32))
    signer = Signer.generate("records.test/strongroom", KeyType.ED25519)
    values[2]["note"] = sign_note(forged.format(), [signer]).decode()
    verdict = bundle.verify(b"".join(encode(values)).splitlines(), log_key=None, max_problems=3)
    assert len(verdict.problems) == 3
    # Every entry, and the export record, fails against a root that is not the log's.
    assert verdict.problem_count > len(entries(values))


def test_a_period_rewritten_in_the_manifest(genuine: bytes) -> None:
    values = lines(genuine)
    today = date.today()
    tomorrow = today.fromordinal(today.toordinal() + 1).isoformat()
    values[0]["period"] = {"from": tomorrow, "to": tomorrow}
    found = problems_of(check(values))
    first = values[3]["seq"]
    assert found.splitlines()[0] == (
        f"entry #{first} was recorded on {today}, outside the period {tomorrow}..{tomorrow}"
    )
    record = values[0]["export_record"]
    assert (
        f"the export record (entry #{record}) has from '{today}'; the manifest says '{tomorrow}'"
        in found
    )
