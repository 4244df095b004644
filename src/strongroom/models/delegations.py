"""Delegations: a registrar or custodian hands a duty to an eligible person for a while."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from strongroom.models.people import Person, Unit
from strongroom.policy.facts import DelegationFacts, Duty


class Delegation(models.Model):
    """The delegator stays on record and accountable: every act done under a delegation names
    them in its ledger entry (``on_behalf_of``)."""

    delegator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations")
    duty = models.CharField(max_length=32, choices=[(d.value, d.label) for d in Duty])
    # Where the duty may be done: the delegator's unit (and the units below it).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    # The highest level it covers (a rank of the marking scheme).
    max_level = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=500)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"delegation {self.pk}: {self.duty} to {self.delegate_id}"

    @property
    def duty_enum(self) -> Duty:
        return Duty(self.duty)

    @property
    def level_name(self) -> str:
        return str(settings.STRONGROOM_MARKING_SCHEME.level_name(self.max_level))

    def facts(self) -> DelegationFacts:
        scheme = settings.STRONGROOM_MARKING_SCHEME
        return DelegationFacts(
            delegator_id=self.delegator_id,
            delegate=self.delegate.as_target(),
            duty=Duty(self.duty),
            unit_path=self.unit.path,
            marking=scheme.marking(scheme.level_name(self.max_level), frozenset()),
        )
