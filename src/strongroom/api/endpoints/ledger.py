"""The ledger: verifying it end to end, its signed checkpoints, witnesses' cosignatures of
them, and proofs against them."""

from __future__ import annotations

import base64
from dataclasses import asdict

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.endpoints.printing import PrintedEndpoint
from strongroom.api.schema import errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.ledger import (
    CheckpointOut,
    ConsistencyProofOut,
    CosignatureIn,
    CosignatureOut,
    InclusionProofOut,
    LogKeyOut,
    VerifyReport,
)
from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.domain.text import gettext_noop
from strongroom.ledger import tree
from strongroom.ledger.kept_checkpoints import as_signature
from strongroom.ledger.models import LedgerEntry
from strongroom.queries import ledger as ledger_queries
from strongroom.queries.ledger import Witnessed, verify_ledger
from strongroom.services import checkpoints


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


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _number(request: Request, name: str, *, required: bool) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if required:
            raise InvalidInput(
                gettext_noop("%(name)s is required: a whole number.", name=name), field=name
            )
        return None
    if not raw.isdigit():
        raise InvalidInput(
            gettext_noop(
                "%(name)s must be a whole number, not %(value)s.", name=name, value=repr(raw)
            ),
            field=name,
        )
    return int(raw)


class LatestCheckpoint(Endpoint):
    @extend_schema(
        operation_id="ledger_checkpoint",
        tags=["ledger"],
        summary="The latest signed checkpoint",
        description="The ledger's Merkle tree head signed with the log's key (a C2SP "
        "tlog-checkpoint in a signed note) and cosigned by the witnesses that have seen it, "
        "with the key that verifies it and whether the witness policy is met. Sizes and "
        "hashes only: any signed-in person may read it. 404 until the first is signed.",
        responses={200: CheckpointOut, **errors(404, 503)},
    )
    def get(self, request: Request) -> Response:
        published = ledger_queries.latest_checkpoint()
        if published is None:
            raise NotFound(gettext_noop("No checkpoint has been signed yet."))
        return Response(
            CheckpointOut(
                {
                    "origin": published.origin,
                    "size": published.size,
                    "root_hash": _b64(published.root),
                    "signed_at": published.signed_at,
                    "note": published.note,
                    "log_key": published.log_key,
                    "witnessed": asdict(published.witnessed),
                }
            ).data
        )


class Cosignatures(Endpoint):
    @extend_schema(
        operation_id="ledger_cosign",
        tags=["ledger"],
        summary="Hand the log a witness's cosignature of one of its checkpoints",
        description="What `strongroom witness` sends once it has checked that the checkpoint "
        "is consistent with every one it cosigned before (C2SP tlog-cosignature). Kept only if "
        "it is by a witness in STRONGROOM_WITNESSES and verifies against that witness's key, "
        "so sending one grants nothing: any signed-in person may. 201 when kept now; 200 when "
        "the log already has this witness's cosignature of that checkpoint (the first is kept). "
        "Stored cosignatures are added to the checkpoint's note.",
        request=CosignatureIn,
        responses={200: CosignatureOut, 201: CosignatureOut, **errors(400)},
    )
    def post(self, request: Request) -> Response:
        data = read(CosignatureIn, request.data)
        added = checkpoints.add_cosignature(data["size"], data["cosignature"], by=self.actor)
        row = added.cosignature
        return Response(
            CosignatureOut(
                {
                    "size": row.checkpoint_id,
                    "witness": row.witness,
                    "key_id": f"{row.key_id:08x}",
                    "time": row.timestamp,
                    "received_at": row.received_at,
                    "cosignature": as_signature(row).encode().rstrip("\n"),
                    "witnessed": asdict(Witnessed.of(added.verdict)),
                }
            ).data,
            status=status.HTTP_201_CREATED if added.created else status.HTTP_200_OK,
        )


class CheckpointPrintout(PrintedEndpoint):
    @extend_schema(
        operation_id="ledger_checkpoint_printout",
        tags=["ledger"],
        summary="The latest checkpoint on one printable page (PDF)",
        description="Origin, size, root hash (hex and base64), when it was signed, the log's "
        "key, every signature line, and the whole signed note as a QR code: an office's paper "
        "record of its ledger head. Any signed-in person may print it. 404 until the first "
        "checkpoint is signed.",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, 503),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        return self.pdf(ledger_queries.checkpoint_printout(self.actor))


class LogKey(Endpoint):
    @extend_schema(
        operation_id="ledger_log_key",
        tags=["ledger"],
        summary="The log's public key",
        description="What verifies every checkpoint: publish it where witnesses and inspectors "
        "can compare it.",
        responses={200: LogKeyOut, **errors(503)},
    )
    def get(self, request: Request) -> Response:
        return Response(
            LogKeyOut(
                {"origin": settings.STRONGROOM_LOG_ORIGIN, "log_key": ledger_queries.log_key()}
            ).data
        )


class InclusionProof(Endpoint):
    @extend_schema(
        operation_id="ledger_inclusion_proof",
        tags=["ledger"],
        summary="Proof that an entry is in the tree",
        parameters=[
            OpenApiParameter("seq", int, required=True, description="The entry's number."),
            OpenApiParameter(
                "size", int, description="The tree's size; default the latest checkpoint's."
            ),
        ],
        responses={200: InclusionProofOut, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        seq = _number(request, "seq", required=True)
        assert seq is not None
        size, proof = ledger_queries.inclusion_proof(seq, _number(request, "size", required=False))
        leaf = LedgerEntry.objects.values_list("leaf_hash", flat=True).get(seq=seq)
        return Response(
            InclusionProofOut(
                {
                    "seq": seq,
                    "size": size,
                    "leaf_hash": _b64(bytes(leaf)),
                    "root_hash": _b64(tree.root_at(size)),
                    "proof": [_b64(h) for h in proof],
                }
            ).data
        )


class ConsistencyProof(Endpoint):
    @extend_schema(
        operation_id="ledger_consistency_proof",
        tags=["ledger"],
        summary="Proof that a larger tree extends a smaller one",
        parameters=[
            OpenApiParameter("old", int, required=True, description="The smaller tree's size."),
            OpenApiParameter(
                "new", int, description="The larger tree's size; default the latest checkpoint's."
            ),
        ],
        responses={200: ConsistencyProofOut, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        old = _number(request, "old", required=True)
        assert old is not None
        new, proof = ledger_queries.consistency_proof(old, _number(request, "new", required=False))
        return Response(
            ConsistencyProofOut(
                {
                    "old": old,
                    "new": new,
                    "old_root": _b64(tree.root_at(old)),
                    "new_root": _b64(tree.root_at(new)),
                    "proof": [_b64(h) for h in proof],
                }
            ).data
        )
