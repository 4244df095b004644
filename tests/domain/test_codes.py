"""Unit codes, control numbers and copy references."""

from __future__ import annotations

import pytest

from strongroom.domain.codes import (
    CONTROL_NUMBER,
    check_unit_code,
    control_number,
    parse_copy_reference,
)
from strongroom.domain.errors import DomainError, InvalidInput

# --- unit codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("HQ", "HQ"),
        ("hq", "HQ"),
        ("  north ", "NORTH"),
        ("NCITY", "NCITY"),
        ("R2D2", "R2D2"),
        ("A" * 16, "A" * 16),
    ],
)
def test_unit_code_accepted_and_normalised(given: str, code: str) -> None:
    assert check_unit_code(given) == code


@pytest.mark.parametrize(
    "bad",
    ["", "H", "1HQ", "A" * 17, "H-Q", "H Q", "HQ/N", "ÄQ", "H_Q"],
)
def test_unit_code_rejected(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_unit_code(bad)
    assert caught.value.field == "code"
    assert "2-16 letters or digits starting with a letter" in caught.value.message
    assert repr(bad.strip().upper()) in caught.value.message
    assert caught.value.code == "invalid_input"
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize("bad", ["ßQ", "ﬀ1"])
def test_unit_code_is_not_made_valid_by_upper_casing_non_ascii_letters(bad: str) -> None:
    """'ß'.upper() is 'SS' and 'ﬀ'.upper() is 'FF': the code the user typed must not silently
    become a different, valid one."""
    with pytest.raises(InvalidInput):
        check_unit_code(bad)


# --- control numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "year", "sequence", "number"),
    [
        ("HQ", 2026, 42, "HQ-2026-0042"),
        ("HQ", 2026, 1, "HQ-2026-0001"),
        ("NORTH", 2025, 9999, "NORTH-2025-9999"),
        ("NORTH", 2025, 10000, "NORTH-2025-10000"),
        ("HQ", 999, 7, "HQ-0999-0007"),
    ],
)
def test_control_number_format(unit: str, year: int, sequence: int, number: str) -> None:
    assert control_number(unit, year, sequence) == number
    assert CONTROL_NUMBER.match(number)


def test_control_number_parts_are_recoverable() -> None:
    match = CONTROL_NUMBER.match(control_number("NCITY", 2026, 123))
    assert match is not None
    assert (match["unit"], match["year"], match["seq"]) == ("NCITY", "2026", "0123")


# --- copy references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "HQ-2026-0042/3",
        "hq-2026-0042 copy 3",
        "HQ-2026-0042#3",
        "HQ-2026-0042 COPY 3",
        "Hq-2026-0042 Copy 3",
        "  HQ-2026-0042/3  ",
        "HQ-2026-0042/03",
    ],
)
def test_copy_reference_accepted(text: str) -> None:
    assert parse_copy_reference(text) == ("HQ-2026-0042", 3)


def test_copy_reference_with_long_sequence_and_copy_number() -> None:
    assert parse_copy_reference("north-2026-12345/17") == ("NORTH-2026-12345", 17)


def test_copy_reference_round_trips_a_control_number() -> None:
    number = control_number("NCITY", 2026, 5)
    assert parse_copy_reference(f"{number}/2") == (number, 2)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "HQ-2026-0042",
        "HQ-2026-0042/",
        "/3",
        "HQ-2026-0042/x",
        "HQ-2026-0042/-3",
        "HQ-2026-0042/3/4",
        "HQ-26-0042/3",
        "HQ-2026-042/3",
        "H-2026-0042/3",
        "1Q-2026-0042/3",
        "HQ_2026_0042/3",
        "HQ-2026-0042 / 3",
        "HQ-2026-0042 copy3",
        "HQ-2026-0042 no 3",
        "copy 3",
    ],
)
def test_copy_reference_rejected(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_copy_reference(bad)
    assert caught.value.field == "copy"
    assert repr(bad) in caught.value.message
    assert "is not a copy reference" in caught.value.message
    assert "e.g. HQ-2026-0042/3" in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "HQ-\uff12\uff10\uff12\uff16-0042/3",  # full-width digits, as an East Asian IME types them
        "HQ-2026-\u0660\u0660\u0664\u0662/3",  # Arabic-Indic digits
    ],
)
def test_copy_reference_with_non_ascii_digits_is_refused_or_normalised(text: str) -> None:
    """Either refuse the text or return the canonical ASCII control number; never a string
    that passes the parser but can match no control number in the register."""
    try:
        control, number = parse_copy_reference(text)
    except InvalidInput:
        return
    assert (control, number) == ("HQ-2026-0042", 3)


def test_copy_reference_is_not_made_valid_by_upper_casing_non_ascii_letters() -> None:
    """'ßq-2026-0042/3' must not become a reference to copy 3 of SSQ-2026-0042."""
    with pytest.raises(InvalidInput):
        parse_copy_reference("\u00dfq-2026-0042/3")
