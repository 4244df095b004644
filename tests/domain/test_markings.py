"""Markings: parsing and formatting banner lines, scheme validation, dominance and ``highest``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.domain.errors import DomainError, InvalidMarking
from strongroom.domain.markings import (
    DEFAULT_CAVEATS,
    DEFAULT_COMPARTMENTS,
    DEFAULT_LEVELS,
    DEFAULT_SCHEME,
    Marking,
    MarkingScheme,
    highest,
)

S = DEFAULT_SCHEME


def mk(level: str, compartments: tuple[str, ...] = (), caveats: tuple[str, ...] = ()) -> Marking:
    """A marking of the default scheme, built without going through the parser."""
    return Marking(S.rank(level), frozenset(compartments), frozenset(caveats), S)


def rejection(banner: str, scheme: MarkingScheme = S) -> str:
    """The message with which ``scheme`` rejects ``banner``."""
    with pytest.raises(InvalidMarking) as caught:
        scheme.parse(banner)
    return caught.value.message


# --- parsing well-formed banners -------------------------------------------------------------


@pytest.mark.parametrize(
    ("banner", "expected"),
    [
        ("UNCLASSIFIED", mk("UNCLASSIFIED")),
        ("SECRET", mk("SECRET")),
        ("TOP SECRET", mk("TOP SECRET")),
        ("SECRET//ALPHA//NO COPY", mk("SECRET", ("ALPHA",), ("NO COPY",))),
        ("TOP SECRET//NO FOREIGN", mk("TOP SECRET", (), ("NO FOREIGN",))),
        ("SECRET//ALPHA/BRAVO", mk("SECRET", ("ALPHA", "BRAVO"))),
        ("SECRET//BRAVO/ALPHA", mk("SECRET", ("ALPHA", "BRAVO"))),
        (
            "CONFIDENTIAL//ALPHA/BRAVO/CHARLIE//NO COPY/NO FOREIGN/ORIGINATOR CONTROLLED",
            mk(
                "CONFIDENTIAL",
                ("ALPHA", "BRAVO", "CHARLIE"),
                ("NO COPY", "NO FOREIGN", "ORIGINATOR CONTROLLED"),
            ),
        ),
    ],
)
def test_parse_well_formed_banners(banner: str, expected: Marking) -> None:
    parsed = S.parse(banner)
    assert parsed == expected
    assert parsed.rank == expected.rank
    assert parsed.compartments == expected.compartments
    assert parsed.caveats == expected.caveats
    assert parsed.scheme is S


def test_parse_reads_level_compartments_and_caveats() -> None:
    marking = S.parse("SECRET//ALPHA//NO COPY")
    assert marking.level == "SECRET"
    assert marking.rank == 3
    assert marking.compartments == frozenset({"ALPHA"})
    assert marking.caveats == frozenset({"NO COPY"})


@pytest.mark.parametrize(
    "messy",
    [
        "secret//alpha//no copy",
        "  SECRET//ALPHA//NO COPY  ",
        "Secret // Alpha // No Copy",
        "SECRET//ALPHA//NO   COPY",
        "secret//\talpha\t//no\ncopy",
        "SECRET // ALPHA // NO COPY",
    ],
)
def test_parse_normalises_whitespace_and_case(messy: str) -> None:
    assert S.parse(messy) == mk("SECRET", ("ALPHA",), ("NO COPY",))
    assert S.parse(messy).banner() == "SECRET//ALPHA//NO COPY"


def test_parse_normalises_runs_of_whitespace_inside_a_level() -> None:
    assert S.parse("top    secret") == mk("TOP SECRET")
    assert S.parse(" top\tsecret // no foreign ").banner() == "TOP SECRET//NO FOREIGN"


def test_parse_normalises_spaces_around_token_separators() -> None:
    assert S.parse("SECRET//ALPHA / BRAVO").compartments == frozenset({"ALPHA", "BRAVO"})


# --- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marking", "banner"),
    [
        (mk("UNCLASSIFIED"), "UNCLASSIFIED"),
        (mk("SECRET", ("ALPHA",), ("NO COPY",)), "SECRET//ALPHA//NO COPY"),
        (mk("TOP SECRET", (), ("NO FOREIGN",)), "TOP SECRET//NO FOREIGN"),
        (mk("SECRET", ("BRAVO", "ALPHA")), "SECRET//ALPHA/BRAVO"),
        (
            mk("RESTRICTED", ("CHARLIE", "ALPHA"), ("ORIGINATOR CONTROLLED", "NO COPY")),
            "RESTRICTED//ALPHA/CHARLIE//NO COPY/ORIGINATOR CONTROLLED",
        ),
    ],
)
def test_banner_is_canonical(marking: Marking, banner: str) -> None:
    assert marking.banner() == banner
    assert str(marking) == banner


def test_level_names_the_rank() -> None:
    assert [mk(level).level for level in DEFAULT_LEVELS] == list(DEFAULT_LEVELS)


@pytest.mark.parametrize(
    "marking",
    [
        mk("UNCLASSIFIED"),
        mk("SECRET", ("ALPHA",), ("NO COPY",)),
        mk("TOP SECRET", (), ("NO FOREIGN",)),
        mk("SECRET", ("ALPHA", "BRAVO")),
        mk("CONFIDENTIAL", ("ALPHA", "BRAVO", "CHARLIE"), tuple(sorted(DEFAULT_CAVEATS))),
    ],
)
def test_round_trip(marking: Marking) -> None:
    assert S.parse(marking.banner()) == marking
    assert S.parse(marking.banner()).banner() == marking.banner()


def test_equality_ignores_the_order_tokens_were_written_in() -> None:
    assert S.parse("SECRET//BRAVO/ALPHA//NO FOREIGN/NO COPY") == S.parse(
        "SECRET//ALPHA/BRAVO//NO COPY/NO FOREIGN"
    )
    assert S.parse("SECRET//ALPHA") != S.parse("SECRET//BRAVO")
    assert S.parse("SECRET//ALPHA") != S.parse("SECRET//ALPHA//NO COPY")
    assert S.parse("SECRET") != S.parse("CONFIDENTIAL")


# --- malformed banners -----------------------------------------------------------------------


@pytest.mark.parametrize("banner", ["", "   ", "\t\n"])
def test_empty_marking_rejected(banner: str) -> None:
    message = rejection(banner)
    assert "empty" in message
    assert "level" in message


@pytest.mark.parametrize("banner", ["SECRT", "SECRET ALPHA", "ALPHA", "NO COPY", "TOP-SECRET"])
def test_unknown_level_rejected(banner: str) -> None:
    message = rejection(banner)
    assert "is not a level" in message
    assert repr(banner.upper()) in message
    # The message lists the levels one may use.
    for level in DEFAULT_LEVELS:
        assert level in message


def test_unknown_level_with_groups_names_only_the_level() -> None:
    message = rejection("SECRETT//ALPHA")
    assert "'SECRETT' is not a level" in message


@pytest.mark.parametrize(
    ("banner", "token"),
    [
        ("SECRET//ZULU", "ZULU"),
        ("SECRET//ALPHA/ZULU", "ZULU"),
        ("SECRET//ALPHA//NO PRINT", "NO PRINT"),
        ("SECRET//SECRET", "SECRET"),
    ],
)
def test_unknown_token_rejected(banner: str, token: str) -> None:
    message = rejection(banner)
    assert f"{token!r} is neither a compartment" in message
    assert "nor a caveat" in message
    # The message says which compartments and caveats exist.
    for known in [*DEFAULT_COMPARTMENTS, *DEFAULT_CAVEATS]:
        assert known in message


@pytest.mark.parametrize(
    "banner", ["SECRET//NO COPY//ALPHA", "SECRET//NO COPY/ALPHA", "SECRET//ALPHA//NO COPY//BRAVO"]
)
def test_compartment_after_caveat_rejected(banner: str) -> None:
    message = rejection(banner)
    assert "must come before the caveats" in message
    assert "Compartment" in message


@pytest.mark.parametrize(
    "banner",
    [
        "SECRET////ALPHA",
        "SECRET///ALPHA",
        "SECRET//ALPHA//",
        "SECRET//ALPHA/",
        "SECRET//ALPHA//NO COPY/",
    ],
)
def test_empty_group_rejected(banner: str) -> None:
    message = rejection(banner)
    assert "Empty group or name" in message
    assert banner in message
    assert "remove the extra '/'" in message


@pytest.mark.parametrize("banner", ["SECRET//", "TOP SECRET//", "SECRET//ALPHA//NO COPY//"])
def test_trailing_separator_rejected(banner: str) -> None:
    message = rejection(banner)
    assert "Empty group" in message
    assert "extra '/'" in message


@pytest.mark.parametrize(
    ("banner", "duplicate"),
    [
        ("SECRET//ALPHA/ALPHA", "ALPHA"),
        ("SECRET//ALPHA//ALPHA", "ALPHA"),
        ("SECRET//NO COPY/NO COPY", "NO COPY"),
        ("SECRET//ALPHA//NO COPY/no copy", "NO COPY"),
    ],
)
def test_duplicate_token_rejected(banner: str, duplicate: str) -> None:
    assert rejection(banner) == f"{duplicate} appears more than once."


def test_leading_separator_rejected_as_missing_level() -> None:
    assert "is not a level" in rejection("//ALPHA")


def test_single_slash_after_level_is_not_a_separator() -> None:
    # "SECRET/ALPHA" is not read as a compartment: the level group runs up to '//'.
    assert "'SECRET/ALPHA' is not a level" in rejection("SECRET/ALPHA")


def test_invalid_marking_is_a_domain_error_with_a_code() -> None:
    with pytest.raises(DomainError) as caught:
        S.parse("")
    assert isinstance(caught.value, InvalidMarking)
    assert caught.value.code == "invalid_marking"
    assert str(caught.value) == caught.value.message


# --- building markings by name ---------------------------------------------------------------


def test_marking_factory_normalises_names() -> None:
    built = S.marking(" secret ", [" alpha", "bravo ", ""], ["no copy", "  "])
    assert built == S.parse("SECRET//ALPHA/BRAVO//NO COPY")


def test_marking_factory_rejects_unknown_names() -> None:
    with pytest.raises(InvalidMarking, match=r"Unknown compartment\(s\) ZULU; known: ALPHA"):
        S.marking("SECRET", ["ALPHA", "ZULU"])
    with pytest.raises(InvalidMarking, match=r"Unknown caveat\(s\) NO PRINT; known: NO COPY"):
        S.marking("SECRET", [], ["NO PRINT"])
    with pytest.raises(InvalidMarking, match=r"Unknown level 'SECRETT'; the levels are: "):
        S.marking("SECRETT")


def test_marking_factory_rejects_a_caveat_given_as_compartment() -> None:
    with pytest.raises(InvalidMarking, match="Unknown compartment"):
        S.marking("SECRET", ["NO COPY"])


# --- scheme validation -----------------------------------------------------------------------


def scheme_rejection(
    levels: tuple[str, ...],
    compartments: frozenset[str] = frozenset(),
    caveats: frozenset[str] = frozenset(),
) -> str:
    with pytest.raises(InvalidMarking) as caught:
        MarkingScheme(levels, compartments, caveats)
    return caught.value.message


def test_scheme_needs_a_level() -> None:
    assert "at least one level" in scheme_rejection(())


@pytest.mark.parametrize(
    ("levels", "compartments", "caveats"),
    [
        (("SECRET", "SECRET"), frozenset(), frozenset()),
        (("SECRET",), frozenset({"SECRET"}), frozenset()),
        (("SECRET",), frozenset(), frozenset({"SECRET"})),
        (("SECRET",), frozenset({"ALPHA"}), frozenset({"ALPHA"})),
    ],
)
def test_scheme_names_must_be_distinct(
    levels: tuple[str, ...], compartments: frozenset[str], caveats: frozenset[str]
) -> None:
    assert "distinct names" in scheme_rejection(levels, compartments, caveats)


@pytest.mark.parametrize(
    ("levels", "compartments", "caveats", "bad"),
    [
        (("secret",), frozenset(), frozenset(), "secret"),
        (("SECRET",), frozenset({"Alpha"}), frozenset(), "Alpha"),
        (("SECRET",), frozenset(), frozenset({"no copy"}), "no copy"),
        (("SECRET", " TOP"), frozenset(), frozenset(), " TOP"),
        (("SECRET",), frozenset({""}), frozenset(), ""),
    ],
)
def test_scheme_names_must_be_upper_case_and_trimmed(
    levels: tuple[str, ...], compartments: frozenset[str], caveats: frozenset[str], bad: str
) -> None:
    message = scheme_rejection(levels, compartments, caveats)
    assert repr(bad) in message
    assert "upper case" in message


@pytest.mark.parametrize(
    ("levels", "compartments", "caveats", "bad"),
    [
        (("SECRET/X",), frozenset(), frozenset(), "SECRET/X"),
        (("SECRET",), frozenset({"A//B"}), frozenset(), "A//B"),
        (("SECRET",), frozenset(), frozenset({"NO/COPY"}), "NO/COPY"),
    ],
)
def test_scheme_names_must_not_contain_slash(
    levels: tuple[str, ...], compartments: frozenset[str], caveats: frozenset[str], bad: str
) -> None:
    message = scheme_rejection(levels, compartments, caveats)
    assert repr(bad) in message
    assert "no '/'" in message


@pytest.mark.parametrize("bad", ["NO  COPY", "NO\tCOPY", "NO\u00a0COPY"])
def test_scheme_rejects_names_its_own_parser_cannot_read(bad: str) -> None:
    """parse() collapses every run of whitespace to one space, so a name with any other
    whitespace inside could be put on a marking but never read back from its banner."""
    with pytest.raises(InvalidMarking):
        MarkingScheme(("SECRET",), caveats=frozenset({bad}))


def test_default_scheme_is_the_documented_one() -> None:
    assert S.levels == DEFAULT_LEVELS
    assert S.levels[0] == "UNCLASSIFIED"
    assert S.levels[-1] == "TOP SECRET"
    assert S.compartments == DEFAULT_COMPARTMENTS
    assert S.caveats == DEFAULT_CAVEATS
    assert S.highest_rank == 4


def test_rank_and_level_name() -> None:
    assert S.rank("UNCLASSIFIED") == 0
    assert S.rank("TOP SECRET") == 4
    assert S.level_name(3) == "SECRET"
    with pytest.raises(InvalidMarking, match="no level with rank 5"):
        S.level_name(5)
    with pytest.raises(InvalidMarking, match="no level with rank -1"):
        S.level_name(-1)


# --- custom schemes --------------------------------------------------------------------------

KOREAN = MarkingScheme(
    ("대외비", "3급 비밀", "2급 비밀", "1급 비밀"),
    frozenset({"작전", "정보"}),
    frozenset({"복제 금지", "외국인 열람 금지"}),
)
THREE = MarkingScheme(("OFFICIAL", "SECRET", "TOP SECRET"))


def test_korean_style_scheme_parses_and_formats() -> None:
    marking = KOREAN.parse("2급 비밀//작전/정보//복제 금지")
    assert marking.rank == 2
    assert marking.level == "2급 비밀"
    assert marking.compartments == frozenset({"작전", "정보"})
    assert marking.caveats == frozenset({"복제 금지"})
    assert KOREAN.parse(marking.banner()) == marking
    assert (
        KOREAN.parse("  1급   비밀 //외국인  열람 금지 ").banner() == "1급 비밀//외국인 열람 금지"
    )
    assert KOREAN.highest_rank == 3


def test_korean_style_scheme_rejects_levels_of_other_schemes() -> None:
    message = rejection("SECRET", KOREAN)
    assert "'SECRET' is not a level" in message
    assert "대외비, 3급 비밀, 2급 비밀, 1급 비밀" in message


def test_three_level_scheme() -> None:
    assert THREE.highest_rank == 2
    assert THREE.parse("top secret").rank == 2
    assert THREE.parse("OFFICIAL").rank == 0
    assert "is not a level" in rejection("CONFIDENTIAL", THREE)
    with pytest.raises(InvalidMarking):
        THREE.level_name(3)


def test_scheme_without_compartments_or_caveats_says_none_are_known() -> None:
    message = rejection("SECRET//ALPHA", THREE)
    assert "neither a compartment (none) nor a caveat (none)" in message


def test_markings_of_one_scheme_do_not_parse_in_another() -> None:
    assert "neither a compartment" in rejection("SECRET//ALPHA", THREE)
    assert THREE.parse("SECRET").rank == 1
    assert S.parse("SECRET").rank == 3


# --- dominates and highest -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        ("SECRET", "SECRET"),
        ("SECRET", "CONFIDENTIAL"),
        ("TOP SECRET", "UNCLASSIFIED"),
        ("SECRET//ALPHA", "SECRET"),
        ("SECRET//ALPHA/BRAVO", "CONFIDENTIAL//ALPHA"),
        ("SECRET", "SECRET//NO COPY"),  # caveats are handling rules, not need-to-know
        ("SECRET//NO COPY", "SECRET"),
    ],
)
def test_dominates(upper: str, lower: str) -> None:
    assert S.parse(upper).dominates(S.parse(lower))


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("CONFIDENTIAL", "SECRET"),
        ("SECRET", "SECRET//ALPHA"),
        ("TOP SECRET//ALPHA", "SECRET//BRAVO"),
        ("TOP SECRET", "SECRET//ALPHA"),
        ("SECRET//ALPHA", "SECRET//ALPHA/BRAVO"),
    ],
)
def test_does_not_dominate(lower: str, upper: str) -> None:
    assert not S.parse(lower).dominates(S.parse(upper))


def test_incomparable_markings() -> None:
    a, b = S.parse("TOP SECRET//ALPHA"), S.parse("SECRET//BRAVO")
    assert not a.dominates(b)
    assert not b.dominates(a)


def test_highest_of_several() -> None:
    result = highest(
        [S.parse("SECRET//ALPHA"), S.parse("CONFIDENTIAL//BRAVO//NO COPY"), S.parse("RESTRICTED")],
        S,
    )
    assert result.banner() == "SECRET//ALPHA/BRAVO//NO COPY"


def test_highest_of_nothing_is_unclassified() -> None:
    assert highest([], S) == S.parse("UNCLASSIFIED")
    assert highest(iter(()), S).banner() == "UNCLASSIFIED"


def test_highest_of_one_is_itself() -> None:
    only = S.parse("TOP SECRET//CHARLIE//NO FOREIGN")
    assert highest([only], S) == only


def test_highest_uses_the_given_scheme() -> None:
    result = highest([THREE.parse("TOP SECRET")], THREE)
    assert result.scheme is THREE
    assert result.level == "TOP SECRET"


# --- properties ------------------------------------------------------------------------------

markings = st.builds(
    Marking,
    st.integers(min_value=0, max_value=S.highest_rank),
    st.frozensets(st.sampled_from(sorted(DEFAULT_COMPARTMENTS))),
    st.frozensets(st.sampled_from(sorted(DEFAULT_CAVEATS))),
    st.just(S),
)


@given(markings)
def test_property_parse_of_banner_round_trips(marking: Marking) -> None:
    assert S.parse(marking.banner()) == marking


@given(markings, st.data())
def test_property_case_and_spacing_do_not_matter(marking: Marking, data: st.DataObject) -> None:
    banner = marking.banner()
    messy = "".join(
        data.draw(st.sampled_from([ch.lower(), ch.upper()])) if ch.isalpha() else ch
        for ch in banner
    )
    messy = messy.replace(" ", data.draw(st.sampled_from([" ", "  ", "\t", " \n "])))
    messy = messy.replace("//", data.draw(st.sampled_from(["//", " // ", "//  "])))
    padding = data.draw(st.sampled_from(["", " ", "\t", "\n  "]))
    assert S.parse(padding + messy + padding) == marking


@given(markings)
def test_property_dominates_is_reflexive(a: Marking) -> None:
    assert a.dominates(a)


@given(markings, markings)
def test_property_dominates_is_antisymmetric(a: Marking, b: Marking) -> None:
    if a.dominates(b) and b.dominates(a):
        assert a.rank == b.rank
        assert a.compartments == b.compartments


@given(markings, markings, markings)
def test_property_dominates_is_transitive(a: Marking, b: Marking, c: Marking) -> None:
    if a.dominates(b) and b.dominates(c):
        assert a.dominates(c)


@given(st.lists(markings, max_size=6), markings)
def test_property_highest_is_the_least_upper_bound(group: list[Marking], other: Marking) -> None:
    top = highest(group, S)
    for marking in group:
        assert top.dominates(marking)
        assert marking.caveats <= top.caveats
    if all(other.dominates(marking) for marking in group):
        assert other.dominates(top)


@st.composite
def custom_schemes(draw: st.DrawFn) -> MarkingScheme:
    word = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), min_size=1, max_size=6)
    name = st.lists(word, min_size=1, max_size=3).map(" ".join)
    names = draw(st.lists(name, min_size=1, max_size=10, unique=True))
    split_a = draw(st.integers(min_value=1, max_value=len(names)))
    split_b = draw(st.integers(min_value=split_a, max_value=len(names)))
    return MarkingScheme(
        tuple(names[:split_a]), frozenset(names[split_a:split_b]), frozenset(names[split_b:])
    )


@given(custom_schemes(), st.data())
def test_property_custom_schemes_round_trip(scheme: MarkingScheme, data: st.DataObject) -> None:
    marking = Marking(
        data.draw(st.integers(min_value=0, max_value=scheme.highest_rank)),
        data.draw(st.frozensets(st.sampled_from(sorted(scheme.compartments))))
        if scheme.compartments
        else frozenset(),
        data.draw(st.frozensets(st.sampled_from(sorted(scheme.caveats))))
        if scheme.caveats
        else frozenset(),
        scheme,
    )
    assert scheme.parse(marking.banner()) == marking
    assert scheme.parse(marking.banner().lower()) == marking
