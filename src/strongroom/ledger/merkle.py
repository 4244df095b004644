"""The ledger as a Merkle tree, exactly as RFC 9162 §2.1 (RFC 6962 §2.1) defines it.

Plain Python and hashlib only: an inspector's offline check and the database adapter share it.

Storage model. The only hashes ever stored are those of *perfect* subtrees, addressed
``(level, index)``: node (l, i) is the root of the 2^l leaves [i·2^l, (i+1)·2^l). They never change
once their last leaf is appended, so the table of them is append-only like the ledger. Level 0 is
the leaf hashes themselves. Any other hash a proof or a root needs belongs to an incomplete subtree
on the right edge of some tree size, and is folded from the O(log n) perfect subtrees that make it
up. Every read goes through one batched ``NodeReader.nodes`` call, so a database answers a whole
proof with one query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

# The leaf hash is defined once, where entries are hashed; it is part of this module's API too.
from strongroom.ledger.entry import leaf_hash

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Address",
    "Appended",
    "Frontier",
    "MemoryNodes",
    "NodeReader",
    "ProofError",
    "RootMismatch",
    "consistency_proof",
    "frontier_addresses",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "root_at",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

Address = tuple[int, int]
"""(level, index): the perfect subtree over leaves [index·2^level, (index+1)·2^level)."""

_Range = tuple[int, int]
"""[lo, hi): the leaves under one subtree the RFC recursion names, perfect or not."""


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over the given leaf hashes, straight from the RFC's recursive definition."""
    for position, leaf in enumerate(leaf_hashes):
        _check_size(leaf, f"leaf hash {position}")
    return _mth(leaf_hashes, 0, len(leaf_hashes)) if leaf_hashes else EMPTY_ROOT


def _mth(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    if hi - lo == 1:
        return leaves[lo]
    k = _split(hi - lo)
    return node_hash(_mth(leaves, lo, lo + k), _mth(leaves, lo + k, hi))


def _split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


# --- Stored nodes -------------------------------------------------------------------------------


class NodeReader(Protocol):
    """Reads stored perfect-subtree hashes.

    ``nodes`` returns the hash of each address in the order asked, and raises ``LookupError`` if
    one is not stored. Each proof or root asks once, with every address it needs.
    """

    def nodes(self, addresses: Sequence[Address]) -> list[bytes]: ...


class MemoryNodes:
    """A NodeReader over a dict: for tests, benchmarks and offline checks.

    It counts what it is asked, so tests can hold proofs to O(log n) reads in one call.
    """

    def __init__(self) -> None:
        self._hashes: dict[Address, bytes] = {}
        self.calls = 0
        self.reads = 0

    def store(self, nodes: Mapping[Address, bytes]) -> None:
        for address, value in nodes.items():
            # Append-only like the table it stands in for: a node never changes once stored.
            if self._hashes.setdefault(address, value) != value:
                raise ValueError(f"node {address} is already stored with another hash")

    def nodes(self, addresses: Sequence[Address]) -> list[bytes]:
        self.calls += 1
        self.reads += len(addresses)
        try:
            return [self._hashes[address] for address in addresses]
        except KeyError as missing:
            raise LookupError(f"node {missing.args[0]} is not stored") from None


def frontier_addresses(size: int) -> list[Address]:
    """The perfect subtrees of the binary decomposition of size, largest first.

    Their hashes are all a tree of that size needs to grow (``Frontier.resume``) or to give its
    root (``root_at``).
    """
    if size < 0:
        raise ValueError(f"a tree cannot have {size} leaves")
    return _cover(0, size)


def _cover(lo: int, hi: int) -> list[Address]:
    """The perfect subtrees that make up [lo, hi), largest first.

    Every range the RFC recursion names starts at a multiple of a power of two at least as large
    as itself, so taking the largest power of two that fits each time yields aligned, stored nodes.
    """
    cover = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        cover.append((level, lo >> level))
        lo += 1 << level
    return cover


def _fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of a range from its cover's hashes: every split puts the largest perfect part left."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def _read(reader: NodeReader, addresses: Sequence[Address]) -> list[bytes]:
    if not addresses:
        return []
    hashes = reader.nodes(addresses)
    if len(hashes) != len(addresses):
        raise LookupError(f"asked for {len(addresses)} nodes, the store returned {len(hashes)}")
    for address, value in zip(addresses, hashes, strict=True):
        # A damaged store must not turn into a proof that looks well formed.
        _check_size(value, f"stored node {address}")
    return hashes


def _hashes_of(ranges: Sequence[_Range], reader: NodeReader) -> list[bytes]:
    """MTH of each range, from one batched read of the perfect subtrees that cover them."""
    covers = [_cover(lo, hi) for lo, hi in ranges]
    addresses = [address for cover in covers for address in cover]
    found = dict(zip(addresses, _read(reader, addresses), strict=True))
    return [_fold([found[address] for address in cover]) for cover in covers]


def root_at(size: int, reader: NodeReader) -> bytes:
    """The root of the tree of the first ``size`` leaves, from at most log2(size)+1 nodes."""
    if size < 0:
        raise ValueError(f"a tree cannot have {size} leaves")
    return _hashes_of([(0, size)], reader)[0] if size else EMPTY_ROOT


# --- Appending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Appended:
    """What appending a batch gives: the nodes to insert, in one transaction, and the new head."""

    frontier: Frontier
    nodes: dict[Address, bytes]

    @property
    def root(self) -> bytes:
        return self.frontier.root()


@dataclass(frozen=True)
class Frontier:
    """The right border of a tree: the hashes of ``frontier_addresses(size)``, largest first.

    Immutable, so a batch whose transaction fails leaves the frontier it started from intact.
    """

    size: int = 0
    hashes: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        addresses = frontier_addresses(self.size)
        if len(self.hashes) != len(addresses):
            raise ValueError(
                f"a tree of {self.size} leaves has {len(addresses)} frontier hashes, "
                f"not {len(self.hashes)}"
            )
        for address, value in zip(addresses, self.hashes, strict=True):
            _check_size(value, f"frontier node {address}")

    @classmethod
    def resume(cls, size: int, reader: NodeReader) -> Frontier:
        """The frontier of the stored tree's first ``size`` leaves, in one read."""
        return cls(size, tuple(_read(reader, frontier_addresses(size))))

    def root(self) -> bytes:
        return _fold(self.hashes) if self.hashes else EMPTY_ROOT

    def append(self, leaf_hashes: Iterable[bytes]) -> Appended:
        """Add leaves; give every perfect subtree they complete (level 0 too) and the new head."""
        size = self.size
        stack = list(self.hashes)
        nodes: dict[Address, bytes] = {}
        for leaf in leaf_hashes:
            _check_size(leaf, f"leaf hash {size}")
            nodes[(0, size)] = leaf
            stack.append(leaf)
            size += 1
            # Leaf size-1 completes one perfect subtree per trailing zero bit of the new size.
            for level in range(1, (size & -size).bit_length()):
                right = stack.pop()
                parent = node_hash(stack.pop(), right)
                nodes[(level, (size >> level) - 1)] = parent
                stack.append(parent)
        return Appended(Frontier(size, tuple(stack)), nodes)


# --- Proofs from stored nodes -------------------------------------------------------------------


def inclusion_proof(index: int, size: int, reader: NodeReader) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[size]): the audit path of leaf ``index``, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of {size} leaves")
    return _hashes_of(_path(index, 0, size), reader)


def consistency_proof(old_size: int, new_size: int, reader: NodeReader) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(old_size, D[new_size]).

    The RFC defines it for 0 < old_size < new_size; for an empty old tree or equal sizes there is
    nothing to prove and the proof is empty, which is what ``verify_consistency`` accepts.
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size} leaves")
    if old_size in (0, new_size):
        return []
    return _hashes_of(_subproof(old_size, 0, new_size, True), reader)


def _path(m: int, lo: int, hi: int) -> list[_Range]:
    """PATH(m, D[lo:hi]) as the ranges whose MTH it lists, in the RFC's order."""
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if m < k:
        return [*_path(m, lo, lo + k), (lo + k, hi)]
    return [*_path(m - k, lo + k, hi), (lo, lo + k)]


def _subproof(m: int, lo: int, hi: int, complete: bool) -> list[_Range]:
    """SUBPROOF(m, D[lo:hi], b) as ranges; ``complete`` is the RFC's b."""
    if m == hi - lo:
        return [] if complete else [(lo, hi)]
    k = _split(hi - lo)
    if m <= k:
        return [*_subproof(m, lo, lo + k, complete), (lo + k, hi)]
    return [*_subproof(m - k, lo + k, hi, False), (lo, lo + k)]


# --- Verification -------------------------------------------------------------------------------


class ProofError(ValueError):
    """A proof does not prove what it claims. The message says why, for an inspector to read."""


class RootMismatch(ProofError):
    """A well-formed proof leads to another root than the one claimed.

    Told apart from a malformed proof because it is the interesting case: the log's history is
    not what that root commits to.
    """

    def __init__(self, message: str, *, computed: bytes, claimed: bytes) -> None:
        super().__init__(f"{message} (computed {computed.hex()}, claimed {claimed.hex()})")
        self.computed = computed
        self.claimed = claimed


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 §2.1.3.2; returns quietly if ``leaf_hash`` is leaf ``index`` of the tree ``root``.

    ``size`` and ``root`` come from one checkpoint: a proof binds the leaf to the root only.
    """
    _check_proof(proof, (leaf_hash, "the leaf hash"), (root, "the root"))
    if index < 0:
        raise ProofError(f"leaf index {index} is negative")
    # Step 1.
    if index >= size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    # Steps 2 to 5: the walk over fn and sn, then the hashes along it.
    sides = _walk(index, size - 1, len(proof))
    if sides is None:
        raise _wrong_inclusion_length(len(proof), index, size)
    r = leaf_hash
    for p, left in zip(proof, sides, strict=True):
        r = node_hash(p, r) if left else node_hash(r, p)
    _expect(r, root, f"the proof for leaf index {index} does not lead to the root of {size} leaves")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2; returns quietly if the tree ``new_root`` extends the tree ``old_root``."""
    _check_proof(proof, (old_root, "the old root"), (new_root, "the new root"))
    if old_size < 0:
        raise ProofError(f"old size {old_size} is negative")
    if old_size > new_size:
        raise ProofError(
            f"old size {old_size} is larger than new size {new_size}: a log never shrinks"
        )
    if old_size in (0, new_size):
        _verify_nothing_to_prove(old_size, new_size, old_root, new_root, proof)
        return
    first, second = old_size, new_size
    # Step 1.
    if not proof:
        raise _wrong_consistency_length(len(proof), first, second)
    path = list(proof)
    # Step 2.
    if first & (first - 1) == 0:
        path.insert(0, old_root)
    # Step 3.
    fn, sn = first - 1, second - 1
    # Step 4.
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    # Steps 5 to 7: the walk over fn and sn, then the hashes along it.
    sides = _walk(fn, sn, len(path) - 1)
    if sides is None:
        raise _wrong_consistency_length(len(proof), first, second)
    fr = sr = path[0]
    for c, left in zip(path[1:], sides, strict=True):
        if left:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
        else:
            sr = node_hash(sr, c)
    _expect(fr, old_root, f"the proof does not lead to the old root of {first} leaves")
    _expect(sr, new_root, f"the proof does not lead to the new root of {second} leaves")


def _verify_nothing_to_prove(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """The sizes the RFC leaves out (an empty old tree, equal sizes): empty proof, known roots."""
    if proof:
        reason = "the old tree is empty" if old_size == 0 else f"both trees have {new_size} leaves"
        raise ProofError(f"{reason}, so the proof must be empty; it has {_hashes(len(proof))}")
    if old_size == 0:
        _expect(
            EMPTY_ROOT,
            old_root,
            "the old tree has no leaves, so its root must be SHA-256 of nothing",
        )
    if old_size == new_size:
        _expect(
            old_root,
            new_root,
            f"both trees have {new_size} leaves, so the new root must be the old one",
        )


def _expect(computed: bytes, claimed: bytes, mismatch: str) -> None:
    if computed != claimed:
        raise RootMismatch(mismatch, computed=computed, claimed=claimed)


def _walk(fn: int, sn: int, count: int) -> list[bool] | None:
    """The bit-twiddling both verifications share (§2.1.3.2 step 4, §2.1.4.2 step 6), kept apart
    from the hashing: for each of ``count`` proof hashes, whether it goes on the left.

    None when the RFC fails the proof for its length: sn reaches 0 with hashes left over, or
    is not 0 when they run out. The walk depends only on the sizes, so that is the length check.
    """
    sides = []
    for _ in range(count):
        if sn == 0:
            return None
        left = bool(fn & 1) or fn == sn
        sides.append(left)
        if left and not fn & 1:
            # "right-shift both fn and sn equally until either LSB(fn) is set or fn is 0"
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        fn, sn = fn >> 1, sn >> 1
    return sides if sn == 0 else None


def _wrong_inclusion_length(given: int, index: int, size: int) -> ProofError:
    return ProofError(
        f"the proof has {_hashes(given)}; an inclusion proof for leaf index {index} "
        f"in a tree of {size} leaves has {_hashes(_inclusion_length(index, size))}"
    )


def _wrong_consistency_length(given: int, first: int, second: int) -> ProofError:
    return ProofError(
        f"the proof has {_hashes(given)}; a consistency proof from {first} to {second} "
        f"leaves has {_hashes(_consistency_length(first, second))}"
    )


def _inclusion_length(index: int, size: int) -> int:
    """Hashes in PATH(index, D[size]): below the point where the paths to index and size-1 part,
    one per level; above it, one per left sibling on the right border."""
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def _consistency_length(first: int, second: int) -> int:
    """Hashes in PROOF(first, D[second]): the path of leaf first-1, less the levels inside the
    largest perfect subtree ending at first, plus that subtree's root unless it is the old tree."""
    shift = (first & -first).bit_length() - 1
    seed = 0 if first == 1 << shift else 1
    return seed + _inclusion_length(first - 1, second) - shift


def _check_size(value: bytes, what: str, error: type[ValueError] = ValueError) -> None:
    if len(value) != HASH_SIZE:
        raise error(f"{what} is {len(value)} bytes long; a SHA-256 hash is {HASH_SIZE}")


def _check_proof(proof: Sequence[bytes], *roots: tuple[bytes, str]) -> None:
    """Every hash a verifier is given must be a SHA-256 hash; anything else is a broken proof."""
    for value, what in roots:
        _check_size(value, what, ProofError)
    for position, value in enumerate(proof, start=1):
        _check_size(value, f"hash {position} of {len(proof)} in the proof", ProofError)


def _hashes(count: int) -> str:
    return f"{count} hash" if count == 1 else f"{count} hashes"
