"""Delegations on the web: the list with its boxes and the grant form, a delegation's page,
revoking it; allowed and refused, bad input, hidden ones and stale versions.

The scene: rita (HQ registrar, TOP SECRET) delegates registering at HQ up to SECRET to carl
(HQ custodian, SECRET//ALPHA) for a week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Delegation
from strongroom.services import delegations
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

LIST = "web:delegations"


def _today() -> date:
    return clock.today()


def _stored(delegation: Delegation) -> Delegation:
    return Delegation.objects.select_related("revoked_by").get(pk=delegation.pk)


def _urls(delegation: Delegation | int) -> dict[str, str]:
    number = delegation if isinstance(delegation, int) else delegation.pk
    return {
        "page": reverse("web:delegation", args=[number]),
        "revoke": reverse("web:revoke-delegation", args=[number]),
    }


def _unclassified(response: Any) -> None:
    """A delegation shows no document: its pages carry the lowest banner, top and bottom."""
    assert [(position, shown) for position, _, shown in banners(response)] == [
        ("top", "UNCLASSIFIED"),
        ("bottom", "UNCLASSIFIED"),
    ]


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert entry.kind == "access.refused"
    assert entry.actor_id == actor.pk
    assert entry.data["action"] == action


def _same_page(response: Any, number: int) -> str:
    """The page with its one mention of the number asked for, and the CSRF token, left out."""
    page = without_csrf(body(response))
    assert page.count(f"No delegation {number}.") == 1
    return page.replace(f"No delegation {number}.", "No delegation N.")


def _refusals() -> int:
    return LedgerEntry.objects.filter(kind="access.refused").count()


def _form(**values: str) -> dict[str, str]:
    data = {
        "delegate": "carl",
        "duty": "register",
        "level": "SECRET",
        "ends_on": (_today() + timedelta(days=7)).isoformat(),
        "reason": "on leave for a week",
    }
    data.update(values)
    return data


@pytest.fixture
def granted(org: Organisation) -> Delegation:
    """rita has delegated registering at HQ up to SECRET to carl for a week (version 1)."""
    return delegations.grant_delegation(
        org.custodian,
        duty="register",
        level="SECRET",
        ends_on=_today() + timedelta(days=7),
        reason="on leave for a week",
        by=org.registrar,
    )


# --- the list and the grant form -------------------------------------------------------------


def test_the_list_offers_the_grant_form(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    page = text(response)
    assert "Delegate one of your duties" in page
    assert "No delegations here." in page
    assert f'action="{reverse(LIST)}"' in body(response)
    for name in ("delegate", "duty", "level", "ends_on", "reason"):
        assert f'name="{name}"' in body(response), name
    assert '<option value="carl">' in body(response)
    _unclassified(response)


def test_a_registrar_delegates_registering(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    last_day = _today() + timedelta(days=7)
    response = client.post(reverse(LIST), _form())
    assert response.status_code == 302
    granted = Delegation.objects.get()
    assert response["Location"] == _urls(granted)["page"]
    assert (granted.delegator, granted.delegate, granted.duty, granted.level_name) == (
        org.registrar,
        org.custodian,
        "register",
        "SECRET",
    )
    assert (granted.starts_on, granted.ends_on, granted.reason) == (
        _today(),
        last_day,
        "on leave for a week",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "delegation.granted",
        org.registrar.pk,
        f"delegation:{granted.pk}",
    )
    shown = client.get(response["Location"])
    page = text(shown)
    assert (
        f"Carl Custodian may now act for you until {last_day.isoformat()}; you remain "
        "accountable." in page
    )
    assert "From (accountable) Rita Registrar (rita, HQ)" in page
    assert "To Carl Custodian (carl, HQ)" in page
    assert "Duty register Where" in page
    assert "Where HQ and the units below it" in page
    assert "Up to the level SECRET" in page
    assert f"Days {_today().isoformat()} \u2013 {last_day.isoformat()}" in page
    assert "Reason on leave for a week" in page
    _unclassified(shown)


def test_delegating_to_someone_not_cleared_is_refused_with_the_reason(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    before = _refusals()
    response = client.post(reverse(LIST), _form(delegate="wally"))
    assert response.status_code == 403
    assert _refusals() == before + 1
    assert (
        "Refused: the delegate may not hold SECRET material: the person holds no clearance."
        in text(response)
    )
    # The form is drawn again, filled in, for another try.
    assert "Delegate one of your duties" in text(response)
    assert 'value="wally"' in body(response)
    _unclassified(response)
    _refused(last_entry(), org.registrar, "delegation:grant")
    assert last_entry().subject == "person:wally"
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    ("who", "values", "reason"),
    [
        (
            "reader",
            {"delegate": "nils", "level": "CONFIDENTIAL"},
            "this needs the role of registrar",
        ),
        ("registrar", {"delegate": "rita"}, "nobody may delegate a duty for themselves"),
        (
            "north_registrar",
            {"delegate": "rita", "level": "TOP SECRET"},
            "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        ),
    ],
    ids=["without-the-duty", "to-oneself", "above-own-clearance"],
)
def test_a_delegation_that_may_not_be_given_is_refused(
    client: Client, org: Organisation, who: str, values: dict[str, str], reason: str
) -> None:
    person = getattr(org, who)
    client.force_login(person)
    response = client.post(reverse(LIST), _form(**values))
    assert response.status_code == 403
    assert f"Refused: {reason}." in text(response)
    _refused(last_entry(), person, "delegation:grant")
    assert not Delegation.objects.exists()


def test_bad_grant_input_is_a_form_error_not_a_crash(
    client: Client, org: Organisation, settings: Any
) -> None:
    settings.STRONGROOM_DELEGATION_MAX_DAYS = 30
    client.force_login(org.registrar)
    before = last_entry().seq

    def post(field: str, **values: str) -> Any:
        response = client.post(reverse(LIST), _form(**values))
        assert response.status_code == 400, (values, response.status_code)
        assert f'id="id_{field}_error"' in body(response), values
        _unclassified(response)
        return text(response)

    assert "No person nobody." in post("delegate", delegate="nobody")
    assert "Select a valid choice." in post("duty", duty="sweep")
    assert "Select a valid choice." in post("level", level="ULTRA")
    assert "Enter a valid date." in post("ends_on", ends_on="next week")
    assert "This field is required." in post("reason", reason="   ")
    assert "Ensure this value has at most 500 characters (it has 501)." in post(
        "reason", reason="x" * 501
    )
    too_long = (_today() + timedelta(days=30)).isoformat()
    assert "A delegation may last at most 30 days; delegate again when it ends." in post(
        "ends_on", ends_on=too_long
    )
    yesterday = (_today() - timedelta(days=1)).isoformat()
    assert "A delegation must end on or after the day it starts." in post(
        "ends_on", ends_on=yesterday
    )
    assert not Delegation.objects.exists()
    assert last_entry().seq == before


def test_the_lists_given_to_me_by_me_and_of_my_units(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    url = reverse(LIST)
    link = _urls(granted)["page"]

    client.force_login(org.custodian)
    received = client.get(url)
    assert received.status_code == 200
    assert link in body(received)
    day, last_day = _today().isoformat(), granted.ends_on.isoformat()
    assert (
        f"{granted.pk} Rita Registrar Carl Custodian register SECRET {day} {last_day} granted"
        in text(received)
    )
    _unclassified(received)
    assert link not in body(client.get(url, {"box": "given"}))

    client.force_login(org.registrar)
    assert link in body(client.get(url, {"box": "given"}))
    assert "No delegations here." in text(client.get(url))

    client.force_login(org.officer)
    assert link in body(client.get(url, {"box": "unit"}))
    client.force_login(org.worker)
    assert "No delegations here." in text(client.get(url, {"box": "unit"}))
    client.force_login(org.north_registrar)
    assert link not in body(client.get(url, {"box": "unit"}))


def test_the_list_shrugs_off_a_bad_box_and_shows_revoked_ones(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    client.force_login(org.custodian)
    nonsense = client.get(reverse(LIST), {"box": "everything"})
    assert nonsense.status_code == 200
    assert _urls(granted)["page"] in body(nonsense)
    assert "revoked" in text(nonsense)


# --- a delegation's page ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "officer"], ids=["the-delegator", "an-officer"])
def test_the_delegator_and_a_security_officer_are_offered_revoking(
    client: Client, org: Organisation, granted: Delegation, who: str
) -> None:
    urls = _urls(granted)
    client.force_login(getattr(org, who))
    response = client.get(urls["page"])
    assert response.status_code == 200
    assert f"Delegation {granted.pk}" in text(response)
    assert "Revoke it" in text(response)
    assert f'action="{urls["revoke"]}"' in body(response)
    assert 'name="expected_version" value="1"' in body(response)
    _unclassified(response)


def test_the_delegate_sees_it_but_is_not_offered_revoking(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    urls = _urls(granted)
    client.force_login(org.custodian)
    response = client.get(urls["page"])
    assert response.status_code == 200
    assert "From (accountable) Rita Registrar (rita, HQ)" in text(response)
    assert "Revoke it" not in text(response)
    assert urls["revoke"] not in body(response)


@pytest.mark.parametrize("who", ["worker", "north_registrar", "inspector"])
def test_a_hidden_delegation_reads_exactly_like_a_missing_one(
    client: Client, org: Organisation, granted: Delegation, who: str
) -> None:
    person = getattr(org, who)
    missing = granted.pk + 100
    client.force_login(person)
    before = _refusals()

    refused = client.get(_urls(granted)["page"])
    entry = last_entry()
    absent = client.get(_urls(missing)["page"])

    assert refused.status_code == absent.status_code == 404
    assert f"No delegation {granted.pk}." in text(refused)
    assert f"No delegation {missing}." in text(absent)
    assert _same_page(refused, granted.pk) == _same_page(absent, missing)
    assert _refusals() == before + 1
    _refused(entry, person, "delegation:view")
    assert entry.subject == f"delegation:{granted.pk}"
    assert "Carl Custodian" not in text(refused)


def test_revoking_a_hidden_delegation_reads_like_revoking_a_missing_one(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    missing = granted.pk + 100
    client.force_login(org.worker)
    refused = client.post(_urls(granted)["revoke"], {"reason": "x", "expected_version": "1"})
    entry = last_entry()
    absent = client.post(_urls(missing)["revoke"], {"reason": "x", "expected_version": "1"})
    assert refused.status_code == absent.status_code == 404
    assert f"No delegation {granted.pk}." in text(refused)
    assert _same_page(refused, granted.pk) == _same_page(absent, missing)
    _refused(entry, org.worker, "delegation:view")
    assert _stored(granted).revoked_at is None


# --- revoking --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "officer"], ids=["the-delegator", "an-officer"])
def test_the_delegator_or_an_officer_revokes(
    client: Client, org: Organisation, granted: Delegation, who: str
) -> None:
    person = getattr(org, who)
    urls = _urls(granted)
    client.force_login(person)
    response = client.post(urls["revoke"], {"reason": "back early", "expected_version": "1"})
    assert response.status_code == 302
    assert response["Location"] == urls["page"]
    stored = _stored(granted)
    assert (stored.revoked_by, stored.version) == (person, 2)
    assert stored.revoked_at is not None
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "delegation.revoked",
        person.pk,
        f"delegation:{granted.pk}",
    )
    assert entry.data == {"reason": "back early"}
    shown = client.get(response["Location"])
    page = text(shown)
    assert f"Delegation {granted.pk} is revoked." in page
    assert f"by {person.username}" in page
    assert "Revoke it" not in page
    _unclassified(shown)


def test_the_delegate_may_not_revoke_and_is_told_why(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    client.force_login(org.custodian)
    before = _refusals()
    response = client.post(
        _urls(granted)["revoke"], {"reason": "not wanted", "expected_version": "1"}
    )
    assert response.status_code == 403
    assert _refusals() == before + 1
    assert "Refused: this needs the role of security officer or administrator." in text(response)
    _unclassified(response)
    _refused(last_entry(), org.custodian, "delegation:revoke")
    assert _stored(granted).revoked_at is None


def test_a_stale_version_is_a_conflict_with_the_page_drawn_again(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    client.force_login(org.registrar)
    before = last_entry().seq
    response = client.post(
        _urls(granted)["revoke"], {"reason": "back early", "expected_version": "7"}
    )
    assert response.status_code == 409
    assert (
        f"Delegation {granted.pk} was changed by someone else a moment ago; reload it and try "
        "again." in text(response)
    )
    # Drawn afresh, with the version as it is now.
    assert "Revoke it" in text(response)
    assert 'name="expected_version" value="1"' in body(response)
    _unclassified(response)
    assert _stored(granted).revoked_at is None
    assert last_entry().seq == before


def test_revoking_twice_says_it_is_already_revoked(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    client.force_login(org.officer)
    response = client.post(_urls(granted)["revoke"], {"reason": "again", "expected_version": "2"})
    assert response.status_code == 400
    assert f"Delegation {granted.pk} is already revoked." in text(response)
    assert "Revoke it" not in text(response)
    assert _stored(granted).revoked_by == org.registrar


def test_bad_revoke_input_is_a_form_error(
    client: Client, org: Organisation, granted: Delegation
) -> None:
    urls = _urls(granted)
    client.force_login(org.registrar)
    no_reason = client.post(urls["revoke"], {"reason": "", "expected_version": "1"})
    assert no_reason.status_code == 400
    assert 'id="id_reason_error"' in body(no_reason)
    assert "This field is required." in text(no_reason)
    garbage = client.post(urls["revoke"], {"reason": "x", "expected_version": "x"})
    assert garbage.status_code == 400
    assert "Enter a whole number." in text(garbage)
    long_reason = client.post(urls["revoke"], {"reason": "x" * 501, "expected_version": "1"})
    assert long_reason.status_code == 400
    assert "Ensure this value has at most 500 characters (it has 501)." in text(long_reason)
    _unclassified(long_reason)
    assert _stored(granted).revoked_at is None


def test_the_pages_need_signing_in(client: Client, org: Organisation, granted: Delegation) -> None:
    for response in (
        client.get(reverse(LIST)),
        client.get(_urls(granted)["page"]),
        client.post(_urls(granted)["revoke"], {"reason": "x", "expected_version": "1"}),
    ):
        assert response.status_code == 302
        assert "login" in response["Location"] or "sign-in" in response["Location"]
    assert _stored(granted).revoked_at is None


def test_the_menu_links_to_delegations(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    assert f'href="{reverse(LIST)}"' in body(client.get(reverse("web:hand-overs")))
