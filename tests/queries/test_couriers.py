"""Reading courier authorisations: one's own, and those of the units one answers for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.models import Person
from strongroom.policy import Action, decide
from strongroom.queries import couriers
from strongroom.services import couriers as services
from strongroom.services import people
from tests.transport import authorise

LATER = datetime.now(UTC) + timedelta(days=40)


@pytest.fixture
def granted(org):
    """carl (HQ) up to SECRET; nils (NORTH) up to CONFIDENTIAL, from next week; ines (HQ)
    revoked; rosa (NORTH) for today only."""
    carl = authorise(org, org.custodian)
    nils = services.authorise_courier(
        org.north_registrar,
        level="CONFIDENTIAL",
        valid_from=date.today() + timedelta(days=7),
        valid_until=date.today() + timedelta(days=60),
        by=org.officer,
    )
    ines = authorise(org, org.inspector, "TOP SECRET")
    services.revoke_courier(org.inspector, reason="retired from courier duty", by=org.officer)
    rosa = authorise(org, org.reader, "CONFIDENTIAL", days=0)
    return {"carl": carl, "nils": nils, "ines": ines, "rosa": rosa}


def _names(granted, found):
    by_pk = {row.pk: name for name, row in granted.items()}
    return sorted(by_pk[row.pk] for row in found)


@pytest.mark.parametrize(
    ("who", "live_only", "expected"),
    [
        ("officer", True, ["carl", "nils", "rosa"]),
        ("officer", False, ["carl", "ines", "nils", "rosa"]),
        ("registrar", True, ["carl", "nils", "rosa"]),  # HQ answers for NORTH too
        ("north_registrar", True, ["nils", "rosa"]),  # NORTH only
        ("reader", True, ["rosa"]),  # staff see their own
        ("worker", True, []),
        ("inspector", False, ["carl", "ines", "nils", "rosa"]),
    ],
)
def test_who_sees_which(org, granted, who, live_only, expected):
    found = couriers.authorisations(getattr(org, who), live_only=live_only)
    assert _names(granted, found) == expected


def test_lists_and_single_decisions_agree(org, granted):
    for persona in (org.officer, org.registrar, org.north_registrar, org.reader, org.worker):
        listed = {row.pk for row in couriers.authorisations(persona, live_only=False)}
        facts = persona.facts(date.today())
        allowed = {
            row.pk
            for name, row in granted.items()
            if decide(
                facts,
                Action.COURIER_VIEW,
                Person.objects.get(pk=row.courier_id).as_target(),
            )
        }
        assert listed == allowed, persona.username


def test_the_couriers_one_may_send_with_today(org, granted):
    assert _names(granted, couriers.current_couriers(org.registrar)) == ["carl", "rosa"]
    # Expired ones drop out; one starting later comes in on its day.
    with clock.frozen(LATER):
        assert _names(granted, couriers.current_couriers(org.registrar)) == ["nils"]


def test_a_suspended_courier_is_not_suggested(org, granted):
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    assert _names(granted, couriers.current_couriers(org.registrar)) == ["rosa"]


def test_only_active_security_officers_are_offered_the_form(org):
    assert couriers.may_authorise(org.officer)
    assert not couriers.may_authorise(org.registrar)
    people.set_status(org.second_officer, status=PersonStatus.SUSPENDED, reason="x", by=org.officer)
    assert not couriers.may_authorise(org.second_officer)
    assert not couriers.authorisations(org.second_officer).exists()
