"""Reproduction rules without a database: numbering continues the series, a request is decided
once, and NO COPY is read from the marking."""

from __future__ import annotations

import pytest

from strongroom.domain.errors import IllegalTransition, InvalidInput
from strongroom.domain.markings import DEFAULT_SCHEME, MarkingScheme
from strongroom.domain.reproduction import Numbering, ReproductionState, extend, require_pending


def test_approved_copies_continue_the_numbering() -> None:
    first = extend(7, 3, most=999)
    assert first == Numbering(8, 10)
    assert (first.first, first.last, first.total, first.count) == (8, 10, 10, 3)
    second = extend(first.total, 2, most=999)
    assert (second.first, second.last, second.total, second.count) == (11, 12, 12, 2)


def test_one_copy_more() -> None:
    assert extend(1, 1, most=999) == Numbering(2, 2)


def test_no_document_grows_past_the_limit() -> None:
    assert extend(997, 2, most=999) == Numbering(998, 999)
    with pytest.raises(InvalidInput) as invalid:
        extend(998, 2, most=999)
    assert invalid.value.field == "copies"
    assert invalid.value.message == (
        "The document has 998 copies and no document may have more than 999; at most 1 more "
        "can be made."
    )


def test_at_least_one_copy_is_a_programming_error_not_input() -> None:
    with pytest.raises(ValueError):
        extend(7, 0, most=999)


def test_only_a_pending_request_is_decided() -> None:
    require_pending(ReproductionState.PENDING, "3F2A9C01")
    for state, word in [
        (ReproductionState.APPROVED, "approved"),
        (ReproductionState.REFUSED, "refused"),
        (ReproductionState.WITHDRAWN, "withdrawn"),
    ]:
        with pytest.raises(IllegalTransition) as illegal:
            require_pending(state, "3F2A9C01")
        assert illegal.value.message == f"Reproduction request 3F2A9C01 is already {word}."


@pytest.mark.parametrize(
    ("banner", "forbids"),
    [
        ("SECRET//NO COPY", True),
        ("TOP SECRET//ALPHA//NO COPY/NO FOREIGN", True),
        ("SECRET//NO FOREIGN", False),
        ("SECRET//ALPHA", False),
        ("UNCLASSIFIED", False),
    ],
)
def test_no_copy_forbids_copying(banner: str, forbids: bool) -> None:
    assert DEFAULT_SCHEME.parse(banner).forbids_copying is forbids


def test_a_scheme_without_no_copy_forbids_nothing() -> None:
    scheme = MarkingScheme(("LOW", "HIGH"), frozenset({"RED"}), frozenset({"EYES ONLY"}))
    assert not scheme.parse("HIGH//RED//EYES ONLY").forbids_copying
