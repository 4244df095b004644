"""``strongroom witness``: its key, its runs against a log, and what it says when it refuses;
``strongroom checkpoint`` with the cosignatures it brought."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from strongroom.api.tokens import issue_token
from strongroom.ledger.keys import create_key_file
from strongroom.ledger.notes import KeyType, Signer
from strongroom.queries import ledger as ledger_queries
from strongroom.services import checkpoints
from tests.cli.conftest import Cli
from tests.witnessing import (
    LOG,
    ORIGIN,
    ClientFetch,
    configure_witnesses,
    grow_ledger,
    use_test_log,
    witness_key,
)

NAME = "witness.test/w1"


@pytest.fixture(autouse=True)
def log_key_file(settings: Any, tmp_path: Path) -> Path:
    return use_test_log(settings, tmp_path)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "witness.key"


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The witness's HTTP answered by the Django test client instead of a server."""
    import strongroom.cli.witness as command

    monkeypatch.setattr(command, "UrlFetch", ClientFetch)


def test_a_witness_key_is_made_owner_only_and_its_public_key_printed(
    cli: Cli, key_file: Path
) -> None:
    made = cli("witness", "--key", str(key_file), "--new-key", NAME)
    assert made.code == 0, made.err
    assert made.out.startswith(f"{NAME}+") and "created the witness key" in made.err
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    printed = cli("witness", "--key", str(key_file), "--print-key")
    assert (printed.code, printed.out) == (0, made.out)
    again = cli("witness", "--key", str(key_file), "--new-key", NAME)
    assert again.code == 2 and "never overwrites a key file" in again.err


def test_a_missing_or_unfit_witness_key_is_refused_with_what_to_do(
    cli: Cli, key_file: Path, tmp_path: Path
) -> None:
    missing = cli("witness", "--key", str(key_file), "--print-key")
    assert missing.code == 2 and "create one with --new-key NAME" in missing.err
    log_key = tmp_path / "a-log.key"
    create_key_file(log_key, ORIGIN, KeyType.ED25519)
    a_log_s = cli("witness", "--key", str(log_key), "--print-key")
    assert a_log_s.code == 2 and "0x04 (Ed25519 cosignature/v1) is needed here" in a_log_s.err
    create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    key_file.chmod(0o644)
    shared = cli("witness", "--key", str(key_file), "--print-key")
    assert shared.code == 2 and "chmod 600" in shared.err


def _witness(cli: Cli, key_file: Path, state: Path, token: str, *extra: str) -> Any:
    return cli(
        "witness",
        "--key", str(key_file),
        "--state", str(state),
        "--log", LOG,
        "--log-key", ledger_queries.log_key(),
        "--token", token,
        *extra,
    )  # fmt: skip


@pytest.mark.usefixtures("in_process")
def test_a_witness_cosigns_the_log_as_it_grows_and_the_checkpoint_shows_it(
    org: Any, history: Any, cli: Cli, key_file: Path, tmp_path: Path, settings: Any
) -> None:
    this_witness = create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    configure_witnesses(settings, witness_key("witness.test/w2"), this_witness, threshold=1)
    first = checkpoints.sign_checkpoint(by=org.inspector)
    assert first is not None
    token = issue_token(org.worker)
    state = tmp_path / "state.json"
    run = _witness(cli, key_file, state, token)
    assert run.code == 0, run.err
    assert f"cosigned {ORIGIN} at {first.size} entries: the first checkpoint" in run.out
    kept = "the log keeps it; its witness policy met: 1 of 2 witnesses cosigned, 1 required"
    assert kept in run.out
    grow_ledger(org, history)
    second = checkpoints.sign_checkpoint(by=org.inspector)
    assert second is not None
    grown = _witness(cli, key_file, state, token, "--json")
    assert grown.code == 0, grown.err
    answer = json.loads(grown.out)
    assert (answer["size"], answer["previous_size"]) == (second.size, first.size)
    assert answer["witnessed"]["met"] is True
    shown = cli("checkpoint", as_=org.inspector)
    assert shown.code == 0, shown.err
    assert shown.out.endswith(answer["cosignature"] + "\n")
    assert "witness policy met: 1 of 2 witnesses cosigned, 1 required" in shown.err
    assert "not yet cosigned by witness.test/w2" in shown.err
    as_json = json.loads(cli("checkpoint", "--json", as_=org.inspector).out)
    assert as_json["note"] == shown.out and as_json["witnessed"]["met"] is True
    again = _witness(cli, key_file, state, token)
    assert f"at {second.size} entries again: nothing new" in again.out


@pytest.mark.usefixtures("in_process")
def test_a_replaced_log_key_makes_the_witness_refuse(
    org: Any, history: Any, cli: Cli, key_file: Path, tmp_path: Path, settings: Any
) -> None:
    create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    checkpoints.sign_checkpoint(by=org.inspector)
    known = ledger_queries.log_key()
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "another.key"
    grow_ledger(org, history)
    checkpoints.sign_checkpoint(by=org.inspector)
    state = tmp_path / "state.json"
    refused = cli(
        "witness", "--key", str(key_file), "--state", str(state), "--log", LOG,
        "--log-key", known, "--token", issue_token(org.worker),
    )  # fmt: skip
    assert refused.code == 1
    assert "strongroom: error: refusing to cosign: the log key changed:" in refused.err
    assert "Traceback" not in refused.err and not state.exists()


@pytest.mark.usefixtures("in_process")
def test_a_token_the_log_does_not_accept_is_a_refusal(
    org: Any, history: Any, cli: Cli, key_file: Path, tmp_path: Path
) -> None:
    create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    checkpoints.sign_checkpoint(by=org.inspector)
    refused = _witness(cli, key_file, tmp_path / "state.json", "not-a-token")
    assert refused.code == 3
    assert "the log answered HTTP 401" in refused.err
    assert "give an API token of an active person on the log" in refused.err


@pytest.mark.usefixtures("in_process")
def test_the_token_may_come_from_the_environment(
    org: Any, history: Any, cli: Cli, key_file: Path, tmp_path: Path, settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    configure_witnesses(settings, witness_key("witness.test/other"))
    checkpoints.sign_checkpoint(by=org.inspector)
    monkeypatch.setenv("STRONGROOM_TOKEN", issue_token(org.worker))
    run = cli(
        "witness", "--key", str(key_file), "--state", str(tmp_path / "state.json"),
        "--log", LOG, "--log-key", ledger_queries.log_key(),
    )  # fmt: skip
    # The token was taken: the log read the cosignature, and says it does not know this witness.
    assert run.code == 1
    assert "is not a witness of this log" in run.err


@pytest.mark.parametrize(
    ("options", "code", "words"),
    [
        ([], 2, "give --log URL and --state PATH"),
        (["--log", LOG, "--state", "S"], 2, "--log-key is required"),
        (["--log", LOG, "--state", "S", "--log-key", "nonsense"], 2, "--log-key: a verifier key"),
        (["--log", LOG, "--state", "S", "--log-key", "WITNESS"], 2, "is a type-0x04 key"),
        (["--log", "ftp://x/", "--state", "S", "--log-key", "LOG"], 2, "--log: the log's addr"),
        (["--log", LOG, "--state", "S", "--log-key", "LOG"], 2, "--token KEY or $STRONGROOM_"),
        (["--timeout", "0"], 2, "not a number of seconds from 1 to 3600"),
    ],
)
def test_missing_or_bad_options_say_what_to_give(
    cli: Cli, key_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    options: list[str], code: int, words: str,
) -> None:  # fmt: skip
    monkeypatch.delenv("STRONGROOM_TOKEN", raising=False)
    create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    log = Signer(ORIGIN, KeyType.ED25519, bytes(32)).verifier.vkey()
    given = [
        log if o == "LOG" else witness_key().verifier.vkey() if o == "WITNESS" else o
        for o in options
    ]
    result = cli("witness", "--key", str(key_file), *given)
    assert result.code == code, result.err
    assert words in result.err
    assert not (tmp_path / "S").exists()


def test_a_log_nobody_answers_for_is_a_clear_failure(cli: Cli, key_file: Path) -> None:
    create_key_file(key_file, NAME, KeyType.COSIGNATURE_V1)
    log = Signer(ORIGIN, KeyType.ED25519, bytes(32)).verifier.vkey()
    result = cli(
        "witness", "--key", str(key_file), "--state", str(key_file.with_name("state.json")),
        "--log", "http://127.0.0.1:1/api/v1/", "--log-key", log, "--token", "t", "--timeout", "5",
    )  # fmt: skip
    assert result.code == 1
    assert "strongroom: error: cannot reach the log at http://127.0.0.1:1/api/v1/ledger/" in (
        result.err
    )


def test_the_witness_needs_no_database(tmp_path: Path) -> None:
    """Run as its own process, with a database that cannot be reached."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")},
        "STRONGROOM_DATA_DIR": str(tmp_path / "data"),
        "STRONGROOM_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/no_such_database",
    }

    def strongroom(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "strongroom", *argv],
            env=environment, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    key = tmp_path / "witness.key"
    made = strongroom("witness", "--key", str(key), "--new-key", NAME)
    assert made.returncode == 0, made.stderr
    log_key = Signer(ORIGIN, KeyType.ED25519, bytes(32)).verifier.vkey()
    run = strongroom(
        "witness", "--key", str(key), "--state", str(tmp_path / "state.json"),
        "--log", "http://127.0.0.1:1/api/v1/", "--log-key", log_key, "--token", "t",
    )  # fmt: skip
    assert run.returncode == 1
    assert "cannot reach the log" in run.stderr and "database" not in run.stderr
