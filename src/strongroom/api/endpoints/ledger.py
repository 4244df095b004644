"""Verifying the ledger end to end."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import errors
from strongroom.api.serializers.ledger import VerifyReport
from strongroom.queries.ledger import verify_ledger


class VerifyLedger(Endpoint):
    @extend_schema(
        operation_id="ledger_verify",
        tags=["ledger"],
        summary="Verify the ledger",
        description="Checks every entry's bytes, hashes and chain, replays the ledger and "
        "compares the result with the state tables. Inspectors, security officers and "
        "administrators only. May take a while on a large ledger.",
        request=None,
        responses={200: VerifyReport, **errors(403)},
    )
    def post(self, request: Request) -> Response:
        report = verify_ledger(self.actor)
        return Response(
            VerifyReport(
                {"ok": report.ok, "entries": report.entries, "problems": report.problems}
            ).data
        )
