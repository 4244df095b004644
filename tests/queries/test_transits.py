"""Reading transits: one by any of its references, the lists (with the suspense list and the
late ones), and the printable record and receipt."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string

from strongroom.adapters import clock, pdf
from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.models import Transit
from strongroom.policy import Action, Denied, decide
from strongroom.queries import transits
from strongroom.queries.transits import Box
from strongroom.services import transits as services
from tests import pdfs
from tests.transport import INNER, OUTER, authorise, copy_of, send, stored

# After every entry the fixtures wrote, inside every clearance and courier authorisation.
T0 = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def document(org, register):
    authorise(org, org.custodian)
    return register("SECRET")


@pytest.fixture
def sent(org, document):
    """Rita sent copy 1 to NORTH with carl at T0."""
    return send(org, document, at=T0)


# --- one transit, by any of its references ----------------------------------------------------


def test_found_by_full_short_or_scanned_reference(org, sent):
    for text in (
        str(sent.reference),
        sent.reference.hex.upper(),
        f" {sent.short_reference.lower()} ",
        transits.qr_payload(sent),
        transits.qr_payload(sent).upper(),
    ):
        found = transits.transit(org.north_registrar, text)
        assert found == sent, text
    assert transits.qr_payload(sent) == f"strongroom:transit:{sent.reference}"
    # Ready to show without further queries.
    assert (found.copy.unit, found.from_unit, found.to_unit, found.courier) == (
        org.hq,
        org.hq,
        org.north,
        org.custodian,
    )


@pytest.mark.parametrize("garbage", ["", "HQ-2026-0001/1", "12345", "not a reference"])
def test_garbage_is_invalid_input_on_the_transit_field(org, sent, garbage):
    with pytest.raises(InvalidInput) as invalid:
        transits.transit(org.registrar, garbage)
    assert invalid.value.field == "transit"


def test_well_formed_but_unknown_reference_is_not_found(org, sent):
    unknown = "FFFFFFFF" if sent.short_reference != "FFFFFFFF" else "EEEEEEEE"
    with pytest.raises(NotFound) as missing:
        transits.transit(org.registrar, unknown)
    assert missing.value.message == f"No transit {unknown}."
    with pytest.raises(NotFound):
        transits.transit(org.registrar, str(uuid.uuid4()))


@pytest.mark.parametrize("who", ["registrar", "custodian", "north_registrar", "inspector"], ids=str)
def test_parties_and_both_ends_may_look(org, sent, who):
    assert transits.transit(getattr(org, who), sent.short_reference) == sent


@pytest.mark.parametrize("who", ["reader", "worker", "officer"], ids=str)
def test_anyone_else_gets_a_not_visible_refusal(org, sent, who):
    with pytest.raises(Denied) as hidden:
        transits.transit(getattr(org, who), sent.short_reference)
    assert hidden.value.decision.visible is False


def test_a_hidden_transit_reads_word_for_word_like_a_missing_one(org, sent):
    short = sent.short_reference
    with pytest.raises(Denied) as hidden:
        transits.transit(org.worker, short.lower())
    assert str(hidden.value.as_not_found()) == f"No transit {short}."
    assert str(sent.reference) not in hidden.value.target_ref


def test_the_open_transit_of_a_copy(org, document, sent):
    assert transits.open_for(org.north_registrar, copy_of(document)) == sent
    assert transits.open_for(org.reader, copy_of(document)) is None
    services.receive_transit(stored(sent), by=org.north_registrar)
    assert transits.open_for(org.north_registrar, copy_of(document)) is None


# --- lists -----------------------------------------------------------------------------------


@pytest.fixture
def traffic(org, register):
    """Four transits, oldest first:

    t1  HQ SECRET      HQ -> NORTH   carl  by rita  received, receipt back
    t2  HQ SECRET      HQ -> NORTH   carl  by rita  received, receipt not back
    t3  NORTH SECRET   NORTH -> HQ   nils  by nils  under way, expected by T0 + 1 h
    t4  HQ TOP SECRET  HQ -> SOUTH   ines  by rita  under way
    """
    for person, level in [(org.custodian, "SECRET"), (org.north_registrar, "SECRET"),
                          (org.inspector, "TOP SECRET")]:  # fmt: skip
        authorise(org, person, level)
    a = register("SECRET", short_title="A")
    b = register("SECRET", short_title="B", unit=org.north, by=org.north_registrar)
    c = register("TOP SECRET", short_title="C")
    top = {"inner_wrapping": "box marked TOP SECRET", "outer_wrapping": "plain box"}
    t1 = send(org, a, 1, at=T0)
    t2 = send(org, a, 2, at=T0 + timedelta(minutes=1))
    t3 = send(
        org,
        b,
        1,
        to=org.hq,
        courier=org.north_registrar,
        by=org.north_registrar,
        at=T0 + timedelta(minutes=2),
        expected_by=T0 + timedelta(hours=1),
    )
    t4 = send(org, c, 1, to=org.south, courier=org.inspector, at=T0 + timedelta(minutes=3), **top)
    with clock.frozen(T0 + timedelta(minutes=30)):
        services.receive_transit(stored(t1), by=org.north_registrar)
        services.receive_transit(stored(t2), by=org.north_registrar)
        services.confirm_receipt(stored(t1), by=org.registrar)
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4}


def _names(traffic, found):
    by_pk = {row.pk: name for name, row in traffic.items()}
    return [by_pk[row.pk] for row in found]


@pytest.mark.parametrize(
    ("who", "box", "expected"),
    [
        ("registrar", Box.ALL, ["t4", "t3", "t2", "t1"]),
        ("north_registrar", Box.ALL, ["t3", "t2", "t1"]),
        ("north_registrar", Box.OUTGOING, ["t3"]),
        ("north_registrar", Box.INCOMING, ["t2", "t1"]),
        ("north_registrar", Box.CARRYING, ["t3"]),
        ("custodian", Box.ALL, ["t3", "t2", "t1"]),  # not cleared for TOP SECRET
        ("custodian", Box.CARRYING, ["t2", "t1"]),
        ("inspector", Box.ALL, ["t4", "t3", "t2", "t1"]),
        ("inspector", Box.CARRYING, ["t4"]),
        ("reader", Box.ALL, []),  # staff answer for no registry
        ("worker", Box.ALL, []),
        ("officer", Box.ALL, []),  # the role alone opens nothing
        ("officer", Box.OUTGOING, []),
    ],
)
def test_lists(org, traffic, who, box, expected):
    assert _names(traffic, transits.transits(getattr(org, who), box)) == expected


def test_all_is_the_default_box(org, traffic):
    assert _names(traffic, transits.transits(org.north_registrar)) == ["t3", "t2", "t1"]


def test_the_suspense_list_is_every_transit_whose_receipt_is_not_back(org, traffic):
    suspense = transits.transits(org.registrar, Box.OUTGOING, suspense=True)
    assert _names(traffic, suspense) == ["t4", "t3", "t2"]
    assert _names(traffic, transits.transits(org.north_registrar, suspense=True)) == ["t3", "t2"]


def test_the_late_list_is_every_transit_under_way_after_its_expected_arrival(org, traffic):
    with clock.frozen(T0 + timedelta(minutes=59)):
        assert _names(traffic, transits.transits(org.registrar, late=True)) == []
    with clock.frozen(T0 + timedelta(hours=2)):
        assert _names(traffic, transits.transits(org.registrar, late=True)) == ["t3"]
        assert _names(traffic, transits.transits(org.custodian, late=True)) == ["t3"]


def test_lists_and_single_views_agree_for_every_persona(org, traffic):
    """What someone may open is exactly what their lists show between them."""
    for persona in (
        org.officer,
        org.second_officer,
        org.registrar,
        org.north_registrar,
        org.custodian,
        org.reader,
        org.worker,
        org.inspector,
    ):
        listed = {row.pk for box in Box for row in transits.transits(persona, box)}
        facts = persona.facts(date.today())
        allowed = {
            row.pk
            for row in Transit.objects.select_related("copy__document__unit", "copy__unit")
            if decide(facts, Action.TRANSIT_VIEW, row.facts())
        }
        assert listed == allowed, persona.username


def test_a_suspended_person_lists_nothing(org, traffic):
    from strongroom.domain.clearance import PersonStatus
    from strongroom.services import people

    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    assert not transits.transits(org.custodian, Box.CARRYING).exists()


# --- the record and receipt -------------------------------------------------------------------


def test_the_record_names_both_units_the_courier_the_packaging_and_the_times(org, document, sent):
    receipt = transits.receipt(org.registrar, sent.short_reference)

    assert receipt.filename == f"transit-{sent.short_reference}.pdf"
    assert receipt.content.startswith(b"%PDF")
    text = pdfs.text(receipt.content)
    for expected in (
        document.control_number,
        "copy 1 of 3",
        "HQ — Headquarters",
        "NORTH — North Province",
        "Carl Custodian (carl, HQ)",
        "Rita Registrar (rita, HQ)",
        INNER,
        OUTER,
        f"Sent {T0:%Y-%m-%d %H:%M:%S} UTC",
        f"{T0 + timedelta(hours=72):%Y-%m-%d %H:%M:%S} UTC",
        "in transit: the courier is accountable for the copy",
        sent.short_reference,
        str(sent.reference),
        "by rita",
    ):
        assert expected in text, expected


def test_the_receipt_carries_the_marking_banner_at_the_top_and_bottom(org, sent):
    content = transits.receipt(org.registrar, sent.short_reference).content
    height = pdfs.page_height(content)
    margin = 22 / 25.4 * 72
    banners = pdfs.placed(content, "SECRET")
    assert any(y > height - margin for y in banners), banners
    assert any(y < margin for y in banners), banners
    assert pdfs.text(content).lstrip().startswith("SECRET")


def test_the_qr_code_finds_the_transit_again(org, sent):
    context = transits.receipt_context(sent, printed_by=org.registrar, printed_at=T0)
    payload = transits.qr_payload(sent)
    assert context["qr"] == pdf.qr_svg_data_uri(payload)
    html = render_to_string("strongroom/print/transit_receipt.html", context)
    assert f'src="{context["qr"]}"' in html
    assert transits.transit(org.north_registrar, str(context["qr_payload"])) == sent


def test_reprinted_after_receipt_it_is_the_receipt_for_the_sender(org, sent):
    with clock.frozen(T0 + timedelta(hours=5)):
        services.receive_transit(stored(sent), by=org.north_registrar)
    text = pdfs.text(transits.receipt(org.north_registrar, sent.short_reference).content)
    assert "this receipt is to go back to the sending registry" in text
    received = (T0 + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S")
    assert f"Received {received} UTC by Nils North (nils, NORTH)" in text
    assert "by nils" in text

    with clock.frozen(T0 + timedelta(days=1)):
        services.confirm_receipt(stored(sent), by=org.registrar)
    closed = pdfs.text(transits.receipt(org.registrar, sent.short_reference).content)
    assert "the receipt is back with the sending registry" in closed
    assert "Receipt back at the sender" in closed


def test_the_receipt_is_refused_to_someone_who_may_not_see_the_transit(org, sent):
    with pytest.raises(Denied) as hidden:
        transits.receipt(org.worker, sent.short_reference)
    assert hidden.value.decision.visible is False
