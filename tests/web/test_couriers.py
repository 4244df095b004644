"""The courier authorisations page: security officers grant and revoke; others look."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from strongroom.models import CourierAuthorisation
from tests.conftest import Organisation, last_entry
from tests.transport import authorise
from tests.web.pages import banners, body, text

URL = "/couriers/"
UNTIL = (date.today() + timedelta(days=10)).isoformat()


def _grant(**values: str) -> dict[str, str]:
    return {"courier": "carl", "level": "SECRET", "valid_until": UNTIL, **values}


def _lowest_banners(response: Any) -> None:
    # The page shows no document: its banner is the lowest level.
    assert [(p, shown) for p, _, shown in banners(response)] == [
        ("top", "UNCLASSIFIED"),
        ("bottom", "UNCLASSIFIED"),
    ]


def test_the_address_is_the_pages() -> None:
    assert reverse("web:couriers") == URL


def test_a_security_officer_authorises_a_courier(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Authorise a courier" in text(page)
    _lowest_banners(page)

    response = client.post(URL, _grant(note="weekly run"))
    assert response.status_code == 302
    shown = client.get(URL)
    assert f"Carl Custodian may carry material up to SECRET until {UNTIL}." in text(shown)
    assert "Carl Custodian (carl) HQ SECRET" in text(shown)
    row = CourierAuthorisation.objects.get()
    assert (row.courier_id, row.granted_by_id, row.note) == (
        org.custodian.pk,
        org.officer.pk,
        "weekly run",
    )
    assert last_entry().kind == "courier.authorised"


def test_a_courier_above_their_clearance_is_refused_with_the_reason(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.officer)
    response = client.post(URL, _grant(courier="rosa"))
    assert response.status_code == 403
    assert (
        "Refused: the courier may not hold SECRET material: clearance does not reach SECRET."
        in text(response)
    )
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.data["action"]) == (
        "access.refused",
        org.officer.pk,
        "courier:authorise",
    )
    assert not CourierAuthorisation.objects.exists()


def test_bad_input_is_a_form_error(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    unknown = client.post(URL, _grant(courier="nobody"))
    assert unknown.status_code == 400
    assert 'id="id_courier_error"' in body(unknown)
    past = client.post(URL, _grant(valid_until="2001-01-01"))
    assert past.status_code == 400
    assert 'id="id_valid_until_error"' in body(past)
    assert "The authorisation must end on or after the day it starts." in text(past)
    not_a_date = client.post(URL, _grant(valid_until="soon"))
    assert not_a_date.status_code == 400
    assert not CourierAuthorisation.objects.exists()


def test_a_registrar_sees_the_couriers_but_no_forms_and_may_not_grant(
    client: Client, org: Organisation
) -> None:
    authorise(org, org.custodian)
    client.force_login(org.registrar)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Carl Custodian" in text(page)
    assert "Authorise a courier" not in text(page)
    assert reverse("web:revoke-courier", args=["carl"]) not in body(page)
    refused = client.post(URL, _grant(courier="nils"))
    assert refused.status_code == 403
    assert "Refused: this needs the role of security officer." in text(refused)


def test_staff_see_only_their_own(client: Client, org: Organisation) -> None:
    authorise(org, org.custodian)
    authorise(org, org.reader, "CONFIDENTIAL")
    client.force_login(org.reader)
    page = text(client.get(URL))
    assert "Rosa Reader" in page and "Carl Custodian" not in page
    client.force_login(org.worker)
    assert "No courier authorisations here." in text(client.get(URL))


def test_a_security_officer_revokes_one(client: Client, org: Organisation) -> None:
    authorise(org, org.custodian)
    revoke = reverse("web:revoke-courier", args=["carl"])
    client.force_login(org.officer)
    assert f'action="{revoke}"' in body(client.get(URL))

    response = client.post(revoke, {"reason": "lost his pass"})
    assert response.status_code == 302
    shown = client.get(URL)
    assert "Carl Custodian may no longer carry material as a courier." in text(shown)
    assert "No courier authorisations here." in text(shown)
    history = client.get(URL, {"all": "1"})
    assert "by olga: lost his pass" in text(history)
    assert last_entry().kind == "courier.revoked"


def test_revoking_without_a_reason_or_without_the_role(client: Client, org: Organisation) -> None:
    authorise(org, org.custodian)
    revoke = reverse("web:revoke-courier", args=["carl"])
    client.force_login(org.officer)
    empty = client.post(revoke, {"reason": ""})
    assert empty.status_code == 400
    assert "This field is required." in text(empty)
    client.force_login(org.registrar)
    refused = client.post(revoke, {"reason": "no"})
    assert refused.status_code == 403
    assert "Refused: this needs the role of security officer." in text(refused)
    assert CourierAuthorisation.objects.get().revoked_at is None
    missing = client.post(reverse("web:revoke-courier", args=["nobody"]), {"reason": "x"})
    assert missing.status_code == 404
