"""Reading the ledger, narrowed by policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from strongroom.adapters import clock, pdf
from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.domain.text import gettext_noop
from strongroom.ledger import kept_checkpoints, tree
from strongroom.ledger.cosignatures import PolicyVerdict
from strongroom.ledger.log_key import log_verifier
from strongroom.ledger.notes import encode_base64, parse_note
from strongroom.ledger.verify import Report, verify
from strongroom.models import Person
from strongroom.policy import Action, System, require
from strongroom.queries import printing


def verify_ledger(
    actor: Person, *, limit_problems: int = 20, parallel: bool | None = False
) -> Report:
    """Verify the whole ledger for ``actor``; raise Denied unless they may.

    The report names entry numbers and row keys, never content, so the right to verify does not
    depend on clearance. ``parallel`` is ``verify()``'s; serial unless asked (the API does not
    ask: a web server's worker is no place to start processes), None to let ``verify()`` choose
    (the command line)."""
    require(actor.facts(clock.today()), Action.LEDGER_VERIFY, System(), "ledger")
    return verify(limit_problems=limit_problems, parallel=parallel)


@dataclass(frozen=True)
class Cosigner:
    """A witness whose valid cosignature a checkpoint carries."""

    name: str
    key_id: str  # 8 hex digits, as in its verifier key
    time: int  # POSIX seconds: when the witness says it cosigned


@dataclass(frozen=True)
class Witnessed:
    """How a checkpoint stands against the witness policy (k of n)."""

    met: bool
    threshold: int  # k: how many must cosign
    witnesses: int  # n: how many are configured
    cosigned: tuple[Cosigner, ...]
    missing: tuple[str, ...]  # names of configured witnesses that have not cosigned

    @classmethod
    def of(cls, verdict: PolicyVerdict) -> Witnessed:
        return cls(
            met=verdict.met,
            threshold=verdict.threshold,
            witnesses=verdict.witnesses,
            cosigned=tuple(Cosigner(c.name, f"{c.key_id:08x}", c.time) for c in verdict.cosigned),
            missing=verdict.missing,
        )


@dataclass(frozen=True)
class PublishedCheckpoint:
    """A checkpoint as the log publishes it: the note with the log's signature and every
    witness's cosignature, the key that verifies it, and whether the witness policy is met."""

    origin: str
    size: int
    root: bytes
    note: str
    signed_at: datetime
    log_key: str  # the vkey: <origin>+<key ID>+<base64(0x01 || public key)>
    witnessed: Witnessed


def log_key() -> str:
    """The log's public key (vkey), published so that anyone can check its checkpoints."""
    return log_verifier().vkey()


def _published(signed: kept_checkpoints.Signed, note: bytes) -> PublishedCheckpoint:
    return PublishedCheckpoint(
        origin=settings.STRONGROOM_LOG_ORIGIN,
        size=signed.size,
        root=signed.root,
        note=note.decode(),
        signed_at=signed.signed_at,
        log_key=log_key(),
        witnessed=Witnessed.of(kept_checkpoints.verdict(note)),
    )


def latest_checkpoint() -> PublishedCheckpoint | None:
    """The newest signed checkpoint with its cosignatures. Sizes and hashes only: any
    signed-in person may read it."""
    signed = kept_checkpoints.latest()
    if signed is None:
        return None
    return _published(signed, kept_checkpoints.cosigned_note(signed))


def latest_witnessed_checkpoint() -> PublishedCheckpoint | None:
    """The newest checkpoint whose cosignatures meet the witness policy: the newest head that
    someone outside this server vouches for (with no witness required, the newest of all)."""
    found = kept_checkpoints.latest_witnessed()
    return _published(*found) if found else None


def checkpoint_printout(actor: Person) -> printing.Printout:
    """The latest checkpoint on one page, for an office's paper record of its ledger head: what
    it says, the log's key, every signature line, and the whole signed note as a QR code, so the
    paper can be checked against the log (or a bundle) years later. Sizes and hashes only: any
    signed-in person may print it."""
    published = latest_checkpoint()
    if published is None:
        raise NotFound(gettext_noop("No checkpoint has been signed yet."))
    note = parse_note(published.note)
    values: dict[str, object] = {
        "checkpoint": published,
        "root_hex": published.root.hex(),
        "root_base64": encode_base64(published.root),
        "note_text": note.text,
        "signature_lines": [signature.encode().rstrip("\n") for signature in note.unverified],
        "qr": pdf.qr_svg_data_uri(published.note),
        "qr_payload": published.note,
        # Nothing on it is classified: the scheme's lowest level, as on any unmarked paper.
        "banner": settings.STRONGROOM_MARKING_SCHEME.levels[0],
        "printed_by": actor,
        "printed_at": clock.now(),
        "time_zone": settings.TIME_ZONE,
    }
    return printing.render(
        "strongroom/print/checkpoint.html", f"checkpoint-{published.size}.pdf", values
    )


def _tree_size(size: int | None, field: str) -> int:
    """``size``, or the latest checkpoint's; within the tree as far as it is integrated."""
    grown = tree.head().size
    if size is None:
        signed = kept_checkpoints.latest()
        if signed is None:
            raise InvalidInput(
                gettext_noop("No checkpoint has been signed yet: give the tree size."), field=field
            )
        return signed.size
    if not 1 <= size <= grown:
        raise InvalidInput(
            gettext_noop(
                "The tree size must be between 1 and %(size)s, the entries in the tree so far.",
                size=grown,
            ),
            field=field,
        )
    return size


def inclusion_proof(seq: int, size: int | None = None) -> tuple[int, list[bytes]]:
    """That entry ``seq`` is in the tree of ``size`` entries (default: the latest checkpoint's):
    the size and the RFC 9162 audit path."""
    chosen = _tree_size(size, "size")
    if not 1 <= seq <= chosen:
        raise InvalidInput(
            gettext_noop(
                "Entry #%(seq)s is not in a tree of %(size)s entries: give an entry from 1 to "
                "%(size)s.",
                seq=seq,
                size=chosen,
            ),
            field="seq",
        )
    return chosen, tree.inclusion_proof(seq, chosen)


def consistency_proof(old: int, new: int | None = None) -> tuple[int, list[bytes]]:
    """That the tree of ``new`` entries (default: the latest checkpoint's) extends the tree of
    ``old``: the new size and the RFC 9162 consistency proof."""
    chosen = _tree_size(new, "new")
    if not 1 <= old <= chosen:
        raise InvalidInput(
            gettext_noop("The old size must be between 1 and %(size)s, the new size.", size=chosen),
            field="old",
        )
    return chosen, tree.consistency_proof(old, chosen)
