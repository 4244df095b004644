"""Every guarded action, named ``<area>:<verb>``. Keep the members sorted by value."""

from __future__ import annotations

import enum


class Action(enum.StrEnum):
    CHECK_OUT_LEND = "check_out:lend"
    CHECK_OUT_RETURN = "check_out:return"
    CHECK_OUT_VIEW = "check_out:view"
    CLEARANCE_GRANT = "clearance:grant"
    CLEARANCE_REVOKE = "clearance:revoke"
    CLEARANCE_SUSPEND = "clearance:suspend"
    CLEARANCE_VIEW = "clearance:view"
    COPY_ISSUE = "copy:issue"
    COPY_RETURN = "copy:return"
    DELEGATION_GRANT = "delegation:grant"
    DELEGATION_REVOKE = "delegation:revoke"
    DELEGATION_VIEW = "delegation:view"
    DOCUMENT_CORRECT = "document:correct"
    DOCUMENT_REGISTER = "document:register"
    DOCUMENT_VIEW = "document:view"
    HAND_OVER_ACCEPT = "hand_over:accept"
    HAND_OVER_CANCEL = "hand_over:cancel"
    HAND_OVER_DISPATCH = "hand_over:dispatch"
    HAND_OVER_REFUSE = "hand_over:refuse"
    HAND_OVER_VIEW = "hand_over:view"
    LEDGER_VERIFY = "ledger:verify"
    PERSON_MANAGE = "person:manage"
    PERSON_VIEW = "person:view"
    REPRODUCTION_APPROVE = "reproduction:approve"
    REPRODUCTION_REFUSE = "reproduction:refuse"
    REPRODUCTION_REQUEST = "reproduction:request"
    REPRODUCTION_VIEW = "reproduction:view"
    REPRODUCTION_WITHDRAW = "reproduction:withdraw"
    UNIT_MANAGE = "unit:manage"
    UNIT_VIEW = "unit:view"
