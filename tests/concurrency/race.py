"""Processes that race for the same copy, for tests/concurrency/test_races.py.

``python -m tests.concurrency.race setup`` builds a tiny organisation in the database the
environment names; ``python -m tests.concurrency.race <issue|accept|cancel> <who> <barrier>``
loads the copy, waits for the barrier file, then acts at once and prints the outcome.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

PASSWORD = "correct-horse-battery-9"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strongroom.config.settings")
    import django

    django.setup()


def setup() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from strongroom.services import clearances, custody, hand_overs, people, registry

    officer = people.bootstrap(
        unit_code="HQ", unit_name="HQ", username="olga", full_name="Olga", password=PASSWORD
    )
    hq = officer.unit
    second = people.create_person(
        username="sven", full_name="Sven", unit=hq, roles=["security_officer"], by=officer
    )
    registrar = people.create_person(
        username="rita", full_name="Rita", unit=hq, roles=["registrar"], by=officer
    )
    staff = [
        people.create_person(
            username=f"staff{n}", full_name=f"Staff {n}", unit=hq, roles=["staff"], by=officer
        )
        for n in range(4)
    ]
    for person in [registrar, *staff]:
        clearances.grant_clearance(
            person,
            level="SECRET",
            compartments=[],
            expires_on=date.today() + timedelta(days=365),
            briefed_on=date.today() - timedelta(days=1),
            by=second,
        )
    for title in ("Raced for", "Handed over"):
        registry.register_document(
            unit=hq, short_title=title, full_title=title, marking="SECRET", originator="X",
            received_on=date.today(), pages=1, medium="paper", copies=1, by=registrar,
        )  # fmt: skip
    # The second document's copy is in hand-over from staff0 to staff1, for accept vs cancel.
    from strongroom.models import Copy, Person

    copy = Copy.objects.select_related("document__unit").get(document__short_title="Handed over")
    custody.issue_copy(copy, to=staff[0], by=registrar)
    holder = Person.objects.get(username="staff0")
    hand_overs.dispatch_hand_over(copy, to=staff[1], by=holder)


def act(what: str, who: str, barrier: Path) -> str:
    from strongroom.domain.errors import Conflict, IllegalTransition
    from strongroom.models import Copy, HandOver, Person
    from strongroom.services import custody, hand_overs

    person = Person.objects.select_related("unit").get(username=who)
    registrar = Person.objects.get(username="rita")
    copy = Copy.objects.select_related("document__unit").get(document__short_title="Raced for")
    hand_over = HandOver.objects.select_related(
        "copy__document__unit", "sender", "recipient__unit"
    ).get(state="pending")
    # Everyone has read the copy as it was; now say so, and wait until all may go at once.
    Path(f"{barrier}.ready-{who}").touch()
    while not barrier.exists():
        time.sleep(0.001)
    try:
        if what == "issue":
            custody.issue_copy(copy, to=person, by=registrar, expected_version=1)
        elif what == "accept":
            hand_overs.accept_hand_over(hand_over, by=person, expected_version=1)
        else:
            hand_overs.cancel_hand_over(hand_over, by=person, expected_version=1)
    except Conflict as error:
        return f"conflict: {error}"
    except IllegalTransition as error:
        return f"illegal: {error}"
    return "ok"


if __name__ == "__main__":
    _setup_django()
    if sys.argv[1] == "setup":
        setup()
    else:
        print(act(sys.argv[1], sys.argv[2], Path(sys.argv[3])), flush=True)
