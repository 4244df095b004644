"""Key files: created owner-only and atomically, refused when others may read them."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from strongroom.ledger.keys import KeyFileError, create_key_file, read_key_file, write_key_file
from strongroom.ledger.notes import KeyType, Signer, parse_skey

PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"


@pytest.fixture
def umask() -> Iterator[None]:
    # Tests set the umask to show it cannot loosen or break the key file's mode.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077, 0o277])
def test_a_new_key_file_is_owner_only_whatever_the_umask(
    tmp_path: Path, umask: None, mask: int
) -> None:
    os.umask(mask)
    path = tmp_path / "log.key"
    signer = create_key_file(path, "strongroom.example/ledger")
    assert _mode(path) == 0o600
    assert path.read_text() == signer.skey() + "\n"
    assert read_key_file(path) == signer
    assert signer.key_type is KeyType.ED25519


def test_a_witness_key_file(tmp_path: Path) -> None:
    path = tmp_path / "witness.key"
    signer = create_key_file(path, "witness.example/w1", KeyType.COSIGNATURE_V1)
    assert read_key_file(path, key_type=KeyType.COSIGNATURE_V1) == signer
    with pytest.raises(KeyFileError, match=re.escape("holds a key of type 0x04; 0x01 (Ed25519)")):
        read_key_file(path, key_type=KeyType.ED25519)


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    path.write_text("precious\n")
    with pytest.raises(KeyFileError, match="already exists; strongroom never overwrites a key"):
        create_key_file(path, "strongroom.example/ledger")
    assert path.read_text() == "precious\n"


def test_a_symlink_at_the_path_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    link = tmp_path / "log.key"
    link.symlink_to(target)
    with pytest.raises(KeyFileError, match="already exists"):
        write_key_file(link, parse_skey(PETER_SKEY))
    assert not target.exists()


def test_a_key_file_in_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"cannot create the key file .*No such file"):
        write_key_file(tmp_path / "nowhere" / "log.key", parse_skey(PETER_SKEY))


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602, 0o610, 0o601])
def test_a_key_file_others_may_access_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "log.key"
    write_key_file(path, parse_skey(PETER_SKEY))
    path.chmod(mode)
    with pytest.raises(KeyFileError) as caught:
        read_key_file(path)
    assert str(caught.value) == (
        f"the key file {path} has mode {mode:04o}, so group or others may access it; a private "
        f"key must be owner-only: run `chmod 600 {path}` (and consider the key exposed if others "
        "could read it)"
    )


def test_the_owner_may_make_it_read_only(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    write_key_file(path, parse_skey(PETER_SKEY))
    path.chmod(0o400)
    assert read_key_file(path).skey() == PETER_SKEY


def test_a_key_file_through_a_symlink_is_read(tmp_path: Path) -> None:
    # Secret stores (Kubernetes volumes among them) present keys through symlinks.
    path = tmp_path / "real.key"
    write_key_file(path, parse_skey(PETER_SKEY))
    (tmp_path / "log.key").symlink_to(path)
    assert read_key_file(tmp_path / "log.key").skey() == PETER_SKEY


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "does not hold a signer key: a signer key is PRIVATE+KEY+"),
        (b"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", "PRIVATE+KEY+"),
        (PETER_SKEY.replace("c74f20a3", "c74f20a4").encode(), "the key ID c74f20a4 does not"),
        ((PETER_SKEY + "\n\n").encode(), "is not canonical base64"),
        (b"\xff\xfe", "is not UTF-8 text"),
        (b"x" * 5000, "is too large to be a key file"),
    ],
)
def test_a_key_file_that_holds_no_key_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "log.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, content)
    os.close(fd)
    with pytest.raises(KeyFileError, match=re.escape(message)) as caught:
        read_key_file(path)
    assert str(path) in str(caught.value)
    assert "AYEKFALV" not in str(caught.value)


def test_missing_and_odd_key_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"there is no key file at .*absent\.key"):
        read_key_file(tmp_path / "absent.key")
    directory = tmp_path / "dir.key"
    directory.mkdir(mode=0o700)
    with pytest.raises(KeyFileError, match="is not a regular file"):
        read_key_file(directory)
    fifo = tmp_path / "fifo.key"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(KeyFileError, match="is not a regular file"):
        read_key_file(fifo)


def test_a_key_file_without_a_final_newline_is_read(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, PETER_SKEY.encode())
    os.close(fd)
    assert read_key_file(path) == parse_skey(PETER_SKEY)
    assert isinstance(read_key_file(path), Signer)
