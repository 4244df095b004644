"""Words shown for the codes the domain stores, and for the domain's own sentences, all
translatable."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strongroom.domain.campaigns import Step
from strongroom.domain.clearance import ClearanceStatus, PersonStatus
from strongroom.domain.custody import CopyState
from strongroom.domain.destruction import Method
from strongroom.domain.reproduction import ReproductionState
from strongroom.domain.text import Text
from strongroom.ledger.events import Event
from strongroom.models.custody import HandOverState
from strongroom.models.destructions import DestructionState
from strongroom.models.documents import Medium
from strongroom.models.incidents import IncidentKind, IncidentState
from strongroom.models.transport import TransitState
from strongroom.policy import Role

COPY_STATES: dict[str, Promise] = {
    CopyState.IN_REGISTRY: _("in registry"),
    CopyState.HELD: _("held"),
    CopyState.IN_HAND_OVER: _("in hand-over"),
    CopyState.CHECKED_OUT: _("checked out"),
    CopyState.AWAITING_DESTRUCTION: _("awaiting destruction"),
    CopyState.IN_TRANSIT: _("in transit"),
    CopyState.MISSING: _("missing"),
    CopyState.DESTROYED: _("destroyed"),
}

HAND_OVER_STATES: dict[str, Promise] = {
    HandOverState.PENDING: _("awaiting acknowledgement"),
    HandOverState.ACCEPTED: _("acknowledged"),
    HandOverState.REFUSED: _("refused"),
    HandOverState.CANCELLED: _("called back"),
}

REPRODUCTION_STATES: dict[str, Promise] = {
    ReproductionState.PENDING: _("awaiting a decision"),
    ReproductionState.APPROVED: _("approved"),
    ReproductionState.REFUSED: _("refused"),
    ReproductionState.WITHDRAWN: _("withdrawn"),
}

DESTRUCTION_STATES: dict[str, Promise] = {
    DestructionState.PENDING: _("awaiting the witness"),
    DestructionState.WITNESSED: _("witnessed"),
    DestructionState.REFUSED: _("refused by the witness"),
    DestructionState.WITHDRAWN: _("withdrawn"),
}

METHODS: dict[str, Promise] = {
    Method.SHREDDING: _("shredding"),
    Method.PULPING: _("pulping"),
    Method.BURNING: _("burning"),
    Method.DISINTEGRATION: _("disintegration"),
    Method.DEGAUSSING: _("degaussing (removable media)"),
    Method.SECURE_ERASE: _("secure erase (electronic)"),
}

TRANSIT_STATES: dict[str, Promise] = {
    TransitState.IN_TRANSIT: _("in transit"),
    TransitState.RECEIVED: _("received, receipt not yet back"),
    TransitState.RECEIPT_RETURNED: _("receipt returned"),
}

CAMPAIGN_STEPS: dict[str, Promise] = {
    Step.HOLDER: _("the holder"),
    Step.SUPERVISOR: _("the supervisor"),
    Step.SECURITY_OFFICER: _("the security officer"),
}

INCIDENT_KINDS: dict[str, Promise] = {
    IncidentKind.COPY_NOT_RETURNED: _("copy not returned"),
}

INCIDENT_STATES: dict[str, Promise] = {
    IncidentState.OPEN: _("open"),
}

ROLES: dict[str, Promise] = {
    Role.ADMINISTRATOR: _("administrator"),
    Role.CUSTODIAN: _("custodian"),
    Role.INSPECTOR: _("inspector"),
    Role.REGISTRAR: _("registrar"),
    Role.SECURITY_OFFICER: _("security officer"),
    Role.STAFF: _("staff"),
}

PERSON_STATUSES: dict[str, Promise] = {
    PersonStatus.ACTIVE: _("active"),
    PersonStatus.SUSPENDED: _("suspended"),
    PersonStatus.DEPARTED: _("departed"),
}

CLEARANCE_STATUSES: dict[str, Promise] = {
    ClearanceStatus.ACTIVE: _("active"),
    ClearanceStatus.SUSPENDED: _("suspended"),
    ClearanceStatus.REVOKED: _("revoked"),
}

MEDIA: dict[str, Promise] = {
    Medium.PAPER: _("paper"),
    Medium.ELECTRONIC: _("electronic"),
    Medium.REMOVABLE_MEDIA: _("removable media"),
}

EVENTS: dict[str, Promise] = {
    Event.ACCESS_REFUSED: _("access refused"),
    Event.ALERT_CLEARED: _("alert cleared"),
    Event.ALERT_RAISED: _("alert raised"),
    Event.CAMPAIGN_CLOSED: _("campaign closed"),
    Event.CAMPAIGN_COPY_RETURNED: _("campaign copy back"),
    Event.CAMPAIGN_CREATED: _("campaign started"),
    Event.CHECK_OUT_LENT: _("lent for reading"),
    Event.CHECK_OUT_RETURNED: _("checked in"),
    Event.CLEARANCE_GRANTED: _("clearance granted"),
    Event.CLEARANCE_REINSTATED: _("clearance reinstated"),
    Event.CLEARANCE_REVOKED: _("clearance revoked"),
    Event.CLEARANCE_SUSPENDED: _("clearance suspended"),
    Event.COPY_ISSUED: _("issued"),
    Event.COPY_RETURNED: _("returned"),
    Event.COURIER_AUTHORISED: _("courier authorised"),
    Event.COURIER_REVOKED: _("courier authorisation revoked"),
    Event.DELEGATION_GRANTED: _("duty delegated"),
    Event.DELEGATION_REVOKED: _("delegation revoked"),
    Event.DESTRUCTION_PROPOSED: _("put forward for destruction"),
    Event.DESTRUCTION_REFUSED: _("destruction refused by the witness"),
    Event.DESTRUCTION_WITHDRAWN: _("destruction withdrawn"),
    Event.DESTRUCTION_WITNESSED: _("destroyed (witnessed)"),
    Event.DOCUMENT_CORRECTED: _("registration corrected"),
    Event.DOCUMENT_DECLASSIFIED: _("declassified"),
    Event.DOCUMENT_DOWNGRADED: _("downgraded"),
    Event.DOCUMENT_REGISTERED: _("registered"),
    Event.HAND_OVER_ACCEPTED: _("hand-over acknowledged"),
    Event.HAND_OVER_CANCELLED: _("hand-over called back"),
    Event.HAND_OVER_DISPATCHED: _("handed over"),
    Event.HAND_OVER_REFUSED: _("hand-over refused"),
    Event.INCIDENT_OPENED: _("incident opened"),
    Event.PERSON_CHANGED: _("person changed"),
    Event.PERSON_CREATED: _("person created"),
    Event.PERSON_PASSWORD_SET: _("password set"),
    Event.PERSON_STATUS_CHANGED: _("status changed"),
    Event.REPRODUCTION_APPROVED: _("reproduction approved"),
    Event.REPRODUCTION_REFUSED: _("reproduction refused"),
    Event.REPRODUCTION_REQUESTED: _("reproduction requested"),
    Event.REPRODUCTION_WITHDRAWN: _("reproduction withdrawn"),
    Event.TRANSIT_DISPATCHED: _("sent to another unit"),
    Event.TRANSIT_RECEIPT_CONFIRMED: _("transit receipt returned"),
    Event.TRANSIT_RECEIVED: _("received from another unit"),
    Event.UNIT_CREATED: _("unit created"),
    Event.UNIT_HEAD_SET: _("unit head appointed"),
}


def translated(text: Text) -> str:
    """A domain or policy sentence (an error, a refusal's reason) in the reader's language."""
    return text.render(gettext)


def label(table: dict[str, Promise], code: str) -> str:
    """The word for ``code``, or the code itself for one this version does not know yet."""
    return str(table.get(code, code))
