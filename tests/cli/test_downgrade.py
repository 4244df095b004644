"""downgrade: allowed, refused, and the record in the document's history."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from strongroom.models import Document
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry

AUTHORITY = "Ministry of Widgets letter MW/12/7 of 2026-03-01"


@pytest.fixture
def document(register: Callable[..., Any]) -> Any:
    return register("SECRET//ALPHA")


def _marking(document: Any) -> str:
    return Document.objects.get(pk=document.pk).marking.banner()


def _downgrade(cli: Cli, document: Any, *options: str, as_: Any) -> Any:
    values = {"--marking": "CONFIDENTIAL", "--authority": AUTHORITY, "--reason": "review"}
    for name, value in zip(options[::2], options[1::2], strict=True):
        values[name] = value
    argv = [item for pair in values.items() for item in pair]
    return cli("downgrade", document.control_number, *argv, as_=as_)


def test_the_registrar_downgrades_and_the_history_shows_it(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = _downgrade(cli, document, "--expected-version", "1", as_=org.registrar)

    assert result.code == 0, result.err
    assert result.out == (
        f"{document.control_number} is now CONFIDENTIAL (was SECRET//ALPHA), on the authority "
        f"of {AUTHORITY}.\n"
    )
    assert _marking(document) == "CONFIDENTIAL"
    history = json.loads(cli("history", document.control_number, "--json", as_=org.registrar).out)
    entry = history["entries"][-1]
    assert (entry["kind"], entry["actor"]) == ("document.downgraded", "rita")
    assert entry["data"]["authority"] == AUTHORITY
    assert history["banner"] == "CONFIDENTIAL"


def test_to_the_lowest_level_it_is_declassified(org: Organisation, cli: Cli, document: Any) -> None:
    result = _downgrade(cli, document, "--marking", "unclassified", as_=org.registrar)
    assert result.code == 0, result.err
    assert last_entry().kind == "document.declassified"


def test_raising_the_marking_is_a_usage_error(org: Organisation, cli: Cli, document: Any) -> None:
    result = _downgrade(cli, document, "--marking", "TOP SECRET//ALPHA", as_=org.registrar)
    assert result.code == 2
    assert "TOP SECRET//ALPHA is not a downgrade of SECRET//ALPHA" in result.err
    assert _marking(document) == "SECRET//ALPHA"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--authority", " "), "The authority that ordered it is required."),
        (("--marking", "SECRET//DELTA"), "'DELTA' is neither a compartment"),
        (("--expected-version", "x"), "'x' is not a whole number"),
    ],
)
def test_bad_input_is_a_usage_error(
    org: Organisation, cli: Cli, document: Any, options: tuple[str, str], message: str
) -> None:
    result = _downgrade(cli, document, *options, as_=org.registrar)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_without_an_authority_it_is_a_usage_error(
    org: Organisation, cli: Cli, document: Any
) -> None:
    result = cli(
        "downgrade", document.control_number, "--marking", "CONFIDENTIAL", "--reason", "x",
        as_=org.registrar,
    )  # fmt: skip
    assert result.code == 2
    assert "--authority" in result.err


def test_a_custodian_is_refused_with_the_reason(org: Organisation, cli: Cli, document: Any) -> None:
    result = _downgrade(cli, document, as_=org.custodian)
    assert result.code == 3
    assert result.err == "strongroom: error: refused: this needs the role of registrar\n"
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.custodian,
        "document:downgrade",
    )


def test_a_stale_version_is_a_conflict(org: Organisation, cli: Cli, document: Any) -> None:
    result = _downgrade(cli, document, "--expected-version", "4", as_=org.registrar)
    assert result.code == 4
    assert "was changed by someone else a moment ago" in result.err


def test_a_hidden_document_looks_like_a_missing_one(
    org: Organisation, cli: Cli, register: Callable[..., Any]
) -> None:
    hidden = register("TOP SECRET")
    missing = hidden.control_number[:-4] + "9999"
    seen = cli(
        "downgrade", hidden.control_number, "--marking", "SECRET", "--authority", "x",
        "--reason", "y", as_=org.north_registrar,
    )  # fmt: skip
    absent = cli(
        "downgrade", missing, "--marking", "SECRET", "--authority", "x", "--reason", "y",
        as_=org.north_registrar,
    )  # fmt: skip
    assert seen.code == absent.code == 3
    assert seen.err.replace(hidden.control_number, "X") == absent.err.replace(missing, "X")
