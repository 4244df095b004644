"""The REST API: /api/v1/... and its OpenAPI description at /api/schema/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from strongroom.api.endpoints import (
    alerts,
    campaigns,
    check_outs,
    clearances,
    copies,
    couriers,
    delegations,
    destructions,
    documents,
    hand_overs,
    incidents,
    ledger,
    me,
    people,
    reproductions,
    timelines,
    tokens,
    transits,
    units,
)
from strongroom.api.endpoints.base import Fallback

app_name = "api"

DOCUMENT = "v1/documents/<str:control>/"
COPY = DOCUMENT + "copies/<int:number>/"
PERSON = "v1/people/<str:username>/"
HAND_OVER = "v1/hand-overs/<str:reference>/"
REPRODUCTION = "v1/reproductions/<str:reference>/"
DESTRUCTION = "v1/destructions/<str:reference>/"
TRANSIT = "v1/transits/<str:reference>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/tokens/", tokens.Tokens.as_view(), name="tokens"),
    path("v1/me/", me.MeView.as_view(), name="me"),
    path("v1/documents/", documents.Register.as_view(), name="documents"),
    path(DOCUMENT, documents.DocumentView.as_view(), name="document"),
    path(DOCUMENT + "history", documents.DocumentHistory.as_view(), name="document-history"),
    path(DOCUMENT + "corrections", documents.Corrections.as_view(), name="document-corrections"),
    path(
        DOCUMENT + "reproductions",
        reproductions.DocumentReproductions.as_view(),
        name="document-reproductions",
    ),
    path(DOCUMENT + "downgrade", documents.DowngradeDocument.as_view(), name="document-downgrade"),
    path(COPY, copies.CopyView.as_view(), name="copy"),
    path(COPY + "issue", copies.IssueCopy.as_view(), name="copy-issue"),
    path(COPY + "return", copies.ReturnCopy.as_view(), name="copy-return"),
    path(COPY + "check-out", check_outs.LendCopy.as_view(), name="copy-check-out"),
    path(COPY + "check-in", check_outs.CheckInCopy.as_view(), name="copy-check-in"),
    path(DOCUMENT + "readers", check_outs.Readers.as_view(), name="document-readers"),
    path("v1/check-outs/", check_outs.CheckOuts.as_view(), name="check-outs"),
    path("v1/alerts/", alerts.Alerts.as_view(), name="alerts"),
    path("v1/delegations/", delegations.Delegations.as_view(), name="delegations"),
    path("v1/delegations/<int:number>/", delegations.DelegationView.as_view(), name="delegation"),
    path("v1/delegations/<int:number>/revoke", delegations.RevokeDelegation.as_view(),
         name="delegation-revoke"),
    path("v1/campaigns/", campaigns.Campaigns.as_view(), name="campaigns"),
    path("v1/campaigns/<str:reference>/", campaigns.CampaignView.as_view(), name="campaign"),
    path("v1/incidents/", incidents.Incidents.as_view(), name="incidents"),
    path("v1/hand-overs/", hand_overs.HandOvers.as_view(), name="hand-overs"),
    path(HAND_OVER, hand_overs.HandOverView.as_view(), name="hand-over"),
    path(HAND_OVER + "accept", hand_overs.AcceptHandOver.as_view(), name="hand-over-accept"),
    path(HAND_OVER + "refuse", hand_overs.RefuseHandOver.as_view(), name="hand-over-refuse"),
    path(HAND_OVER + "cancel", hand_overs.CancelHandOver.as_view(), name="hand-over-cancel"),
    path(HAND_OVER + "receipt.pdf", hand_overs.HandOverReceipt.as_view(), name="hand-over-receipt"),
    path("v1/reproductions/", reproductions.Reproductions.as_view(), name="reproductions"),
    path(REPRODUCTION, reproductions.ReproductionView.as_view(), name="reproduction"),
    path(
        REPRODUCTION + "approve",
        reproductions.ApproveReproduction.as_view(),
        name="reproduction-approve",
    ),
    path(
        REPRODUCTION + "refuse",
        reproductions.RefuseReproduction.as_view(),
        name="reproduction-refuse",
    ),
    path(
        REPRODUCTION + "withdraw",
        reproductions.WithdrawReproduction.as_view(),
        name="reproduction-withdraw",
    ),
    path("v1/destructions/", destructions.Destructions.as_view(), name="destructions"),
    path(DESTRUCTION, destructions.DestructionView.as_view(), name="destruction"),
    path(
        DESTRUCTION + "witness",
        destructions.WitnessDestruction.as_view(),
        name="destruction-witness",
    ),
    path(
        DESTRUCTION + "refuse", destructions.RefuseDestruction.as_view(), name="destruction-refuse"
    ),
    path(
        DESTRUCTION + "withdraw",
        destructions.WithdrawDestruction.as_view(),
        name="destruction-withdraw",
    ),
    path(
        DESTRUCTION + "certificate.pdf",
        destructions.DestructionCertificate.as_view(),
        name="destruction-certificate",
    ),
    path("v1/transits/", transits.Transits.as_view(), name="transits"),
    path(TRANSIT, transits.TransitView.as_view(), name="transit"),
    path(TRANSIT + "receive", transits.ReceiveTransit.as_view(), name="transit-receive"),
    path(
        TRANSIT + "confirm-receipt",
        transits.ConfirmTransitReceipt.as_view(),
        name="transit-confirm-receipt",
    ),
    path(TRANSIT + "receipt.pdf", transits.TransitReceipt.as_view(), name="transit-receipt"),
    path("v1/couriers/", couriers.Couriers.as_view(), name="couriers"),
    path(
        "v1/couriers/<str:username>/revoke", couriers.RevokeCourier.as_view(), name="courier-revoke"
    ),
    path("v1/units/", units.Units.as_view(), name="units"),
    path("v1/units/<str:code>/", units.UnitView.as_view(), name="unit"),
    path("v1/units/<str:code>/head", units.UnitHeadView.as_view(), name="unit-head"),
    path("v1/people/", people.People.as_view(), name="people"),
    path(PERSON, people.PersonView.as_view(), name="person"),
    path(PERSON + "status", people.PersonStatusView.as_view(), name="person-status"),
    path(PERSON + "held", timelines.HeldOn.as_view(), name="person-held"),
    path(PERSON + "clearance", clearances.ClearanceView.as_view(), name="clearance"),
    path(
        PERSON + "clearance/suspend",
        clearances.SuspendClearance.as_view(),
        name="clearance-suspend",
    ),
    path(
        PERSON + "clearance/reinstate",
        clearances.ReinstateClearance.as_view(),
        name="clearance-reinstate",
    ),
    path(
        PERSON + "clearance/revoke", clearances.RevokeClearance.as_view(), name="clearance-revoke"
    ),
    path("v1/ledger/verify", ledger.VerifyLedger.as_view(), name="ledger-verify"),
    path("v1/ledger/checkpoint", ledger.LatestCheckpoint.as_view(), name="ledger-checkpoint"),
    path(
        "v1/ledger/checkpoint/cosignatures",
        ledger.Cosignatures.as_view(),
        name="ledger-cosignatures",
    ),
    path(
        "v1/ledger/checkpoint.pdf",
        ledger.CheckpointPrintout.as_view(),
        name="ledger-checkpoint-printout",
    ),
    path("v1/ledger/log-key", ledger.LogKey.as_view(), name="ledger-log-key"),
    path(
        "v1/ledger/proofs/inclusion", ledger.InclusionProof.as_view(), name="ledger-inclusion"
    ),
    path(
        "v1/ledger/proofs/consistency",
        ledger.ConsistencyProof.as_view(),
        name="ledger-consistency",
    ),
    # Last: anything else under /api/ is a 404 in the API's error shape, not an HTML page.
    re_path(r"^", Fallback.as_view(), name="fallback"),
]
