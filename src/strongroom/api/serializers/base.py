"""What every input body shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from strongroom.domain.clearance import ClearanceStatus, PersonStatus
from strongroom.domain.custody import CopyState
from strongroom.models.destructions import DestructionState
from strongroom.models.documents import Medium

# Versions are 32-bit in every table; a larger number can only be a mistake (and would
# overflow the driver), so it is bad input rather than a conflict.
MAX_VERSION = 2**31 - 1


class Input(serializers.Serializer):
    """A request body that names its mistakes: an unknown field is an error, not ignored,
    so a misspelt ``expected_verison`` cannot silently skip the conflict check."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in set(data) - set(self.fields))
            if unknown:
                known = ", ".join(self.fields)
                raise serializers.ValidationError(
                    {name: [f"Unknown field; the fields here are: {known}."] for name in unknown}
                )
        return super().to_internal_value(data)


class Reason(Input):
    reason = serializers.CharField(
        max_length=500, help_text="Why; kept in the ledger with the change."
    )


def read(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Validated input, or a ValidationError that the API answers with 400 and ``fields``."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class EnumChoice(serializers.ChoiceField):
    """A choice among the values of one of the domain's enums; see ``enum_field``."""

    values: ClassVar[list[str]] = []

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.values, **kwargs)


def enum_field(name: str, values: Sequence[str]) -> type[EnumChoice]:
    """A choice field documented as one named enum component, whatever the field is called:
    spectacular otherwise names enums after fields, and person and clearance "status" collide."""
    field = type(f"{name}Field", (EnumChoice,), {"values": list(values)})
    return extend_schema_field({"type": "string", "enum": list(values)}, component_name=name)(
        field
    )


CopyStateField = enum_field("CopyState", [s.value for s in CopyState])
DestructionStateField = enum_field("DestructionState", [s.value for s in DestructionState])
MediumField = enum_field("Medium", Medium.values)
PersonStatusField = enum_field("PersonStatus", [s.value for s in PersonStatus])
ClearanceStatusField = enum_field("ClearanceStatus", [s.value for s in ClearanceStatus])
