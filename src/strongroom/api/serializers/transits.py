"""Transits and courier authorisations in and out of the API."""

from __future__ import annotations

from rest_framework import serializers

from strongroom.api.serializers.base import MAX_VERSION, Input
from strongroom.api.serializers.printed import PrintedOut
from strongroom.domain.transport import MAX_WRAPPING
from strongroom.models import CourierAuthorisation, Transit, TransitState

VERSION_HELP = "The {what}'s version as you last read it; 409 if it changed since."


class Send(Input):
    copy = serializers.CharField(help_text="The copy to send, e.g. HQ-2026-0042/3.")
    to_unit = serializers.CharField(help_text="Code of the unit whose registry receives it.")
    courier = serializers.CharField(
        help_text="Username of the courier: active, cleared for the marking and authorised today "
        "as a courier for at least its level."
    )
    expected_by = serializers.DateTimeField(
        required=False,
        help_text="When it must have arrived, with a time zone; at most STRONGROOM_TRANSIT_HOURS "
        "from now, which is also the default.",
    )
    inner_wrapping = serializers.CharField(
        max_length=MAX_WRAPPING,
        help_text="The inner layer, marked with the level, e.g. 'opaque envelope marked SECRET, "
        "sealed'.",
    )
    outer_wrapping = serializers.CharField(
        max_length=MAX_WRAPPING,
        help_text="The outer layer, which must show no marking, e.g. 'plain envelope addressed "
        "to the registry'.",
    )
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text=VERSION_HELP.format(what="copy"),
    )


class TransitStep(Input):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text=VERSION_HELP.format(what="transit"),
    )


class TransitOut(PrintedOut):
    from_unit = serializers.CharField(source="from_unit.code")
    to_unit = serializers.CharField(source="to_unit.code")
    courier = serializers.CharField(source="courier.username")
    dispatched_by = serializers.CharField(source="dispatched_by.username")
    dispatched_at = serializers.DateTimeField()
    expected_by = serializers.DateTimeField()
    inner_wrapping = serializers.CharField()
    outer_wrapping = serializers.CharField()
    state = serializers.ChoiceField(
        choices=[s.value for s in TransitState],
        help_text="in_transit; received (the receipt is on its way back to the sender); "
        "receipt_returned (closed).",
    )
    received_at = serializers.DateTimeField(allow_null=True)
    received_by = serializers.CharField(source="received_by.username", allow_null=True)
    receipt_returned_at = serializers.DateTimeField(allow_null=True)
    receipt_confirmed_by = serializers.CharField(
        source="receipt_confirmed_by.username", allow_null=True
    )
    version = serializers.IntegerField()
    receipt = serializers.SerializerMethodField(help_text="Where to fetch the PDF receipt.")

    def get_receipt(self, transit: Transit) -> str:
        return f"/api/v1/transits/{transit.reference}/receipt.pdf"


class Authorise(Input):
    courier = serializers.CharField(help_text="Username of the courier.")
    level = serializers.CharField(help_text="The highest level they may carry, e.g. SECRET.")
    valid_from = serializers.DateField(required=False, help_text="First day; default today.")
    valid_until = serializers.DateField(help_text="Last day, included.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AuthorisationOut(serializers.Serializer):
    id = serializers.IntegerField()
    courier = serializers.CharField(source="courier.username")
    unit = serializers.CharField(source="courier.unit.code")
    level = serializers.CharField(source="level_name")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    note = serializers.CharField()
    granted_by = serializers.CharField(source="granted_by.username")
    granted_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_by = serializers.CharField(source="revoked_by.username", allow_null=True)
    revoked_because = serializers.CharField()


def authorisation_out(authorisation: CourierAuthorisation) -> dict[str, object]:
    return dict(AuthorisationOut(authorisation).data)
