"""Destructions in and out of the API."""

from __future__ import annotations

from rest_framework import serializers

from strongroom.api.serializers.base import (
    MAX_VERSION,
    DestructionStateField,
    Input,
    enum_field,
)
from strongroom.api.serializers.documents import certificate_url
from strongroom.api.serializers.printed import PrintedOut
from strongroom.domain.destruction import METHODS_FOR_MEDIUM, Method
from strongroom.models import Destruction

MethodField = enum_field("DestructionMethod", [m.value for m in Method])

_FITTING = "; ".join(
    f"{medium}: {', '.join(m.value for m in methods)}"
    for medium, methods in METHODS_FOR_MEDIUM.items()
)


class Proposal(Input):
    copy = serializers.CharField(help_text="The copy to destroy, e.g. HQ-2026-0042/3.")
    witness = serializers.CharField(
        help_text="Username of the witness: another person cleared for the marking, who sees "
        "it done and countersigns."
    )
    method = MethodField(help_text=f"How it is destroyed; it must fit the medium ({_FITTING}).")
    destroyed_on = serializers.DateField(
        required=False,
        help_text="Date of destruction, YYYY-MM-DD (default: today); not in the future, nor "
        "before the copy came into the registry.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="The destroyer's note, e.g. a batch or bag number; printed on the certificate.",
    )
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The copy's version as you last read it; if it has moved since, the answer is "
        "409 and nothing changes.",
    )


class Countersign(Input):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The destruction's version as you last read it; 409 if it changed since.",
    )


class CallOff(Countersign):
    reason = serializers.CharField(max_length=500, help_text="Why; kept in the record.")


class DestructionOut(PrintedOut):
    reference = serializers.UUIDField(help_text="Full reference, as in the certificate's QR code.")
    short_reference = serializers.CharField(
        help_text="The 8 characters printed on the certificate."
    )
    marking_when_proposed = serializers.CharField(
        source="marking", help_text="The copy's marking when it was put forward for destruction."
    )
    method = MethodField()
    destroyed_on = serializers.DateField()
    destroyer = serializers.CharField(source="destroyer.username")
    witness = serializers.CharField(source="witness.username")
    state = DestructionStateField(
        help_text="pending (awaiting the witness), witnessed (destroyed), refused or withdrawn."
    )
    proposed_at = serializers.DateTimeField(help_text="When the destroyer signed.")
    witnessed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the witness countersigned."
    )
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField(source="resolved_by.username", allow_null=True)
    note = serializers.CharField()
    reason = serializers.CharField(help_text="Why it was refused or withdrawn.")
    kept_until = serializers.DateField(
        allow_null=True, help_text="Once witnessed: the record is kept at least until then."
    )
    version = serializers.IntegerField()
    certificate = serializers.SerializerMethodField(
        help_text="Where to fetch the PDF certificate, once witnessed."
    )

    def get_certificate(self, destruction: Destruction) -> str | None:
        return certificate_url(destruction)
