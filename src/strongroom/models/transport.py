"""Transport between units: courier authorisations, and transits of copies between registries."""

from __future__ import annotations

import enum
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models

from strongroom.domain import transport
from strongroom.domain.markings import Marking
from strongroom.models.documents import Copy
from strongroom.models.people import Person, Unit
from strongroom.models.references import Referenced
from strongroom.policy.facts import TransitFacts


class CourierAuthorisation(models.Model):
    """A named, cleared person may carry material up to ``level`` between facilities, from
    ``valid_from`` to ``valid_until`` (both days included), unless revoked. A security officer
    of the courier's unit or above grants it, never for themselves; its history is the ledger."""

    courier = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="courier_authorisations"
    )
    # The rank of the highest level the courier may carry.
    level = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    note = models.CharField(max_length=500, blank=True, default="")
    granted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    revoked_because = models.CharField(max_length=500, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"courier authorisation of {self.courier_id}"

    @property
    def level_name(self) -> str:
        return str(settings.STRONGROOM_MARKING_SCHEME.level_name(self.level))

    def as_domain(self) -> transport.CourierAuthorisation:
        return transport.CourierAuthorisation(
            rank=self.level,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            revoked=self.revoked_at is not None,
        )

    def current(self, today: date) -> bool:
        return self.as_domain().current(today)

    def live(self, today: date) -> bool:
        """Not revoked and not yet over: current, or starting later."""
        return self.revoked_at is None and self.valid_until >= today


def authorisations_of(courier: Person) -> tuple[transport.CourierAuthorisation, ...]:
    """Every authorisation the courier ever held, read fresh: a revocation bites at once."""
    rows = CourierAuthorisation.objects.filter(courier=courier).values_list(
        "level", "valid_from", "valid_until", "revoked_at"
    )
    return tuple(
        transport.CourierAuthorisation(level, valid_from, valid_until, revoked_at is not None)
        for level, valid_from, valid_until, revoked_at in rows
    )


def level_marking(rank: int) -> Marking:
    """A marking of the level alone: what a courier authorisation reaches."""
    scheme = settings.STRONGROOM_MARKING_SCHEME
    return Marking(rank, frozenset(), frozenset(), scheme)


class TransitState(enum.StrEnum):
    # With the courier; the destination registry has not received it yet.
    IN_TRANSIT = "in_transit"
    # Received at the destination; the signed receipt is on its way back to the sender.
    RECEIVED = "received"
    # The sending registry has its receipt back: the transit is closed.
    RECEIPT_RETURNED = "receipt_returned"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Transit(Referenced):
    """A copy carried by an authorised courier from one unit's registry to another's.

    While in transit the courier is the copy's accountable holder. The destination registry
    receives it (and from then on answers for the copy) and produces a receipt; the sending
    registry confirms when that receipt has come back. Until then the transit is on the
    sending registry's suspense list."""

    # No index of its own: the partial unique constraint below and the ledger answer by copy.
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+", db_index=False)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    courier = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    dispatched_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField()
    # Not received by then, the transit raises an alert to the person who dispatched it.
    expected_by = models.DateTimeField()
    # The two layers: the inner one marked, the outer one not.
    inner_wrapping = models.CharField(max_length=transport.MAX_WRAPPING)
    outer_wrapping = models.CharField(max_length=transport.MAX_WRAPPING)
    state = models.CharField(
        max_length=20,
        choices=[(s.value, s.label) for s in TransitState],
        default=TransitState.IN_TRANSIT.value,
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    receipt_returned_at = models.DateTimeField(null=True, blank=True)
    receipt_confirmed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-dispatched_at", "-id"]
        constraints: ClassVar = [
            # A copy is in at most one transit at a time.
            models.UniqueConstraint(
                fields=["copy"],
                condition=models.Q(state="in_transit"),
                name="transit_one_open_per_copy",
            ),
        ]
        indexes: ClassVar = [
            # The periodic check for late transits reads only those still under way.
            models.Index(
                fields=["expected_by"],
                condition=models.Q(state="in_transit"),
                name="transit_expected",
            ),
            # ...and the one for receipts not returned, only those received.
            models.Index(
                fields=["received_at"],
                condition=models.Q(state="received"),
                name="transit_receipt_due",
            ),
        ]

    def __str__(self) -> str:
        return f"transit {self.short_reference}"

    @property
    def transit_state(self) -> TransitState:
        return TransitState(self.state)

    def facts(self) -> TransitFacts:
        return TransitFacts(
            self.copy.facts(),
            self.from_unit.path,
            self.to_unit.path,
            self.courier_id,
            self.dispatched_by_id,
        )
