"""The bulk-built benchmark register is genuine: verify() accepts it, and its ledger entries say
exactly what the services write for the same acts."""

from __future__ import annotations

from datetime import date

from strongroom.bench.dataset import build
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Copy, Document
from strongroom.services import custody, registry


def test_bulk_dataset_has_the_sizes_asked_for_and_verifies(db: None) -> None:
    _, built = build(copies=45, entries=420, staff=12)

    assert (built.copies, built.entries) == (45, 420)
    assert Copy.objects.count() == 45
    assert LedgerEntry.objects.count() == 420
    assert Document.objects.count() == built.documents
    assert {"in_registry", "held"} == set(Copy.objects.values_list("state", flat=True))
    report = verify()
    assert report.ok, report.problems


def test_bulk_entries_match_what_the_services_write(db: None) -> None:
    org, _ = build(copies=30, entries=300, staff=12)
    bulk_registered = LedgerEntry.objects.filter(kind="document.registered").first()
    bulk_issued = LedgerEntry.objects.filter(kind="copy.issued").first()
    bulk_returned = LedgerEntry.objects.filter(kind="copy.returned").first()
    assert bulk_registered and bulk_issued and bulk_returned
    holder = next(m for m in org.staff if m.username == bulk_issued.data["holder"])

    document = registry.register_document(
        unit=org.units[0],
        short_title="Service registration",
        full_title="A registration through the service, for comparison",
        marking="RESTRICTED",
        originator="Somebody",
        received_on=date.today(),
        pages=1,
        medium="paper",
        copies=1,
        by=org.registrar,
    )
    copy = Copy.objects.select_related("document__unit").get(document=document)
    custody.issue_copy(copy, to=holder, by=org.custodian)
    custody.return_copy(copy, by=org.custodian)
    entries = {e.kind: e for e in LedgerEntry.objects.filter(seq__gt=300)}

    service_registered = entries["document.registered"]
    assert service_registered.data.keys() == bulk_registered.data.keys()
    assert entries["copy.issued"].data == bulk_issued.data
    assert entries["copy.returned"].data.keys() == bulk_returned.data.keys()
    assert entries["copy.returned"].data["location"] == "HQ registry"
    assert verify().ok
