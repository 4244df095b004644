"""C2SP signed notes: Go's test vectors, keys, signing, opening, and every refusal."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.ledger.notes import (
    MAX_NOTE_BYTES,
    InvalidSignatureError,
    KeyEncodingError,
    KeyType,
    Note,
    NoteError,
    Signature,
    Signer,
    UnverifiedNoteError,
    Verifier,
    format_note,
    key_id,
    open_note,
    parse_note,
    parse_signature_line,
    parse_skey,
    parse_vkey,
    sign_note,
)

# Test vectors of golang.org/x/mod/sumdb/note, note_test.go (and the package comment of note.go):
# keys, note text and signatures, reproduced byte for byte (Ed25519 signing is deterministic).
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_B64 = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
ENOCH_B64 = (
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ="
)
PETER_SIG = f"\u2014 PeterNeumann {PETER_B64}\n"
ENOCH_SIG = f"\u2014 EnochRoot {ENOCH_B64}\n"

# More published keys. transparency-dev/formats, note/note_cosigv1_test.go (TestCoSigV1NewVerifier):
# a plain Ed25519 vkey and a native cosignature (type 0x04) vkey.
TEST_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
REMORA_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
# transparency-dev/formats, witness/witness_test.go: signer keys with their verifier keys.
WITNESS_KEYS = [
    (
        "PRIVATE+KEY+Wit1+55ee4561+AeadRiG7XM4XiieCHzD8lxysXMwcViy5nYsoXURWGrlE",
        "Wit1+55ee4561+AVhZSmQj9+SoL+p/nN0Hh76xXmF7QcHfytUrI1XfSClk",
    ),
    (
        "PRIVATE+KEY+Wit2+85ecc407+AfPTvxw5eUcqSgivo2vaiC7JPOMUZ/9baHPSDrWqgdGm",
        "Wit2+85ecc407+AWVbwFJte9wMQIPSnEnj4KibeO6vSIOEDUTDp3o63c2x",
    ),
    (
        "PRIVATE+KEY+Wit3+d3ed3be7+AR2Kg8k6ccBr5QXz5SHtnkOS4UGQGEQaWi6Gfr6Mm3X5",
        "Wit3+d3ed3be7+ASb6Uz1+fxAcXkMvDd7nGa3FjDce7LxIKmbbTCT0MpVn",
    ),
]


@pytest.fixture
def peter() -> Verifier:
    return parse_vkey(PETER_VKEY)


@pytest.fixture
def enoch() -> Verifier:
    return parse_vkey(ENOCH_VKEY)


def _seed(n: int) -> bytes:
    return hashlib.sha256(b"strongroom test seed %d" % n).digest()


# Keys ---------------------------------------------------------------------------------------------


def test_go_keys_parse_and_reencode_exactly(peter: Verifier) -> None:
    signer = parse_skey(PETER_SKEY)
    assert (peter.name, peter.key_id, peter.key_type) == ("PeterNeumann", 0xC74F20A3, 1)
    assert signer.verifier == peter
    assert peter.vkey() == PETER_VKEY
    assert signer.skey() == PETER_SKEY
    assert parse_vkey(ENOCH_VKEY).key_id == 0xAF0CFE78


def test_key_id_is_the_spec_hash_of_name_newline_type_and_key(peter: Verifier) -> None:
    digest = hashlib.sha256(b"PeterNeumann\n\x01" + peter.public_key).digest()
    assert key_id("PeterNeumann", KeyType.ED25519, peter.public_key) == int.from_bytes(
        digest[:4], "big"
    )
    cosigning = peter.as_type(KeyType.COSIGNATURE_V1)
    digest = hashlib.sha256(b"PeterNeumann\n\x04" + peter.public_key).digest()
    assert cosigning.key_id == int.from_bytes(digest[:4], "big") != peter.key_id
    assert cosigning.public_key == peter.public_key


@pytest.mark.parametrize(
    ("vkey", "key_type"),
    [(TEST_VKEY, KeyType.ED25519), (REMORA_VKEY, KeyType.COSIGNATURE_V1)],
)
def test_published_vkeys_of_both_types_parse(vkey: str, key_type: KeyType) -> None:
    verifier = parse_vkey(vkey)
    assert verifier.vkey() == vkey
    assert verifier.key_type is key_type


@pytest.mark.parametrize(("skey", "vkey"), WITNESS_KEYS)
def test_published_skeys_give_their_vkeys(skey: str, vkey: str) -> None:
    assert parse_skey(skey).verifier.vkey() == vkey
    assert parse_skey(skey).skey() == skey


def _every_mangling_is_refused(key: str, parse: Callable[[str], object]) -> None:
    # Go's TestNewVerifier and TestNewSigner: every proper substring, and every single character
    # bumped by one.
    for i in range(len(key) + 1):
        for j in range(i + 1, len(key) + 1):
            if (i, j) != (0, len(key)):
                with pytest.raises(NoteError):
                    parse(key[i:j])
    for i, char in enumerate(key):
        with pytest.raises(NoteError):
            parse(key[:i] + chr(ord(char) + 1) + key[i + 1 :])


def test_every_mangled_vkey_is_refused() -> None:
    _every_mangling_is_refused(PETER_VKEY, parse_vkey)


def test_every_mangled_skey_is_refused() -> None:
    _every_mangling_is_refused(PETER_SKEY, parse_skey)


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("PeterNeumann+c74f20a3", "has 2 part(s)"),
        ("+c74f20a3+ARpc", "the key name is empty"),
        ("Peter Neumann+c74f20a3+ARpc", "contains a space (U+0020)"),
        ("Peter\u00a0Neumann+c74f20a3+ARpc", "contains a space (U+00A0)"),
        ("Peter\x01+c74f20a3+ARpc", "contains the character U+0001"),
        ("PeterNeumann+c74f20a+ARpc", "must be 8 hex digits; it is 'c74f20a'"),
        ("PeterNeumann+c74f20ag+ARpc", "must be 8 hex digits; it is 'c74f20ag'"),
        ("PeterNeumann+c74f20a3+ARp", "is not base64"),
        ("PeterNeumann+c74f20a3+AR!c", "is not base64"),
        ("PeterNeumann+c74f20a3+AB==", "is not canonical base64"),
        ("PeterNeumann+c74f20a3+", "the public key of 'PeterNeumann' is empty"),
        # Go's own bad keys, their key IDs adjusted so that only the named fault remains. Go
        # refuses the first for its length; its base64 has non-zero padding bits, and strongroom
        # refuses that first.
        (
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "is not canonical base64 (its padding bits are not zero)",
        ),
        (
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAAAA",
            "has 35 bytes after its type byte; an Ed25519 public key has 32",
        ),
        (
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "has signature type 0x65; strongroom knows 0x01 (Ed25519) and 0x04",
        ),
        (
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "the key ID c74f20a4 does not match the key: name 'PeterNeumann', type 0x01 and "
            "this key give c74f20a3",
        ),
    ],
)
def test_malformed_vkeys_are_refused_precisely(vkey: str, message: str) -> None:
    with pytest.raises(KeyEncodingError, match=re.escape(message)):
        parse_vkey(vkey)


def test_uppercase_key_ids_are_accepted_as_go_does() -> None:
    assert parse_vkey(PETER_VKEY.replace("c74f20a3", "C74F20A3")).vkey() == PETER_VKEY


@pytest.mark.parametrize(
    ("skey", "message"),
    [
        ("PRIVATE+KEY+PeterNeumann+c74f20a3", "PRIVATE+KEY+<name>+<key ID>+<key>"),
        (PETER_SKEY.replace("PRIVATE", "PUBLIC"), "PRIVATE+KEY+<name>+<key ID>+<key>"),
        (PETER_SKEY.replace("c74f20a3", "c74f20a4"), "the key ID c74f20a4 does not match"),
        (PETER_SKEY[:-1], "the private key of 'PeterNeumann' is not canonical base64"),
        (PETER_SKEY[:-4], "has 29 bytes after its type byte; an Ed25519 private key has 32"),
    ],
)
def test_malformed_skeys_are_refused_without_quoting_the_secret(skey: str, message: str) -> None:
    with pytest.raises(KeyEncodingError, match=re.escape(message)) as caught:
        parse_skey(skey)
    assert "AYEKFALV" not in str(caught.value)


def test_a_signer_never_shows_its_seed() -> None:
    signer = parse_skey(PETER_SKEY)
    assert "seed" not in repr(signer)
    assert signer.seed.hex() not in repr(signer) + str(signer)


def test_keys_of_unknown_types_are_refused() -> None:
    with pytest.raises(KeyEncodingError, match="signature type 2 is not one strongroom knows"):
        # Deliberately not a KeyType: a type byte read from a file may be anything.
        Verifier("x", 2, bytes(32))  # type: ignore[arg-type]


def test_keys_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(KeyEncodingError, match="an Ed25519 public key is 32 bytes"):
        Verifier("x", KeyType.ED25519, bytes(31))
    with pytest.raises(KeyEncodingError, match=r"an Ed25519 private key \(seed\) is 32 bytes"):
        Signer("x", KeyType.ED25519, bytes(33))


@given(
    name=st.text(
        st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="+"), min_size=1
    ).filter(lambda n: not any(c.isspace() for c in n)),
    seed=st.binary(min_size=32, max_size=32),
    key_type=st.sampled_from(KeyType),
)
def test_keys_round_trip_through_their_text(name: str, seed: bytes, key_type: KeyType) -> None:
    signer = Signer(name, key_type, seed)
    assert parse_skey(signer.skey()) == signer
    assert parse_vkey(signer.verifier.vkey()) == signer.verifier


# Signing ------------------------------------------------------------------------------------------


def test_sign_reproduces_go_exactly() -> None:
    assert sign_note(TEXT, [parse_skey(PETER_SKEY)]).decode() == TEXT + "\n" + PETER_SIG


def test_a_new_signature_replaces_one_by_the_same_key() -> None:
    # Go's TestSign: an existing signature by the signing key is replaced.
    stale = Signature("PeterNeumann", 0xC74F20A3, b"BADSIGN")
    signed = sign_note(Note(TEXT, signatures=(stale,)), [parse_skey(PETER_SKEY)])
    assert signed.decode() == TEXT + "\n" + PETER_SIG


def test_signing_keeps_other_signatures_before_the_new_ones(enoch: Verifier) -> None:
    opened = open_note(TEXT + "\n" + ENOCH_SIG, [enoch])
    signed = sign_note(opened, [parse_skey(PETER_SKEY)])
    assert signed.decode() == TEXT + "\n" + ENOCH_SIG + PETER_SIG


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "the note text must end with a newline"),
        ("a\tb\n", "control character U+0009 on line 1, column 2"),
        ("ok\na\rb\n", "control character U+000D on line 2, column 2"),
        ("x" * MAX_NOTE_BYTES + "\n", f"larger than {MAX_NOTE_BYTES} bytes"),
        ("a\ud800\n", "the note holds U+D800, a lone surrogate, which UTF-8 cannot encode"),
    ],
)
def test_texts_that_cannot_be_signed(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=re.escape(message)):
        sign_note(text, [parse_skey(PETER_SKEY)])


def test_signers_must_be_log_keys_given_once_and_present() -> None:
    peter = parse_skey(PETER_SKEY)
    with pytest.raises(NoteError, match="is given twice"):
        sign_note(TEXT, [peter, peter])
    with pytest.raises(NoteError, match="needs at least one signer"):
        sign_note(TEXT, [])
    with pytest.raises(NoteError, match=r"cosignatures are made by cosignatures\.cosign"):
        sign_note(TEXT, [peter.as_type(KeyType.COSIGNATURE_V1)])


def test_bad_names_are_refused_where_they_are_made() -> None:
    # Go's "Sign with bad name" and badSigner cases.
    with pytest.raises(NoteError, match="contains '\\+'"):
        Signature("a+b", 0, b"ABCD")
    with pytest.raises(NoteError, match="contains a space"):
        Signer("bad name", KeyType.ED25519, _seed(1))
    with pytest.raises(NoteError, match="a key ID is 32 bits"):
        Signature("a", 2**32, b"x")
    with pytest.raises(NoteError, match="the signature by 'a\\+00000001' is empty"):
        Signature("a", 1, b"")


def test_format_note_needs_a_signature_and_keeps_the_last_by_each_key() -> None:
    with pytest.raises(NoteError, match="at least one signature"):
        format_note(TEXT, [])
    old = Signature("PeterNeumann", 0xC74F20A3, b"old")
    new = Signature("PeterNeumann", 0xC74F20A3, b"new")
    other = Signature("Other", 1, b"sig")
    assert format_note(TEXT, [old, other, new]).decode() == (
        TEXT + "\n" + other.encode() + new.encode()
    )
    many = [Signature(f"k{i}", i, b"sig") for i in range(101)]
    with pytest.raises(NoteError, match="at most 100 signatures, not 101"):
        format_note(TEXT, many)


# Opening ------------------------------------------------------------------------------------------


def test_one_signature_verified_one_kept_unverified(peter: Verifier) -> None:
    note = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter])
    assert note.text == TEXT
    assert [(s.name, s.key_id, s.line) for s in note.signatures] == [
        ("PeterNeumann", 0xC74F20A3, 4)
    ]
    assert [s.encode() for s in note.signatures] == [PETER_SIG]
    assert [s.encode() for s in note.unverified] == [ENOCH_SIG]
    reversed_note = open_note(TEXT + "\n" + ENOCH_SIG + PETER_SIG, [peter])
    assert reversed_note.encode().decode() == TEXT + "\n" + ENOCH_SIG + PETER_SIG


def test_both_signatures_verified(peter: Verifier, enoch: Verifier) -> None:
    note = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter, enoch])
    assert [s.encode() for s in note.signatures] == [PETER_SIG, ENOCH_SIG]
    assert note.unverified == ()
    assert note.encode().decode() == TEXT + "\n" + PETER_SIG + ENOCH_SIG


def test_no_known_signer_is_refused_and_the_note_is_kept() -> None:
    with pytest.raises(UnverifiedNoteError) as caught:
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    assert str(caught.value) == (
        "the note has no signature by a known key: it is signed by 'PeterNeumann+c74f20a3' "
        "(line 4), 'EnochRoot+af0cfe78' (line 5), none of which is a known verifier "
        "(known: none)"
    )
    note = caught.value.note
    assert note.signatures == ()
    assert [s.encode() for s in note.unverified] == [PETER_SIG, ENOCH_SIG]


def test_a_key_sharing_only_the_name_or_only_the_id_is_unknown(peter: Verifier) -> None:
    # signed-note: verifiers MUST ignore signatures from unknown keys, even if they share a name
    # or ID (but not both) with a known key.
    other_key = Signer("PeterNeumann", KeyType.ED25519, _seed(2))
    same_name = sign_note(TEXT, [other_key]).decode().split("\n\n")[1]
    same_id = f"\u2014 PaulNeumann {PETER_B64}\n"
    note = open_note(TEXT + "\n" + same_name + same_id + PETER_SIG, [peter])
    assert [s.line for s in note.signatures] == [6]
    assert [s.line for s in note.unverified] == [4, 5]


def test_identical_known_verifiers_are_one(peter: Verifier, enoch: Verifier) -> None:
    # Go's "unused duplicated verifier"; strongroom also accepts a used one when it is the same key.
    note = open_note(TEXT + "\n" + ENOCH_SIG, [enoch, peter, parse_vkey(ENOCH_VKEY)])
    assert [s.name for s in note.signatures] == ["EnochRoot"]


def test_two_known_keys_with_one_name_and_id_are_refused_when_used(enoch: Verifier) -> None:
    # A real collision takes about 2^32 key generations; force one.
    impostor = Verifier("EnochRoot", KeyType.ED25519, bytes(32))
    object.__setattr__(impostor, "key_id", enoch.key_id)
    with pytest.raises(NoteError, match="2 different known verifier keys have that name and key"):
        open_note(TEXT + "\n" + ENOCH_SIG, [enoch, impostor])


def test_too_many_signatures_are_refused(peter: Verifier) -> None:
    for known in ([peter], []):
        with pytest.raises(
            NoteError, match="has 101 signature lines; strongroom reads at most 100"
        ):
            open_note(TEXT + "\n" + PETER_SIG * 101, known)
    assert open_note(TEXT + "\n" + PETER_SIG * 100, [peter]).signatures


def test_a_bad_signature_by_a_known_key_is_refused(peter: Verifier) -> None:
    # Go's "Invalid signature": four base64 characters inserted into Peter's signature.
    mangled = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(InvalidSignatureError) as caught:
        open_note(TEXT + "\n" + mangled, [peter])
    assert str(caught.value) == (
        "the signature on line 4 is by the known key 'PeterNeumann+c74f20a3' but does not "
        "verify: it has 67 bytes after the key ID; an Ed25519 signature has 64. The note was "
        "altered after signing, or the signature is forged"
    )


def test_a_changed_text_fails_its_signature(peter: Verifier) -> None:
    with pytest.raises(InvalidSignatureError, match="does not match the text and the key"):
        open_note(TEXT.replace("you", "we", 1) + "\n" + PETER_SIG, [peter])


def test_repeated_signatures_are_kept_once(peter: Verifier) -> None:
    # Go's "Duplicated verified and unverified signatures".
    enoch_abcd = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    note = open_note(
        TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd, [peter]
    )
    assert [s.encode() for s in note.signatures] == [PETER_SIG]
    assert [s.encode() for s in note.unverified] == [ENOCH_SIG, enoch_abcd]


def test_a_repeated_known_key_must_verify_every_time(peter: Verifier) -> None:
    # Stricter than Go, which does not look at a known key's second signature.
    forged = "\u2014 PeterNeumann " + PETER_B64[:20] + "A" + PETER_B64[21:] + "\n"
    with pytest.raises(InvalidSignatureError, match="the signature on line 5 is by the known"):
        open_note(TEXT + "\n" + PETER_SIG + forged, [peter])


@pytest.mark.parametrize(
    ("note", "message"),
    [
        # Go's badMsgs, each with the reason strongroom gives.
        (TEXT, "no blank line between its text and its signatures"),
        (TEXT + "\n", "no signature lines after its last blank line"),
        (TEXT + "\n" + PETER_SIG[:-1], "last signature line does not end with a newline"),
        ("\x01" + TEXT + "\n" + PETER_SIG, "control character U+0001 on line 1, column 1"),
        (b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), "not valid UTF-8: byte 0xff at offset 0"),
        (
            TEXT + "\n" + f"\u2014 Bad Name {PETER_B64}",
            "last signature line does not end with a newline",
        ),
        (
            TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
            "line 5 should be a signature line, beginning with an em dash (U+2014) and a space, "
            "but it is 'Unexpected line.'",
        ),
        # More.
        (TEXT + "\n" + f"\u2014 Bad Name {PETER_B64}\n", "line 4: the signature is not base64"),
        (TEXT + "\n" + "- PeterNeumann AAAA\n", "line 4 should be a signature line"),
        (TEXT + "\n" + "\u2014 PeterNeumann\n", "line 4: the key name 'PeterNeumann' is not"),
        (TEXT + "\n" + "\u2014  AAAAAAAA\n", "line 4: the key name is empty"),
        (TEXT + "\n" + "\u2014 a+b AAAAAAAA\n", "line 4: the key name 'a+b' contains '+'"),
        (TEXT + "\n" + "\u2014 k AAAAAA==\n", "line 4: the signature has 4 bytes"),
        (TEXT + "\n" + "\u2014 k AAAAAAB=\n", "line 4: the signature is not canonical base64"),
        (TEXT + "\n" + "\u2014 k AAAA\u00e9AAA\n", "line 4: the signature is not base64"),
        ("a\n\n\u2014 k \udc00\n", "the note holds U+DC00, a lone surrogate"),
        (TEXT + "\n" + PETER_SIG + "\n", "no signature lines after its last blank line"),
        (b"a\n\n\xed\xa0\x80\n", "not valid UTF-8: byte 0xed at offset 3"),
        ("a\n\n" + "\u2014 k " + "A" * MAX_NOTE_BYTES + "\n", "strongroom reads at most"),
    ],
)
def test_malformed_notes_are_refused_precisely(
    peter: Verifier, note: str | bytes, message: str
) -> None:
    with pytest.raises(NoteError, match=re.escape(message)):
        open_note(note, [peter])


def test_the_text_ends_at_the_last_blank_line() -> None:
    # The example of c2sp.org/signed-note: its text holds a blank line of its own.
    example = (
        "Ognuno sta solo sul cuor della terra\n"
        "trafitto da un raggio di sole:\n"
        "\n"
        "ed è subito sera.\n"
        "\n"
        "\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJK"
        "ONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
    )
    note = parse_note(example)
    assert note.text == example.split("\n\n\u2014")[0] + "\n"
    assert [(s.name, s.line) for s in note.unverified] == [("quasimodo.example/salvatore", 6)]
    assert note.encode().decode() == example


safe_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="".join(map(chr, range(32))))
    | st.just("\n")
).map(lambda text: text + "\n")


@given(text=safe_text, seeds=st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=4))
def test_signed_notes_open_to_what_was_signed(text: str, seeds: list[bytes]) -> None:
    signers = {Signer(f"log{i}.example/{i}", KeyType.ED25519, s) for i, s in enumerate(seeds)}
    signed = sign_note(text, signers)
    note = open_note(signed, [s.verifier for s in signers])
    assert note.text == text
    assert {s.label for s in note.signatures} == {s.verifier.label for s in signers}
    assert note.encode() == signed


def test_a_signature_line_on_its_own_reads_back_as_it_was_made() -> None:
    made = Signature("witness.example/w1", 0x01020304, bytes(range(72)))
    assert parse_signature_line(made.encode()) == made
    assert parse_signature_line(made.encode().rstrip("\n")) == made


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("w1 AQIDBAU=", "the signature line should be a signature line, beginning with an em"),
        ("\u2014 w1", "the signature line: the key name 'w1' is not followed by a signature"),
        ("\u2014 w1 AQID", "the signature line: the signature has 3 bytes; it must be a 4-byte"),
        ("\u2014 w1 AQIDBAU=\n\u2014 w2 AQIDBAU=\n", "this text has several"),
        ("\u2014 w1 AQIDBAU=\t", "the control character U+0009"),
    ],
)
def test_a_signature_line_on_its_own_is_refused_precisely(line: str, message: str) -> None:
    with pytest.raises(NoteError, match=re.escape(message)):
        parse_signature_line(line)
