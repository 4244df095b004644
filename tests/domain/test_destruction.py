"""Methods of destruction, which fit which medium, and how long the record is kept."""

from __future__ import annotations

from datetime import date

import pytest

from strongroom.domain.destruction import (
    METHOD_WORDS,
    METHODS_FOR_MEDIUM,
    Method,
    kept_until,
    method_for,
)
from strongroom.domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("medium", "method"),
    [
        ("paper", "shredding"),
        ("paper", "pulping"),
        ("paper", "burning"),
        ("paper", "disintegration"),
        ("removable_media", "degaussing"),
        ("removable_media", "disintegration"),
        ("electronic", "secure_erase"),
    ],
)
def test_a_method_that_fits_the_medium(medium: str, method: str) -> None:
    assert method_for(method, medium) is Method(method)


@pytest.mark.parametrize("written", ["Secure Erase", " secure_erase ", "SECURE ERASE"])
def test_a_method_is_read_as_people_write_it(written: str) -> None:
    assert method_for(written, "electronic") is Method.SECURE_ERASE


@pytest.mark.parametrize(
    ("medium", "method", "message"),
    [
        ("paper", "degaussing", "degaussing (removable media) cannot destroy a copy on paper"),
        ("paper", "secure_erase", "secure erase (electronic) cannot destroy a copy on paper"),
        ("electronic", "shredding", "shredding cannot destroy a copy on electronic; use one of"),
        ("removable_media", "pulping", "pulping cannot destroy a copy on removable media"),
    ],
)
def test_a_method_that_does_not_fit_the_medium(medium: str, method: str, message: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        method_for(method, medium)
    assert invalid.value.message.startswith(message)
    assert invalid.value.field == "method"


def test_an_unknown_method_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as invalid:
        method_for("eating", "paper")
    assert invalid.value.message == (
        "Unknown method of destruction 'eating'; use one of: shredding, pulping, burning, "
        "disintegration, degaussing, secure_erase."
    )
    assert invalid.value.field == "method"


def test_every_method_has_words_and_destroys_something() -> None:
    assert set(METHOD_WORDS) == set(Method)
    usable = {method for methods in METHODS_FOR_MEDIUM.values() for method in methods}
    assert usable == set(Method)


@pytest.mark.parametrize(
    ("destroyed_on", "years", "until"),
    [
        (date(2026, 3, 15), 2, date(2028, 3, 15)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
        (date(2028, 2, 29), 2, date(2030, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
    ],
)
def test_the_record_is_kept_whole_years_from_the_date_of_destruction(
    destroyed_on: date, years: int, until: date
) -> None:
    assert kept_until(destroyed_on, years) == until
