"""Distribution campaigns: numbered copies issued to a named list, to be brought back by a time."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from strongroom.domain.campaigns import Ladder
from strongroom.models.documents import Copy, Document
from strongroom.models.people import Person
from strongroom.models.prepared import PreparedQuery
from strongroom.models.references import Referenced
from strongroom.policy.facts import CampaignFacts


class Campaign(Referenced):
    """Copies of one document issued at once to a named list, due back by ``due_back``.

    It closes when the last of its copies is back in the registry."""

    # No index of its own: campaigns are listed by unit, and a document's few are found by the
    # ledger; PROTECT never needs to look (documents are never deleted).
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    due_back = models.DateTimeField()
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [
            # The periodic check reads only open campaigns past their due-back time.
            models.Index(
                fields=["due_back"], condition=models.Q(closed_at__isnull=True), name="campaign_due"
            ),
        ]

    def __str__(self) -> str:
        return f"campaign {self.short_reference}"

    def facts(self) -> CampaignFacts:
        """What viewing it asks about: the document alone."""
        return CampaignFacts(self.document.facts())

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CampaignItem(models.Model):
    """One copy of a campaign and the person it was issued to."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="items")
    # No index of its own: the partial unique constraint below finds a copy's open item.
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+", db_index=False)
    recipient = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    issued_at = models.DateTimeField()
    # Set when the copy is returned to the registry (services.custody.return_copy).
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Created in copy-number order, so this is the order of the copies.
        ordering: ClassVar = ["campaign_id", "id"]
        constraints: ClassVar = [
            # A copy is out in at most one campaign at a time.
            models.UniqueConstraint(
                fields=["copy"],
                condition=models.Q(returned_at__isnull=True),
                name="campaign_item_one_out_per_copy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.copy_id}"

    @property
    def is_out(self) -> bool:
        return self.returned_at is None

    @property
    def subject(self) -> str:
        """What its reminders are about, as the ledger names it: ``campaign:<reference>/<n>``."""
        return f"campaign:{self.campaign.reference}/{self.copy.number}"


_OPEN_ITEM = PreparedQuery(
    lambda copy_id: (
        CampaignItem.objects.filter(copy_id=copy_id, returned_at__isnull=True)
        .order_by()
        .values_list("pk")
    ),
    -1,
)


def open_item(copy: Copy) -> CampaignItem | None:
    """The copy's item in a campaign it is out in now (at most one), with its campaign.

    Every return asks, and almost every answer is "none": that answer comes from one prepared
    statement on the partial unique index, as compiling the ORM query cost more than the rest
    of a return together. Only a copy that is out in a campaign is then loaded whole."""
    found = _OPEN_ITEM.first(copy.pk)
    if found is None:
        return None
    return CampaignItem.objects.select_related("campaign", "recipient").get(pk=found[0])


def ladder() -> Ladder:
    """The reminder ladder and grace period as configured (checked at start-up)."""
    holder, supervisor, security_officer = settings.STRONGROOM_CAMPAIGN_LADDER
    return Ladder(holder, supervisor, security_officer, settings.STRONGROOM_CAMPAIGN_GRACE_DAYS)
