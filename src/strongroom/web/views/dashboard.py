"""The start page: alerts, copies waiting to be acknowledged, destructions waiting to be
countersigned, copies on their way to the person's registry, what the person holds now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from strongroom.models import TransitState
from strongroom.queries import alerts as alert_queries
from strongroom.queries import dashboard as dashboard_queries
from strongroom.queries import destructions as destruction_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import hand_overs as hand_over_queries
from strongroom.queries import transits as transit_queries
from strongroom.web.errors import page
from strongroom.web.rendering import render_page, signed_in

# The start page lists the first few; the full lists have their own pages.
SHOWN = 20


@page
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    held = list(
        document_queries.held_by(actor, actor).order_by("document__control_number", "number")
    )
    recent = dashboard_queries.recent_registrations(actor)
    incoming = list(
        hand_over_queries.hand_overs(actor, hand_over_queries.Box.INCOMING, pending_only=True)[
            :SHOWN
        ]
    )
    to_witness = list(
        destruction_queries.destructions(actor, destruction_queries.Box.WITNESS, pending_only=True)[
            :SHOWN
        ]
    )
    # Copies a courier is bringing to a registry the actor answers for: to be received.
    arriving = list(
        transit_queries.transits(actor, transit_queries.Box.INCOMING).filter(
            state=TransitState.IN_TRANSIT.value
        )[:SHOWN]
    )
    return render_page(
        request,
        "strongroom/dashboard/index.html",
        {
            "summary": dashboard_queries.summary(actor),
            "held": held,
            "recent": recent,
            "alerts": list(alert_queries.alerts(actor)[:SHOWN]),
            "incoming": incoming,
            "to_witness": to_witness,
            "arriving": arriving,
        },
        markings=[c.document.marking for c in held]
        + [d.marking for d in recent]
        + [h.copy.document.marking for h in incoming]
        + [d.copy.document.marking for d in to_witness]
        + [t.copy.document.marking for t in arriving],
    )
