"""verify: allowed for inspectors and security staff; exits 1 naming what disagrees."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import Report
from strongroom.models import Copy
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry


def test_an_inspector_verifies_an_intact_ledger(
    org: Organisation, cli: Cli, register: Callable[..., Any]
) -> None:
    register("SECRET")

    result = cli("verify", as_=org.inspector)

    assert result.code == 0, result.out + result.err
    count = LedgerEntry.objects.count()
    assert result.out == f"ledger verified: {count} entries, state matches\n"


def test_staff_may_not_verify_and_the_refusal_is_recorded(org: Organisation, cli: Cli) -> None:
    result = cli("verify", as_=org.worker)

    assert result.code == 3
    assert "refused: this needs the role of inspector" in result.err
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.actor == org.worker
    assert entry.data["action"] == "ledger:verify"


def test_a_holder_changed_behind_the_ledger_is_named(
    org: Organisation, cli: Cli, register: Callable[..., Any]
) -> None:
    document = register("SECRET")
    Copy.objects.filter(document=document, number=2).update(holder=org.custodian)

    result = cli("verify", as_=org.officer)
    as_json = json.loads(cli("verify", "--json", as_=org.officer).out)

    assert result.code == 1
    assert "FAILED" in result.out
    assert f"copy {document.control_number}/2: holder is 'carl'" in result.out
    assert as_json["ok"] is False
    assert any(f"{document.control_number}/2" in p for p in as_json["problems"])


def test_verify_lets_verify_choose_the_pass_unless_told(
    org: Organisation, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import strongroom.cli.ledger as command

    asked: list[bool | None] = []

    def verify_ledger(actor: Any, *, limit_problems: int, parallel: bool | None) -> Report:
        asked.append(parallel)
        return Report(entries=1)

    monkeypatch.setattr(command, "verify_ledger", verify_ledger)
    for flags in ([], ["--serial"], ["--parallel"]):
        assert cli("verify", *flags, as_=org.inspector).code == 0
    assert asked == [None, False, True]
    assert cli("verify", "--serial", "--parallel", as_=org.inspector).code != 0
    assert asked == [None, False, True]


@pytest.fixture
def log_key_file(settings: Any, tmp_path: Any) -> Any:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"
    return settings.STRONGROOM_LOG_KEY_FILE


@pytest.mark.usefixtures("log_key_file")
def test_an_inspector_has_a_checkpoint_signed_and_checks_it_with_the_log_key(
    org: Organisation, cli: Cli, register: Callable[..., Any]
) -> None:
    from strongroom.ledger.checkpoints import open_checkpoint
    from strongroom.ledger.notes import parse_vkey

    register("SECRET")
    signed = cli("checkpoint", as_=org.inspector)
    assert signed.code == 0, signed.err
    count = LedgerEntry.objects.count()
    assert signed.out.startswith(f"records.test/strongroom\n{count}\n")
    key = cli("log-key", as_=org.worker)  # public: anyone signed in may read it
    assert key.code == 0 and key.out.startswith("records.test/strongroom+")
    body, _note = open_checkpoint(signed.out, parse_vkey(key.out.strip()))
    assert body.size == count
    as_json = json.loads(cli("checkpoint", "--json", as_=org.inspector).out)
    assert (as_json["size"], as_json["note"]) == (count, signed.out)  # nothing new: the same


@pytest.mark.usefixtures("log_key_file")
def test_staff_may_not_have_a_checkpoint_signed(org: Organisation, cli: Cli) -> None:
    result = cli("checkpoint", as_=org.worker)
    assert result.code == 3
    assert "refused: this needs the role of inspector" in result.err
    assert last_entry().data["action"] == "ledger:checkpoint"


def test_a_log_key_others_may_read_stops_signing_with_what_to_do(
    org: Organisation, cli: Cli, log_key_file: Any
) -> None:
    from strongroom.ledger.keys import create_key_file

    create_key_file(log_key_file, "records.test/strongroom")
    log_key_file.chmod(0o640)
    result = cli("checkpoint", as_=org.inspector)
    assert result.code == 1
    assert "chmod 600" in result.err and "Traceback" not in result.err


@pytest.mark.usefixtures("log_key_file")
def test_the_checkpoint_carries_its_cosignatures_and_says_if_the_policy_is_met(
    org: Organisation, cli: Cli, register: Callable[..., Any], settings: Any
) -> None:
    from strongroom.ledger.checkpoints import Checkpoint
    from strongroom.ledger.cosignatures import cosign
    from strongroom.services import checkpoints
    from tests.witnessing import configure_witnesses, witness_key

    register("SECRET")
    w1, w2 = witness_key("witness.test/w1"), witness_key("witness.test/w2")
    configure_witnesses(settings, w1, w2, threshold=1)
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    unwitnessed = cli("checkpoint", as_=org.inspector)
    assert unwitnessed.out == signed.note.decode()
    assert "witness policy NOT met: 0 of 2 witnesses cosigned, 1 required" in unwitnessed.err
    body = Checkpoint("records.test/strongroom", signed.size, signed.root)
    line = cosign(body, w1, 1_700_000_000).encode()
    checkpoints.add_cosignature(signed.size, line, by=org.worker)
    witnessed = cli("checkpoint", as_=org.inspector)
    assert witnessed.code == 0
    assert witnessed.out == signed.note.decode() + line
    assert witnessed.err == (
        "strongroom: witness policy met: 1 of 2 witnesses cosigned, 1 required; "
        "not yet cosigned by witness.test/w2\n"
    )
    as_json = json.loads(cli("checkpoint", "--json", as_=org.inspector).out)
    assert as_json["witnessed"] == {
        "met": True,
        "threshold": 1,
        "witnesses": 2,
        "cosigned": [
            {"name": "witness.test/w1", "key_id": f"{w1.key_id:08x}", "time": 1_700_000_000}
        ],
        "missing": ["witness.test/w2"],
    }


@pytest.mark.usefixtures("log_key_file")
def test_without_witnesses_the_checkpoint_says_nobody_vouches_for_it(
    org: Organisation, cli: Cli, register: Callable[..., Any], settings: Any
) -> None:
    register("SECRET")
    settings.STRONGROOM_WITNESSES, settings.STRONGROOM_WITNESS_THRESHOLD = (), 0
    shown = cli("checkpoint", as_=org.inspector)
    assert shown.code == 0
    assert "no witnesses are configured (STRONGROOM_WITNESSES)" in shown.err
