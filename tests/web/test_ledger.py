"""The ledger's page: the latest signed checkpoint, and its one-page printout."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strongroom.ledger.log_key import log_verifier
from strongroom.services import checkpoints
from tests.conftest import Organisation
from tests.pdfs import text as pdf_text
from tests.pdfs import without_pango
from tests.web.pages import body, text

PAGE = reverse("web:ledger")
PRINTOUT = reverse("web:ledger-checkpoint-printout")


@pytest.fixture(autouse=True)
def log_key(settings: Any, tmp_path: Path) -> None:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"


def test_anyone_signed_in_sees_the_signed_head_and_prints_it(
    client: Client, org: Organisation, history: Any
) -> None:
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    client.force_login(org.worker)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = text(response)
    assert f"The log records.test/strongroom has signed its first {signed.size} entries" in page
    assert base64.b64encode(signed.root).decode() in page
    assert log_verifier().vkey() in page
    assert f'href="{PRINTOUT}"' in body(response)
    assert f'href="{PAGE}"' in body(client.get(reverse("web:dashboard")))  # in the navigation
    printed = client.get(PRINTOUT)
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    assert f'filename="checkpoint-{signed.size}.pdf"' in printed["Content-Disposition"]
    words = pdf_text(printed.content)
    assert "Checkpoint of the ledger" in words
    assert f"Size (entries) {signed.size}" in words
    assert "Printed" in words and "by wally" in words


def test_before_the_first_checkpoint(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    assert "No checkpoint has been signed yet." in text(client.get(PAGE))
    response = client.get(PRINTOUT)
    assert response.status_code == 404
    assert "No checkpoint has been signed yet." in text(response)


def test_signed_out_people_are_sent_to_sign_in(client: Client, org: Organisation) -> None:
    for url in (PAGE, PRINTOUT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:sign-in"))


def test_without_pango_the_printout_is_unavailable(
    client: Client, org: Organisation, history: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoints.sign_checkpoint(by=org.inspector)
    without_pango(monkeypatch)
    client.force_login(org.worker)
    response = client.get(PRINTOUT)
    assert response.status_code == 503
    assert "Install Pango" in text(response)
