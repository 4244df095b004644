"""Documents, their copies and their ledger history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from strongroom.api.serializers.base import (
    MAX_VERSION,
    CopyStateField,
    DestructionStateField,
    Input,
    MediumField,
)
from strongroom.ledger.entry import parse, parse_time
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Destruction, DestructionState, Document
from strongroom.services.registry import CORRECTABLE

MARKING_HELP = (
    "The banner line: LEVEL//COMPARTMENT/...//CAVEAT/..., e.g. SECRET//ALPHA//NO COPY. "
    "Label anything shown or printed from this response with it."
)


def _level_names() -> str:
    return ", ".join(settings.STRONGROOM_MARKING_SCHEME.levels)


class RegisterQuery(serializers.Serializer):
    """The filters of the register; the list holds only what the caller may see.

    Not strict like bodies: query strings pick up cache-busters and the paginator's own
    ``limit`` and ``offset``.
    """

    q = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Words that must all appear in the control number, titles, originator or "
        "originator's reference.",
    )
    level = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text=f"Only documents at this level: {_level_names()}.",
    )
    state = CopyStateField(
        required=False, allow_blank=True,
        help_text="Only documents with at least one copy in this state.",
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Only documents of this unit or the units below it (unit code).",
    )


class Registration(Input):
    unit = serializers.CharField(help_text="Code of the registering unit, e.g. HQ.")
    short_title = serializers.CharField(max_length=200)
    full_title = serializers.CharField(max_length=500)
    marking = serializers.CharField(max_length=400, help_text=MARKING_HELP)
    originator = serializers.CharField(max_length=200)
    originator_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    received_on = serializers.DateField(help_text="Date received, YYYY-MM-DD; not in the future.")
    pages = serializers.IntegerField(min_value=1)
    medium = MediumField()
    copies = serializers.IntegerField(
        min_value=1, help_text="How many numbered copies to register; all start in the registry."
    )


class Changes(Input):
    """Only the fields to change; each one optional."""

    short_title = serializers.CharField(max_length=200, required=False)
    full_title = serializers.CharField(max_length=500, required=False)
    marking = serializers.CharField(max_length=400, required=False, help_text=MARKING_HELP)
    originator = serializers.CharField(max_length=200, required=False)
    originator_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    received_on = serializers.DateField(required=False)
    pages = serializers.IntegerField(min_value=1, required=False)
    medium = MediumField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                f"Name at least one field to correct: {', '.join(CORRECTABLE)}."
            )
        return attrs


class Correction(Input):
    changes = Changes()
    reason = serializers.CharField(
        max_length=500, help_text="Why the registration was wrong; kept in the ledger."
    )


class Downgrade(Input):
    marking = serializers.CharField(
        max_length=400,
        help_text="The lower marking, e.g. CONFIDENTIAL; to the lowest level it is declassified. "
        "Never higher in any respect: raising a marking is a correction.",
    )
    authority = serializers.CharField(
        max_length=500,
        help_text="Who ordered it and by what instrument, e.g. 'Ministry of Widgets letter "
        "MW/12/7 of 2026-03-01'. Kept in the ledger.",
    )
    reason = serializers.CharField(max_length=500, help_text="Why; kept in the ledger.")
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The document's version as you last read it; 409 if it changed since.",
    )


class Movement(Input):
    expected_version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION,
        help_text="The copy's version as you last read it; if it has moved since, the answer is "
        "409 and nothing changes.",
    )


class Issue(Movement):
    to = serializers.CharField(help_text="Username of the person who will hold the copy.")


class DocumentRef(serializers.Serializer):
    """Just enough of a document to name and label it."""

    control_number = serializers.CharField()
    short_title = serializers.CharField()
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)

    def get_marking(self, document: Document) -> str:
        return document.marking.banner()


@extend_schema_serializer(component_name="Document")
class DocumentOut(DocumentRef):
    level = serializers.SerializerMethodField()
    compartments = serializers.SerializerMethodField()
    caveats = serializers.SerializerMethodField()
    unit = serializers.CharField(source="unit.code")
    full_title = serializers.CharField()
    originator = serializers.CharField()
    originator_reference = serializers.CharField()
    received_on = serializers.DateField()
    pages = serializers.IntegerField()
    medium = MediumField()
    copy_count = serializers.IntegerField()
    registered_by = serializers.CharField(source="registered_by.username")
    registered_at = serializers.DateTimeField()
    version = serializers.IntegerField()

    def get_level(self, document: Document) -> str:
        return document.marking.level

    def get_compartments(self, document: Document) -> list[str]:
        return sorted(document.compartment_set)

    def get_caveats(self, document: Document) -> list[str]:
        return sorted(document.caveat_set)


@extend_schema_serializer(component_name="Copy")
class CopyOut(serializers.Serializer):
    number = serializers.IntegerField()
    reference = serializers.CharField(
        help_text="Control number and copy number, e.g. HQ-2026-0042/3."
    )
    state = CopyStateField()
    holder = serializers.CharField(
        source="holder.username",
        allow_null=True,
        help_text="Username of the holder; null when nobody holds it: in the registry (also "
        "while awaiting destruction), missing, or destroyed.",
    )
    location = serializers.CharField(
        help_text="Where it is, in words, e.g. 'HQ registry', 'with rita (HQ)', or 'destroyed "
        "by shredding' once destroyed."
    )
    registry = serializers.CharField(
        source="unit.code",
        help_text="The unit whose registry answers for the copy: its document's unit, until a "
        "transit delivers it to another unit's registry. A destroyed copy is in no registry; "
        "this is then the registry that keeps its record.",
    )
    since = serializers.DateTimeField(help_text="When the copy came into its current state.")
    version = serializers.IntegerField(
        help_text="Send as expected_version to issue or return it safely."
    )


@extend_schema_serializer(component_name="DocumentDetail")  # not its parent's name
class DocumentDetail(DocumentOut):
    # The endpoint passes the copies, read by a query, as context["copies"].
    copies = serializers.SerializerMethodField()

    @extend_schema_field(CopyOut(many=True))
    def get_copies(self, document: Document) -> list[dict[str, Any]]:
        return list(CopyOut(self.context.get("copies", []), many=True).data)


class Step(serializers.Serializer):
    """One ledger entry in the life of a copy, with where the copy was after it."""

    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="Ledger event kind, e.g. copy.issued.")
    actor = serializers.CharField(allow_null=True, help_text="Who did it (username).")
    state = serializers.CharField()
    holder = serializers.CharField(allow_null=True)
    location = serializers.CharField()
    data = serializers.DictField(  # type: ignore[assignment]  # moved to _declared_fields
        help_text="The entry's recorded data."
    )


def certificate_url(destruction: Destruction) -> str | None:
    """Where the API serves a destruction's certificate; None until it is witnessed."""
    if destruction.destruction_state is not DestructionState.WITNESSED:
        return None
    return f"/api/v1/destructions/{destruction.reference}/certificate.pdf"


class DestructionRef(serializers.Serializer):
    """Just enough of a destruction to name it and fetch its certificate."""

    reference = serializers.UUIDField(help_text="Full reference, as in the certificate's QR code.")
    short_reference = serializers.CharField(
        help_text="The 8 characters printed on the certificate."
    )
    state = DestructionStateField(help_text="pending (awaiting the witness) or witnessed.")
    certificate = serializers.SerializerMethodField(
        help_text="Where to fetch the PDF certificate, once witnessed."
    )

    def get_certificate(self, destruction: Destruction) -> str | None:
        return certificate_url(destruction)


@extend_schema_serializer(component_name="CopyDetail")  # not its parent's name
class CopyDetail(CopyOut):
    """Where the copy is, who has it and since when, and every step that led there."""

    # The endpoint passes the steps, read by a query, as context["history"], and the copy's
    # destruction the caller may see, pending or witnessed, as context["destruction"].

    document = DocumentRef()
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)
    destruction = serializers.SerializerMethodField(
        help_text="The copy's destruction, awaiting the witness or witnessed (then the copy is "
        "destroyed), with its certificate; null if it has none, or none you may see."
    )
    history = serializers.SerializerMethodField()

    def get_marking(self, copy: Copy) -> str:
        return copy.document.marking.banner()

    @extend_schema_field(DestructionRef(allow_null=True))
    def get_destruction(self, copy: Copy) -> dict[str, Any] | None:
        found: Destruction | None = self.context.get("destruction")
        return None if found is None else dict(DestructionRef(found).data)

    @extend_schema_field(Step(many=True))
    def get_history(self, copy: Copy) -> list[dict[str, Any]]:
        steps: Any = Step(self.context.get("history", []), many=True).data
        return list(steps)


class Entry(serializers.Serializer):
    """A ledger entry as it was hashed: the body is the record, the columns only index it."""

    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="Ledger event kind, e.g. document.corrected.")
    actor = serializers.CharField(allow_null=True, help_text="Who did it (username).")
    subject = serializers.CharField(help_text="What it is about, e.g. copy:HQ-2026-0042/3.")
    data = serializers.DictField(  # type: ignore[assignment]  # moved to _declared_fields
        help_text="The entry's recorded data."
    )

    def to_representation(self, instance: LedgerEntry) -> dict[str, Any]:
        body = parse(bytes(instance.body))
        return {
            "seq": body["seq"],
            "at": serializers.DateTimeField().to_representation(parse_time(body["at"])),
            "kind": body["kind"],
            "actor": body["actor"],
            "subject": body["subject"],
            "data": body["data"],
        }


class History(serializers.Serializer):
    """Every ledger entry about a document and its copies, oldest first."""

    document = DocumentRef()
    entries = Entry(many=True)
