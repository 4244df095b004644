"""Reading hand-overs: one by any of its references, the lists, and the printable receipt."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from strongroom.adapters import clock, pdf
from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.models import Copy, HandOver
from strongroom.policy import Action, Denied, decide
from strongroom.queries import hand_overs
from strongroom.queries.hand_overs import Box
from strongroom.services import custody
from strongroom.services import hand_overs as services
from tests import pdfs

# After every entry the fixtures wrote and well inside everyone's clearance.
T0 = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _send(document, number, *, sender, to, at):
    with clock.frozen(at):
        return services.dispatch_hand_over(_copy(document, number), to=to, by=sender)


@pytest.fixture
def document(org, register):
    """A CONFIDENTIAL HQ document whose copy 1 rosa holds."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    return document


@pytest.fixture
def pending(org, document):
    """Rosa (NORTH staff) has sent copy 1 to nils (NORTH registrar); not yet acknowledged."""
    return _send(document, 1, sender=org.reader, to=org.north_registrar, at=T0)


# --- one hand-over, by any of its references -------------------------------------------------


def test_found_by_full_reference(org, pending):
    assert hand_overs.hand_over(org.north_registrar, str(pending.reference)) == pending
    assert hand_overs.hand_over(org.north_registrar, str(pending.reference).upper()) == pending
    assert hand_overs.hand_over(org.north_registrar, pending.reference.hex) == pending


@pytest.mark.parametrize("case", [str.upper, str.lower], ids=["upper", "lower"])
def test_found_by_short_reference_in_either_case(org, pending, case):
    short = pending.short_reference
    assert short == pending.reference.hex[:8].upper()
    found = hand_overs.hand_over(org.reader, f"  {case(short)} ")
    assert found == pending
    # Ready to show and to act on without further queries.
    assert (found.copy.document.control_number, found.sender, found.recipient) == (
        pending.copy.document.control_number,
        org.reader,
        org.north_registrar,
    )


def test_found_by_the_qr_payload(org, pending):
    payload = hand_overs.qr_payload(pending)
    assert payload == f"strongroom:hand-over:{pending.reference}"
    assert hand_overs.hand_over(org.north_registrar, payload) == pending
    # A keyboard-wedge scanner with caps lock on types it in capitals.
    assert hand_overs.hand_over(org.north_registrar, payload.upper()) == pending


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "hello",
        "3F2A9C0",
        "3F2A9C012",
        "ZZZZZZZZ",
        "strongroom:hand-over:",
        "HQ-2026-1/1",
    ],
)
def test_garbage_is_invalid_input_on_the_hand_over_field(org, pending, garbage):
    with pytest.raises(InvalidInput) as invalid:
        hand_overs.hand_over(org.north_registrar, garbage)
    assert invalid.value.field == "hand_over"
    assert "not a hand-over reference" in invalid.value.message


def test_well_formed_but_unknown_reference_is_not_found(org, pending):
    unknown = "00000000" if not pending.reference.hex.startswith("00000000") else "FFFFFFFF"
    with pytest.raises(NotFound) as missing:
        hand_overs.hand_over(org.north_registrar, unknown.lower())
    assert str(missing.value) == f"No hand-over {unknown}."
    with pytest.raises(NotFound):
        hand_overs.hand_over(org.north_registrar, str(uuid.uuid4()))


def test_an_ambiguous_short_reference_asks_for_the_full_one(org, document, pending):
    custody.issue_copy(_copy(document, 2), to=org.reader, by=org.custodian)
    other = _send(document, 2, sender=org.reader, to=org.registrar, at=T0)
    for row, tail in [(pending, "000000000001"), (other, "000000000002")]:
        HandOver.objects.filter(pk=row.pk).update(
            reference=uuid.UUID(f"abcdef01-0000-4000-8000-{tail}")
        )
    with pytest.raises(InvalidInput, match="More than one hand-over starts with ABCDEF01") as two:
        hand_overs.hand_over(org.reader, "abcdef01")
    assert two.value.field == "hand_over"
    full = "abcdef01-0000-4000-8000-000000000002"
    assert hand_overs.hand_over(org.reader, full).pk == other.pk


@pytest.mark.parametrize(
    "who", ["reader", "north_registrar", "registrar", "custodian", "inspector"]
)
def test_parties_and_those_answerable_for_the_copy_may_look(org, pending, who):
    """Sender, recipient; HQ registrar, custodian and inspector answer for an HQ document."""
    assert hand_overs.hand_over(getattr(org, who), pending.short_reference) == pending


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("worker", "you may not hold CONFIDENTIAL material: the person holds no clearance"),
        ("officer", "you may not hold CONFIDENTIAL material: the person holds no clearance"),
    ],
)
def test_someone_not_a_party_and_not_answerable_gets_a_not_visible_refusal(
    org, pending, who, reason
):
    with pytest.raises(Denied) as hidden:
        hand_overs.hand_over(getattr(org, who), pending.short_reference)
    assert hidden.value.decision.visible is False
    assert hidden.value.reason == reason
    assert hidden.value.action is Action.HAND_OVER_VIEW


def test_a_registrar_of_another_unit_may_not_look_even_when_cleared(org, register):
    """nils may see the HQ document, but answers only for NORTH; it is not his business."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    hand_over = _send(document, 1, sender=org.reader, to=org.registrar, at=T0)
    with pytest.raises(Denied) as hidden:
        hand_overs.hand_over(org.north_registrar, hand_over.short_reference)
    assert hidden.value.decision.visible is False
    assert "outside yours" in hidden.value.reason


def test_cleared_staff_who_are_not_a_party_may_not_look(org, register):
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.custodian, by=org.registrar)
    hand_over = _send(document, 1, sender=org.custodian, to=org.registrar, at=T0)
    with pytest.raises(Denied) as hidden:
        hand_overs.hand_over(org.reader, hand_over.short_reference)
    assert hidden.value.decision.visible is False


def test_a_hidden_hand_over_reads_word_for_word_like_a_missing_one(org, pending):
    """Named as asked: the 404 must neither tell it from a missing one nor disclose the full
    reference (what the QR code carries) to someone who typed only the short one."""
    short = pending.short_reference
    with pytest.raises(Denied) as hidden:
        hand_overs.hand_over(org.worker, short.lower())
    assert str(hidden.value.as_not_found()) == f"No hand-over {short}."
    assert str(pending.reference) not in hidden.value.target_ref
    with pytest.raises(Denied) as scanned:
        hand_overs.hand_over(org.worker, hand_overs.qr_payload(pending))
    assert str(scanned.value.as_not_found()) == f"No hand-over {str(pending.reference).upper()}."


# --- lists -----------------------------------------------------------------------------------


@pytest.fixture
def traffic(org, register):
    """Four hand-overs, oldest first:

    a1  HQ CONFIDENTIAL  rosa -> nils   pending
    a2  HQ CONFIDENTIAL  carl -> rita   acknowledged
    b1  NORTH CONFIDENTIAL  rosa -> rita  pending
    c1  HQ TOP SECRET    ines -> rita   pending
    """
    a = register("CONFIDENTIAL", short_title="A")
    b = register("CONFIDENTIAL", short_title="B", unit=org.north)
    c = register("TOP SECRET", short_title="C")
    custody.issue_copy(_copy(a, 1), to=org.reader, by=org.custodian)
    custody.issue_copy(_copy(a, 2), to=org.custodian, by=org.registrar)
    custody.issue_copy(_copy(b, 1), to=org.reader, by=org.north_registrar)
    custody.issue_copy(_copy(c, 1), to=org.inspector, by=org.registrar)
    a1 = _send(a, 1, sender=org.reader, to=org.north_registrar, at=T0)
    a2 = _send(a, 2, sender=org.custodian, to=org.registrar, at=T0 + timedelta(minutes=1))
    b1 = _send(b, 1, sender=org.reader, to=org.registrar, at=T0 + timedelta(minutes=2))
    c1 = _send(c, 1, sender=org.inspector, to=org.registrar, at=T0 + timedelta(minutes=3))
    with clock.frozen(T0 + timedelta(minutes=4)):
        services.accept_hand_over(HandOver.objects.get(pk=a2.pk), by=org.registrar)
    return {"a1": a1, "a2": a2, "b1": b1, "c1": c1}


def _names(traffic, found):
    by_pk = {row.pk: name for name, row in traffic.items()}
    return [by_pk[row.pk] for row in found]


@pytest.mark.parametrize(
    ("who", "box", "pending_only", "expected"),
    [
        ("registrar", Box.INCOMING, False, ["c1", "b1", "a2"]),
        ("registrar", Box.INCOMING, True, ["c1", "b1"]),
        ("north_registrar", Box.INCOMING, False, ["a1"]),
        ("reader", Box.INCOMING, False, []),
        ("reader", Box.OUTGOING, False, ["b1", "a1"]),
        ("custodian", Box.OUTGOING, False, ["a2"]),
        ("custodian", Box.OUTGOING, True, []),
        ("registrar", Box.OUTGOING, False, []),
        # The registry's view: every hand-over of the copies they answer for and may see.
        ("registrar", Box.UNIT, False, ["c1", "b1", "a2", "a1"]),
        ("registrar", Box.UNIT, True, ["c1", "b1", "a1"]),
        ("inspector", Box.UNIT, False, ["c1", "b1", "a2", "a1"]),
        ("custodian", Box.UNIT, False, ["b1", "a2", "a1"]),  # not cleared for TOP SECRET
        ("north_registrar", Box.UNIT, False, ["b1"]),  # NORTH only, though a1 is to him
        ("reader", Box.UNIT, False, []),  # staff answer for no unit
        ("worker", Box.UNIT, False, []),
        ("officer", Box.UNIT, False, []),  # the role alone opens nothing
    ],
)
def test_lists(org, traffic, who, box, pending_only, expected):
    found = hand_overs.hand_overs(getattr(org, who), box, pending_only=pending_only)
    assert _names(traffic, found) == expected


def test_incoming_is_the_default_box(org, traffic):
    assert _names(traffic, hand_overs.hand_overs(org.registrar)) == ["c1", "b1", "a2"]


def test_lists_and_single_views_agree_for_every_persona(org, traffic):
    """What someone may open is exactly what their three lists show between them."""
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
        listed = {row.pk for box in Box for row in hand_overs.hand_overs(persona, box)}
        facts = persona.facts(date.today())
        allowed = {
            row.pk
            for row in HandOver.objects.select_related("copy__document__unit", "recipient")
            if decide(facts, Action.HAND_OVER_VIEW, row.facts())
        }
        assert listed == allowed, persona.username


# --- the receipt -----------------------------------------------------------------------------


def test_receipt_is_a_pdf_naming_the_copy_the_parties_and_the_reference(org, document, pending):
    receipt = hand_overs.receipt(org.reader, pending.short_reference)

    assert receipt.filename == f"hand-over-{pending.short_reference}.pdf"
    assert receipt.content.startswith(b"%PDF")
    text = pdfs.text(receipt.content)
    assert document.control_number in text
    assert "copy 1 of 3" in text
    assert "CONFIDENTIAL" in text
    assert "Rosa Reader (rosa, NORTH)" in text
    assert "Nils North (nils, NORTH)" in text
    assert pending.short_reference in text
    assert str(pending.reference) in text
    assert "awaiting acknowledgement: the sender remains" in text
    assert "Printed" in text and "by rosa" in text


def test_receipt_shows_the_times_in_the_configured_zone(org, pending, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    text = pdfs.text(hand_overs.receipt(org.reader, pending.short_reference).content)
    local = T0.astimezone(ZoneInfo("Asia/Seoul"))
    assert f"Sent {local:%Y-%m-%d %H:%M:%S} KST" in text
    assert f"{local + timedelta(hours=24):%Y-%m-%d %H:%M:%S} KST" in text


def test_receipt_carries_the_marking_banner_at_the_top_and_bottom_of_the_page(org, register):
    document = register("SECRET//ALPHA")
    custody.issue_copy(_copy(document), to=org.custodian, by=org.registrar)
    hand_over = _send(document, 1, sender=org.custodian, to=org.registrar, at=T0)
    content = hand_overs.receipt(org.registrar, hand_over.short_reference).content

    height = pdfs.page_height(content)
    margin = 22 / 25.4 * 72  # the page's top and bottom margins: 22 mm
    banners = pdfs.placed(content, "SECRET//ALPHA")
    assert any(y > height - margin for y in banners), banners  # in the running header
    assert any(y < margin for y in banners), banners  # in the running footer
    text = pdfs.text(content)
    assert text.lstrip().startswith("SECRET//ALPHA")
    assert text.count("SECRET//ALPHA") >= 4  # header, footer, and a banner around the body


def test_receipt_qr_code_is_a_full_qr_code_carrying_the_payload(org, pending):
    payload = hand_overs.qr_payload(pending)
    code = pdf.qr_code(payload)
    assert code.is_micro is False
    assert code.error == "M"
    # Even a payload short enough for a Micro QR gets a full one.
    assert pdf.qr_code("1").is_micro is False

    context = hand_overs.receipt_context(pending, printed_by=org.reader, printed_at=T0)
    assert context["qr_payload"] == payload
    assert context["qr"] == pdf.qr_svg_data_uri(payload)
    html = render_to_string("strongroom/print/hand_over_receipt.html", context)
    assert f'src="{context["qr"]}"' in html
    # What the scanner reads finds the hand-over again.
    assert hand_overs.hand_over(org.reader, context["qr_payload"]) == pending


def test_receipt_can_be_printed_again_after_acknowledgement(org, pending):
    first = pdfs.text(hand_overs.receipt(org.north_registrar, pending.short_reference).content)
    with clock.frozen(T0 + timedelta(hours=1)):
        services.accept_hand_over(
            hand_overs.hand_over(org.north_registrar, pending.short_reference),
            by=org.north_registrar,
        )

    again = pdfs.text(hand_overs.receipt(org.reader, pending.short_reference).content)
    assert "awaiting acknowledgement" in first
    assert "awaiting acknowledgement" not in again
    assert "acknowledged by the recipient" in again
    resolved = (T0 + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    assert f"Resolved {resolved} UTC by Nils North (nils)" in again
    assert pending.short_reference in again


def test_receipt_after_a_refusal_shows_the_reason(org, pending):
    services.refuse_hand_over(
        hand_overs.hand_over(org.north_registrar, pending.reference.hex),
        by=org.north_registrar,
        reason="not for my desk",
    )
    text = pdfs.text(hand_overs.receipt(org.north_registrar, pending.short_reference).content)
    assert "refused by the recipient; custody returned to the sender" in text
    assert "not for my desk" in text


def test_receipt_after_a_call_back(org, pending):
    services.cancel_hand_over(
        hand_overs.hand_over(org.registrar, pending.short_reference), by=org.registrar
    )
    text = pdfs.text(hand_overs.receipt(org.registrar, pending.short_reference).content)
    assert "called back; custody returned to the sender" in text
    assert "by Rita Registrar (rita)" in text


def test_receipt_is_refused_to_someone_who_may_not_see_the_hand_over(org, pending):
    with pytest.raises(Denied) as hidden:
        hand_overs.receipt(org.worker, pending.short_reference)
    assert hidden.value.decision.visible is False


def test_receipt_of_an_unknown_reference_is_not_found(org, pending):
    unknown = str(uuid.uuid4())
    with pytest.raises(NotFound):
        hand_overs.receipt(org.reader, unknown)


def test_a_suspended_party_may_no_longer_look_or_print(org, pending):
    # Suspension takes effect immediately, for the parties of a hand-over as for everyone.
    from strongroom.domain.clearance import PersonStatus
    from strongroom.services import people

    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer)
    with pytest.raises(Denied) as refused:
        hand_overs.receipt(org.reader, pending.short_reference)
    assert "suspended" in refused.value.reason
