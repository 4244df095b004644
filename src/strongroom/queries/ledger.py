"""Reading the ledger, narrowed by policy."""

from __future__ import annotations

from strongroom.adapters import clock
from strongroom.ledger.verify import Report, verify
from strongroom.models import Person
from strongroom.policy import Action, System, require


def verify_ledger(
    actor: Person, *, limit_problems: int = 20, parallel: bool | None = False
) -> Report:
    """Verify the whole ledger for ``actor``; raise Denied unless they may.

    The report names entry numbers and row keys, never content, so the right to verify does not
    depend on clearance. ``parallel`` is ``verify()``'s; serial unless asked (the API does not
    ask: a web server's worker is no place to start processes), None to let ``verify()`` choose
    (the command line)."""
    require(actor.facts(clock.today()), Action.LEDGER_VERIFY, System(), "ledger")
    return verify(limit_problems=limit_problems, parallel=parallel)
