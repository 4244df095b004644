"""Inspection bundles: the ledger's entries about a unit over a period, each with its proof,
written by ``strongroom export-bundle`` and checked by ``strongroom verify-bundle`` with no
database, no server and no settings (docs/ledger.md, "Inspection bundles", is the specification).

A bundle is JSON Lines (UTF-8, one object per line), gzip-compressed when its name ends in
``.gz``. In order:

1. the manifest (``"type": "manifest"``): format and version, who exported what and when, the log's
   origin and public key, the counts and the entries' numbers;
2. the checkpoints (``"checkpoint"``), each a signed note exactly as the log keeps it, cosignature
   lines included, by increasing size; the last is the one every proof is against, and each
   earlier one carries a consistency proof to it;
3. one line per entry (``"entry"``, or ``"withheld"`` for one whose content the exporter may not
   see: its number, leaf hash and proof only), by increasing number;
4. the export record (``"export"``): the ledger entry that recorded this export, with its proof.

Plain Python (no Django): the writer's line builders and the offline checker share it, and the
checker uses the same Merkle, checkpoint and note code as the log.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from strongroom.ledger import merkle
from strongroom.ledger.checkpoints import Checkpoint, CheckpointError, open_checkpoint
from strongroom.ledger.entry import format_time, leaf_hash, parse_time
from strongroom.ledger.notes import (
    KeyEncodingError,
    Note,
    NoteError,
    UnverifiedNoteError,
    Verifier,
    decode_base64,
    encode_base64,
    parse_vkey,
)

FORMAT = "strongroom-inspection-bundle"
VERSION = 1
# The event kind of the export record; ledger.events names it too (this module has no Django).
EXPORTED = "ledger.exported"
GZIP_MAGIC = b"\x1f\x8b"
# The ledger's time form (entry.format_time), checked without parsing it.
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_KNOWN_HASHES = 200_000


# --- Writing ------------------------------------------------------------------------------------


def _line(value: Mapping[str, Any]) -> bytes:
    return orjson.dumps(value) + b"\n"


def _hashes(values: Sequence[bytes]) -> list[str]:
    return [encode_base64(value) for value in values]


class Digest:
    """What the export record commits to: SHA-256 over each exported entry's number (8 bytes,
    big-endian) and leaf hash, in order, withheld entries included. A bundle whose entries were
    removed, added or replaced no longer gives the digest its export record names."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def add(self, seq: int, leaf: bytes) -> None:
        self._hash.update(seq.to_bytes(8, "big") + leaf)
        self.count += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def seq_ranges(seqs: Iterable[int]) -> list[list[int]]:
    """Increasing entry numbers as ``[first, last]`` runs: a month of one unit's entries is
    mostly runs, and the manifest stays small."""
    runs: list[list[int]] = []
    for seq in seqs:
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    return runs


@dataclass(frozen=True)
class Manifest:
    """What the first line says. ``units``: the codes of the unit and those below it."""

    generated_at: datetime
    generated_by: str
    generated_by_name: str
    unit: str
    unit_name: str
    units: tuple[str, ...]
    first_day: date
    last_day: date
    origin: str
    log_key: str
    entries: int
    withheld: int
    checkpoints: int
    seqs: tuple[int, ...]
    export_record: int

    def encode(self) -> bytes:
        return _line(
            {
                "type": "manifest",
                "format": FORMAT,
                "version": VERSION,
                "generated_at": format_time(self.generated_at),
                "generated_by": {
                    "username": self.generated_by,
                    "full_name": self.generated_by_name,
                },
                "unit": {"code": self.unit, "name": self.unit_name, "units": list(self.units)},
                "period": {"from": self.first_day.isoformat(), "to": self.last_day.isoformat()},
                "log": {"origin": self.origin, "log_key": self.log_key},
                "counts": {
                    "entries": self.entries,
                    "withheld": self.withheld,
                    "checkpoints": self.checkpoints,
                },
                "seqs": seq_ranges(self.seqs),
                "export_record": self.export_record,
            }
        )


def export_data(
    *, unit: str, first_day: date, last_day: date, entries: int, withheld: int, digest: str
) -> dict[str, Any]:
    """The ``data`` of the ``ledger.exported`` entry; the checker expects exactly this."""
    return {
        "unit": unit,
        "from": first_day.isoformat(),
        "to": last_day.isoformat(),
        "entries": entries,
        "withheld": withheld,
        "digest": digest,
    }


def checkpoint_line(note: bytes, consistency: Sequence[bytes] | None) -> bytes:
    """A signed checkpoint as the log keeps it; ``consistency``: the proof from it to the last
    checkpoint of the bundle (None for the last itself)."""
    value: dict[str, Any] = {"type": "checkpoint", "note": note.decode()}
    if consistency is not None:
        value["consistency"] = _hashes(consistency)
    return _line(value)


def entry_line(seq: int, body: bytes, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    return _line(
        {
            "type": "entry",
            "seq": seq,
            "leaf_hash": encode_base64(leaf),
            "body": encode_base64(body),
            "proof": _hashes(proof),
        }
    )


def withheld_line(seq: int, leaf: bytes, proof: Sequence[bytes], reason: str) -> bytes:
    return _line(
        {
            "type": "withheld",
            "seq": seq,
            "leaf_hash": encode_base64(leaf),
            "proof": _hashes(proof),
            "reason": reason,
        }
    )


def export_line(seq: int, body: bytes, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    return entry_line(seq, body, leaf, proof).replace(b'{"type":"entry"', b'{"type":"export"', 1)


def open_for_writing(path: Path) -> io.BufferedIOBase:
    """The file a bundle is written to: gzip-compressed when its name ends in ``.gz``."""
    if path.name.endswith(".gz"):
        # mtime 0: the same bundle compresses to the same bytes.
        return gzip.GzipFile(path, "wb", mtime=0)
    return path.open("wb")


# --- Reading ------------------------------------------------------------------------------------


class BundleFileError(ValueError):
    """The bundle's file cannot be read at all (missing, unreadable): a usage problem."""


def read_lines(path: str | Path) -> Iterator[bytes]:
    """The bundle's lines, read as they come (a bundle of a million entries is over a gigabyte),
    through gzip when the file starts with its magic bytes. The file is opened now, so a
    missing one is reported before anything is checked."""
    target = Path(path)
    try:
        file = target.open("rb")
    except OSError as error:
        raise BundleFileError(f"cannot read {target}: {error.strerror}") from None
    return _lines(file)


def _lines(file: io.BufferedReader) -> Iterator[bytes]:
    with file:
        compressed = file.read(2) == GZIP_MAGIC
        file.seek(0)
        source: io.BufferedIOBase = gzip.GzipFile(fileobj=file) if compressed else file
        try:
            yield from source
        except (OSError, EOFError, zlib.error) as error:
            # A truncated or damaged gzip stream: report it as the bundle's problem.
            raise BundleDamaged(f"the file is not a complete gzip stream ({error})") from None


class BundleDamaged(ValueError):
    """The bundle's bytes end or break before its structure does."""


# --- Checking -----------------------------------------------------------------------------------


@dataclass
class Verdict:
    """What ``verify`` found: problems (the first ``max_problems`` of ``problem_count``),
    warnings (things to know that are not failures), and the lines that describe a good bundle."""

    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    summary: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class _Stop(Exception):
    """The bundle cannot be read any further (its manifest or its checkpoints are unusable)."""


@dataclass(frozen=True)
class _Head:
    """A checkpoint of the bundle as read: where, its parsed body and the opened note."""

    line: int
    checkpoint: Checkpoint
    note: Note | None  # None when its signature did not verify
    consistency: list[bytes] | None


class _Fields:
    """Typed access to one JSON object of the bundle, each miss a problem naming it."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _Malformed(f"{where} is not a JSON object")
        self.value: dict[str, Any] = value
        self.where = where

    def _get(self, key: str, kind: type | tuple[type, ...], what: str) -> Any:
        found = self.value.get(key)
        if isinstance(found, bool) or not isinstance(found, kind):
            raise _Malformed(f"{self.where} has no {what} {key!r}")
        return found

    def text(self, key: str) -> str:
        return str(self._get(key, str, "text"))

    def number(self, key: str) -> int:
        found = self._get(key, int, "whole number")
        if found < 0:
            raise _Malformed(f"{self.where}: {key!r} is negative")
        return int(found)

    def child(self, key: str) -> _Fields:
        return _Fields(self._get(key, dict, "object"), f"{self.where}'s {key!r}")

    def hashes(self, key: str, known: dict[str, bytes] | None = None) -> list[bytes]:
        """A list of base64 hashes. ``known``: those decoded before; neighbouring entries'
        proofs share most of their hashes, and decoding is much of a bundle's checking time."""
        found = self._get(key, list, "list")
        known = {} if known is None else known
        values = []
        for position, item in enumerate(found, 1):
            value = known.get(item) if isinstance(item, str) else None
            if value is None:
                if not isinstance(item, str):
                    raise _Malformed(f"{self.where}: {key!r} item {position} is not base64 text")
                value = self.base64(item, f"{key!r} item {position}")
                known[item] = value
            values.append(value)
        return values

    def base64(self, text: str, what: str) -> bytes:
        return decode_base64(text, f"{self.where}: {what}", _Malformed)

    def hash(self, key: str) -> bytes:
        value = self.base64(self.text(key), repr(key))
        if len(value) != merkle.HASH_SIZE:
            raise _Malformed(f"{self.where}: {key!r} is {len(value)} bytes, not a SHA-256 hash")
        return value

    def time(self, key: str) -> datetime:
        text = self.text(key)
        try:
            return parse_time(text)
        except ValueError:
            raise _Malformed(
                f"{self.where}: {key!r} is {text!r}, not a time in the ledger's form"
            ) from None

    def texts(self, key: str) -> list[str]:
        found = self._get(key, list, "list")
        if not all(isinstance(item, str) for item in found):
            raise _Malformed(f"{self.where}: {key!r} holds something other than text")
        return list(found)

    def day(self, key: str) -> date:
        text = self.text(key)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _Malformed(f"{self.where}: {key!r} is {text!r}, not a YYYY-MM-DD date") from None


class _Malformed(ValueError):
    """One object of the bundle is not what the format says."""


def verify(lines: Iterable[bytes], *, log_key: Verifier | None, max_problems: int = 20) -> Verdict:
    """Check a bundle line by line. ``log_key``: the log's key from a trusted source; without it
    the bundle's own key is used, which proves only that the bundle agrees with itself."""
    checker = _Checker(log_key, max_problems)
    try:
        checker.run(lines)
    except _Stop:
        pass
    except BundleDamaged as error:
        checker.problem(str(error))
    return checker.verdict


class _Checker:
    def __init__(self, log_key: Verifier | None, max_problems: int) -> None:
        self.given_key = log_key
        self.key: Verifier | None = log_key
        self.verdict = Verdict()
        self.max_problems = max_problems
        self.manifest: Manifest | None = None
        self.listed: set[int] = set()
        self.first_day = self.last_day = ""
        # Proof hashes decoded so far, by their text; emptied now and then to bound memory.
        self.known: dict[str, bytes] = {}
        self.heads: list[_Head] = []
        self.latest: _Head | None = None
        self.digest = Digest()
        self.seen: set[int] = set()
        self.last_seq = 0
        self.counted = {"entry": 0, "withheld": 0}
        self.export: dict[str, Any] | None = None
        self.export_seq = 0

    # -- reporting

    def problem(self, message: str) -> None:
        self.verdict.problem_count += 1
        if len(self.verdict.problems) < self.max_problems:
            self.verdict.problems.append(message)

    # -- the walk

    def run(self, lines: Iterable[bytes]) -> None:
        stage = "manifest"
        number = 0
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                self.problem(f"line {number} is empty")
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError:
                self.problem(f"line {number} is not JSON")
                if stage == "manifest":
                    raise _Stop from None
                continue
            kind = value.get("type") if isinstance(value, dict) else None
            if stage == "manifest":
                self._manifest(value, number)
                stage = "checkpoints"
                continue
            if kind == "checkpoint":
                if stage != "checkpoints":
                    self.problem(f"line {number}: a checkpoint after the entries")
                    continue
                self._checkpoint(value, number)
                continue
            if stage == "checkpoints":
                self._settle_checkpoints()
                stage = "entries"
            if stage == "done":
                self.problem(f"line {number} follows the export record, which ends a bundle")
                continue
            if kind in ("entry", "withheld"):
                self._entry(value, number, kind)
            elif kind == "export":
                self._export(value, number)
                stage = "done"
            else:
                self.problem(f"line {number} is of unknown type {kind!r}")
        if number == 0:
            self.problem("the bundle is empty")
            raise _Stop
        if stage == "checkpoints":
            self._settle_checkpoints()
        self._finish()

    def _manifest(self, value: Any, number: int) -> None:
        try:
            fields = _Fields(value, f"the manifest (line {number})")
            if fields.value.get("type") != "manifest":
                raise _Malformed("line 1 is not a manifest: this is not an inspection bundle")
            if fields.value.get("format") != FORMAT:
                raise _Malformed(f"the manifest's format is not {FORMAT!r}")
            version = fields.number("version")
            if version != VERSION:
                raise _Malformed(
                    f"this bundle is format version {version}; this strongroom reads version "
                    f"{VERSION}"
                )
            by, unit, period = (fields.child(k) for k in ("generated_by", "unit", "period"))
            log, counts = fields.child("log"), fields.child("counts")
            self.manifest = Manifest(
                generated_at=fields.time("generated_at"),
                generated_by=by.text("username"),
                generated_by_name=by.text("full_name"),
                unit=unit.text("code"),
                unit_name=unit.text("name"),
                units=tuple(unit.texts("units")),
                first_day=period.day("from"),
                last_day=period.day("to"),
                origin=log.text("origin"),
                log_key=log.text("log_key"),
                entries=counts.number("entries"),
                withheld=counts.number("withheld"),
                checkpoints=counts.number("checkpoints"),
                seqs=_expand(fields.value.get("seqs"), fields.where),
                export_record=fields.number("export_record"),
            )
            self.listed = set(self.manifest.seqs)
            self.first_day = self.manifest.first_day.isoformat()
            self.last_day = self.manifest.last_day.isoformat()
        except _Malformed as error:
            self.problem(str(error))
            raise _Stop from None
        manifest = self.manifest
        if self.key is None:
            try:
                self.key = parse_vkey(manifest.log_key)
            except KeyEncodingError as error:
                self.problem(f"the manifest's log key is not a verifier key: {error}")
                raise _Stop from None
            self.verdict.warnings.append(
                "no --log-key given: the bundle's own log key "
                f"{self.key.label} was used, which proves only that the bundle agrees with "
                "itself, not that it comes from the log; get the log's key from a trusted "
                "source (strongroom log-key on the log's server, docs/ledger.md, a printed "
                "checkpoint) and give it with --log-key"
            )
        elif manifest.log_key != self.key.vkey():
            self.verdict.warnings.append(
                f"the bundle names the log key {_label(manifest.log_key)}, not the key you gave "
                f"({self.key.label}); the checkpoints are checked against yours"
            )

    def _checkpoint(self, value: Any, number: int) -> None:
        assert self.manifest is not None and self.key is not None
        where = f"the checkpoint on line {number}"
        try:
            fields = _Fields(value, where)
            note = fields.text("note")
            consistency = fields.hashes("consistency") if "consistency" in fields.value else None
        except _Malformed as error:
            self.problem(str(error))
            return
        try:
            checkpoint, opened = open_checkpoint(note, self.key)
        except UnverifiedNoteError as error:
            signers = ", ".join(s.label for s in error.note.unverified) or "nobody"
            self.problem(
                f"{where} is not signed by the log key {self.key.label}: it is signed by {signers}"
            )
            self._keep_unverified(note, number, consistency)
            return
        except (NoteError, CheckpointError) as error:
            self.problem(f"{where}: {error}")
            self._keep_unverified(note, number, consistency)
            return
        if checkpoint.origin != self.manifest.origin:
            self.problem(
                f"{where} is a checkpoint of the log {checkpoint.origin!r}, but the manifest "
                f"names the log {self.manifest.origin!r}"
            )
        self._add_head(_Head(number, checkpoint, opened, consistency))

    def _keep_unverified(self, note: str, number: int, consistency: list[bytes] | None) -> None:
        """An unsigned head still lets the proofs be checked against it, to report all."""
        try:
            text = note[: note.rindex("\n\n") + 1] if "\n\n" in note else note
            checkpoint = Checkpoint.parse(text)
        except (CheckpointError, ValueError):
            return
        self._add_head(_Head(number, checkpoint, None, consistency))

    def _add_head(self, head: _Head) -> None:
        if self.heads and head.checkpoint.size <= self.heads[-1].checkpoint.size:
            self.problem(
                f"the checkpoint on line {head.line} (size {head.checkpoint.size}) does not "
                f"follow a smaller one: checkpoints come by increasing size"
            )
            return
        self.heads.append(head)

    def _settle_checkpoints(self) -> None:
        """The last checkpoint is the one proofs are against; check the earlier extend to it."""
        assert self.manifest is not None
        if not self.heads:
            self.problem("the bundle has no checkpoint to check its proofs against")
            raise _Stop
        *earlier, latest = self.heads
        self.latest = latest
        if latest.consistency is not None:
            self.problem(
                f"the last checkpoint (line {latest.line}) carries a consistency proof; only "
                "earlier checkpoints do, to the last"
            )
        if len(self.heads) != self.manifest.checkpoints:
            self.problem(
                f"the manifest counts {self.manifest.checkpoints} checkpoint(s); the bundle "
                f"holds {len(self.heads)}"
            )
        new = latest.checkpoint
        for head in earlier:
            old = head.checkpoint
            if head.consistency is None:
                self.problem(
                    f"the checkpoint at size {old.size} (line {head.line}) has no consistency "
                    f"proof to the last one, at size {new.size}"
                )
                continue
            try:
                merkle.verify_consistency(
                    old.size, new.size, old.root_hash, new.root_hash, head.consistency
                )
            except merkle.ProofError as error:
                self.problem(
                    f"the checkpoint at size {new.size} does not extend the one at size "
                    f"{old.size} (line {head.line}): {error}"
                )
            else:
                self.verdict.details.append(
                    f"the checkpoint at size {old.size}, signed by the same key, is consistent "
                    f"with it (the log only grew in between)"
                )
        for head in self.heads:
            if head.note is not None and head.note.unverified:
                names = ", ".join(sorted({s.label for s in head.note.unverified}))
                self.verdict.details.append(
                    f"the checkpoint at size {head.checkpoint.size} also carries signature "
                    f"lines by {names} (witness cosignatures; verify-bundle does not check "
                    "them yet)"
                )

    def _proven_line(self, value: Any, number: int, kind: str) -> tuple[_Fields, int, bytes]:
        fields = _Fields(value, f"line {number}")
        seq = fields.number("seq")
        fields.where = f"entry #{seq}" if kind != "export" else f"the export record #{seq}"
        return fields, seq, fields.hash("leaf_hash")

    def _entry(self, value: Any, number: int, kind: str) -> None:
        assert self.manifest is not None
        try:
            fields, seq, leaf = self._proven_line(value, number, kind)
            if seq <= self.last_seq:
                self.problem(
                    f"entry #{seq} (line {number}) comes after entry #{self.last_seq}: entries "
                    "come by increasing number (moved, swapped or repeated)"
                )
            self.last_seq = max(self.last_seq, seq)
            if seq in self.seen:
                return
            self.seen.add(seq)
            self.digest.add(seq, leaf)
            self.counted[kind] += 1
            if seq not in self.listed:
                self.problem(f"entry #{seq} (line {number}) is not listed in the manifest")
            if kind == "entry":
                self._body(fields, seq, leaf, self._check_entry_body)
            else:
                fields.text("reason")
            self._inclusion(fields, seq, leaf)
        except _Malformed as error:
            self.problem(str(error))

    def _export(self, value: Any, number: int) -> None:
        assert self.manifest is not None
        try:
            fields, seq, leaf = self._proven_line(value, number, "export")
            self.export_seq = seq
            self._body(fields, seq, leaf, self._check_export_body)
            self._inclusion(fields, seq, leaf)
        except _Malformed as error:
            self.problem(str(error))

    def _body(
        self, fields: _Fields, seq: int, leaf: bytes, check: Callable[[dict[str, Any]], None]
    ) -> None:
        body = fields.base64(fields.text("body"), "'body'")
        if leaf_hash(body) != leaf:
            self.problem(
                f"{fields.where}: its body does not match its leaf hash (the body was altered)"
            )
            return
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            self.problem(f"{fields.where}: its body is not JSON")
            return
        if not isinstance(parsed, dict):
            self.problem(f"{fields.where}: its body is not a JSON object")
            return
        if orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS) != body:
            self.problem(f"{fields.where}: its body is not in the ledger's canonical form")
        if parsed.get("seq") != seq:
            self.problem(f"{fields.where}: its body says it is entry #{parsed.get('seq')}")
            return
        check(parsed)

    def _check_entry_body(self, body: dict[str, Any]) -> None:
        assert self.manifest is not None
        seq, at = body["seq"], body.get("at")
        if not isinstance(at, str) or not _TIME.fullmatch(at):
            self.problem(f"entry #{seq}: its body has no time 'at' in the ledger's form")
        # ISO dates order as text: no need to parse a million of them.
        elif not self.first_day <= at[:10] <= self.last_day:
            self.problem(
                f"entry #{seq} was recorded on {at[:10]}, outside the period "
                f"{_period(self.manifest)}"
            )

    def _check_export_body(self, body: dict[str, Any]) -> None:
        self.export = body

    def _inclusion(self, fields: _Fields, seq: int, leaf: bytes) -> None:
        assert self.latest is not None
        if len(self.known) > _KNOWN_HASHES:
            self.known.clear()
        proof = fields.hashes("proof", self.known)
        tree = self.latest.checkpoint
        try:
            merkle.verify_inclusion(leaf, seq - 1, tree.size, proof, tree.root_hash)
        except merkle.ProofError as error:
            self.problem(
                f"{fields.where}: its inclusion proof does not prove it is in the log's tree at "
                f"size {tree.size}: {error}"
            )

    def _finish(self) -> None:
        manifest, latest = self.manifest, self.latest
        assert manifest is not None and latest is not None
        for seq in sorted(self.listed - self.seen):
            self.problem(f"entry #{seq} is listed in the manifest but missing from the bundle")
        for kind, claimed in (("entry", manifest.entries), ("withheld", manifest.withheld)):
            if self.counted[kind] != claimed:
                label = "entries" if kind == "entry" else "withheld entries"
                self.problem(
                    f"the manifest counts {claimed} {label}; the bundle holds {self.counted[kind]}"
                )
        self._check_export(manifest)
        if self.verdict.problem_count == 0:
            self._describe(manifest, latest)

    def _check_export(self, manifest: Manifest) -> None:
        body = self.export
        if body is None:
            if not self.export_seq:
                self.problem(
                    "the bundle has no export record, the ledger entry that recorded this "
                    "export; it ends early (truncated) or was cut"
                )
            return
        seq = body["seq"]
        where = f"the export record (entry #{seq})"
        if seq != manifest.export_record:
            self.problem(f"{where} is not the entry the manifest names, #{manifest.export_record}")
        expected = {
            "kind": EXPORTED,
            "subject": f"unit:{manifest.unit}",
            "actor": manifest.generated_by,
            "at": format_time(manifest.generated_at),
        }
        for key, value in expected.items():
            if body.get(key) != value:
                self.problem(f"{where} has {key} {body.get(key)!r}; the manifest says {value!r}")
        found = body.get("data")
        data: dict[str, Any] = found if isinstance(found, dict) else {}
        recorded = export_data(
            unit=manifest.unit,
            first_day=manifest.first_day,
            last_day=manifest.last_day,
            entries=self.counted["entry"],
            withheld=self.counted["withheld"],
            digest=self.digest.hexdigest(),
        )
        for key, value in recorded.items():
            if data.get(key) != value:
                self.problem(_export_mismatch(where, key, data.get(key), value))

    def _describe(self, manifest: Manifest, latest: _Head) -> None:
        checkpoint = latest.checkpoint
        assert self.key is not None
        self.verdict.summary = (
            f"bundle verified: {self.counted['entry']} entries of {manifest.unit} "
            f"{_period(manifest)} are in the log {checkpoint.origin} at size {checkpoint.size}, "
            f"signed by {self.key.label}"
        )
        details = [
            f"exported by {manifest.generated_by} ({manifest.generated_by_name}) at "
            f"{format_time(manifest.generated_at)}, recorded in the log as entry #{self.export_seq}"
        ]
        if self.counted["withheld"]:
            details.append(
                f"{self.counted['withheld']} more entries are withheld: their place in the log "
                "is proven, their content was left out (about documents the exporter may not "
                "see)"
            )
        self.verdict.details[:0] = details


def _expand(value: Any, where: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise _Malformed(f"{where} has no list 'seqs'")
    seqs: list[int] = []
    for run in value:
        if (
            not isinstance(run, list)
            or len(run) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in run)
            or run[0] > run[1]
        ):
            raise _Malformed(f"{where}: 'seqs' holds {run!r}, not a run [first, last]")
        seqs.extend(range(run[0], run[1] + 1))
    return tuple(seqs)


def _export_mismatch(where: str, key: str, recorded: Any, found: Any) -> str:
    if key == "entries":
        return (
            f"{where} says {recorded} entries were exported; the bundle holds {found} (entries "
            "were removed or added)"
        )
    if key == "withheld":
        return f"{where} says {recorded} entries were withheld; the bundle holds {found}"
    if key == "digest":
        return (
            f"{where} commits to the entries' digest {recorded}, but the bundle's entries give "
            f"{found} (entries were removed, added or replaced)"
        )
    return f"{where} has {key} {recorded!r}; the manifest says {found!r}"


def _period(manifest: Manifest) -> str:
    return f"{manifest.first_day.isoformat()}..{manifest.last_day.isoformat()}"


def _label(vkey: str) -> str:
    """``name+keyid`` of a vkey text, for messages; the text itself when it is not one."""
    name, _, rest = vkey.partition("+")
    key_id = rest.partition("+")[0]
    return f"{name}+{key_id}" if key_id else vkey
