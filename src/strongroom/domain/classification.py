"""Downgrading and declassification: a document's marking lowered on an authority's order.

Only ever lower: a downgrade may lower the level and drop compartments and caveats, never add
any. Raising a marking is a correction of the registration (someone registered it too low),
which has its own rule and record.
"""

from __future__ import annotations

import enum

from strongroom.domain.errors import InvalidInput
from strongroom.domain.markings import Marking
from strongroom.domain.text import gettext_noop


class Reclassification(enum.StrEnum):
    DOWNGRADE = "downgrade"
    # Down to the lowest level of the scheme (UNCLASSIFIED by default).
    DECLASSIFICATION = "declassification"


def reclassification(old: Marking, new: Marking) -> Reclassification:
    """What changing ``old`` to ``new`` is; InvalidInput (on ``marking``) unless it lowers it."""
    if new == old:
        raise InvalidInput(
            gettext_noop("The document is already marked %(marking)s.", marking=old.banner()),
            field="marking",
        )
    if (
        new.rank > old.rank
        or not new.compartments <= old.compartments
        or not (new.caveats <= old.caveats)
    ):
        raise InvalidInput(
            gettext_noop(
                "%(new)s is not a downgrade of %(old)s: a downgrade may lower the level and "
                "drop compartments and caveats, never add any. To raise a marking, correct "
                "the registration.",
                new=new.banner(),
                old=old.banner(),
            ),
            field="marking",
        )
    if new.rank == 0 and old.rank > 0:
        return Reclassification.DECLASSIFICATION
    return Reclassification.DOWNGRADE
