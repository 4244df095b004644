"""Signing in: password file, prompt, environment, token; and every way it fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from strongroom.cli import auth
from strongroom.domain.clearance import PersonStatus
from strongroom.services import people
from tests.cli.conftest import Cli
from tests.conftest import PASSWORD, Organisation


def test_a_wrong_password_is_refused_in_one_line(
    org: Organisation, cli: Cli, tmp_path: Path
) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-password\n")
    wrong.chmod(0o600)

    result = cli("whoami", "--user", "rita", "--password-file", str(wrong))

    assert result.code == 3
    assert result.out == ""
    assert result.err == (
        "strongroom: error: sign-in failed: wrong username or password, or the account may not "
        "act\n"
    )


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(
    org: Organisation, cli: Cli, password_file: Path
) -> None:
    unknown = cli("whoami", "--user", "nobody", "--password-file", str(password_file))
    wrong = cli("whoami", "--user", "rita", "--password-file", str(password_file) + "x")

    assert unknown.code == 3
    assert "sign-in failed" in unknown.err
    assert wrong.code == 2  # an unreadable password file is a usage mistake, not a sign-in
    assert "cannot read" in wrong.err


def test_a_suspended_person_cannot_act(org: Organisation, cli: Cli) -> None:
    people.set_status(org.worker, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer)

    result = cli("whoami", as_=org.worker)

    assert result.code == 3
    assert "sign-in failed" in result.err


def test_the_username_is_not_case_sensitive(
    org: Organisation, cli: Cli, password_file: Path
) -> None:
    result = cli("whoami", "--user", "Rita", "--password-file", str(password_file))

    assert result.code == 0, result.err
    assert "Rita Registrar" in result.out


def test_the_environment_names_the_person_and_the_password_file(
    org: Organisation, cli: Cli, password_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRONGROOM_USER", "ines")
    monkeypatch.setenv("STRONGROOM_PASSWORD_FILE", str(password_file))

    result = cli("whoami")

    assert result.code == 0, result.err
    assert "Ines Inspector" in result.out


def test_a_token_signs_in_its_holder(
    org: Organisation, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = Token.objects.create(user=org.registrar)

    by_option = cli("whoami", "--token", token.key)
    monkeypatch.setenv("STRONGROOM_TOKEN", token.key)
    by_environment = cli("whoami")

    assert by_option.code == by_environment.code == 0
    assert "Rita Registrar" in by_option.out
    assert "Rita Registrar" in by_environment.out


def test_a_token_of_a_departed_person_is_refused(org: Organisation, cli: Cli) -> None:
    token = Token.objects.create(user=org.worker)
    people.set_status(org.worker, status=PersonStatus.DEPARTED, reason="left", by=org.officer)

    result = cli("whoami", "--token", token.key)

    assert result.code == 3
    assert "sign-in failed" in result.err


def test_an_unknown_token_is_refused(org: Organisation, cli: Cli) -> None:
    result = cli("whoami", "--token", "0" * 40)

    assert result.code == 3
    assert "the token is not valid" in result.err


def test_nobody_named_is_a_usage_error_in_a_script(org: Organisation, cli: Cli) -> None:
    result = cli("list")

    assert result.code == 2
    assert "--user NAME" in result.err


def test_user_and_token_together_are_ambiguous(org: Organisation, cli: Cli) -> None:
    result = cli("whoami", "--user", "rita", "--token", "abc")

    assert result.code == 2
    assert "not both" in result.err


def test_at_a_terminal_the_name_and_password_are_asked_for(
    org: Organisation, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def answer(reply: str) -> Callable[[str], str]:
        def respond(prompt: str) -> str:
            prompts.append(prompt)
            return reply

        return respond

    monkeypatch.setattr(auth, "interactive", lambda: True)
    monkeypatch.setattr(auth, "ask", answer("olga"))
    monkeypatch.setattr(auth, "ask_secret", answer(PASSWORD))

    result = cli("whoami")

    assert result.code == 0, result.err
    assert "Olga Officer" in result.out
    assert prompts == ["Username: ", "Password: "]


def test_no_password_in_a_script_is_a_usage_error(org: Organisation, cli: Cli) -> None:
    result = cli("whoami", "--user", "rita")

    assert result.code == 2
    assert "--password-file" in result.err


def test_a_password_file_others_can_read_draws_a_warning(
    org: Organisation, cli: Cli, password_file: Path
) -> None:
    password_file.chmod(0o644)

    result = cli("whoami", "--user", "rita", "--password-file", str(password_file))

    assert result.code == 0
    assert "can be read by others" in result.err
