"""Downgrading and declassification only ever lower a marking."""

from __future__ import annotations

import pytest

from strongroom.domain.classification import Reclassification, reclassification
from strongroom.domain.errors import InvalidInput
from strongroom.domain.markings import DEFAULT_SCHEME


def _change(old: str, new: str) -> Reclassification:
    return reclassification(DEFAULT_SCHEME.parse(old), DEFAULT_SCHEME.parse(new))


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("TOP SECRET", "SECRET", Reclassification.DOWNGRADE),
        ("SECRET//ALPHA/BRAVO", "SECRET//ALPHA", Reclassification.DOWNGRADE),
        ("SECRET//NO COPY", "SECRET", Reclassification.DOWNGRADE),
        ("SECRET//ALPHA//NO COPY", "RESTRICTED", Reclassification.DOWNGRADE),
        ("SECRET//ALPHA//NO COPY", "UNCLASSIFIED", Reclassification.DECLASSIFICATION),
        ("RESTRICTED//NO FOREIGN", "UNCLASSIFIED//NO FOREIGN", Reclassification.DECLASSIFICATION),
        # Already at the lowest level, dropping a compartment lowers it, but declassifies nothing.
        ("UNCLASSIFIED//ALPHA", "UNCLASSIFIED", Reclassification.DOWNGRADE),
    ],
)
def test_a_lower_marking(old: str, new: str, kind: Reclassification) -> None:
    assert _change(old, new) is kind


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("SECRET", "TOP SECRET"),
        ("SECRET", "SECRET//ALPHA"),
        ("SECRET//ALPHA", "CONFIDENTIAL//BRAVO"),
        ("SECRET", "SECRET//NO COPY"),
    ],
)
def test_anything_higher_in_any_respect_is_refused(old: str, new: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        _change(old, new)
    assert invalid.value.message == (
        f"{new} is not a downgrade of {old}: a downgrade may lower the level and drop "
        "compartments and caveats, never add any. To raise a marking, correct the registration."
    )
    assert invalid.value.field == "marking"


def test_the_same_marking_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^The document is already marked SECRET//ALPHA\.$"):
        _change("SECRET//ALPHA", "SECRET//ALPHA")
