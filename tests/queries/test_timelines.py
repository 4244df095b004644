"""What did person P hold on day D: answered from the ledger, in every surface."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.models import Copy
from strongroom.queries.timelines import held_on
from strongroom.services import custody, hand_overs

# The API's and the CLI's fixtures, for the last tests; pytest knows them by their own names.
from tests.api.conftest import client_for as _api_client  # noqa: F401
from tests.cli.conftest import cli as _cli  # noqa: F401


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def story(org, register):
    return tell_the_story(org, register)


def tell_the_story(org, register):
    """Rosa gets copy 1 on the 2nd, hands it to Nils on the 3rd (he signs on the 4th),
    and Nils gives it back to the registry on the 6th. Copy 2 stays with Rosa throughout."""
    with clock.frozen(at(1)):
        document = register("CONFIDENTIAL", received_on=date(2026, 3, 1))
    copies = {
        n: Copy.objects.select_related("document__unit", "holder").get(document=document, number=n)
        for n in (1, 2)
    }
    with clock.frozen(at(2)):
        custody.issue_copy(copies[1], to=org.reader, by=org.custodian)
        custody.issue_copy(copies[2], to=org.reader, by=org.custodian)
    with clock.frozen(at(3)):
        sent = hand_overs.dispatch_hand_over(copies[1], to=org.north_registrar, by=org.reader)
    with clock.frozen(at(4)):
        hand_overs.accept_hand_over(sent, by=org.north_registrar)
    with clock.frozen(at(6)):
        custody.return_copy(Copy.objects.select_related("document__unit", "holder").get(
            pk=copies[1].pk), by=org.custodian)  # fmt: skip
    return document


def _held(actor, person, day):
    with clock.frozen(at(20)):
        return [(h.copy.number, h.state) for h in held_on(actor, person, date(2026, 3, day))]


def test_what_rosa_held_day_by_day(org, story):
    assert _held(org.registrar, org.reader, 1) == []
    assert _held(org.registrar, org.reader, 2) == [(1, "held"), (2, "held")]
    # Sent but not yet acknowledged: still hers, in hand-over.
    assert _held(org.registrar, org.reader, 3) == [(2, "held"), (1, "in_hand_over")]
    assert _held(org.registrar, org.reader, 4) == [(2, "held")]
    assert _held(org.registrar, org.reader, 6) == [(2, "held")]


def test_what_nils_held_day_by_day(org, story):
    assert _held(org.registrar, org.north_registrar, 3) == []
    assert _held(org.registrar, org.north_registrar, 5) == [(1, "held")]
    assert _held(org.registrar, org.north_registrar, 6) == []


def test_only_what_the_asker_may_see(org, story):
    assert _held(org.worker, org.reader, 2) == []


def test_a_day_to_come_is_bad_input(org, story):
    with clock.frozen(at(20)), pytest.raises(InvalidInput) as caught:
        held_on(org.registrar, org.reader, date(2026, 3, 21))
    assert caught.value.field == "on"


def test_the_person_page_answers_it(org, story, client):
    client.force_login(org.registrar)
    with clock.frozen(at(20)):
        page = client.get(reverse("web:person", args=["rosa"]), {"on": "2026-03-02"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Held at the end of 2026-03-02" in text
    assert f"{story.control_number}/1" in text and f"{story.control_number}/2" in text
