"""Reading destructions: one by any of its references, the lists, and the certificate.

The scene: a SECRET//ALPHA HQ document; carl (HQ custodian) puts copy 1 forward at T0, naming
rita (HQ registrar) as his witness.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from strongroom.adapters import clock, pdf
from strongroom.domain.errors import IllegalTransition, InvalidInput, NotFound
from strongroom.models import Copy, Destruction
from strongroom.policy import Action, Denied, decide
from strongroom.queries import destructions
from strongroom.queries.destructions import Box, Permitted
from strongroom.services import destructions as services
from strongroom.services import registry
from tests.pdfs import page_height, placed, text

# After every entry the fixtures wrote and well inside everyone's clearance.
T0 = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
T1 = T0 + timedelta(minutes=20)


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


@pytest.fixture
def document(register):
    return register("SECRET//ALPHA")


@pytest.fixture
def pending(org, document):
    with clock.frozen(T0):
        return services.propose_destruction(
            _copy(document),
            witness=org.registrar,
            method="pulping",
            note="bag 17",
            by=org.custodian,
        )


@pytest.fixture
def witnessed(org, pending, settings):
    settings.STRONGROOM_DESTRUCTION_RETENTION_YEARS = 2
    with clock.frozen(T1):
        services.witness_destruction(
            destructions.destruction(org.registrar, pending.short_reference), by=org.registrar
        )
    return destructions.destruction(org.registrar, pending.short_reference)


# --- one destruction, by any of its references ----------------------------------------------


def test_found_by_any_of_its_references(org, pending):
    for reference in (
        str(pending.reference),
        str(pending.reference).upper(),
        pending.reference.hex,
        pending.short_reference,
        pending.short_reference.lower(),
        f"  {pending.short_reference} ",
        destructions.qr_payload(pending),
    ):
        assert destructions.destruction(org.registrar, reference) == pending, reference


def test_an_unknown_reference_is_not_found_as_asked(org, pending):
    missing = "FFFFFFFF" if pending.short_reference != "FFFFFFFF" else "EEEEEEEE"
    with pytest.raises(NotFound, match=f"^No destruction {missing}.$"):
        destructions.destruction(org.registrar, missing.lower())
    with pytest.raises(NotFound, match="No destruction"):
        destructions.destruction(org.registrar, str(uuid.uuid4()))


def test_something_that_is_no_reference_is_bad_input(org, pending):
    with pytest.raises(
        InvalidInput, match="'HQ-2026-0001/1' is not a destruction reference"
    ) as bad:
        destructions.destruction(org.registrar, "HQ-2026-0001/1")
    assert bad.value.field == "destruction"


def test_someone_who_may_not_see_it_is_refused_as_if_it_did_not_exist(org, pending):
    with pytest.raises(Denied) as hidden:
        destructions.destruction(org.reader, pending.short_reference)
    assert hidden.value.decision.visible is False
    # Named as asked: the full reference does not leak.
    assert hidden.value.target_ref == f"destruction:{pending.short_reference}"


def test_on_record_for_the_copy_and_what_each_may_do(org, document, pending):
    copy = _copy(document)
    assert destructions.on_record_for(org.registrar, copy) == pending
    assert destructions.on_record_for(org.reader, copy) is None
    assert destructions.on_record_for(org.registrar, _copy(document, 2)) is None
    assert destructions.permitted(org.registrar, pending) == Permitted(
        witness=True, refuse=True, withdraw=True
    )
    assert destructions.permitted(org.custodian, pending) == Permitted(withdraw=True)
    assert destructions.permitted(org.inspector, pending) == Permitted()


def test_a_witnessed_destruction_stays_on_record_and_permits_nothing(org, document, witnessed):
    assert destructions.on_record_for(org.custodian, _copy(document)) == witnessed
    assert destructions.permitted(org.registrar, witnessed) == Permitted()


def test_a_refused_one_is_no_longer_on_record_for_the_copy(org, document, pending):
    services.refuse_destruction(pending, by=org.registrar, reason="no")
    assert destructions.on_record_for(org.registrar, _copy(document)) is None


# --- lists -------------------------------------------------------------------------------------


def test_the_lists_of_witness_destroyer_and_unit(org, register, pending):
    other = register("SECRET")
    services.propose_destruction(
        _copy(other), witness=org.inspector, method="burning", by=org.registrar
    )
    second = Destruction.objects.exclude(pk=pending.pk).get()

    def listed(person, box, **options):
        return list(destructions.destructions(person, box, **options))

    assert listed(org.registrar, Box.WITNESS) == [pending]
    assert listed(org.registrar, Box.DESTROYER) == [second]
    assert listed(org.custodian, Box.DESTROYER) == [pending]
    assert listed(org.inspector, Box.WITNESS) == [second]
    assert set(listed(org.inspector, Box.UNIT)) == {pending, second}
    # Registry staff elsewhere, and people without a registry role, see no unit list.
    assert listed(org.north_registrar, Box.UNIT) == []
    assert listed(org.worker, Box.UNIT) == []
    services.withdraw_destruction(second, by=org.registrar, reason="no")
    assert listed(org.inspector, Box.WITNESS, pending_only=True) == []
    assert listed(org.inspector, Box.WITNESS) == [second]


def test_the_unit_list_shows_exactly_what_each_may_view(org, register, pending):
    services.propose_destruction(
        _copy(register("TOP SECRET//BRAVO")),
        witness=org.inspector,
        method="burning",
        by=org.registrar,
    )
    for persona in (org.registrar, org.custodian, org.inspector, org.officer, org.reader):
        unit = {row.pk for row in destructions.destructions(persona, Box.UNIT)}
        facts = persona.facts(date.today())
        answerable = {
            row.pk
            for row in Destruction.objects.select_related("copy__document__unit")
            if decide(facts, Action.DESTRUCTION_VIEW, row.facts())
            and persona.pk not in (row.destroyer_id, row.witness_id)
        }
        assert answerable <= unit, persona.username


# --- the certificate --------------------------------------------------------------------------


def test_the_certificate_names_the_copy_the_method_the_date_and_both_signatories(
    org, document, witnessed
):
    certificate = destructions.certificate(org.custodian, witnessed.short_reference)

    assert certificate.filename == f"destruction-{witnessed.short_reference}.pdf"
    assert certificate.content.startswith(b"%PDF")
    words = text(certificate.content)
    assert "Certificate of destruction" in words
    assert document.control_number in words
    assert "copy 1 of 3" in words
    assert "Directive 12" in words
    assert "Marking when destroyed SECRET//ALPHA" in words
    assert "Marking now" not in words
    assert "Method pulping" in words
    assert f"Date of destruction {T0:%Y-%m-%d}" in words
    assert f"Carl Custodian (carl, HQ), signed {T0:%Y-%m-%d %H:%M:%S} UTC" in words
    assert f"Rita Registrar (rita, HQ), countersigned {T1:%Y-%m-%d %H:%M:%S} UTC" in words
    assert "Note bag 17" in words
    assert f"kept until {T0.date().replace(year=T0.year + 2):%Y-%m-%d}" in words
    assert witnessed.short_reference in words
    assert str(witnessed.reference) in words
    assert "Printed" in words and "by carl" in words


def test_the_certificate_shows_the_times_in_the_configured_zone(org, witnessed, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    words = text(destructions.certificate(org.registrar, witnessed.short_reference).content)
    assert f"countersigned {T1.astimezone(ZoneInfo('Asia/Seoul')):%Y-%m-%d %H:%M:%S} KST" in words


def test_the_certificate_carries_the_banner_at_the_top_and_bottom_of_the_page(org, witnessed):
    content = destructions.certificate(org.registrar, witnessed.short_reference).content
    height = page_height(content)
    margin = 22 / 25.4 * 72  # the page's top and bottom margins: 22 mm
    banners = placed(content, "SECRET//ALPHA")
    assert any(y > height - margin for y in banners), banners  # in the running header
    assert any(y < margin for y in banners), banners  # in the running footer
    words = text(content)
    assert words.lstrip().startswith("SECRET//ALPHA")
    assert words.count("SECRET//ALPHA") >= 5  # header, footer, two banners, and the row


def test_the_certificate_qr_code_is_a_full_qr_code_carrying_the_reference(org, witnessed):
    payload = destructions.qr_payload(witnessed)
    assert payload == f"strongroom:destruction:{witnessed.reference}"
    code = pdf.qr_code(payload)
    assert code.is_micro is False
    assert code.error == "M"

    context = destructions.certificate_context(witnessed, printed_by=org.registrar, printed_at=T1)
    assert context["qr_payload"] == payload
    assert context["qr"] == pdf.qr_svg_data_uri(payload)
    html = render_to_string("strongroom/print/destruction_certificate.html", context)
    assert f'src="{context["qr"]}"' in html
    # What the scanner reads finds the destruction again.
    assert destructions.destruction(org.registrar, context["qr_payload"]) == witnessed


def test_the_certificate_can_be_printed_again_and_tells_a_later_downgrade(org, document, witnessed):
    first = text(destructions.certificate(org.registrar, witnessed.short_reference).content)
    registry.change_classification(
        document, marking="CONFIDENTIAL", authority="MW/12/7", reason="review", by=org.registrar
    )
    again = destructions.certificate(org.inspector, witnessed.short_reference).content
    words = text(again)
    assert "Marking when destroyed SECRET//ALPHA" in first
    assert "Marking when destroyed SECRET//ALPHA" in words
    assert "Marking now CONFIDENTIAL" in words
    assert words.lstrip().startswith("CONFIDENTIAL")
    assert "by ines" in words


def test_no_certificate_before_the_witness_countersigns(org, pending):
    with pytest.raises(IllegalTransition, match="has not been witnessed; a certificate is issued"):
        destructions.certificate(org.registrar, pending.short_reference)
    services.refuse_destruction(pending, by=org.registrar, reason="no")
    with pytest.raises(IllegalTransition, match="has not been witnessed"):
        destructions.certificate(org.registrar, pending.short_reference)


def test_the_certificate_is_refused_to_someone_who_may_not_see_it(org, witnessed):
    with pytest.raises(Denied) as hidden:
        destructions.certificate(org.worker, witnessed.short_reference)
    assert hidden.value.decision.visible is False
