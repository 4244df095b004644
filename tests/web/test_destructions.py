"""Destruction on the web: the form on the copy page, the pending panel with the witness's
buttons, countersigning, refusing, withdrawing, the destruction's page, the certificate, the
scan field, and a destroyed copy that nothing can move again.

The scene: a SECRET//ALPHA paper document registered at HQ; carl (HQ custodian, SECRET ALPHA)
destroys copy 1 and names rita (HQ registrar, TOP SECRET ALPHA/BRAVO) as his witness.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Destruction
from strongroom.queries.destructions import qr_payload
from strongroom.services import custody, destructions
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(destruction: Destruction) -> Destruction:
    return Destruction.objects.select_related(
        "copy__document__unit", "destroyer__unit", "witness__unit", "resolved_by"
    ).get(pk=destruction.pk)


def _missing_short(destruction: Destruction) -> str:
    return "FFFFFFFF" if destruction.short_reference != "FFFFFFFF" else "EEEEEEEE"


def _copy_urls(document: Any, number: int = 1) -> tuple[str, str]:
    args = [document.control_number, number]
    return reverse("web:copy", args=args), reverse("web:destroy-copy", args=args)


def _urls(destruction: Destruction) -> dict[str, str]:
    ref = str(destruction.reference)
    return {
        name: reverse(f"web:{name}", args=[ref])
        for name in (
            "destruction",
            "witness-destruction",
            "refuse-destruction",
            "withdraw-destruction",
            "destruction-certificate",
        )
    }


def _banners_say(response: Any, marking: str) -> None:
    assert [(position, shown) for position, _, shown in banners(response)] == [
        ("top", marking),
        ("bottom", marking),
    ]


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert entry.kind == "access.refused"
    assert entry.actor_id == actor.pk
    assert entry.data["action"] == action


def _refusals() -> int:
    return LedgerEntry.objects.filter(kind="access.refused").count()


def _proposal(**values: str) -> dict[str, str]:
    form = {
        "method": "shredding",
        "witness": "rita",
        "destroyed_on": "",
        "note": "",
        "expected_version": "1",
    }
    form.update(values)
    return form


@pytest.fixture
def document(register: Register) -> Any:
    return register("SECRET//ALPHA")


@pytest.fixture
def pending(org: Organisation, document: Any) -> Destruction:
    """Carl has put copy 1 forward (copy version 2), naming rita as his witness."""
    return destructions.propose_destruction(
        _copy(document), witness=org.registrar, method="pulping", by=org.custodian
    )


@pytest.fixture
def witnessed(org: Organisation, pending: Destruction) -> Destruction:
    destructions.witness_destruction(_stored(pending), by=org.registrar)
    return _stored(pending)


# --- the copy page ---------------------------------------------------------------------------


def test_registry_staff_are_offered_the_destruction_form(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, destroy_url = _copy_urls(document)
    client.force_login(org.custodian)
    response = client.get(page_url)
    assert response.status_code == 200
    page = text(response)
    assert "Destroy (needs a witness)" in page
    assert f'action="{destroy_url}"' in body(response)
    # Only the methods that can destroy paper.
    for method in ("shredding", "pulping", "burning", "disintegration"):
        assert f'<option value="{method}"' in body(response), method
    assert 'value="degaussing"' not in body(response)
    assert 'value="secure_erase"' not in body(response)
    assert 'id="people-usernames"' in body(response)
    _banners_say(response, "SECRET//ALPHA")


def test_others_are_not_offered_the_form_nor_on_a_held_copy(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, destroy_url = _copy_urls(document)
    client.force_login(org.inspector)
    response = client.get(page_url)
    assert response.status_code == 200
    assert "Destroy (needs a witness)" not in text(response)
    assert destroy_url not in body(response)
    custody.issue_copy(_copy(document), to=org.inspector, by=org.registrar)
    client.force_login(org.registrar)
    assert "Destroy (needs a witness)" not in text(client.get(page_url))


def test_the_destroyer_records_the_destruction(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, destroy_url = _copy_urls(document)
    client.force_login(org.custodian)
    response = client.post(destroy_url, _proposal(note="bag 17"))
    assert response.status_code == 302
    assert response["Location"] == page_url
    proposed = Destruction.objects.get()
    shown = client.get(page_url)
    page = text(shown)
    assert (
        f"{document.control_number}/1 awaits destruction: Rita Registrar must countersign "
        f"destruction {proposed.short_reference} before it counts as destroyed."
    ) in page
    assert "Awaiting destruction" in page
    assert "State awaiting destruction" in page
    assert "Method shredding" in page
    assert "Witness Rita Registrar (rita, HQ) — has not countersigned yet" in page
    assert "Note bag 17" in page
    # Nothing but withdrawing is offered to the destroyer now.
    urls = _urls(proposed)
    assert urls["witness-destruction"] not in body(shown)
    assert f'formaction="{urls["withdraw-destruction"]}"' in body(shown)
    assert "Destroy (needs a witness)" not in page
    _banners_say(shown, "SECRET//ALPHA")
    copy = _copy(document)
    assert (copy.state, copy.version) == ("awaiting_destruction", 2)
    assert (proposed.destroyer_id, proposed.witness_id, proposed.note) == (
        org.custodian.pk,
        org.registrar.pk,
        "bag 17",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("destruction.proposed", org.custodian.pk)
    assert entry.data["witness"] == "rita"


def test_the_same_person_cannot_be_destroyer_and_witness(
    client: Client, org: Organisation, document: Any
) -> None:
    _, destroy_url = _copy_urls(document)
    client.force_login(org.custodian)
    before = _refusals()
    response = client.post(destroy_url, _proposal(witness="carl"))
    assert response.status_code == 403
    assert "Refused: the destroyer and the witness must be two different people." in text(response)
    assert "Destroy (needs a witness)" in text(response)
    assert _refusals() == before + 1
    _refused(last_entry(), org.custodian, "destruction:propose")
    assert not Destruction.objects.exists()
    assert _copy(document).state == "in_registry"


def test_a_witness_not_read_into_the_compartment_is_refused_with_the_reason(
    client: Client, org: Organisation, document: Any
) -> None:
    _, destroy_url = _copy_urls(document)
    client.force_login(org.custodian)
    response = client.post(destroy_url, _proposal(witness="nils"))
    assert response.status_code == 403
    assert (
        "Refused: the witness may not hold SECRET//ALPHA material: not read into "
        "compartment(s) ALPHA." in text(response)
    )
    _banners_say(response, "SECRET//ALPHA")
    assert not Destruction.objects.exists()


def test_bad_destruction_input_is_a_form_error_not_a_crash(
    client: Client, org: Organisation, document: Any
) -> None:
    _, destroy_url = _copy_urls(document)
    client.force_login(org.custodian)
    unknown = client.post(destroy_url, _proposal(witness="nobody"))
    assert unknown.status_code == 400
    assert 'id="id_witness_error"' in body(unknown)
    assert "No person nobody." in text(unknown)
    unfit = client.post(destroy_url, _proposal(method="degaussing"))
    assert unfit.status_code == 400
    assert 'id="id_method_error"' in body(unfit)
    not_a_date = client.post(destroy_url, _proposal(destroyed_on="yesterday"))
    assert not_a_date.status_code == 400
    assert "Enter a valid date." in text(not_a_date)
    future = client.post(destroy_url, _proposal(destroyed_on="2999-01-01"))
    assert future.status_code == 400
    assert 'id="id_destroyed_on_error"' in body(future)
    assert "The date of destruction cannot be in the future." in text(future)
    garbage = client.post(destroy_url, _proposal(expected_version="x"))
    assert garbage.status_code == 400
    for response in (unknown, unfit, not_a_date, future, garbage):
        _banners_say(response, "SECRET//ALPHA")
    assert not Destruction.objects.exists()


def test_a_copy_moved_since_the_form_was_drawn_is_a_conflict_with_a_notice(
    client: Client, org: Organisation, document: Any
) -> None:
    _, destroy_url = _copy_urls(document)
    custody.issue_copy(_copy(document), to=org.inspector, by=org.registrar)
    custody.return_copy(_copy(document), by=org.registrar)
    client.force_login(org.custodian)
    response = client.post(destroy_url, _proposal(expected_version="1"))
    assert response.status_code == 409
    assert "was moved by someone else a moment ago; reload it and try again." in text(response)
    assert 'name="expected_version" value="3"' in body(response)
    assert not Destruction.objects.exists()


def test_destroying_a_copy_of_a_hidden_document_reads_like_a_missing_document(
    client: Client, org: Organisation, document: Any
) -> None:
    missing = document.control_number[:-4] + "9999"
    client.force_login(org.worker)
    refused = client.post(_copy_urls(document)[1], _proposal())
    entry = last_entry()
    absent = client.post(reverse("web:destroy-copy", args=[missing, 1]), _proposal())
    assert refused.status_code == absent.status_code == 404
    assert without_csrf(body(refused)).replace(document.control_number, "X") == without_csrf(
        body(absent)
    ).replace(missing, "X")
    _refused(entry, org.worker, "document:view")
    assert not Destruction.objects.exists()


# --- the witness's panel ---------------------------------------------------------------------


def test_the_witness_is_offered_countersign_and_refuse_on_the_copy_page(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    urls = _urls(pending)
    client.force_login(org.registrar)
    response = client.get(_copy_urls(document)[0])
    assert response.status_code == 200
    assert "I witnessed it: countersign" in text(response)
    assert f'action="{urls["witness-destruction"]}"' in body(response)
    assert f'action="{urls["refuse-destruction"]}"' in body(response)
    assert "Refuse to countersign" in text(response)
    _banners_say(response, "SECRET//ALPHA")


def test_an_inspector_only_looks(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    urls = _urls(pending)
    client.force_login(org.inspector)
    for url in (_copy_urls(document)[0], urls["destruction"]):
        response = client.get(url)
        assert response.status_code == 200
        assert f"Destruction {pending.short_reference}" in text(response)
        for name in ("witness-destruction", "refuse-destruction", "withdraw-destruction"):
            assert urls[name] not in body(response), name


def test_the_witness_countersigns_and_the_copy_is_destroyed(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    urls = _urls(pending)
    client.force_login(org.registrar)
    response = client.post(urls["witness-destruction"], {"expected_version": "1"})
    assert response.status_code == 302
    assert response["Location"] == urls["destruction"]
    shown = client.get(response["Location"])
    page = text(shown)
    assert f"You have countersigned: {document.control_number}/1 is destroyed." in page
    assert "Destroyed" in page
    stored = _stored(pending)
    assert stored.kept_until is not None
    assert f"kept until {stored.kept_until:%Y-%m-%d}" in page
    assert "Certificate of destruction (PDF)" in page
    assert urls["destruction-certificate"] in body(shown)
    _banners_say(shown, "SECRET//ALPHA")
    assert stored.state == "witnessed"
    assert _copy(document).state == "destroyed"
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("destruction.witnessed", org.registrar.pk)


def test_only_the_witness_may_countersign(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    client.force_login(org.custodian)
    before = _refusals()
    response = client.post(_urls(pending)["witness-destruction"], {"expected_version": "1"})
    assert response.status_code == 403
    assert "Refused: only the witness named in the destruction may countersign it." in text(
        response
    )
    assert _refusals() == before + 1
    _refused(last_entry(), org.custodian, "destruction:witness")
    assert _copy(document).state == "awaiting_destruction"


def test_the_witness_refuses_with_a_reason_and_the_copy_is_back(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    urls = _urls(pending)
    client.force_login(org.registrar)
    without = client.post(urls["refuse-destruction"], {"expected_version": "1", "reason": ""})
    assert without.status_code == 400
    assert 'id="id_reason_error"' in body(without)
    assert "A reason is required." in text(without)
    assert _stored(pending).state == "pending"
    response = client.post(
        urls["refuse-destruction"], {"expected_version": "1", "reason": "not the copy I saw"}
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert (
        f"You have refused to countersign; {document.control_number}/1 is back in the registry."
        in text(shown)
    )
    assert "Reason given not the copy I saw" in text(shown)
    assert _copy(document).state == "in_registry"
    assert _stored(pending).state == "refused"


def test_the_destroyer_withdraws_it(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    client.force_login(org.custodian)
    response = client.post(
        _urls(pending)["withdraw-destruction"], {"expected_version": "1", "reason": "wrong copy"}
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "The destruction is withdrawn;" in text(shown)
    assert (_stored(pending).state, _copy(document).state) == ("withdrawn", "in_registry")
    # Back in the registry, the copy may be put forward again.
    assert "Destroy (needs a witness)" in text(client.get(_copy_urls(document)[0]))


def test_a_stale_destruction_version_is_a_conflict_with_the_page_drawn_again(
    client: Client, org: Organisation, pending: Destruction
) -> None:
    client.force_login(org.registrar)
    response = client.post(_urls(pending)["witness-destruction"], {"expected_version": "5"})
    assert response.status_code == 409
    assert "was changed by someone else a moment ago; reload it and try again." in text(response)
    assert _stored(pending).state == "pending"


def test_acting_on_a_destruction_already_withdrawn_says_so(
    client: Client, org: Organisation, pending: Destruction
) -> None:
    destructions.withdraw_destruction(_stored(pending), by=org.custodian, reason="no")
    client.force_login(org.registrar)
    response = client.post(_urls(pending)["witness-destruction"], {"expected_version": "2"})
    assert response.status_code == 400
    assert f"Destruction {pending.short_reference} is already withdrawn." in text(response)


ASK: dict[str, Callable[[Client, str], Any]] = {
    "page": lambda c, ref: c.get(reverse("web:destruction", args=[ref])),
    "witness": lambda c, ref: c.post(
        reverse("web:witness-destruction", args=[ref]), {"expected_version": "1"}
    ),
    "refuse": lambda c, ref: c.post(
        reverse("web:refuse-destruction", args=[ref]), {"expected_version": "1", "reason": "x"}
    ),
    "withdraw": lambda c, ref: c.post(
        reverse("web:withdraw-destruction", args=[ref]), {"expected_version": "1", "reason": "x"}
    ),
    "certificate": lambda c, ref: c.get(reverse("web:destruction-certificate", args=[ref])),
}


@pytest.mark.parametrize("ask", ASK.values(), ids=ASK.keys())
def test_a_destruction_of_a_hidden_document_reads_exactly_like_a_missing_one(
    client: Client, org: Organisation, pending: Destruction, ask: Callable[[Client, str], Any]
) -> None:
    short = pending.short_reference
    missing = _missing_short(pending)
    client.force_login(org.worker)

    refused = ask(client, short)
    entry = last_entry()
    absent = ask(client, missing)

    assert refused.status_code == absent.status_code == 404
    assert f"No destruction {short}." in text(refused)
    assert without_csrf(body(refused)).replace(short, "X") == without_csrf(body(absent)).replace(
        missing, "X"
    )
    _refused(entry, org.worker, "destruction:view")
    assert entry.subject == f"destruction:{short}"
    assert str(pending.reference) not in body(refused)
    assert last_entry().seq == entry.seq
    assert _stored(pending).state == "pending"


def test_a_reference_that_is_no_reference_is_a_clear_bad_request(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    response = client.get(reverse("web:destruction", args=["not-a-reference"]))
    assert response.status_code == 400
    assert "'not-a-reference' is not a destruction reference" in text(response)


# --- the certificate -------------------------------------------------------------------------


def test_the_certificate_is_a_pdf_for_both_signatories_and_the_registry(
    client: Client, org: Organisation, witnessed: Destruction
) -> None:
    for person in (org.custodian, org.registrar, org.inspector):
        client.force_login(person)
        response = client.get(_urls(witnessed)["destruction-certificate"])
        assert response.status_code == 200, person.username
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert (
            f'filename="destruction-{witnessed.short_reference}.pdf"'
            in response["Content-Disposition"]
        )


def test_no_certificate_while_pending(
    client: Client, org: Organisation, pending: Destruction
) -> None:
    client.force_login(org.registrar)
    response = client.get(_urls(pending)["destruction-certificate"])
    assert response.status_code == 400
    assert "has not been witnessed; a certificate is issued only once" in text(response)


# --- destroyed is final ----------------------------------------------------------------------


def test_a_destroyed_copy_has_no_holder_and_is_in_no_registry(
    client: Client, org: Organisation, document: Any, witnessed: Destruction
) -> None:
    client.force_login(org.custodian)
    response = client.get(_copy_urls(document)[0])
    page = text(response)
    assert (
        "State destroyed Holder nobody: the copy is destroyed Location destroyed by pulping "
        f"Since {witnessed.resolved_at:%Y-%m-%d %H:%M:%S}" in page
    )
    assert "the registry" not in page.split("Where it is now", 1)[1].split("Since", 1)[0]
    # Where to find its destruction and certificate, beside where it is.
    urls = _urls(witnessed)
    now = body(response).split('id="now-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="{urls["destruction"]}"' in now
    assert f'href="{urls["destruction-certificate"]}"' in now
    assert f"Destruction {witnessed.short_reference} · Certificate of destruction (PDF)" in page


def test_a_destroyed_copy_whose_destruction_the_reader_may_not_see(
    client: Client, org: Organisation, register: Register
) -> None:
    """Anyone may see an unclassified copy; its destruction only its parties and the copy's
    registry, security and inspection staff. The page says destroyed, and links nothing."""
    unclassified = register("UNCLASSIFIED")
    proposed = destructions.propose_destruction(
        _copy(unclassified), witness=org.registrar, method="shredding", by=org.custodian
    )
    destructions.witness_destruction(_stored(proposed), by=org.registrar)
    client.force_login(org.worker)
    response = client.get(_copy_urls(unclassified)[0])
    assert response.status_code == 200
    assert "Holder nobody: the copy is destroyed Location destroyed by shredding" in text(response)
    assert _urls(proposed)["destruction"] not in body(response)
    assert "Certificate of destruction" not in text(response)


def test_a_copy_awaiting_destruction_is_still_in_the_registry(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    client.force_login(org.custodian)
    page = text(client.get(_copy_urls(document)[0]))
    assert "State awaiting destruction Holder nobody: the registry Location HQ registry" in page


def test_a_destroyed_copy_offers_nothing_and_refuses_every_move(
    client: Client, org: Organisation, document: Any, witnessed: Destruction
) -> None:
    page_url, destroy_url = _copy_urls(document)
    args = [document.control_number, 1]
    client.force_login(org.registrar)
    page = client.get(page_url)
    assert "State destroyed" in text(page)
    assert f"kept until {witnessed.kept_until:%Y-%m-%d}" in text(page)
    for name in ("web:issue-copy", "web:return-copy", "web:hand-over-copy", "web:destroy-copy"):
        assert reverse(name, args=args) not in body(page), name
    before = last_entry().seq

    issue = client.post(
        reverse("web:issue-copy", args=args), {"recipient": "ines", "expected_version": "3"}
    )
    assert issue.status_code == 400
    assert "The copy is destroyed; only a copy in the registry can be issued." in text(issue)
    give_back = client.post(reverse("web:return-copy", args=args), {"expected_version": "3"})
    assert give_back.status_code == 400
    assert "The copy is destroyed; only a copy that is held can be returned." in text(give_back)
    again = client.post(destroy_url, _proposal(witness="ines", expected_version="3"))
    assert again.status_code == 400
    assert "The copy is destroyed; only a copy in the registry can be destroyed." in text(again)
    assert last_entry().seq == before
    hand_over = client.post(
        reverse("web:hand-over-copy", args=args), {"recipient": "ines", "expected_version": "3"}
    )
    assert hand_over.status_code == 403
    assert "only the person who holds the copy may hand it over" in text(hand_over)
    assert _copy(document).state == "destroyed"


# --- the dashboard and the scan field --------------------------------------------------------


def test_the_witness_finds_it_on_the_dashboard(
    client: Client, org: Organisation, document: Any, pending: Destruction
) -> None:
    client.force_login(org.registrar)
    response = client.get(reverse("web:dashboard"))
    assert "Destructions awaiting your countersignature as witness" in text(response)
    assert reverse("web:destruction", args=[pending.reference]) in body(response)
    assert "by pulping on" in text(response)
    _banners_say(response, "SECRET//ALPHA")
    client.force_login(org.custodian)
    assert "awaiting your countersignature" not in text(client.get(reverse("web:dashboard")))


def test_scanning_a_certificate_opens_its_destruction(
    client: Client, org: Organisation, witnessed: Destruction
) -> None:
    client.force_login(org.custodian)
    page = reverse("web:destruction", args=[witnessed.reference])
    for code in (qr_payload(witnessed), witnessed.short_reference):
        response = client.get(reverse("web:scan"), {"code": code})
        assert response.status_code == 302, code
        assert response["Location"] == page


def test_scanning_a_hidden_certificate_reads_like_scanning_a_missing_one(
    client: Client, org: Organisation, witnessed: Destruction
) -> None:
    client.force_login(org.worker)
    unknown = uuid.uuid4()
    refused = client.get(reverse("web:scan"), {"code": qr_payload(witnessed)})
    absent = client.get(reverse("web:scan"), {"code": f"strongroom:destruction:{unknown}"})
    assert refused.status_code == absent.status_code == 404
    shown = str(witnessed.reference).upper()
    # A certificate's QR code names a destruction: that is what is not found.
    assert f"No destruction {shown}." in text(refused)
    assert without_csrf(body(refused)).replace(shown, "X") == without_csrf(body(absent)).replace(
        str(unknown).upper(), "X"
    )
