"""Campaigns on the web: distributing from a document, the list, the live board, incidents, and
appointing unit heads.

The scene: a CONFIDENTIAL lecture document of HQ with four copies; carl (HQ custodian)
distributes copies to rosa and nils (NORTH), due back a week later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Campaign, Copy, Unit
from strongroom.services import alerts, campaigns, custody
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text

DUE = (datetime.now(UTC) + timedelta(days=8)).replace(second=0, microsecond=0)
DAY = timedelta(days=1)


def _copy(document: Any, number: int) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _banners_say(response: Any, marking: str) -> None:
    assert [(position, shown) for position, _, shown in banners(response)] == [
        ("top", marking),
        ("bottom", marking),
    ]


def _refusals() -> int:
    return LedgerEntry.objects.filter(kind="access.refused").count()


def _form(**changes: str) -> dict[str, str]:
    values = {
        "title": "Spring course",
        # What a datetime-local field sends: the wall-clock time in the installation's zone.
        "due_back": timezone.localtime(DUE).strftime("%Y-%m-%dT%H:%M"),
        "recipients": "rosa, nils",
    }
    values.update(changes)
    return values


@pytest.fixture
def lecture(register: Any) -> Any:
    return register("CONFIDENTIAL", short_title="Lecture 4", copies=4)


@pytest.fixture
def course(org: Organisation, lecture: Any) -> Campaign:
    return campaigns.create_campaign(
        lecture,
        title="Spring course",
        due_back=DUE,
        recipients=[org.reader, org.north_registrar],
        by=org.custodian,
    )


def _distribute_url(document: Any) -> str:
    return reverse("web:distribute", args=[document.control_number])


def _board_url(campaign: Campaign) -> str:
    return reverse("web:campaign", args=[campaign.reference])


# --- distributing ----------------------------------------------------------------------------


def test_the_document_page_offers_distribution_to_those_who_may(
    client: Client, org: Organisation, lecture: Any
) -> None:
    page = reverse("web:document", args=[lecture.control_number])
    client.force_login(org.custodian)
    assert f'href="{_distribute_url(lecture)}"' in body(client.get(page))
    client.force_login(org.reader)
    assert _distribute_url(lecture) not in body(client.get(page))


def test_the_form_says_how_many_copies_are_in_the_registry(
    client: Client, org: Organisation, lecture: Any
) -> None:
    client.force_login(org.custodian)
    response = client.get(_distribute_url(lecture))
    assert response.status_code == 200
    assert "4 copies are in the registry." in text(response)
    _banners_say(response, "CONFIDENTIAL")


def test_the_form_is_drawn_for_those_who_may_distribute(
    client: Client, org: Organisation, lecture: Any
) -> None:
    before = _refusals()
    for person in (org.custodian, org.registrar):
        client.force_login(person)
        response = client.get(_distribute_url(lecture))
        assert response.status_code == 200
        assert 'name="recipients"' in body(response)
    assert _refusals() == before


@pytest.mark.parametrize(
    ("persona", "reason"),
    [
        ("reader", "this needs the role of registrar or custodian"),
        ("north_registrar", "the document belongs to a unit outside yours (HQ/NORTH)"),
    ],
    ids=["staff", "registrar-elsewhere"],
)
def test_the_form_is_refused_to_those_who_may_not_distribute(
    client: Client, org: Organisation, lecture: Any, persona: str, reason: str
) -> None:
    person = getattr(org, persona)
    client.force_login(person)
    before = _refusals()
    response = client.get(_distribute_url(lecture))
    assert response.status_code == 403
    assert f"Refused: {reason}." in text(response)
    assert 'name="recipients"' not in body(response)
    assert _refusals() == before + 1
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "access.refused",
        person,
        f"document:{lecture.control_number}",
    )
    assert entry.data["action"] == "campaign:create"


def test_a_custodian_distributes_copies_and_lands_on_the_board(
    client: Client, org: Organisation, lecture: Any
) -> None:
    client.force_login(org.custodian)
    response = client.post(_distribute_url(lecture), _form(recipients="rosa\nnils; rita"))

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert response["Location"] == _board_url(campaign)
    assert (campaign.title, campaign.due_back) == ("Spring course", DUE)
    assert [_copy(lecture, n).holder for n in (1, 2, 3)] == [
        org.reader,
        org.north_registrar,
        org.registrar,
    ]
    board = client.get(response["Location"])
    page = text(board)
    assert f"Issued 3 copies of {lecture.control_number}" in page
    assert "copy 1 of 4 Rosa Reader NORTH Rosa Reader NORTH" in page
    assert "Still out 3 / 3" in page
    _banners_say(board, "CONFIDENTIAL")


def test_an_ineligible_recipient_is_refused_with_the_reason_and_recorded(
    client: Client, org: Organisation, lecture: Any
) -> None:
    client.force_login(org.custodian)
    before = _refusals()
    response = client.post(_distribute_url(lecture), _form(recipients="rosa wally"))
    assert response.status_code == 403
    assert (
        "Refused: not every recipient may hold CONFIDENTIAL material: wally (the person holds "
        "no clearance)." in text(response)
    )
    assert _refusals() == before + 1
    assert not Campaign.objects.exists()
    # The form is drawn again with what was typed.
    assert "rosa wally" in body(response)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"recipients": "rosa nils rita ines carl"}, "has 4 copies in the registry"),
        ({"recipients": "rosa ghost"}, "No person ghost."),
        ({"recipients": "rosa rosa"}, "rosa is named twice"),
        ({"due_back": ""}, "This field is required."),
        ({"due_back": "2020-01-01T10:00"}, "must be in the future"),
        ({"title": ""}, "This field is required."),
    ],
    ids=["too-few", "unknown", "twice", "no-due", "past", "no-title"],
)
def test_bad_input_is_shown_on_the_form(
    client: Client, org: Organisation, lecture: Any, changes: dict[str, str], words: str
) -> None:
    client.force_login(org.custodian)
    response = client.post(_distribute_url(lecture), _form(**changes))
    assert response.status_code == 400
    assert words in text(response)
    assert "field-error" in body(response)
    assert not Campaign.objects.exists()


def test_staff_may_not_distribute(client: Client, org: Organisation, lecture: Any) -> None:
    client.force_login(org.reader)
    response = client.post(_distribute_url(lecture), _form())
    assert response.status_code == 403
    assert "Refused: this needs the role of registrar or custodian." in text(response)


def test_a_hidden_document_is_not_found(client: Client, org: Organisation, register: Any) -> None:
    secret = register("TOP SECRET")
    client.force_login(org.custodian)
    before = _refusals()
    for response in (
        client.get(_distribute_url(secret)),
        client.post(_distribute_url(secret), _form()),
    ):
        assert response.status_code == 404
        assert f"No document {secret.control_number} in the register." in text(response)
    assert _refusals() == before + 2


def test_a_copy_moved_meanwhile_is_a_conflict(
    client: Client, org: Organisation, lecture: Any, monkeypatch: Any
) -> None:
    real = custody.move

    def stale(copy: Any, **kwargs: Any) -> None:
        kwargs["expected_version"] -= 1
        real(copy, **kwargs)

    monkeypatch.setattr(custody, "move", stale)
    client.force_login(org.custodian)
    response = client.post(_distribute_url(lecture), _form())
    assert response.status_code == 409
    assert "moved by someone else a moment ago" in text(response)
    assert not Campaign.objects.exists()


# --- the list and the board --------------------------------------------------------------------


def test_the_list_of_campaigns(
    client: Client, org: Organisation, course: Campaign, lecture: Any
) -> None:
    custody.return_copy(_copy(lecture, 1), by=org.custodian)
    client.force_login(org.registrar)
    response = client.get(reverse("web:campaigns"))
    assert response.status_code == 200
    page = text(response)
    assert f"{course.short_reference} Spring course {lecture.control_number} Lecture 4" in page
    assert "1 / 2 open" in page
    assert f'href="{_board_url(course)}"' in body(response)
    _banners_say(response, "CONFIDENTIAL")
    client.force_login(org.reader)
    assert "No campaigns here." in text(client.get(reverse("web:campaigns")))


def test_the_board_shows_escalation_and_what_is_back(
    client: Client, org: Organisation, course: Campaign, lecture: Any
) -> None:
    with clock.frozen(DUE - 2 * DAY):
        custody.return_copy(_copy(lecture, 2), by=org.custodian)
    client.force_login(org.registrar)
    with clock.frozen(DUE + 4 * DAY):
        response = client.get(_board_url(course))
    page = text(response)
    assert response.status_code == 200
    assert "copy 1 of 4 Rosa Reader NORTH Rosa Reader NORTH" in page
    assert "out 11 4 the supervisor —" in page  # issued just under 12 days before
    assert "copy 2 of 4 Nils North NORTH —" in page
    assert "Still out 1 / 2" in page


def test_the_board_of_a_closed_campaign(
    client: Client, org: Organisation, course: Campaign, lecture: Any
) -> None:
    for number in (1, 2):
        custody.return_copy(_copy(lecture, number), by=org.custodian)
    client.force_login(org.custodian)
    page = text(client.get(_board_url(course)))
    assert "every copy is back" in page and "Still out 0 / 2" in page


def test_someone_not_answerable_for_the_campaign_is_told_it_does_not_exist(
    client: Client, org: Organisation, course: Campaign
) -> None:
    client.force_login(org.reader)
    before = _refusals()
    response = client.get(_board_url(course))
    assert response.status_code == 404
    assert f"No campaign {str(course.reference).upper()}." in text(response)
    assert _refusals() == before + 1


def test_an_unknown_or_malformed_reference(
    client: Client, org: Organisation, course: Campaign
) -> None:
    client.force_login(org.registrar)
    missing = "FFFFFFFF" if course.short_reference != "FFFFFFFF" else "EEEEEEEE"
    assert client.get(reverse("web:campaign", args=[missing])).status_code == 404
    malformed = client.get(reverse("web:campaign", args=["spring"]))
    assert malformed.status_code == 400
    assert "is not a campaign reference" in text(malformed)


def test_the_scan_field_opens_a_campaign_by_its_reference(
    client: Client, org: Organisation, course: Campaign
) -> None:
    client.force_login(org.registrar)
    for code in (course.short_reference, str(course.reference)):
        response = client.get(reverse("web:scan"), {"code": code})
        assert response.status_code == 302, code
        assert response["Location"] == _board_url(course)


def test_scanning_a_hidden_campaign_reads_like_scanning_nothing(
    client: Client, org: Organisation, course: Campaign
) -> None:
    client.force_login(org.reader)
    missing = "FFFFFFFF" if course.short_reference != "FFFFFFFF" else "EEEEEEEE"
    before = _refusals()
    hidden = client.get(reverse("web:scan"), {"code": course.short_reference})
    assert _refusals() == before + 1
    absent = client.get(reverse("web:scan"), {"code": missing})
    assert hidden.status_code == absent.status_code == 404
    # A bare reference names no kind of record: both read as the first kind looked for.
    assert f"No hand-over {course.short_reference}." in text(hidden)
    assert text(hidden).replace(course.short_reference, "X") == text(absent).replace(missing, "X")


# --- incidents ---------------------------------------------------------------------------------


def test_security_officers_see_incidents_and_a_link_to_them(
    client: Client, org: Organisation, course: Campaign
) -> None:
    alerts.check_campaign_reminders(now=DUE + 15 * DAY)
    client.force_login(org.officer)
    response = client.get(reverse("web:incidents"))
    assert response.status_code == 200
    page = text(response)
    assert page.count("copy not returned") == 2
    assert "Rosa Reader NORTH open" in page and "by the system" in page
    assert f'href="{reverse("web:incidents")}"' in body(response)

    client.force_login(org.registrar)
    response = client.get(reverse("web:incidents"))
    assert "No incidents here." in text(response)
    assert f'href="{reverse("web:incidents")}"' not in body(response)


# --- unit heads ------------------------------------------------------------------------------


def test_a_security_officer_appoints_a_head_on_the_units_page(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.officer)
    assert "Appoint the head of a unit" in text(client.get(reverse("web:units")))

    response = client.post(reverse("web:unit-head"), {"unit": "NORTH", "head": "nils"})

    assert response.status_code == 302
    page = text(client.get(reverse("web:units")))
    assert "Nils North is now the head of NORTH." in page
    assert "└ NORTH North Province Nils North 2" in page
    assert Unit.objects.get(code="NORTH").head == org.north_registrar
    assert last_entry().kind == "unit.head_set"

    removed = client.post(reverse("web:unit-head"), {"unit": "NORTH", "head": ""})
    assert removed.status_code == 302
    assert Unit.objects.get(code="NORTH").head is None


def test_others_are_not_offered_the_form_and_are_refused(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    assert "Appoint the head of a unit" not in text(client.get(reverse("web:units")))
    response = client.post(reverse("web:unit-head"), {"unit": "NORTH", "head": "nils"})
    assert response.status_code == 403
    assert "Refused: this needs the role of security officer." in text(response)
    assert last_entry().data["action"] == "unit:set_head"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"unit": "NORTH", "head": "rita"}, "rita does not belong to NORTH"),
        ({"unit": "NORTH", "head": "ghost"}, "No person ghost."),
        ({"unit": "EAST", "head": "nils"}, "Select a valid choice."),
    ],
    ids=["outsider", "unknown", "no-such-unit"],
)
def test_a_head_who_cannot_be_is_a_form_error(
    client: Client, org: Organisation, data: dict[str, str], words: str
) -> None:
    client.force_login(org.officer)
    response = client.post(reverse("web:unit-head"), data)
    assert response.status_code == 400
    assert words in text(response)
    assert Unit.objects.get(code="NORTH").head is None


def test_the_copy_timeline_names_the_campaign(
    client: Client, org: Organisation, course: Campaign, lecture: Any
) -> None:
    client.force_login(org.custodian)
    response = client.get(reverse("web:copy", args=[lecture.control_number, 1]))
    assert f"to rosa in campaign {course.short_reference}" in text(response)
