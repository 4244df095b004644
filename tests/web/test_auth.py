"""Signing in and out, and that nothing else is reachable without signing in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, Organisation
from tests.web.pages import banners, text

SIGN_IN = reverse("web:sign-in")


def test_sign_in_page_renders_with_an_unclassified_banner(client: Client, db: None) -> None:
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert banners(response) == [
        ("top", "lowest", "UNCLASSIFIED"),
        ("bottom", "lowest", "UNCLASSIFIED"),
    ]


def test_signing_in_leads_to_the_dashboard(client: Client, org: Organisation) -> None:
    response = client.post(SIGN_IN, {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    dashboard = client.get(reverse("web:dashboard"))
    assert dashboard.status_code == 200
    assert "Rita Registrar" in text(dashboard)


def test_signing_in_returns_to_the_page_asked_for(client: Client, org: Organisation) -> None:
    wanted = reverse("web:units")
    response = client.post(
        f"{SIGN_IN}?next={wanted}", {"username": "rita", "password": PASSWORD, "next": wanted}
    )
    assert response.status_code == 302
    assert response["Location"] == wanted


def test_a_wrong_password_is_a_400_with_a_message(client: Client, org: Organisation) -> None:
    response = client.post(SIGN_IN, {"username": "rita", "password": "not it"})
    assert response.status_code == 400
    assert "correct username and password" in text(response)
    assert "_auth_user_id" not in client.session


def test_a_suspended_person_cannot_sign_in(client: Client, org: Organisation) -> None:
    from strongroom.domain.clearance import PersonStatus
    from strongroom.services import people

    people.set_status(org.worker, status=PersonStatus.SUSPENDED, reason="review", by=org.officer)
    response = client.post(SIGN_IN, {"username": "wally", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_suspension_ends_a_session_at_once(client: Client, org: Organisation) -> None:
    from strongroom.domain.clearance import PersonStatus
    from strongroom.services import people

    client.force_login(org.worker)
    assert client.get(reverse("web:dashboard")).status_code == 200
    people.set_status(org.worker, status=PersonStatus.SUSPENDED, reason="review", by=org.officer)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_sign_out_is_a_post_and_ends_the_session(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    assert client.get(reverse("web:sign-out")).status_code == 405
    response = client.post(reverse("web:sign-out"))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_the_navigation_names_the_person_and_their_unit(client: Client, org: Organisation) -> None:
    client.force_login(org.reader)
    page = text(client.get(reverse("web:dashboard")))
    assert "Rosa Reader NORTH Sign out" in page


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("web:dashboard", []),
        ("web:register", []),
        ("web:register-document", []),
        ("web:document", ["HQ-2026-0001"]),
        ("web:correct-document", ["HQ-2026-0001"]),
        ("web:copy", ["HQ-2026-0001", 1]),
        ("web:issue-copy", ["HQ-2026-0001", 1]),
        ("web:return-copy", ["HQ-2026-0001", 1]),
        ("web:people", []),
        ("web:person", ["rita"]),
        ("web:change-person", ["rita"]),
        ("web:person-status", ["rita"]),
        ("web:grant-clearance", ["rita"]),
        ("web:clearance-status", ["rita"]),
        ("web:units", []),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, db: None, name: str, args: list[Any]
) -> None:
    url = reverse(name, args=args)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next={url}"
