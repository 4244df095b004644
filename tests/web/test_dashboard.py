"""The start page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import Organisation
from tests.web.pages import banners, text

Register = Callable[..., Any]
URL = reverse("web:dashboard")


def count(page: str, label: str) -> str:
    """The number shown after ``label`` in the counts."""
    return page.split(label, 1)[1].split()[0]


def test_the_dashboard_counts_what_the_actor_may_see(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    secret = register("SECRET//ALPHA", short_title="Border plan", copies=3)
    register("UNCLASSIFIED", short_title="Canteen rota", copies=2)
    custody.issue_copy(secret.copies.get(number=1), to=org.custodian, by=org.registrar)
    custody.issue_copy(secret.copies.get(number=2), to=org.registrar, by=org.registrar)

    client.force_login(org.custodian)
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert count(page, "Documents you may see") == "2"
    assert count(page, "Copies in a registry") == "3"
    assert count(page, "Copies held") == "2"
    assert count(page, "Copies missing") == "0"
    assert count(page, "Copies you hold now") == "1"
    assert f"{secret.control_number}/1 Border plan SECRET//ALPHA" in page
    assert "Recent registrations" in page
    assert "Canteen rota" in page
    assert banners(response)[0] == ("top", "high", "SECRET//ALPHA")

    client.force_login(org.worker)
    response = client.get(URL)
    page = text(response)
    assert count(page, "Documents you may see") == "1"
    assert count(page, "Copies in a registry") == "2"
    assert count(page, "Copies held") == "0"
    assert "You hold no copies." in page
    assert "Border plan" not in page
    assert [b[2] for b in banners(response)] == ["UNCLASSIFIED", "UNCLASSIFIED"]


def test_an_empty_installation_has_an_unclassified_dashboard(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "No documents you may see are registered yet." in text(response)
    assert banners(response) == [
        ("top", "lowest", "UNCLASSIFIED"),
        ("bottom", "lowest", "UNCLASSIFIED"),
    ]


def test_the_dashboard_shows_alerts_and_copies_awaiting_acknowledgement(
    client: Client, org: Organisation, register: Register
) -> None:
    from datetime import timedelta

    from strongroom.adapters import clock
    from strongroom.services import alerts, custody, hand_overs

    document = register("CONFIDENTIAL", short_title="Drill plan")
    copy = document.copies.select_related("document__unit").get(number=1)
    custody.issue_copy(copy, to=org.reader, by=org.custodian)
    sent = hand_overs.dispatch_hand_over(copy, to=org.north_registrar, by=org.reader)
    alerts.run_checks(now=clock.now() + timedelta(days=2))

    client.force_login(org.reader)
    page = text(client.get(URL))
    assert "Alerts" in page and f"Hand-over {sent.short_reference}" in page

    client.force_login(org.north_registrar)
    page = text(client.get(URL))
    assert "awaiting your acknowledgement" in page and "Drill plan" in page
    assert "Alerts" not in page

    client.force_login(org.officer)
    page = text(client.get(URL))
    assert f"Hand-over {sent.short_reference}" in page and "for Rosa Reader to act on" in page


def test_a_destruction_waiting_too_long_shows_on_the_destroyers_and_the_witness_dashboards(
    client: Client, org: Organisation, register: Register
) -> None:
    from datetime import UTC, datetime, timedelta

    from strongroom.adapters import clock
    from strongroom.services import alerts, destructions

    proposed = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=30, second=0)
    document = register("SECRET//ALPHA", short_title="Border plan")
    copy = document.copies.select_related("document__unit", "unit").get(number=1)
    with clock.frozen(proposed):
        destruction = destructions.propose_destruction(
            copy, witness=org.registrar, method="shredding", by=org.custodian
        )
    alerts.run_checks(now=proposed + timedelta(days=4))
    said = (
        f"Destruction {destruction.short_reference} of {copy.reference} (Border plan), signed "
        "by carl"
    )

    client.force_login(org.custodian)
    page = text(client.get(URL))
    assert said in page and "within 3 day(s)" in page
    assert "for Carl Custodian to act on" not in page

    # The witness: the alert, beside the destruction in the list of those awaiting her.
    client.force_login(org.registrar)
    page = text(client.get(URL))
    assert said in page and "for Carl Custodian to act on" in page
    assert "Destructions awaiting your countersignature as witness" in page

    client.force_login(org.worker)
    assert "Alerts" not in text(client.get(URL))
