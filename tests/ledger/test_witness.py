"""The witness: it cosigns the log's checkpoints only while the history it saw only grows, and
the log keeps its cosignatures. End to end against the API, answered by the Django test client."""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from strongroom.ledger.checkpoints import open_checkpoint
from strongroom.ledger.cosignatures import WitnessPolicy, check_witnesses
from strongroom.ledger.models import Cosignature
from strongroom.ledger.notes import KeyType, Signer, parse_vkey
from strongroom.ledger.witness import (
    BadCheckpoint,
    HistoryRewritten,
    HttpError,
    LogAnswered,
    LogKeyChanged,
    LogUnreachable,
    Seen,
    StateError,
    UrlFetch,
    WitnessError,
    api_base,
    read_state,
    witness_log,
    write_state,
)
from strongroom.queries import ledger as ledger_queries
from strongroom.services import checkpoints
from tests.witnessing import (
    LOG,
    ORIGIN,
    ClientFetch,
    MemoryLog,
    configure_witnesses,
    grow_ledger,
    leaf,
    use_test_log,
    witness_key,
)


@pytest.fixture(autouse=True)
def log_key_file(settings: Any, tmp_path: Path) -> Path:
    return use_test_log(settings, tmp_path)


@pytest.fixture
def key(settings: Any) -> Signer:
    key = witness_key()
    configure_witnesses(settings, key)
    return key


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "witness" / "state.json"


def _run(key: Signer, state: Path, fetch: Any, *, now: float = 1_700_000_000) -> Any:
    state.parent.mkdir(exist_ok=True)
    return witness_log(
        LOG,
        log_key=parse_vkey(ledger_queries.log_key()),
        key=key,
        state=state,
        fetch=fetch,
        now=lambda: now,
    )


def test_the_first_cosignature_is_kept_by_the_log_and_published_with_the_checkpoint(
    org: Any, history: Any, key: Signer, state: Path
) -> None:
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    # An ordinary member of staff's token will do: the cosignature is what counts.
    done = _run(key, state, ClientFetch.as_(org.worker))
    assert (done.origin, done.size, done.root, done.previous) == (
        ORIGIN,
        signed.size,
        signed.root,
        None,
    )
    assert done.answer["witnessed"]["met"] is True
    assert read_state(state) == {ORIGIN: Seen(signed.size, signed.root, 1_700_000_000)}
    stored = Cosignature.objects.get()
    assert (stored.checkpoint_id, stored.witness, stored.key_id, stored.timestamp) == (
        signed.size,
        key.name,
        key.key_id,
        1_700_000_000,
    )
    assert stored.submitted_by_id == org.worker.pk
    published = ledger_queries.latest_checkpoint()
    assert published is not None
    assert published.note.endswith(done.cosignature + "\n")
    body, _note = open_checkpoint(published.note, parse_vkey(published.log_key))
    assert body.size == signed.size
    verdict = check_witnesses(published.note, WitnessPolicy((key.verifier,), 1))
    assert verdict.met and [c.name for c in verdict.cosigned] == [key.name]


def test_a_later_checkpoint_is_cosigned_once_the_consistency_proof_holds(
    org: Any, history: Any, key: Signer, state: Path
) -> None:
    first = checkpoints.sign_checkpoint(by=org.inspector)
    _run(key, state, ClientFetch.as_(org.worker))
    grow_ledger(org, history)
    second = checkpoints.sign_checkpoint(by=org.inspector)
    assert first is not None and second is not None and second.size > first.size
    fetch = ClientFetch.as_(org.worker)
    done = _run(key, state, fetch, now=1_700_000_100)
    assert done.previous == Seen(first.size, first.root, 1_700_000_000)
    assert fetch.asked == [
        "GET /api/v1/ledger/checkpoint",
        f"GET /api/v1/ledger/proofs/consistency?old={first.size}&new={second.size}",
        "POST /api/v1/ledger/checkpoint/cosignatures",
    ]
    assert read_state(state)[ORIGIN] == Seen(second.size, second.root, 1_700_000_100)
    assert sorted(Cosignature.objects.values_list("checkpoint_id", flat=True)) == [
        first.size,
        second.size,
    ]


def test_with_nothing_new_it_cosigns_again_and_the_log_keeps_the_first(
    org: Any, history: Any, key: Signer, state: Path
) -> None:
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    first = _run(key, state, ClientFetch.as_(org.worker))
    fetch = ClientFetch.as_(org.worker)
    again = _run(key, state, fetch, now=1_700_000_500)
    assert again.previous is not None and again.previous.size == signed.size
    assert not any("consistency" in asked for asked in fetch.asked)  # same size: same root
    assert Cosignature.objects.get().timestamp == 1_700_000_000
    assert again.answer["cosignature"] == first.cosignature


def test_a_checkpoint_signed_by_a_replaced_log_key_is_refused(
    org: Any, history: Any, key: Signer, state: Path, settings: Any, tmp_path: Path
) -> None:
    checkpoints.sign_checkpoint(by=org.inspector)
    known_log_key = parse_vkey(ledger_queries.log_key())
    _run(key, state, ClientFetch.as_(org.worker))
    before = state.read_bytes()
    # Whoever took over the server signs with a key of their own.
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "another.key"
    grow_ledger(org, history)
    checkpoints.sign_checkpoint(by=org.inspector)
    with pytest.raises(LogKeyChanged, match=r"^the log key changed: the checkpoint is signed by "):
        witness_log(
            LOG,
            log_key=known_log_key,
            key=key,
            state=state,
            fetch=ClientFetch.as_(org.worker),
        )
    assert state.read_bytes() == before
    assert Cosignature.objects.count() == 1


def _memory_log(leaves: list[bytes]) -> MemoryLog:
    log_key = Signer(ORIGIN, KeyType.ED25519, bytes(range(32)))
    return MemoryLog(log_key, leaves)


def _witness_memory_log(log: MemoryLog, key: Signer, state: Path) -> Any:
    state.parent.mkdir(exist_ok=True)
    return witness_log(LOG, log_key=log.key.verifier, key=key, state=state, fetch=log)


HONEST = [leaf(f"entry {n}") for n in range(1, 9)]
REWRITTEN = [*HONEST[:2], leaf("entry 3, rewritten"), *HONEST[3:]]


@pytest.mark.parametrize(
    ("seen", "shown", "words"),
    [
        (HONEST[:5], REWRITTEN, "its checkpoint of 8 entries does not extend the 5 entries"),
        (HONEST[:4], REWRITTEN[:6], "its checkpoint of 6 entries does not extend the 4 entries"),
        (HONEST[:5], REWRITTEN[:5], "its checkpoint of 5 entries has the root"),
        (HONEST[:5], HONEST[:3], "its checkpoint has 3 entries, fewer than the 5 entries"),
    ],
)
def test_a_rewritten_history_is_refused_as_a_fork(
    key: Signer, state: Path, seen: list[bytes], shown: list[bytes], words: str
) -> None:
    honest = _memory_log(seen)
    _witness_memory_log(honest, key, state)
    before = state.read_bytes()
    forked = _memory_log(shown)  # the same log key: re-signed by whoever holds it
    with pytest.raises(HistoryRewritten, match=r"^the log's history was rewritten: ") as caught:
        _witness_memory_log(forked, key, state)
    assert words in str(caught.value)
    assert state.read_bytes() == before
    assert forked.posted == []


def test_an_honest_memory_log_is_cosigned_as_it_grows(key: Signer, state: Path) -> None:
    # The stand-in itself must be a log the witness accepts, or the refusals above prove nothing.
    _witness_memory_log(_memory_log(HONEST[:3]), key, state)
    grown = _memory_log(HONEST)
    done = _witness_memory_log(grown, key, state)
    assert (done.previous.size, done.size) == (3, 8)
    assert [posted["size"] for posted in grown.posted] == [8]


def test_an_altered_checkpoint_is_refused(key: Signer, state: Path) -> None:
    log = _memory_log(HONEST)

    def altered(url: str, data: bytes | None = None) -> bytes:
        answer = log(url, data)
        return answer.replace(b"\\n8\\n", b"\\n9\\n") if "checkpoint" in url else answer

    state.parent.mkdir()
    with pytest.raises(BadCheckpoint, match="does not match the text and the key"):
        witness_log(LOG, log_key=log.key.verifier, key=key, state=state, fetch=altered)
    assert not state.exists()


def test_an_unreachable_log_leaves_the_state_alone(key: Signer, state: Path) -> None:
    def down(url: str, data: bytes | None = None) -> bytes:
        raise LogUnreachable(f"cannot reach the log at {url}: connection refused")

    state.parent.mkdir()
    with pytest.raises(LogUnreachable, match="cannot reach the log at http://testserver/api/v1/"):
        witness_log(LOG, log_key=_memory_log(HONEST).key.verifier, key=key, state=state, fetch=down)
    assert not state.exists()


def test_a_witness_the_log_does_not_know_is_told_so(
    org: Any, history: Any, state: Path, settings: Any
) -> None:
    configure_witnesses(settings, witness_key("witness.test/other"))
    checkpoints.sign_checkpoint(by=org.inspector)
    with pytest.raises(LogAnswered, match="is not a witness of this log") as caught:
        _run(witness_key(), state, ClientFetch.as_(org.worker))
    assert caught.value.status == 400
    # It did cosign, so it remembers the checkpoint: it must never cosign a fork of it.
    assert ORIGIN in read_state(state)
    assert not Cosignature.objects.exists()


def test_a_state_file_that_is_not_a_witness_state_is_left_alone(key: Signer, state: Path) -> None:
    state.parent.mkdir()
    state.write_text('{"version": 1, "logs": {"x": {"size": "five"}}}')
    with pytest.raises(StateError, match="is not a witness's state file"):
        _witness_memory_log(_memory_log(HONEST), key, state)
    assert state.read_text() == '{"version": 1, "logs": {"x": {"size": "five"}}}'


def test_the_state_is_replaced_whole_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    logs = {ORIGIN: Seen(5, bytes(32), 7), "other.test/log": Seen(1, b"\x01" * 32, 8)}
    write_state(path, logs)
    write_state(path, {**logs, ORIGIN: Seen(6, b"\x02" * 32, 9)})
    assert read_state(path)[ORIGIN] == Seen(6, b"\x02" * 32, 9)
    assert json.loads(path.read_text())["version"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]  # no temporary left


def test_two_runs_on_one_state_file_do_not_overlap(key: Signer, state: Path) -> None:
    state.parent.mkdir()
    held = os.open(state.with_name("state.json.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(StateError, match="another witness run holds"):
            _witness_memory_log(_memory_log(HONEST), key, state)
    finally:
        os.close(held)
    assert not state.exists()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://records.test/api/v1/", "is not an http:// or https:// URL"),
        ("records.test/api/v1/", "is not an http:// or https:// URL"),
        ("https://records.test/api/v1/?x=1", "has a query or fragment"),
    ],
)
def test_a_log_address_that_is_no_web_address_is_refused(url: str, words: str) -> None:
    with pytest.raises(WitnessError, match=re.escape(words)):
        api_base(url)


def test_the_log_address_gets_its_trailing_slash() -> None:
    assert api_base("https://records.test/api/v1") == "https://records.test/api/v1/"


# -- the witness's own HTTP, over a real socket ------------------------------------------------


class _Log(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str | None, bytes]] = []

    def _answer(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.seen.append(("GET", self.path, self.headers.get("Authorization"), b""))
        if self.path.endswith("/moved"):
            self._answer(302, b"", Location="http://elsewhere.test/api/v1/")
        elif self.path.endswith("/refused"):
            self._answer(401, b'{"error": {"code": "not_authenticated", "message": "No."}}')
        else:
            self._answer(200, b'{"ok": true}')

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(("POST", self.path, self.headers.get("Content-Type"), body))
        self._answer(201, b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads what it needs from ``seen``."""


@pytest.fixture
def http_log() -> Iterator[str]:
    _Log.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_urllib_sends_the_token_and_posts_json(http_log: str) -> None:
    fetch = UrlFetch("sekrit", timeout=5)
    assert fetch(f"{http_log}/api/v1/ledger/checkpoint") == b'{"ok": true}'
    assert fetch(f"{http_log}/api/v1/x", b'{"size": 1}') == b"{}"
    assert _Log.seen == [
        ("GET", "/api/v1/ledger/checkpoint", "Token sekrit", b""),
        ("POST", "/api/v1/x", "application/json", b'{"size": 1}'),
    ]


def test_urllib_reports_errors_and_follows_no_redirect(http_log: str) -> None:
    fetch = UrlFetch("sekrit", timeout=5)
    with pytest.raises(HttpError) as caught:
        fetch(f"{http_log}/refused")
    assert caught.value.status == 401 and b"No." in caught.value.body
    with pytest.raises(
        LogAnswered, match=re.escape("redirects to 'http://elsewhere.test/api/v1/'")
    ):
        fetch(f"{http_log}/moved")
    assert [seen[1] for seen in _Log.seen] == ["/refused", "/moved"]


def test_urllib_says_when_nobody_answers(http_log: str) -> None:
    closed = http_log.rsplit(":", 1)[0] + ":1"  # nothing listens on port 1
    with pytest.raises(LogUnreachable, match=r"^cannot reach the log at http://127\.0\.0\.1:1/"):
        UrlFetch("sekrit", timeout=5)(f"{closed}/api/v1/ledger/checkpoint")


def test_proof_hashes_that_are_not_base64_are_refused(key: Signer, state: Path) -> None:
    log = _memory_log(HONEST[:3])
    _witness_memory_log(log, key, state)
    grown = _memory_log(HONEST)

    def garbled(url: str, data: bytes | None = None) -> bytes:
        if "consistency" in url:
            return json.dumps({"proof": ["not base64!"]}).encode()
        return grown(url, data)

    with pytest.raises(LogAnswered, match="is not base64"):
        witness_log(LOG, log_key=log.key.verifier, key=key, state=state, fetch=garbled)
    assert read_state(state)[ORIGIN].size == 3
