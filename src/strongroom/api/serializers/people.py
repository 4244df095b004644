"""Units, people and clearances."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from strongroom.adapters import clock
from strongroom.api.errors import translated
from strongroom.api.serializers.base import (
    ClearanceStatusField,
    Input,
    PersonStatusField,
)
from strongroom.api.serializers.documents import DocumentRef
from strongroom.models import Clearance, Person
from strongroom.policy import Role

ROLES_HELP = f"Roles, any of: {', '.join(r.value for r in Role)}."


@extend_schema_serializer(component_name="Unit")
class UnitOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(  # type: ignore[assignment]  # moved to _declared_fields
        source="parent.code", allow_null=True
    )
    path = serializers.CharField(help_text="Codes from the root, e.g. HQ/NORTH.")
    head = serializers.CharField(
        source="head.username",
        allow_null=True,
        help_text="Username of the unit's head, whom campaign reminders escalate to; or null.",
    )


class NewUnit(Input):
    code = serializers.CharField(max_length=16, help_text="2-16 letters or digits, e.g. NORTH.")
    name = serializers.CharField(max_length=200)
    parent = serializers.CharField(  # type: ignore[assignment]  # moved to _declared_fields
        help_text="Code of the unit it belongs under."
    )


@extend_schema_serializer(component_name="Person")
class PersonOut(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    roles = serializers.SerializerMethodField(help_text=ROLES_HELP)
    status = PersonStatusField()
    version = serializers.IntegerField()

    def get_roles(self, person: Person) -> list[str]:
        return sorted(role.value for role in person.role_set)


class PeopleQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Words that must appear in the username or full name.",
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Only people of this unit (code)."
    )


class NewPerson(Input):
    username = serializers.CharField(max_length=64)
    full_name = serializers.CharField(max_length=200)
    unit = serializers.CharField(help_text="Code of the person's unit.")
    roles = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text=ROLES_HELP
    )
    password = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        write_only=True,
        style={"input_type": "password"},
        help_text="Leave out to create an account that cannot sign in until a password is set.",
    )


class PersonChange(Input):
    """Only the fields to change."""

    full_name = serializers.CharField(max_length=200, required=False)
    unit = serializers.CharField(required=False, help_text="Code of the new unit.")
    roles = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=f"The complete new set of roles. {ROLES_HELP}",
    )


class StatusChange(Input):
    status = PersonStatusField()
    reason = serializers.CharField(max_length=500, help_text="Why; kept in the ledger.")


def _levels() -> str:
    return ", ".join(settings.STRONGROOM_MARKING_SCHEME.levels)


@extend_schema_serializer(component_name="Clearance")
class ClearanceOut(serializers.Serializer):
    person = serializers.CharField(source="person.username")
    level = serializers.SerializerMethodField()
    compartments = serializers.SerializerMethodField()
    marking = serializers.SerializerMethodField(
        help_text="The highest marking this clearance reaches, as a banner line."
    )
    status = ClearanceStatusField()
    granted_by = serializers.CharField(source="granted_by.username", allow_null=True)
    granted_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    briefed_on = serializers.DateField(allow_null=True)
    problem = serializers.SerializerMethodField(
        help_text="Why the clearance does not count today; null when it does."
    )
    version = serializers.IntegerField()

    def get_level(self, clearance: Clearance) -> str:
        return clearance.marking().level

    def get_compartments(self, clearance: Clearance) -> list[str]:
        return sorted(clearance.compartment_set)

    def get_marking(self, clearance: Clearance) -> str:
        return clearance.marking().banner()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_problem(self, clearance: Clearance) -> str | None:
        problem = clearance.as_domain().problem_text(clock.today())
        return translated(problem) if problem else None


class Grant(Input):
    level = serializers.CharField(help_text=f"One of: {_levels()}.")
    compartments = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Compartments the person is read into.",
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    briefed_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Date of the security briefing; without one the clearance does not count.",
    )


class HeldCopy(serializers.Serializer):
    reference = serializers.CharField()
    document = DocumentRef()
    since = serializers.DateTimeField()


class UnitRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    path = serializers.CharField()


@extend_schema_serializer(component_name="Me")  # not its parent's name
class Me(PersonOut):
    """The caller: who they are, what they may hold, and what they hold now."""

    # The endpoint passes what queries read as context["clearance"] and context["holds"].

    unit = UnitRef()  # type: ignore[assignment]  # richer than the plain code of PersonOut
    clearance = serializers.SerializerMethodField()
    holds = serializers.SerializerMethodField()

    @extend_schema_field(ClearanceOut(allow_null=True))
    def get_clearance(self, person: Person) -> dict | None:
        clearance = self.context.get("clearance")
        return dict(ClearanceOut(clearance).data) if clearance else None

    @extend_schema_field(HeldCopy(many=True))
    def get_holds(self, person: Person) -> list:
        return list(HeldCopy(self.context.get("holds", []), many=True).data)
