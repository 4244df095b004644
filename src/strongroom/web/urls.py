from django.urls import path

from strongroom.web.views import (
    auth,
    campaigns,
    check_outs,
    clearances,
    copies,
    couriers,
    dashboard,
    delegations,
    destructions,
    documents,
    hand_overs,
    ledger,
    people,
    reproductions,
    transits,
    units,
)

app_name = "web"

_COPY = "documents/<str:control_number>/copies/<int:number>/"
_PERSON = "people/<str:username>/"
_HAND_OVER = "hand-overs/<str:reference>/"
_REPRODUCTION = "reproductions/<str:reference>/"
_DESTRUCTION = "destructions/<str:reference>/"
_TRANSIT = "transits/<str:reference>/"

urlpatterns = [
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOutView.as_view(), name="sign-out"),
    path("", dashboard.dashboard, name="dashboard"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger/checkpoint.pdf", ledger.checkpoint_printout, name="ledger-checkpoint-printout"),
    path("documents/", documents.register, name="register"),
    # Before the control-number pattern; "new" can never be a control number.
    path("documents/new/", documents.register_document, name="register-document"),
    path("documents/<str:control_number>/", documents.document, name="document"),
    path(
        "documents/<str:control_number>/correct/",
        documents.correct_document,
        name="correct-document",
    ),
    path(
        "documents/<str:control_number>/reproductions/",
        reproductions.request_reproduction,
        name="request-reproduction",
    ),
    path(
        "documents/<str:control_number>/downgrade/",
        documents.downgrade_document,
        name="downgrade-document",
    ),
    path(_COPY, copies.copy, name="copy"),
    path(f"{_COPY}issue/", copies.issue, name="issue-copy"),
    path(f"{_COPY}return/", copies.give_back, name="return-copy"),
    path(f"{_COPY}hand-over/", hand_overs.dispatch, name="hand-over-copy"),
    path(f"{_COPY}check-out/", check_outs.lend, name="check-out-copy"),
    path(f"{_COPY}check-in/", check_outs.check_in, name="check-in-copy"),
    path("check-outs/", check_outs.check_out_list, name="check-outs"),
    path("hand-overs/", hand_overs.hand_over_list, name="hand-overs"),
    path(_HAND_OVER, hand_overs.hand_over, name="hand-over"),
    path(f"{_HAND_OVER}accept/", hand_overs.accept, name="accept-hand-over"),
    path(f"{_HAND_OVER}refuse/", hand_overs.refuse, name="refuse-hand-over"),
    path(f"{_HAND_OVER}cancel/", hand_overs.cancel, name="cancel-hand-over"),
    path(f"{_HAND_OVER}receipt.pdf", hand_overs.receipt, name="hand-over-receipt"),
    path(f"{_COPY}destroy/", destructions.propose, name="destroy-copy"),
    path(_DESTRUCTION, destructions.destruction, name="destruction"),
    path(f"{_DESTRUCTION}witness/", destructions.witness, name="witness-destruction"),
    path(f"{_DESTRUCTION}refuse/", destructions.refuse, name="refuse-destruction"),
    path(f"{_DESTRUCTION}withdraw/", destructions.withdraw, name="withdraw-destruction"),
    path(
        f"{_DESTRUCTION}certificate.pdf",
        destructions.certificate,
        name="destruction-certificate",
    ),
    path(f"{_COPY}send/", transits.send, name="send-copy"),
    path("transits/", transits.transit_list, name="transits"),
    path(_TRANSIT, transits.transit, name="transit"),
    path(f"{_TRANSIT}receive/", transits.receive, name="receive-transit"),
    path(f"{_TRANSIT}confirm-receipt/", transits.confirm_receipt, name="confirm-transit-receipt"),
    path(f"{_TRANSIT}receipt.pdf", transits.receipt, name="transit-receipt"),
    path("couriers/", couriers.courier_list, name="couriers"),
    path("couriers/<str:username>/revoke/", couriers.revoke, name="revoke-courier"),
    path("scan/", hand_overs.scan, name="scan"),
    path("delegations/", delegations.delegation_list, name="delegations"),
    path("delegations/<int:number>/", delegations.delegation, name="delegation"),
    path("delegations/<int:number>/revoke/", delegations.revoke, name="revoke-delegation"),
    path("reproductions/", reproductions.reproduction_list, name="reproductions"),
    path(f"{_REPRODUCTION}approve/", reproductions.approve, name="approve-reproduction"),
    path(f"{_REPRODUCTION}refuse/", reproductions.refuse, name="refuse-reproduction"),
    path(f"{_REPRODUCTION}withdraw/", reproductions.withdraw, name="withdraw-reproduction"),
    path("people/", people.people, name="people"),
    path(_PERSON, people.person, name="person"),
    path(f"{_PERSON}change/", people.change_person, name="change-person"),
    path(f"{_PERSON}status/", people.person_status, name="person-status"),
    path(f"{_PERSON}clearance/", clearances.grant_clearance, name="grant-clearance"),
    path(f"{_PERSON}clearance/status/", clearances.clearance_status, name="clearance-status"),
    path(
        "documents/<str:control_number>/distribute/", campaigns.distribute, name="distribute"
    ),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<str:reference>/", campaigns.board, name="campaign"),
    path("incidents/", campaigns.incident_list, name="incidents"),
    path("units/", units.units, name="units"),
    path("units/head/", units.unit_head, name="unit-head"),
]
