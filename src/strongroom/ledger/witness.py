"""A witness: an outside party that cosigns the log's checkpoints only while the log's history
only ever grows.

For each log (told apart by its origin) the witness remembers one thing, in its state file: the
last checkpoint it cosigned, its size and root. Each run it fetches the log's latest checkpoint,
checks the log's signature with the log key it was given in advance, and checks that the new
tree extends the remembered one — the same root at the same size, or an RFC 9162 consistency
proof from the old size to the new — before it cosigns (C2SP tlog-cosignature) and hands the
cosignature to the log. A log that shrank, that shows another root for a size already cosigned,
whose proof does not hold, or whose checkpoint is signed by another key is refused, and the
message says which.

The state is written before the cosignature leaves: once a cosignature of a checkpoint exists,
the witness must never cosign one inconsistent with it, even if the log claimed not to have
received it. Sending the same checkpoint's cosignature again is harmless, and is what the next
run does when the log has nothing new.

Like C2SP tlog-witness, but pulled by the witness from the log's API instead of pushed by the
log. Plain Python: no Django, no database; HTTP through ``fetch``, which the command line makes
with ``UrlFetch`` (urllib) and tests with the Django test client.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import fcntl
import http.client
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from strongroom.ledger.checkpoints import Checkpoint, CheckpointError, open_checkpoint
from strongroom.ledger.cosignatures import cosign
from strongroom.ledger.merkle import ProofError, verify_consistency
from strongroom.ledger.notes import (
    InvalidSignatureError,
    NoteError,
    Signer,
    UnverifiedNoteError,
    Verifier,
)

STATE_VERSION = 1
# A checkpoint, a proof or an error is a few kilobytes; a larger answer is not the log's.
MAX_ANSWER_BYTES = 1_000_000
DEFAULT_TIMEOUT = 30.0


class WitnessError(Exception):
    """Why the witness did not cosign, in words for whoever runs it."""


class LogKeyChanged(WitnessError):
    """The checkpoint is not signed by the log key the witness was given."""


class HistoryRewritten(WitnessError):
    """The log's checkpoint is not consistent with one the witness cosigned: a fork."""


class BadCheckpoint(WitnessError):
    """The checkpoint is malformed, or its signature by the known key does not verify."""


class LogUnreachable(WitnessError):
    """No answer from the log: a wrong address, a network problem, a timeout."""


class LogAnswered(WitnessError):
    """The log answered, but not with what was asked: an HTTP error (``status``), or no JSON."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class StateError(WitnessError):
    """The state file cannot be read, written or locked."""


class HttpError(Exception):
    """An HTTP error answer, as a ``fetch`` raises it: the status and the body."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body


class Fetch(Protocol):
    """GET ``url`` (POST ``data``, JSON, when given) and return the answer's body; raise
    HttpError for an error status and LogUnreachable when there is no answer."""

    def __call__(self, url: str, data: bytes | None = None) -> bytes: ...


# -- the state file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """The last checkpoint of one log that the witness cosigned, and when (POSIX seconds)."""

    size: int
    root: bytes
    time: int


def read_state(path: Path) -> dict[str, Seen]:
    """Per log origin, the last checkpoint cosigned; empty when the file does not exist yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise StateError(f"cannot read the state file {path}: {error.strerror}") from None
    try:
        document = json.loads(raw)
        if document.get("version") != STATE_VERSION:
            raise ValueError(f"its version is {document.get('version')!r}, not {STATE_VERSION}")
        return {str(origin): _seen(entry) for origin, entry in dict(document["logs"]).items()}
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise StateError(
            f"the state file {path} is not a witness's state file ({error}); it is left as it "
            "is: restore it from a copy, or give another --state (starting afresh forgets "
            "what was cosigned, so a fork would go unnoticed)"
        ) from None


def _seen(entry: Any) -> Seen:
    size, root, when = entry["size"], base64.b64decode(entry["root"], validate=True), entry["time"]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (size, when)):
        raise ValueError("a size or time is not a whole number")
    if len(root) != 32:
        raise ValueError("a root hash is not 32 bytes")
    return Seen(size, root, when)


def write_state(path: Path, logs: Mapping[str, Seen]) -> None:
    """Replace the state file in one step: a crash leaves the old state or the new, never half."""
    document = {
        "version": STATE_VERSION,
        "logs": {
            origin: {
                "size": seen.size,
                "root": base64.b64encode(seen.root).decode(),
                "time": seen.time,
            }
            for origin, seen in sorted(logs.items())
        },
    }
    text = json.dumps(document, indent=2) + "\n"
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        # The rename itself must reach the disk before the cosignature leaves.
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as error:
        raise StateError(
            f"cannot write the state file {path}: {error.strerror}; nothing was sent to the log"
        ) from None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``<state>.lock`` for the run: two runs at once could each be shown another fork."""
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as error:
        raise StateError(f"cannot open the lock file {lock}: {error.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StateError(
                    f"another witness run holds {lock}; let it finish and run again"
                ) from None
            raise StateError(f"cannot lock {lock}: {error.strerror}") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


# -- talking to the log --------------------------------------------------------------------------


def api_base(url: str) -> str:
    """The log's API address, ending in '/', e.g. ``https://records.example.org/api/v1/``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WitnessError(
            f"the log's address {url!r} is not an http:// or https:// URL; give its API's "
            "address, e.g. https://records.example.org/api/v1/"
        )
    if parts.query or parts.fragment:
        raise WitnessError(f"the log's address {url!r} has a query or fragment; leave it out")
    return parts._replace(path=parts.path.rstrip("/") + "/").geturl()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # Following a redirect would send the token wherever the answer points.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrlFetch:
    """``Fetch`` over urllib: the log's API with an API token, a timeout, and no redirects."""

    def __init__(self, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._token = token
        self._timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects())

    def __call__(self, url: str, data: bytes | None = None) -> bytes:
        headers = {
            "Authorization": f"Token {self._token}",
            "Accept": "application/json",
            "User-Agent": "strongroom-witness",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                return _bounded(answer.read(MAX_ANSWER_BYTES + 1), url)
        except urllib.error.HTTPError as error:  # before URLError, which it extends
            body = error.read(MAX_ANSWER_BYTES) if error.fp is not None else b""
            if 300 <= error.code < 400:
                raise LogAnswered(
                    f"the log at {url} redirects to {error.headers.get('Location')!r}; "
                    "give that address with --log (the token is not sent on to another address)"
                ) from None
            raise HttpError(error.code, body) from None
        except urllib.error.URLError as error:
            raise LogUnreachable(f"cannot reach the log at {url}: {error.reason}") from None
        except TimeoutError:
            raise LogUnreachable(
                f"the log at {url} did not answer within {self._timeout:g} seconds"
            ) from None
        except (OSError, http.client.HTTPException) as error:
            raise LogUnreachable(f"the connection to the log at {url} failed: {error}") from None


def _bounded(body: bytes, url: str) -> bytes:
    if len(body) > MAX_ANSWER_BYTES:
        raise LogAnswered(f"the answer from {url} is larger than {MAX_ANSWER_BYTES} bytes")
    return body


def _json(fetch: Fetch, url: str, what: str, data: Mapping[str, Any] | None = None) -> Any:
    body = None if data is None else json.dumps(data).encode()
    try:
        answer = fetch(url, body)
    except HttpError as error:
        raise LogAnswered(_http_problem(error, what), error.status) from None
    try:
        return json.loads(answer)
    except ValueError:
        raise LogAnswered(
            f"the log's answer to {what} is not JSON; is --log the address of strongroom's "
            "API, e.g. https://records.example.org/api/v1/?"
        ) from None


def _http_problem(error: HttpError, what: str) -> str:
    try:
        message = str(json.loads(error.body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        message = error.body[:200].decode("utf-8", "replace").strip() or "no explanation"
    said = f"the log answered HTTP {error.status} to {what}: {message}"
    if error.status in (401, 403):
        return f"{said} (give an API token of an active person on the log)"
    return said


def _field(answer: Any, name: str, kind: type, what: str) -> Any:
    value = answer.get(name) if isinstance(answer, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise LogAnswered(f"the log's answer to {what} has no {name!r} of the expected kind")
    return value


# -- witnessing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cosigned:
    """One run's result: the checkpoint cosigned, what was cosigned before, and the log's
    answer to the cosignature (its ``witnessed`` verdict included)."""

    origin: str
    size: int
    root: bytes
    previous: Seen | None
    cosignature: str  # the signature line, without its newline
    answer: dict[str, Any]


def witness_log(
    log: str,
    *,
    log_key: Verifier,
    key: Signer,
    state: Path,
    fetch: Fetch,
    now: Callable[[], float] = time.time,
) -> Cosigned:
    """Check the log's latest checkpoint against ``state``, cosign it and hand it to the log.

    Raises a WitnessError subclass, having cosigned nothing, when the checkpoint is not the
    known key's (LogKeyChanged), is not consistent with what was cosigned before
    (HistoryRewritten), or cannot be fetched or read."""
    base = api_base(log)
    with locked(state):
        logs = read_state(state)
        what = f"GET {base}ledger/checkpoint"
        note = _field(_json(fetch, base + "ledger/checkpoint", what), "note", str, what)
        checkpoint = _open(note, log_key)
        previous = logs.get(checkpoint.origin)
        if previous is not None:
            _check_extends(previous, checkpoint, base, fetch)
        when = int(now())
        line = cosign(checkpoint, key, when).encode().rstrip("\n")
        logs[checkpoint.origin] = Seen(checkpoint.size, checkpoint.root_hash, when)
        write_state(state, logs)
        posted = f"POST {base}ledger/checkpoint/cosignatures"
        answer = _json(
            fetch,
            base + "ledger/checkpoint/cosignatures",
            posted,
            {"size": checkpoint.size, "cosignature": line},
        )
    if not isinstance(answer, dict):
        raise LogAnswered(f"the log's answer to {posted} is not a JSON object")
    return Cosigned(
        checkpoint.origin, checkpoint.size, checkpoint.root_hash, previous, line, answer
    )


def _open(note: str, log_key: Verifier) -> Checkpoint:
    try:
        checkpoint, _opened = open_checkpoint(note, log_key)
    except UnverifiedNoteError as error:
        signers = ", ".join(repr(s.label) for s in error.note.unverified)
        raise LogKeyChanged(
            f"the log key changed: the checkpoint is signed by {signers}, not by the log key "
            f"this witness was given, {log_key.label!r}. A witness never takes a new key on the "
            "log's word: confirm the new key with the log's operators, and only then give it "
            "with --log-key (the checkpoints it signs must still extend what was cosigned)"
        ) from None
    except InvalidSignatureError as error:
        raise BadCheckpoint(f"the log's checkpoint does not verify: {error}") from None
    except (CheckpointError, NoteError) as error:
        raise BadCheckpoint(f"the log's checkpoint is not a valid checkpoint: {error}") from None
    return checkpoint


def _check_extends(previous: Seen, checkpoint: Checkpoint, base: str, fetch: Fetch) -> None:
    old, new = previous.size, checkpoint.size
    before = f"the {old} entries this witness cosigned at {_when(previous.time)}"
    if new < old:
        raise HistoryRewritten(
            f"the log's history was rewritten: its checkpoint has {new} entries, fewer than "
            f"{before}; a log only ever grows"
        )
    if new == old:
        if checkpoint.root_hash != previous.root:
            raise HistoryRewritten(
                f"the log's history was rewritten: its checkpoint of {new} entries has the root "
                f"{_b64(checkpoint.root_hash)}, but the root of {before} is {_b64(previous.root)}"
            )
        return
    # From the empty tree there is nothing to prove (and the log serves no such proof).
    proof = _consistency_proof(old, new, base, fetch) if old else []
    try:
        verify_consistency(old, new, previous.root, checkpoint.root_hash, proof)
    except ProofError as error:
        raise HistoryRewritten(
            f"the log's history was rewritten: its checkpoint of {new} entries does not extend "
            f"{before}: {error}"
        ) from None


def _consistency_proof(old: int, new: int, base: str, fetch: Fetch) -> list[bytes]:
    query = urlencode({"old": old, "new": new})
    what = f"GET {base}ledger/proofs/consistency?{query}"
    encoded = _field(
        _json(fetch, f"{base}ledger/proofs/consistency?{query}", what), "proof", list, what
    )
    try:
        return [base64.b64decode(h, validate=True) for h in encoded]
    except (TypeError, ValueError):
        raise LogAnswered(f"the consistency proof in the answer to {what} is not base64") from None


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _when(posix: int) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(posix))
    except (OverflowError, OSError, ValueError):  # a time beyond what the platform can show
        return f"POSIX time {posix}"
