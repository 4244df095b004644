"""A person's clearance: seeing, granting, suspending, reinstating and revoking it."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.adapters import clock
from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import USERNAME, errors
from strongroom.api.serializers.base import Reason, read
from strongroom.api.serializers.people import ClearanceOut, Grant
from strongroom.domain.errors import NotFound
from strongroom.models import Clearance
from strongroom.policy import Action, require
from strongroom.queries import people
from strongroom.services import clearances

TAGS = ["clearances"]


@extend_schema(parameters=[USERNAME], tags=TAGS)
class ClearanceView(Endpoint):
    @extend_schema(
        operation_id="clearances_retrieve",
        summary="A person's clearance",
        description="Everyone may see their own; security staff, administrators and inspectors "
        "may see those of people in their unit or below it.",
        responses={200: ClearanceOut, **errors(403, 404)},
    )
    def get(self, request: Request, username: str) -> Response:
        actor = self.actor
        subject = people.person(actor, username)
        # clearance_of answers None both for "may not see" and for "has none"; asking policy
        # first tells them apart, so a refusal is a recorded 403 with its reason.
        require(
            actor.facts(clock.today()), Action.CLEARANCE_VIEW, subject.as_target(),
            f"clearance:{subject.username}",
        )
        clearance = people.clearance_of(actor, subject)
        if clearance is None:
            raise NotFound(f"{subject.username} holds no clearance.")
        return Response(ClearanceOut(clearance).data)

    @extend_schema(
        operation_id="clearances_grant",
        summary="Grant or replace a clearance",
        description="The new clearance is active at once and replaces any current one. Only a "
        "security officer over the person may grant it, and never to themselves.",
        request=Grant,
        responses={200: ClearanceOut, **errors(400, 403, 404, 409)},
    )
    def put(self, request: Request, username: str) -> Response:
        actor = self.actor
        subject = people.person(actor, username)
        data = read(Grant, request.data)
        clearance = clearances.grant_clearance(
            subject,
            level=data["level"],
            compartments=data["compartments"],
            expires_on=data["expires_on"],
            briefed_on=data["briefed_on"],
            by=actor,
        )
        return Response(ClearanceOut(clearance).data)


def _change_status(
    endpoint: Endpoint, request: Request, username: str, change: Callable[..., Clearance]
) -> Response:
    actor = endpoint.actor
    subject = people.person(actor, username)
    data = read(Reason, request.data)
    return Response(ClearanceOut(change(subject, reason=data["reason"], by=actor)).data)


def _status_schema(verb: str, description: str) -> Callable[[Callable], Callable]:
    return extend_schema(
        operation_id=f"clearances_{verb}",
        summary=f"{verb.capitalize()} a clearance",
        description=description,
        request=Reason,
        responses={200: ClearanceOut, **errors(400, 403, 404, 409)},
        parameters=[USERNAME],
        tags=TAGS,
    )


class SuspendClearance(Endpoint):
    @_status_schema("suspend", "An active clearance stops counting until it is reinstated.")
    def post(self, request: Request, username: str) -> Response:
        return _change_status(self, request, username, clearances.suspend_clearance)


class ReinstateClearance(Endpoint):
    @_status_schema("reinstate", "A suspended clearance counts again.")
    def post(self, request: Request, username: str) -> Response:
        return _change_status(self, request, username, clearances.reinstate_clearance)


class RevokeClearance(Endpoint):
    @_status_schema("revoke", "The clearance ends for good; a new one must be granted.")
    def post(self, request: Request, username: str) -> Response:
        return _change_status(self, request, username, clearances.revoke_clearance)
