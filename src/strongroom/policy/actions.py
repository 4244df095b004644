"""Every guarded action, named ``<area>:<verb>``. Keep the members sorted by value."""

from __future__ import annotations

import enum


class Action(enum.StrEnum):
    CAMPAIGN_CREATE = "campaign:create"
    CAMPAIGN_VIEW = "campaign:view"
    CLEARANCE_GRANT = "clearance:grant"
    CLEARANCE_REVOKE = "clearance:revoke"
    CLEARANCE_SUSPEND = "clearance:suspend"
    CLEARANCE_VIEW = "clearance:view"
    COPY_ISSUE = "copy:issue"
    COPY_RETURN = "copy:return"
    DOCUMENT_CORRECT = "document:correct"
    DOCUMENT_REGISTER = "document:register"
    DOCUMENT_VIEW = "document:view"
    HAND_OVER_ACCEPT = "hand_over:accept"
    HAND_OVER_CANCEL = "hand_over:cancel"
    HAND_OVER_DISPATCH = "hand_over:dispatch"
    HAND_OVER_REFUSE = "hand_over:refuse"
    HAND_OVER_VIEW = "hand_over:view"
    INCIDENT_VIEW = "incident:view"
    LEDGER_VERIFY = "ledger:verify"
    PERSON_MANAGE = "person:manage"
    PERSON_VIEW = "person:view"
    UNIT_MANAGE = "unit:manage"
    UNIT_SET_HEAD = "unit:set_head"
    UNIT_VIEW = "unit:view"
