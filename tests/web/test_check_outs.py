"""Check-outs on the web: "Lend for reading" and "Check in" on the copy page, the list of what is
out with the overdue ones marked, and "Who read it" on a TOP SECRET document's page.

The scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) lends copy 1 to rosa
(NORTH staff, cleared CONFIDENTIAL) in the reading room.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import CheckOut, Copy
from strongroom.services import check_outs
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text

Register = Callable[..., Any]


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _urls(document: Any, number: int = 1) -> tuple[str, str, str]:
    args = [document.control_number, number]
    return (
        reverse("web:copy", args=args),
        reverse("web:check-out-copy", args=args),
        reverse("web:check-in-copy", args=args),
    )


def _due(hours: float = 2) -> str:
    """A due time as the browser's datetime-local field sends it (the installation's zone)."""
    return timezone.localtime(clock.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _lend_form(reader: str = "rosa", version: int = 1, **fields: Any) -> dict[str, Any]:
    return {
        "reader": reader,
        "due_back": _due(),
        "place": "",
        "expected_version": version,
        **fields,
    }


@pytest.fixture
def document(register: Register) -> Any:
    return register("CONFIDENTIAL")


@pytest.fixture
def lent(org: Organisation, document: Any) -> CheckOut:
    """Copy 1 lent to rosa by carl, due in two hours (copy version 2)."""
    return check_outs.check_out_copy(
        _copy(document), to=org.reader, by=org.custodian, due_back=clock.now() + timedelta(hours=2)
    )


# --- lending ---------------------------------------------------------------------------------


def test_the_registry_is_offered_lend_for_reading_on_a_copy_in_the_registry(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, lend_url, _ = _urls(document)
    client.force_login(org.custodian)
    at = clock.now().replace(second=30, microsecond=0)

    with clock.frozen(at):
        response = client.get(page_url)

    assert response.status_code == 200
    assert "Lend for reading" in text(response)
    assert f'action="{lend_url}"' in body(response)
    assert 'name="place" value="reading room"' in body(response)
    # Suggested: the longest the handling rules allow (8 hours by default), to the minute.
    latest = timezone.localtime(at + timedelta(hours=8))
    assert f'type="datetime-local" name="due_back" value="{latest:%Y-%m-%dT%H:%M}"' in body(
        response
    )


def test_staff_are_not_offered_lending(client: Client, org: Organisation, document: Any) -> None:
    page_url, lend_url, _ = _urls(document)
    client.force_login(org.reader)

    response = client.get(page_url)

    assert response.status_code == 200
    assert f'action="{lend_url}"' not in body(response)


def test_lending_a_copy(client: Client, org: Organisation, document: Any) -> None:
    page_url, lend_url, check_in_url = _urls(document)
    client.force_login(org.custodian)

    response = client.post(lend_url, _lend_form(place="annex"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(page_url, 302)]
    assert f"{document.control_number}/1 is lent to Rosa Reader in the annex" in text(response)
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == (
        "checked_out",
        org.reader,
        "annex of HQ, with rosa",
    )
    assert last_entry().kind == "check_out.lent"
    # The page now says who has it, and offers the desk the check-in.
    assert "Lent to Rosa Reader by Carl Custodian in the annex" in text(response)
    assert f'action="{check_in_url}"' in body(response)
    assert f'action="{lend_url}"' not in body(response)
    assert [shown for _, _, shown in banners(response)] == ["CONFIDENTIAL", "CONFIDENTIAL"]


def test_lending_to_someone_who_may_not_hold_it_is_refused_with_the_reason(
    client: Client, org: Organisation, document: Any
) -> None:
    _, lend_url, _ = _urls(document)
    client.force_login(org.custodian)

    response = client.post(lend_url, _lend_form(reader="wally"))

    assert response.status_code == 403
    assert "Refused: the reader may not hold CONFIDENTIAL material" in text(response)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.custodian,
        "check_out:lend",
    )
    assert _copy(document).state == "in_registry"


def test_an_unknown_reader_is_a_mistake_in_that_field(
    client: Client, org: Organisation, document: Any
) -> None:
    _, lend_url, _ = _urls(document)
    client.force_login(org.custodian)

    response = client.post(lend_url, _lend_form(reader="nobody"))

    assert response.status_code == 400
    assert "No person nobody." in text(response)


def test_a_due_time_in_the_past_is_a_mistake_in_that_field(
    client: Client, org: Organisation, document: Any
) -> None:
    _, lend_url, _ = _urls(document)
    client.force_login(org.custodian)

    response = client.post(lend_url, _lend_form(due_back=_due(-1)))

    assert response.status_code == 400
    assert 'id="id_due_back_error"' in body(response)
    assert "The deadline must be in the future." in text(response)
    assert not CheckOut.objects.exists()


def test_lending_from_a_stale_page_says_the_copy_moved(
    client: Client, org: Organisation, document: Any, lent: CheckOut
) -> None:
    _, lend_url, _ = _urls(document)
    client.force_login(org.registrar)

    response = client.post(lend_url, _lend_form(reader="nils", version=1))

    assert response.status_code == 400  # it is checked out now: an illegal transition
    assert "The copy is checked out; only a copy in the registry can be lent" in text(response)
    assert CheckOut.objects.count() == 1


def test_a_hidden_copy_reads_as_missing(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("TOP SECRET")
    _, lend_url, _ = _urls(document)
    refusals = LedgerEntry.objects.filter(kind="access.refused").count()
    client.force_login(org.custodian)

    response = client.post(lend_url, _lend_form(reader="ines"))

    assert response.status_code == 404
    assert f"No document {document.control_number} in the register." in text(response)
    assert LedgerEntry.objects.filter(kind="access.refused").count() == refusals + 1


# --- checking in -----------------------------------------------------------------------------


def test_checking_a_copy_in(
    client: Client, org: Organisation, document: Any, lent: CheckOut
) -> None:
    page_url, _, check_in_url = _urls(document)
    client.force_login(org.registrar)

    response = client.post(check_in_url, {"expected_version": 2}, follow=True)

    assert response.redirect_chain == [(page_url, 302)]
    assert "is checked in from Rosa Reader and back in the registry" in text(response)
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == ("in_registry", None, "HQ registry")
    assert last_entry().kind == "check_out.returned"


def test_the_reader_sees_the_check_out_but_may_not_check_it_in(
    client: Client, org: Organisation, document: Any, lent: CheckOut
) -> None:
    page_url, _, check_in_url = _urls(document)
    client.force_login(org.reader)

    page = client.get(page_url)
    assert "Lent to Rosa Reader by Carl Custodian" in text(page)
    assert f'action="{check_in_url}"' not in body(page)

    response = client.post(check_in_url, {"expected_version": 2})

    assert response.status_code == 403
    assert "this needs the role of registrar or custodian" in text(response)
    assert _copy(document).state == "checked_out"


def test_checking_in_from_a_stale_page_is_a_conflict(
    client: Client, org: Organisation, document: Any, lent: CheckOut
) -> None:
    _, _, check_in_url = _urls(document)
    client.force_login(org.custodian)

    response = client.post(check_in_url, {"expected_version": 1})

    assert response.status_code == 409
    assert "was moved by someone else a moment ago" in text(response)
    assert _copy(document).state == "checked_out"


# --- what is out -----------------------------------------------------------------------------


def test_the_list_marks_overdue_copies(
    client: Client, org: Organisation, document: Any, lent: CheckOut
) -> None:
    check_outs.check_out_copy(
        _copy(document, 2),
        to=org.north_registrar,
        by=org.custodian,
        due_back=clock.now() + timedelta(hours=1),
    )
    client.force_login(org.custodian)
    url = reverse("web:check-outs")

    with clock.frozen(clock.now() + timedelta(hours=1, minutes=30)):
        everything = client.get(url)
        overdue = client.get(url, {"overdue": "1"})

    assert everything.status_code == 200
    rows = body(everything).split("<tbody>")[1]
    assert rows.index("/2") < rows.index("/1")  # the earliest due first
    assert rows.count('class="overdue"') == 1
    assert "Nils North" in text(everything) and "Rosa Reader" in text(everything)
    assert "Nils North" in text(overdue) and "Rosa Reader" not in text(overdue)
    assert [shown for _, _, shown in banners(everything)] == ["CONFIDENTIAL", "CONFIDENTIAL"]


def test_a_bystander_sees_nothing_out(client: Client, org: Organisation, lent: CheckOut) -> None:
    client.force_login(org.worker)

    response = client.get(reverse("web:check-outs"))

    assert response.status_code == 200
    assert "No copies are out for reading." in text(response)


# --- who read it -----------------------------------------------------------------------------


def test_a_top_secret_documents_page_says_who_read_it(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("TOP SECRET")
    check_outs.check_out_copy(
        _copy(document),
        to=org.inspector,
        by=org.registrar,
        due_back=clock.now() + timedelta(hours=1),
    )
    check_outs.check_in_copy(_copy(document), by=org.registrar)
    client.force_login(org.registrar)

    response = client.get(reverse("web:document", args=[document.control_number]))

    assert response.status_code == 200
    readers = text(response).split("Who read it")[1]
    assert "Ines Inspector ines, HQ copy 1 of 3 reading room Rita Registrar" in readers
    assert "by Rita Registrar" in readers


def test_a_top_secret_document_nobody_read_says_so(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("TOP SECRET")
    client.force_login(org.registrar)

    response = client.get(reverse("web:document", args=[document.control_number]))

    assert "Nobody has been lent a copy of it for reading." in text(response)


def test_a_lower_document_shows_readers_only_once_it_has_some(
    client: Client, org: Organisation, document: Any
) -> None:
    client.force_login(org.custodian)
    url = reverse("web:document", args=[document.control_number])

    assert "Who read it" not in text(client.get(url))

    check_outs.check_out_copy(
        _copy(document), to=org.reader, by=org.custodian, due_back=clock.now() + timedelta(hours=1)
    )
    assert "Who read it" in text(client.get(url))
