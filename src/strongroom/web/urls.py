from django.urls import path

from strongroom.web.views import (
    auth,
    campaigns,
    clearances,
    copies,
    dashboard,
    documents,
    hand_overs,
    people,
    units,
)

app_name = "web"

_COPY = "documents/<str:control_number>/copies/<int:number>/"
_PERSON = "people/<str:username>/"
_HAND_OVER = "hand-overs/<str:reference>/"

urlpatterns = [
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOutView.as_view(), name="sign-out"),
    path("", dashboard.dashboard, name="dashboard"),
    path("documents/", documents.register, name="register"),
    # Before the control-number pattern; "new" can never be a control number.
    path("documents/new/", documents.register_document, name="register-document"),
    path("documents/<str:control_number>/", documents.document, name="document"),
    path(
        "documents/<str:control_number>/correct/",
        documents.correct_document,
        name="correct-document",
    ),
    path(_COPY, copies.copy, name="copy"),
    path(f"{_COPY}issue/", copies.issue, name="issue-copy"),
    path(f"{_COPY}return/", copies.give_back, name="return-copy"),
    path(f"{_COPY}hand-over/", hand_overs.dispatch, name="hand-over-copy"),
    path("hand-overs/", hand_overs.hand_over_list, name="hand-overs"),
    path(_HAND_OVER, hand_overs.hand_over, name="hand-over"),
    path(f"{_HAND_OVER}accept/", hand_overs.accept, name="accept-hand-over"),
    path(f"{_HAND_OVER}refuse/", hand_overs.refuse, name="refuse-hand-over"),
    path(f"{_HAND_OVER}cancel/", hand_overs.cancel, name="cancel-hand-over"),
    path(f"{_HAND_OVER}receipt.pdf", hand_overs.receipt, name="hand-over-receipt"),
    path("scan/", hand_overs.scan, name="scan"),
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
