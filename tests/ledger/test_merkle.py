"""The Merkle tree (RFC 9162 §2.1): the public CT test vectors, rejected proofs, random trees.

No database: the tree's nodes live in ``merkle.MemoryNodes``, which counts what proofs read.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.ledger import merkle
from strongroom.ledger.merkle import (
    EMPTY_ROOT,
    Address,
    Frontier,
    MemoryNodes,
    ProofError,
    RootMismatch,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_at,
    verify_consistency,
    verify_inclusion,
)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# --- The RFC 6962 reference tree -----------------------------------------------------------------
#
# The 8-leaf tree every CT implementation tests against. Leaf inputs, the hash of every perfect
# subtree, the roots of sizes 0..8 and the compact ranges are copied from transparency-dev/merkle,
# testonly/constants.go; the same leaves and roots are in google/certificate-transparency,
# python/ct/crypto/merkle_test.py (TreeHasherTest.test_vector_leaves and test_vector_hashes).

LEAF_INPUTS = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]
LEAVES = [leaf_hash(data) for data in LEAF_INPUTS]

# NodeHashes(): [level][index].
NODE_HASHES = [
    [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [
        h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
    ],
]

# RootHashes(): by tree size, from the empty tree.
ROOTS = [
    h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

# CompactTrees(): the frontier of each size, as (level, index) into NODE_HASHES.
FRONTIERS: list[list[Address]] = [
    [],
    [(0, 0)],
    [(1, 0)],
    [(1, 0), (0, 2)],
    [(2, 0)],
    [(2, 0), (0, 4)],
    [(2, 0), (1, 2)],
    [(2, 0), (1, 2), (0, 6)],
    [(3, 0)],
]

# Inclusion proofs: transparency-dev/merkle, proof/verify_test.go (inclusionProofs, whose leaf
# numbers count from 1; here they are leaf indexes from 0). The (0, 8), (5, 8) and (1, 5) proofs
# are also in certificate-transparency-go's merkle tests and the C++ tree's tests.
INCLUSION_PROOFS: list[tuple[int, int, list[bytes]]] = [
    (0, 1, []),
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]

# Consistency proofs: transparency-dev/merkle, proof/verify_test.go (consistencyProofs); all but
# (6, 7) are also google/certificate-transparency, python/ct/crypto/merkle_test.py
# (MerkleVerifierTest.sha256_proofs, "lifted from the C++ branch").
CONSISTENCY_PROOFS: list[tuple[int, int, list[bytes]]] = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]

# proof/verify_test.go's stand-in for "any other hash".
SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def build(leaves: Sequence[bytes]) -> MemoryNodes:
    tree = MemoryNodes()
    tree.store(Frontier().append(leaves).nodes)
    return tree


def test_the_empty_tree_root_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT == ROOTS[0] == merkle.root([]) == Frontier().root()
    assert root_at(0, MemoryNodes()) == EMPTY_ROOT


def test_the_leaf_and_node_hashes_are_rfc_6962s() -> None:
    # google/certificate-transparency, python/ct/crypto/merkle_test.py (TreeHasherTest).
    assert leaf_hash(b"") == h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    assert leaf_hash(h("101112131415161718191a1b1c1d1e1f")) == h(
        "3bfb960453ebaebf33727da7a1f4db38acc051d381b6da20d6d4e88f0eabfd7a"
    )
    assert merkle.node_hash(
        h("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
        h("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"),
    ) == h("1a378704c17da31e2d05b6d121c2bb2c7d76f6ee6fa8f983e596c2d034963c57")


@pytest.mark.parametrize("size", range(9))
def test_the_reference_roots_at_every_size(size: int) -> None:
    tree = build(LEAVES)
    assert merkle.root(LEAVES[:size]) == ROOTS[size]
    assert Frontier().append(LEAVES[:size]).root == ROOTS[size]
    assert root_at(size, tree) == ROOTS[size]


def test_appending_the_reference_leaves_stores_exactly_its_perfect_subtrees() -> None:
    appended = Frontier().append(LEAVES)
    expected = {
        (level, index): value
        for level, hashes in enumerate(NODE_HASHES)
        for index, value in enumerate(hashes)
    }
    assert appended.nodes == expected


@pytest.mark.parametrize("size", range(9))
def test_the_reference_frontiers(size: int) -> None:
    frontier = Frontier().append(LEAVES[:size]).frontier
    assert merkle.frontier_addresses(size) == FRONTIERS[size]
    assert frontier.hashes == tuple(NODE_HASHES[level][index] for level, index in FRONTIERS[size])
    assert Frontier.resume(size, build(LEAVES)) == frontier


@pytest.mark.parametrize(
    ("size", "split"), [(size, split) for size in range(9) for split in range(size + 1)]
)
def test_appending_in_two_batches_gives_the_same_nodes_as_one(size: int, split: int) -> None:
    first = Frontier().append(LEAVES[:split])
    second = Frontier.resume(split, build(LEAVES[:split])).append(LEAVES[split:size])
    assert {**first.nodes, **second.nodes} == Frontier().append(LEAVES[:size]).nodes
    assert second.root == ROOTS[size]
    assert not first.nodes.keys() & second.nodes.keys()


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_PROOFS)
def test_the_reference_inclusion_proofs(index: int, size: int, proof: list[bytes]) -> None:
    assert inclusion_proof(index, size, build(LEAVES)) == proof
    verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY_PROOFS)
def test_the_reference_consistency_proofs(old: int, new: int, proof: list[bytes]) -> None:
    assert consistency_proof(old, new, build(LEAVES)) == proof
    verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


# --- Proofs that must be rejected ---------------------------------------------------------------
#
# The probes of transparency-dev/merkle, proof/verify_test.go (corruptInclusionProof and
# corruptConsistencyProof), applied to every reference proof.

Probe = Callable[[], None]


def inclusion_probes(index: int, size: int, proof: list[bytes]) -> dict[str, Probe]:
    root, leaf = ROOTS[size], LEAVES[index]

    def probe(i: int, s: int, p: list[bytes], r: bytes = root, lf: bytes = leaf) -> Probe:
        return lambda: verify_inclusion(lf, i, s, p, r)

    probes = {
        "leaf index - 1": probe(index - 1, size, proof),
        "leaf index + 1": probe(index + 1, size, proof),
        "leaf index ^ 2": probe(index ^ 2, size, proof),
        "tree size * 2": probe(index, size * 2, proof),
        "tree size / 2": probe(index, size // 2, proof),
        "wrong leaf": probe(index, size, proof, lf=b"WrongLeaf"),
        "another leaf": probe(index, size, proof, lf=SOME_HASH),
        "empty root": probe(index, size, proof, r=EMPTY_ROOT),
        "random root": probe(index, size, proof, r=SOME_HASH),
        "trailing garbage": probe(index, size, [*proof, b""]),
        "trailing root": probe(index, size, [*proof, root]),
        "preceding garbage": probe(index, size, [b"", *proof]),
        "preceding root": probe(index, size, [root, *proof]),
    }
    for i in range(len(proof)):
        probes[f"modified proof[{i}] bit 3"] = probe(index, size, flip(proof, i, 0, 8))
    if proof:
        probes["removed component"] = probe(index, size, proof[:-1])
    if len(proof) > 1:
        probes["inserted component"] = probe(index, size, [proof[0], SOME_HASH, *proof[1:]])
    return probes


def consistency_probes(old: int, new: int, proof: list[bytes]) -> dict[str, Probe]:
    old_root, new_root = ROOTS[old], ROOTS[new]

    def probe(o: int, n: int, p: list[bytes], ro: bytes = old_root, rn: bytes = new_root) -> Probe:
        return lambda: verify_consistency(o, n, ro, rn, p)

    probes = {
        "old size - 1": probe(old - 1, new, proof),
        "old size + 1": probe(old + 1, new, proof),
        "old size ^ 2": probe(old ^ 2, new, proof),
        "new size * 2": probe(old, new * 2, proof),
        "new size / 2": probe(old, new // 2, proof),
        "wrong old root": probe(old, new, proof, ro=b"WrongRoot"),
        "wrong new root": probe(old, new, proof, rn=b"WrongRoot"),
        "another old root": probe(old, new, proof, ro=SOME_HASH),
        "another new root": probe(old, new, proof, rn=SOME_HASH),
        "swapped roots": probe(old, new, proof, ro=new_root, rn=old_root),
        "empty proof": probe(old, new, []),
        "trailing garbage": probe(old, new, [*proof, b""]),
        "trailing old root": probe(old, new, [*proof, old_root]),
        "trailing new root": probe(old, new, [*proof, new_root]),
        "preceding garbage": probe(old, new, [b"", *proof]),
        "preceding old root": probe(old, new, [old_root, *proof]),
        "preceding new root": probe(old, new, [new_root, *proof]),
        "preceding proof[0]": probe(old, new, [proof[0], *proof]),
        "truncated proof": probe(old, new, proof[:-1]),
    }
    for i in range(len(proof)):
        probes[f"modified proof[{i}] bit 4"] = probe(old, new, flip(proof, i, 0, 16))
    return probes


def flip(proof: list[bytes], which: int, byte: int, mask: int) -> list[bytes]:
    changed = bytearray(proof[which])
    changed[byte] ^= mask
    return [*proof[:which], bytes(changed), *proof[which + 1 :]]


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        (f"{index}/{size}: {name}", probe)
        for index, size, proof in INCLUSION_PROOFS
        for name, probe in inclusion_probes(index, size, proof).items()
    ],
)
def test_corrupted_inclusion_proofs_are_rejected(name: str, probe: Probe) -> None:
    with pytest.raises(ProofError):
        probe()


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        (f"{old}->{new}: {name}", probe)
        for old, new, proof in CONSISTENCY_PROOFS
        if proof  # As upstream: only proofs with something to corrupt.
        for name, probe in consistency_probes(old, new, proof).items()
    ],
)
def test_corrupted_consistency_proofs_are_rejected(name: str, probe: Probe) -> None:
    with pytest.raises(ProofError):
        probe()


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_an_empty_proof_proves_nothing_but_a_one_leaf_tree(index: int, size: int) -> None:
    # proof/verify_test.go, TestVerifyInclusion: mismatched or missing root and leaf.
    for leaf, root in [(SOME_HASH, b""), (b"", EMPTY_ROOT), (SOME_HASH, EMPTY_ROOT)]:
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, size, [], root)


def test_a_one_leaf_tree_is_its_leaf() -> None:
    # proof/verify_test.go, TestVerifyInclusionSingleEntry.
    leaf = leaf_hash(b"data")
    verify_inclusion(leaf, 0, 1, [], leaf)
    for wrong_leaf, wrong_root in [(leaf, b""), (b"", leaf), (b"", b"")]:
        with pytest.raises(ProofError):
            verify_inclusion(wrong_leaf, 0, 1, [], wrong_root)


@pytest.mark.parametrize(
    ("old", "new", "old_root", "new_root", "proof", "valid"),
    [
        # proof/verify_test.go, TestVerifyConsistency, with 32-byte stand-ins for its roots.
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [], True),
        (0, 1, EMPTY_ROOT, ROOTS[1], [], True),
        (1, 1, ROOTS[1], ROOTS[1], [], True),
        (1, 1, ROOTS[1], ROOTS[2], [], False),
        (1, 0, ROOTS[1], EMPTY_ROOT, [], False),
        (2, 1, ROOTS[2], ROOTS[1], [], False),
        (1, 2, ROOTS[1], ROOTS[2], [], False),
        (0, 0, EMPTY_ROOT, ROOTS[2], [], False),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        # Stricter than upstream, which takes any root for the empty tree: it has only one.
        (0, 1, SOME_HASH, ROOTS[1], [], False),
        # google/certificate-transparency, python/ct/crypto/merkle_test.py: the newer tree is
        # smaller; equal sizes with different roots. (Its verifier also takes a bogus proof
        # between equal sizes or from the empty tree; this one, like transparency-dev's, does not.)
        (5, 2, ROOTS[5], ROOTS[2], CONSISTENCY_PROOFS[3][2], False),
        (
            3,
            3,
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01e"),
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            [],
            False,
        ),
    ],
)
def test_consistency_at_the_edges(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes], valid: bool
) -> None:
    if valid:
        verify_consistency(old, new, old_root, new_root, proof)
    else:
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, proof)


# --- A proof from a real log ---------------------------------------------------------------------
#
# google/certificate-transparency, python/ct/crypto/merkle_test.py (MerkleVerifierTest): leaf
# 848049 of a production log of 3,630,887 entries, its 22-hash audit path and the log's root.

REAL_LEAF = h("7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78")
REAL_INDEX = 848049
REAL_SIZE = 3630887
REAL_ROOT = h("78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb")
REAL_PATH = [
    h("1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd"),
    h("0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4"),
    h("3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d"),
    h("9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe"),
    h("0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2"),
    h("2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330"),
    h("b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048"),
    h("933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966"),
    h("b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2"),
    h("daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45"),
    h("7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc"),
    h("1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56"),
    h("12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66"),
    h("29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11"),
    h("b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009"),
    h("4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8"),
    h("86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f"),
    h("a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6"),
    h("06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1"),
    h("f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960"),
    h("40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d"),
    h("b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a"),
]


def test_a_proof_from_a_production_log_verifies() -> None:
    verify_inclusion(REAL_LEAF, REAL_INDEX, REAL_SIZE, REAL_PATH, REAL_ROOT)


def test_a_proof_from_a_production_log_fails_against_another_root_or_a_far_index() -> None:
    with pytest.raises(RootMismatch):
        verify_inclusion(REAL_LEAF, REAL_INDEX, REAL_SIZE, REAL_PATH, bytes(32))
    # The upstream "too short" case: an index whose path is longer than the one given.
    with pytest.raises(ProofError, match="the proof has 22 hashes"):
        verify_inclusion(REAL_LEAF, REAL_INDEX + 2**23, REAL_SIZE + 2**23, REAL_PATH, REAL_ROOT)


ZEROS = bytes(32)
ONES_LEAF = leaf_hash(b"\x11" * 32)


@pytest.mark.parametrize(
    ("index", "size", "proof", "root"),
    [
        # google/certificate-transparency, python/ct/crypto/merkle_test.py: the rightmost leaf of
        # 8; the rightmost, even-numbered leaf of 5; the last and the second-last leaf of 6.
        (
            7,
            8,
            [ZEROS] * 3,
            merkle.node_hash(ZEROS, merkle.node_hash(ZEROS, merkle.node_hash(ZEROS, ONES_LEAF))),
        ),
        (4, 5, [ZEROS], merkle.node_hash(ZEROS, ONES_LEAF)),
        (5, 6, [ZEROS] * 2, merkle.node_hash(ZEROS, merkle.node_hash(ZEROS, ONES_LEAF))),
        (4, 6, [ZEROS] * 2, merkle.node_hash(ZEROS, merkle.node_hash(ONES_LEAF, ZEROS))),
    ],
)
def test_proofs_along_the_right_border(
    index: int, size: int, proof: list[bytes], root: bytes
) -> None:
    verify_inclusion(ONES_LEAF, index, size, proof, root)


@pytest.mark.parametrize("proof", [[ZEROS] * 3, [ZEROS]])
def test_a_proof_too_long_or_too_short_for_its_tree_is_rejected(proof: list[bytes]) -> None:
    # google/certificate-transparency, python/ct/crypto/merkle_test.py (incorrect length proof).
    with pytest.raises(ProofError, match="an inclusion proof for leaf index 0 in a tree of 4"):
        verify_inclusion(ONES_LEAF, 0, 4, proof, ZEROS)


# --- Which stored nodes a proof reads ------------------------------------------------------------
#
# transparency-dev/merkle, proof/proof_test.go (TestInclusion, TestConsistency): the node IDs each
# proof is built from, as (level, index). Upstream orders them for its own rehashing; the set is
# what matters here.


class Recording(MemoryNodes):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[list[Address]] = []

    def nodes(self, addresses: Sequence[Address]) -> list[bytes]:
        self.asked.append(list(addresses))
        return super().nodes(addresses)


@pytest.fixture(scope="module")
def stored() -> tuple[list[bytes], dict[Address, bytes]]:
    leaves = [leaf_hash(str(i).encode()) for i in range(95)]
    return leaves, Frontier().append(leaves).nodes


def recording(stored: tuple[list[bytes], dict[Address, bytes]]) -> Recording:
    reader = Recording()
    reader.store(stored[1])
    return reader


@pytest.mark.parametrize(
    ("size", "index", "addresses"),
    [
        (1, 0, []),
        (2, 0, [(0, 1)]),
        (2, 1, [(0, 0)]),
        (3, 1, [(0, 0), (0, 2)]),
        (7, 0, [(0, 1), (1, 1), (0, 6), (1, 2)]),
        (7, 1, [(0, 0), (1, 1), (0, 6), (1, 2)]),
        (7, 2, [(0, 3), (1, 0), (0, 6), (1, 2)]),
        (7, 3, [(0, 2), (1, 0), (0, 6), (1, 2)]),
        (7, 4, [(0, 5), (0, 6), (2, 0)]),
        (7, 5, [(0, 4), (0, 6), (2, 0)]),
        (7, 6, [(1, 2), (2, 0)]),
        (4, 2, [(0, 3), (1, 0)]),
        (5, 3, [(0, 2), (1, 0), (0, 4)]),
        (6, 3, [(0, 2), (1, 0), (1, 2)]),
        (6, 4, [(0, 5), (2, 0)]),
        (15, 10, [(0, 11), (1, 4), (0, 14), (1, 6), (3, 0)]),
        (31, 24, [(0, 25), (1, 13), (0, 30), (1, 14), (3, 2), (4, 0)]),
        (95, 81, [(0, 80), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)]),
    ],
)
def test_an_inclusion_proof_reads_the_reference_nodes_in_one_call(
    stored: tuple[list[bytes], dict[Address, bytes]],
    size: int,
    index: int,
    addresses: list[Address],
) -> None:
    reader = recording(stored)
    inclusion_proof(index, size, reader)
    assert [sorted(asked) for asked in reader.asked] == ([sorted(addresses)] if addresses else [])


@pytest.mark.parametrize(
    ("old", "new", "addresses"),
    [
        (1, 2, [(0, 1)]),
        (1, 4, [(0, 1), (1, 1)]),
        (1, 6, [(0, 1), (1, 1), (1, 2)]),
        (2, 3, [(0, 2)]),
        (2, 8, [(1, 1), (2, 1)]),
        (3, 7, [(0, 2), (0, 3), (1, 0), (0, 6), (1, 2)]),
        (4, 7, [(0, 6), (1, 2)]),
        (5, 7, [(0, 4), (0, 5), (0, 6), (2, 0)]),
        (6, 7, [(1, 2), (0, 6), (2, 0)]),
        (7, 8, [(0, 6), (0, 7), (1, 2), (2, 0)]),
        (1, 1, []),
        (4, 4, []),
        (8, 8, []),
        (2, 4, [(1, 1)]),
        (3, 5, [(0, 2), (0, 3), (1, 0), (0, 4)]),
        (3, 6, [(0, 2), (0, 3), (1, 0), (1, 2)]),
        (4, 6, [(1, 2)]),
        (1, 7, [(0, 1), (1, 1), (0, 6), (1, 2)]),
        (10, 15, [(1, 4), (1, 5), (0, 14), (1, 6), (3, 0)]),
        (24, 31, [(3, 2), (0, 30), (1, 14), (2, 6), (4, 0)]),
        (81, 95, [(0, 80), (0, 81), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)]),
    ],
)
def test_a_consistency_proof_reads_the_reference_nodes_in_one_call(
    stored: tuple[list[bytes], dict[Address, bytes]],
    old: int,
    new: int,
    addresses: list[Address],
) -> None:
    reader = recording(stored)
    consistency_proof(old, new, reader)
    assert [sorted(asked) for asked in reader.asked] == ([sorted(addresses)] if addresses else [])


# --- What an inspector reads ---------------------------------------------------------------------


PROOF_5_OF_8 = INCLUSION_PROOFS[2][2]
PROOF_6_TO_8 = CONSISTENCY_PROOFS[2][2]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: verify_inclusion(LEAVES[5], 5, 8, [*PROOF_5_OF_8, ZEROS], ROOTS[8]),
            "the proof has 4 hashes; an inclusion proof for leaf index 5 in a tree of 8 leaves "
            "has 3 hashes",
        ),
        (
            lambda: verify_inclusion(LEAVES[4], 4, 5, [], ROOTS[5]),
            "the proof has 0 hashes; an inclusion proof for leaf index 4 in a tree of 5 leaves "
            "has 1 hash",
        ),
        (
            lambda: verify_inclusion(LEAVES[5], 8, 8, PROOF_5_OF_8, ROOTS[8]),
            "leaf index 8 is not in a tree of 8 leaves",
        ),
        (
            lambda: verify_inclusion(LEAVES[5], -1, 8, PROOF_5_OF_8, ROOTS[8]),
            "leaf index -1 is negative",
        ),
        (
            lambda: verify_inclusion(LEAVES[5], 5, 8, PROOF_5_OF_8, ROOTS[7]),
            "the proof for leaf index 5 does not lead to the root of 8 leaves "
            f"(computed {ROOTS[8].hex()}, claimed {ROOTS[7].hex()})",
        ),
        (
            lambda: verify_inclusion(LEAVES[5][:31], 5, 8, PROOF_5_OF_8, ROOTS[8]),
            "the leaf hash is 31 bytes long; a SHA-256 hash is 32",
        ),
        (
            lambda: verify_inclusion(
                LEAVES[5], 5, 8, [PROOF_5_OF_8[0], b"", PROOF_5_OF_8[2]], ROOTS[8]
            ),
            "hash 2 of 3 in the proof is 0 bytes long; a SHA-256 hash is 32",
        ),
        (
            lambda: verify_consistency(9, 8, ROOTS[8], ROOTS[8], PROOF_6_TO_8),
            "old size 9 is larger than new size 8: a log never shrinks",
        ),
        (
            lambda: verify_consistency(-1, 8, ROOTS[8], ROOTS[8], PROOF_6_TO_8),
            "old size -1 is negative",
        ),
        (
            lambda: verify_consistency(6, 8, ROOTS[6], ROOTS[8], PROOF_6_TO_8[:2]),
            "the proof has 2 hashes; a consistency proof from 6 to 8 leaves has 3 hashes",
        ),
        (
            lambda: verify_consistency(6, 8, ROOTS[6], ROOTS[8], []),
            "the proof has 0 hashes; a consistency proof from 6 to 8 leaves has 3 hashes",
        ),
        (
            lambda: verify_consistency(6, 8, ROOTS[5], ROOTS[8], PROOF_6_TO_8),
            "the proof does not lead to the old root of 6 leaves "
            f"(computed {ROOTS[6].hex()}, claimed {ROOTS[5].hex()})",
        ),
        (
            lambda: verify_consistency(6, 8, ROOTS[6], ROOTS[7], PROOF_6_TO_8),
            "the proof does not lead to the new root of 8 leaves "
            f"(computed {ROOTS[8].hex()}, claimed {ROOTS[7].hex()})",
        ),
        (
            lambda: verify_consistency(8, 8, ROOTS[8], ROOTS[8], [ZEROS]),
            "both trees have 8 leaves, so the proof must be empty; it has 1 hash",
        ),
        (
            lambda: verify_consistency(8, 8, ROOTS[8], ROOTS[7], []),
            "both trees have 8 leaves, so the new root must be the old one "
            f"(computed {ROOTS[8].hex()}, claimed {ROOTS[7].hex()})",
        ),
        (
            lambda: verify_consistency(0, 8, EMPTY_ROOT, ROOTS[8], PROOF_6_TO_8),
            "the old tree is empty, so the proof must be empty; it has 3 hashes",
        ),
        (
            lambda: verify_consistency(0, 8, ROOTS[1], ROOTS[8], []),
            "the old tree has no leaves, so its root must be SHA-256 of nothing "
            f"(computed {EMPTY_ROOT.hex()}, claimed {ROOTS[1].hex()})",
        ),
        (
            lambda: verify_consistency(6, 8, ROOTS[6], b"", PROOF_6_TO_8),
            "the new root is 0 bytes long; a SHA-256 hash is 32",
        ),
    ],
)
def test_the_messages_say_exactly_what_is_wrong(call: Probe, message: str) -> None:
    with pytest.raises(ProofError) as raised:
        call()
    assert str(raised.value) == message


def test_a_root_mismatch_carries_both_roots() -> None:
    with pytest.raises(RootMismatch) as raised:
        verify_consistency(6, 8, ROOTS[6], ROOTS[7], consistency_proof(6, 8, build(LEAVES)))
    assert (raised.value.computed, raised.value.claimed) == (ROOTS[8], ROOTS[7])


@pytest.mark.parametrize("size", range(1, 34))
def test_a_proof_of_the_wrong_length_is_told_the_right_one(size: int) -> None:
    leaves = [leaf_hash(bytes([i])) for i in range(size)]
    tree = build(leaves)
    top = merkle.root(leaves)
    for index in range(size):
        proof = inclusion_proof(index, size, tree)
        for wrong in ([*proof, ZEROS], proof[:-1]):
            if wrong != proof:
                with pytest.raises(ProofError, match=f" has {len(proof)} hash"):
                    verify_inclusion(leaves[index], index, size, wrong, top)
    for old in range(1, size):
        proof = consistency_proof(old, size, tree)
        for wrong in ([*proof, ZEROS], proof[:-1]):
            with pytest.raises(ProofError, match=f" has {len(proof)} hash"):
                verify_consistency(old, size, merkle.root(leaves[:old]), top, wrong)


# --- Bad calls -----------------------------------------------------------------------------------


def test_proofs_are_asked_only_for_trees_that_hold_them() -> None:
    tree = build(LEAVES)
    for call in [
        lambda: inclusion_proof(8, 8, tree),
        lambda: inclusion_proof(-1, 8, tree),
        lambda: consistency_proof(5, 4, tree),
        lambda: consistency_proof(-1, 4, tree),
        lambda: root_at(-1, tree),
        lambda: merkle.frontier_addresses(-1),
    ]:
        with pytest.raises(ValueError):
            call()
    with pytest.raises(LookupError, match=r"node \(0, 8\) is not stored"):
        inclusion_proof(0, 9, tree)
    with pytest.raises(LookupError):
        root_at(9, tree)


def test_equal_sizes_and_the_empty_tree_need_no_proof() -> None:
    tree = build(LEAVES)
    assert consistency_proof(0, 8, tree) == consistency_proof(8, 8, tree) == []
    assert tree.calls == 0


def test_the_tree_takes_only_sha256_hashes() -> None:
    with pytest.raises(ValueError, match="leaf hash 1 is 3 bytes long"):
        Frontier().append([LEAVES[0], b"abc"])
    with pytest.raises(ValueError, match="leaf hash 0 is 0 bytes long"):
        merkle.root([b""])
    with pytest.raises(ValueError, match="has 1 frontier hashes, not 0"):
        Frontier(1, ())
    with pytest.raises(ValueError, match=r"frontier node \(0, 0\) is 2 bytes long"):
        Frontier(1, (b"ab",))


def test_a_stored_node_never_changes() -> None:
    tree = build(LEAVES)
    tree.store({(0, 0): LEAVES[0]})
    with pytest.raises(ValueError, match=r"node \(0, 0\) is already stored with another hash"):
        tree.store({(0, 0): LEAVES[1]})


def test_a_damaged_store_gives_no_proof() -> None:
    class Short(MemoryNodes):
        def nodes(self, addresses: Sequence[Address]) -> list[bytes]:
            return super().nodes(addresses)[1:]

    class Truncated(MemoryNodes):
        def nodes(self, addresses: Sequence[Address]) -> list[bytes]:
            return [value[:31] for value in super().nodes(addresses)]

    short, truncated = Short(), Truncated()
    for reader in short, truncated:
        reader.store(Frontier().append(LEAVES).nodes)
    with pytest.raises(LookupError, match="asked for 3 nodes, the store returned 2"):
        inclusion_proof(0, 8, short)
    with pytest.raises(ValueError, match=r"stored node \(0, 1\) is 31 bytes long"):
        inclusion_proof(0, 8, truncated)


# --- Random trees --------------------------------------------------------------------------------
#
# The RFC's definitions, straight from the text, over lists of leaf hashes: the reference the
# stored-node proofs must equal. Deliberately naive: every MTH is recomputed from the leaves.


def rfc_mth(d: Sequence[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = rfc_k(len(d))
    return hashlib.sha256(b"\x01" + rfc_mth(d[:k]) + rfc_mth(d[k:])).digest()


def rfc_k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def rfc_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = rfc_k(len(d))
    if m < k:
        return [*rfc_path(m, d[:k]), rfc_mth(d[k:])]
    return [*rfc_path(m - k, d[k:]), rfc_mth(d[:k])]


def rfc_subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [rfc_mth(d)]
    k = rfc_k(n)
    if m <= k:
        return [*rfc_subproof(m, d[:k], b), rfc_mth(d[k:])]
    return [*rfc_subproof(m - k, d[k:], False), rfc_mth(d[:k])]


def reads_allowed(size: int) -> float:
    return 2 * math.log2(size) + 2 if size else 0


# Distinct leaves: with two equal leaves, swapping them is no change an inspector could see.
leaf_lists = st.lists(st.binary(max_size=6), unique=True, max_size=140).map(
    lambda inputs: [leaf_hash(data) for data in inputs]
)


@st.composite
def tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    """Leaves, a tree size no larger than them, and a leaf of that tree."""
    leaves = draw(leaf_lists.filter(bool))
    size = draw(st.integers(1, len(leaves)))
    return leaves, size, draw(st.integers(0, size - 1))


@st.composite
def tree_and_sizes(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    """Leaves and two tree sizes no larger than them, old ≤ new."""
    leaves = draw(leaf_lists)
    new = draw(st.integers(0, len(leaves)))
    return leaves, draw(st.integers(0, new)), new


@settings(deadline=None)
@given(leaves=leaf_lists, cuts=st.lists(st.integers(0, 140), max_size=6))
def test_the_frontier_grows_the_same_tree_in_any_batches(
    leaves: list[bytes], cuts: list[int]
) -> None:
    tree = MemoryNodes()
    frontier = Frontier()
    stored: set[Address] = set()
    for end in [*sorted(cut for cut in cuts if cut <= len(leaves)), len(leaves)]:
        # Resume from storage each time, as a new process would.
        assert Frontier.resume(frontier.size, tree) == frontier
        appended = Frontier.resume(frontier.size, tree).append(leaves[frontier.size : end])
        # Each batch inserts only new rows: nothing it gives was stored before.
        assert not appended.nodes.keys() & stored
        tree.store(appended.nodes)
        stored |= appended.nodes.keys()
        frontier = appended.frontier
        assert appended.root == merkle.root(leaves[:end]) == rfc_mth(leaves[:end])
    everything = Frontier().append(leaves).nodes
    assert stored == everything.keys()
    # Every perfect subtree, each the MTH of its leaves: 2n - popcount(n) of them.
    assert len(everything) == 2 * len(leaves) - len(leaves).bit_count()
    for (level, index), value in everything.items():
        assert value == rfc_mth(leaves[index << level : (index + 1) << level])
    assert tree.nodes(list(everything)) == list(everything.values())


@settings(deadline=None)
@given(leaves=leaf_lists, size=st.integers(0, 140))
def test_root_at_any_size_reads_only_its_frontier(leaves: list[bytes], size: int) -> None:
    size = min(size, len(leaves))
    tree = build(leaves)
    assert root_at(size, tree) == rfc_mth(leaves[:size])
    assert tree.reads == size.bit_count()
    assert tree.reads <= (math.log2(size) + 1 if size else 0)
    assert tree.calls == (1 if size else 0)


@settings(max_examples=300, deadline=None)
@given(case=tree_and_index())
def test_inclusion_proofs_from_stored_nodes_are_the_rfcs(
    case: tuple[list[bytes], int, int],
) -> None:
    leaves, size, index = case
    tree = build(leaves)
    proof = inclusion_proof(index, size, tree)
    assert proof == rfc_path(index, leaves[:size])
    assert tree.calls == (1 if proof else 0)
    assert tree.reads <= reads_allowed(size)
    verify_inclusion(leaves[index], index, size, proof, rfc_mth(leaves[:size]))


@settings(deadline=None)
@given(case=tree_and_index(), data=st.data())
def test_any_change_to_an_inclusion_proof_is_caught(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    leaves, size, index = case
    tree = build(leaves)
    proof = inclusion_proof(index, size, tree)
    top = root_at(size, tree)
    byte = data.draw(st.integers(0, 31), label="byte")
    for which in range(len(proof)):
        with pytest.raises(RootMismatch):
            verify_inclusion(leaves[index], index, size, flip(proof, which, byte, 1), top)
    with pytest.raises(RootMismatch):
        verify_inclusion(flip([leaves[index]], 0, byte, 1)[0], index, size, proof, top)
    with pytest.raises(RootMismatch):
        verify_inclusion(leaves[index], index, size, proof, flip([top], 0, byte, 1)[0])
    other = data.draw(st.integers(0, len(leaves)).filter(lambda i: i != index), label="index")
    with pytest.raises(ProofError):
        verify_inclusion(leaves[index], other, size, proof, top)
    with pytest.raises(ProofError):
        verify_inclusion(leaves[other % size], other, size, proof, top)
    if len(leaves) > 1:
        # Another size, with that size's own root: the proof is for one tree only.
        resized = data.draw(st.integers(1, len(leaves)).filter(lambda s: s != size), label="size")
        with pytest.raises(ProofError):
            verify_inclusion(leaves[index], index, resized, proof, root_at(resized, tree))


@settings(max_examples=300, deadline=None)
@given(case=tree_and_sizes())
def test_consistency_proofs_from_stored_nodes_are_the_rfcs(
    case: tuple[list[bytes], int, int],
) -> None:
    leaves, old, new = case
    tree = build(leaves)
    proof = consistency_proof(old, new, tree)
    assert proof == (rfc_subproof(old, leaves[:new], True) if old > 0 else [])
    assert tree.calls == (1 if proof else 0)
    assert tree.reads <= reads_allowed(new)
    verify_consistency(old, new, rfc_mth(leaves[:old]), rfc_mth(leaves[:new]), proof)


@settings(deadline=None)
@given(case=tree_and_sizes(), data=st.data())
def test_any_change_to_a_consistency_proof_is_caught(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    leaves, old, new = case
    tree = build(leaves)
    proof = consistency_proof(old, new, tree)
    old_root, new_root = root_at(old, tree), root_at(new, tree)
    byte = data.draw(st.integers(0, 31), label="byte")
    for which in range(len(proof)):
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, flip(proof, which, byte, 1))
    with pytest.raises(RootMismatch):
        verify_consistency(old, new, flip([old_root], 0, byte, 1)[0], new_root, proof)
    if not 0 < old < new:
        # The empty tree is consistent with any tree, and a tree only with itself: no new root
        # can be tampered with on its own.
        return
    with pytest.raises(RootMismatch):
        verify_consistency(old, new, old_root, flip([new_root], 0, byte, 1)[0], proof)
    # Other sizes, each with its own true root: the proof is for these two trees only.
    other_old = data.draw(st.integers(0, new).filter(lambda s: s != old), label="old")
    with pytest.raises(ProofError):
        verify_consistency(other_old, new, root_at(other_old, tree), new_root, proof)
    other_new = data.draw(st.integers(old, len(leaves)).filter(lambda s: s != new), label="new")
    with pytest.raises(ProofError):
        verify_consistency(old, other_new, old_root, root_at(other_new, tree), proof)


@pytest.mark.parametrize("size", [1023, 1024, 1025])
def test_proofs_in_a_larger_tree_stay_within_the_read_bound(size: int) -> None:
    leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(size)]
    top = merkle.root(leaves)
    tree = build(leaves)
    for index in [0, 1, size // 2, size - 2, size - 1]:
        before = tree.reads
        proof = inclusion_proof(index, size, tree)
        assert tree.reads - before <= reads_allowed(size)
        verify_inclusion(leaves[index], index, size, proof, top)
    for old in [1, 2, 511, 512, 513, size - 1]:
        before = tree.reads
        proof = consistency_proof(old, size, tree)
        assert tree.reads - before <= reads_allowed(size)
        verify_consistency(old, size, merkle.root(leaves[:old]), top, proof)
