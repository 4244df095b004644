"""Key files: a log's or a witness's Ed25519 signer key, kept outside the database.

A key file holds one signer key (skey) line, ``PRIVATE+KEY+<name>+<key ID>+<base64>``, the format
of golang.org/x/mod/sumdb/note. It is created owner-only (0o600) in the same system call that
creates it, never overwrites an existing file, and is refused on reading when group or others
may access it. Plain Python: no Django, no database.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from strongroom.ledger.notes import KeyType, NoteError, Signer, parse_skey

KEY_FILE_MODE = 0o600
# A key line is about 100 bytes; anything much larger is not a key file.
_MAX_KEY_FILE_BYTES = 4096


class KeyFileError(ValueError):
    """A key file that cannot be created or read, or that is not safe to use."""


def create_key_file(
    path: str | os.PathLike[str], name: str, key_type: KeyType = KeyType.ED25519
) -> Signer:
    """Generate a key named ``name`` (the log's origin or the witness's name) into a new file.

    Returns the signer, whose ``verifier.vkey()`` is the public key to publish.
    """
    signer = Signer.generate(name, key_type)
    write_key_file(path, signer)
    return signer


def write_key_file(path: str | os.PathLike[str], signer: Signer) -> None:
    """Write ``signer`` to a new owner-only file; an existing file is never replaced."""
    target = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        # O_EXCL with the mode given here: the file never exists with looser permissions, and a
        # symlink planted at the path is refused rather than followed.
        fd = os.open(target, flags, KEY_FILE_MODE)
    except FileExistsError:
        raise KeyFileError(
            f"{target} already exists; strongroom never overwrites a key file (move it away "
            "first if it really is to be replaced)"
        ) from None
    except OSError as error:
        raise KeyFileError(f"cannot create the key file {target}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            # The umask may have taken more than group and other bits away; the owner must read.
            os.fchmod(file.fileno(), KEY_FILE_MODE)
            file.write((signer.skey() + "\n").encode())
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        target.unlink(missing_ok=True)
        raise KeyFileError(f"cannot write the key file {target}: {error.strerror}") from None


def read_key_file(path: str | os.PathLike[str], *, key_type: KeyType | None = None) -> Signer:
    """Read the signer key in ``path``, refusing a file that group or others may access.

    ``key_type``, when given, is the type the key must have (0x01 for a log, 0x04 for a witness).
    """
    target = Path(path)
    try:
        # O_NONBLOCK: a FIFO planted at the path must not hang the reader; it is refused below.
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise KeyFileError(f"there is no key file at {target}") from None
    except OSError as error:
        raise KeyFileError(f"cannot open the key file {target}: {error.strerror}") from None
    try:
        # fstat on the open descriptor: the file checked is the file read.
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise KeyFileError(f"the key file {target} is not a regular file")
        mode = stat.S_IMODE(status.st_mode)
        if mode & 0o077:
            raise KeyFileError(
                f"the key file {target} has mode {mode:04o}, so group or others may access it; "
                f"a private key must be owner-only: run `chmod 600 {target}` (and consider the "
                "key exposed if others could read it)"
            )
        content = os.read(fd, _MAX_KEY_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(content) > _MAX_KEY_FILE_BYTES:
        raise KeyFileError(f"the key file {target} is too large to be a key file")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"the key file {target} is not UTF-8 text") from None
    line = text.removesuffix("\n")
    try:
        signer = parse_skey(line)
    except NoteError as error:
        raise KeyFileError(f"the key file {target} does not hold a signer key: {error}") from None
    if key_type is not None and signer.key_type is not key_type:
        raise KeyFileError(
            f"the key file {target} holds a key of type 0x{signer.key_type:02x}; "
            f"0x{key_type:02x} ({key_type.label}) is needed here"
        )
    return signer
