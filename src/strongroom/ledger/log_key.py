"""The log's own signing key: an Ed25519 key named for the log's origin, in a key file outside
the database (``STRONGROOM_LOG_KEY_FILE``, owner-only), created on first use like the secret key.

Whoever can read the database cannot sign with it; whoever holds the file can, and a witness's
memory of earlier checkpoints is what catches a history re-signed with it (docs/ledger.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from strongroom.domain.errors import Unavailable
from strongroom.domain.text import gettext_noop
from strongroom.ledger.keys import KeyFileError, create_key_file, read_key_file
from strongroom.ledger.notes import KeyType, Signer, Verifier


class LogKeyError(Unavailable):
    """The log's key cannot be used, so nothing can be signed; the message says what to do."""


def log_signer() -> Signer:
    """The log's key, created in its key file if there is none yet."""
    path = Path(settings.STRONGROOM_LOG_KEY_FILE)
    origin = settings.STRONGROOM_LOG_ORIGIN
    try:
        if not path.exists():
            try:
                return create_key_file(path, origin, KeyType.ED25519)
            except KeyFileError:
                if not path.exists():
                    raise
                # Another process created it a moment ago: use theirs.
        signer = read_key_file(path, key_type=KeyType.ED25519)
    except KeyFileError as error:
        raise LogKeyError(
            gettext_noop("The log's key cannot be used: %(problem)s.", problem=str(error))
        ) from None
    if signer.name != origin:
        # Signing another log's name would make every checkpoint fail its own check.
        raise LogKeyError(
            gettext_noop(
                "The key file %(path)s is the key of the log %(name)s, but STRONGROOM_LOG_ORIGIN "
                "is %(origin)s: set STRONGROOM_LOG_ORIGIN=%(name)s, or point "
                "STRONGROOM_LOG_KEY_FILE at this log's key.",
                path=str(path),
                name=signer.name,
                origin=origin,
            )
        )
    return signer


def log_verifier() -> Verifier:
    """The log's public key: what the app and docs/ledger.md publish, as a vkey."""
    return log_signer().verifier
