"""The transport scene shared by every test layer.

A SECRET document registered at HQ by rita; carl (HQ custodian, cleared SECRET//ALPHA) is
authorised by sven (security officer) to carry material up to SECRET for thirty days; rita sends
copy 1 to NORTH with carl, and nils (NORTH registrar, cleared SECRET) receives it there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from strongroom.adapters import clock
from strongroom.models import Copy, CourierAuthorisation, Transit

INNER = "opaque envelope marked SECRET, sealed"
OUTER = "plain envelope addressed to the registry of NORTH"


def copy_of(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder", "unit").get(
        document=document, number=number
    )


def stored(transit: Transit) -> Transit:
    """The transit as stored now, with what the services and the rules read."""
    return Transit.objects.select_related(
        "copy__document__unit",
        "copy__unit",
        "copy__holder",
        "from_unit",
        "to_unit",
        "courier",
        "dispatched_by",
        "received_by",
        "receipt_confirmed_by",
    ).get(pk=transit.pk)


def authorise(
    org: Any, person: Any, level: str = "SECRET", *, days: int = 30
) -> CourierAuthorisation:
    from strongroom.services import couriers

    return couriers.authorise_courier(
        person,
        level=level,
        valid_until=date.today() + timedelta(days=days),
        by=org.second_officer,
    )


def send(
    org: Any,
    document: Any,
    number: int = 1,
    *,
    to: Any = None,
    courier: Any = None,
    by: Any = None,
    at: datetime | None = None,
    **options: Any,
) -> Transit:
    """Send copy ``number`` (default: to NORTH with carl, by rita), at ``at`` if given."""
    from strongroom.services import transits

    values: dict[str, Any] = {"inner_wrapping": INNER, "outer_wrapping": OUTER, **options}

    def go() -> Transit:
        return transits.send_copy(
            copy_of(document, number),
            to_unit=to or org.north,
            courier=courier or org.custodian,
            by=by or org.registrar,
            **values,
        )

    if at is None:
        return go()
    with clock.frozen(at):
        return go()
