"""A copy's page: where it is, its timeline, issuing and returning it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]


def urls(document: Any, number: int = 1) -> tuple[str, str, str]:
    args = [document.control_number, number]
    return (
        reverse("web:copy", args=args),
        reverse("web:issue-copy", args=args),
        reverse("web:return-copy", args=args),
    )


def test_copy_page_shows_where_it_is_and_its_timeline(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET//ALPHA")
    copy = document.copies.get(number=1)
    custody.issue_copy(copy, to=org.custodian, by=org.registrar)
    custody.return_copy(copy, by=org.registrar)
    custody.issue_copy(copy, to=org.inspector, by=org.registrar)
    client.force_login(org.registrar)
    page_url, _, _ = urls(document)
    response = client.get(page_url)
    assert response.status_code == 200
    page = text(response)
    assert "Copy 1 of 3" in page
    assert "State held Holder Ines Inspector (ines, HQ) Location with ines (HQ)" in page
    assert "registered rita in registry — HQ registry" in page
    assert "issued rita held carl with carl (HQ) to carl" in page
    assert "returned rita in registry — HQ registry from carl" in page
    assert "issued rita held ines with ines (HQ) to ines" in page
    assert page.index("to carl") < page.index("from carl") < page.index("to ines")
    assert banners(response)[-1] == ("bottom", "high", "SECRET//ALPHA")
    # A held copy offers the return, not the issue.
    assert "Take this copy back" in page
    assert "Issue this copy" not in page


def test_a_copy_that_does_not_exist_is_not_found(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    client.force_login(org.registrar)
    response = client.get(reverse("web:copy", args=[document.control_number, 7]))
    assert response.status_code == 404
    assert f"{document.control_number} has no copy 7." in text(response)


def test_a_copy_of_a_hidden_document_reads_like_a_missing_document(
    client: Client, org: Organisation, register: Register
) -> None:
    hidden = register("SECRET").control_number
    missing = hidden[:-4] + "9999"
    client.force_login(org.reader)
    refused = client.get(reverse("web:copy", args=[hidden, 1]))
    assert last_entry().kind == "access.refused"
    absent = client.get(reverse("web:copy", args=[missing, 1]))
    assert refused.status_code == absent.status_code == 404
    assert without_csrf(body(refused)).replace(hidden, "X") == without_csrf(body(absent)).replace(
        missing, "X"
    )


def test_a_registrar_issues_a_copy_to_a_cleared_person(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET//ALPHA")
    page_url, issue_url, _ = urls(document)
    client.force_login(org.registrar)
    assert 'name="expected_version" value="1"' in body(client.get(page_url))
    response = client.post(issue_url, {"recipient": "carl", "expected_version": "1"})
    assert response.status_code == 302
    assert response["Location"] == page_url
    page = text(client.get(page_url))
    assert f"{document.control_number}/1 is issued to Carl Custodian." in page
    assert "State held Holder Carl Custodian" in page
    entry = last_entry()
    assert entry.kind == "copy.issued"
    assert entry.data["holder"] == "carl"


def test_issuing_to_an_uncleared_person_is_refused_with_the_reason(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    _, issue_url, _ = urls(document)
    client.force_login(org.registrar)
    response = client.post(issue_url, {"recipient": "wally", "expected_version": "1"})
    assert response.status_code == 403
    assert (
        "Refused: the recipient may not hold SECRET material: the person holds no clearance."
        in text(response)
    )
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.actor_id == org.registrar.pk
    assert entry.data["action"] == "copy:issue"
    assert document.copies.get(number=1).holder is None


def test_a_reader_may_not_issue_copies(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("CONFIDENTIAL")
    page_url, issue_url, _ = urls(document)
    client.force_login(org.reader)
    assert "Issue this copy" not in text(client.get(page_url))
    response = client.post(issue_url, {"recipient": "rosa", "expected_version": "1"})
    assert response.status_code == 403
    assert "Refused: this needs the role of registrar or custodian." in text(response)


def test_issuing_to_an_unknown_person_or_with_garbage_is_a_form_error(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    _, issue_url, _ = urls(document)
    client.force_login(org.registrar)
    unknown = client.post(issue_url, {"recipient": "nobody", "expected_version": "1"})
    assert unknown.status_code == 400
    assert "No person nobody." in text(unknown)
    garbage = client.post(issue_url, {"recipient": "carl", "expected_version": "x"})
    assert garbage.status_code == 400
    assert "Enter a whole number." in text(garbage)


def test_a_copy_moved_by_someone_else_is_a_conflict_with_a_clear_message(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET//ALPHA")
    copy = document.copies.get(number=1)
    _, issue_url, _ = urls(document)
    # Someone else issues and takes it back while our form (version 1) is open.
    custody.issue_copy(copy, to=org.custodian, by=org.registrar)
    custody.return_copy(copy, by=org.registrar)
    client.force_login(org.registrar)
    response = client.post(issue_url, {"recipient": "carl", "expected_version": "1"})
    assert response.status_code == 409
    page = text(response)
    assert "was moved by someone else a moment ago; reload it and try again." in page
    assert 'name="expected_version" value="3"' in body(response)


def test_issuing_a_copy_already_out_says_why(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET//ALPHA")
    custody.issue_copy(document.copies.get(number=1), to=org.custodian, by=org.registrar)
    _, issue_url, _ = urls(document)
    client.force_login(org.registrar)
    response = client.post(issue_url, {"recipient": "ines", "expected_version": "2"})
    assert response.status_code == 400
    assert "The copy is held; only a copy in the registry can be issued." in text(response)
    assert "Take this copy back" in text(response)


def test_a_custodian_takes_a_copy_back(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET//ALPHA")
    custody.issue_copy(document.copies.get(number=1), to=org.inspector, by=org.registrar)
    page_url, _, return_url = urls(document)
    client.force_login(org.custodian)
    response = client.post(return_url, {"expected_version": "2"})
    assert response.status_code == 302
    page = text(client.get(page_url))
    assert f"{document.control_number}/1 is back in the registry." in page
    assert "State in registry Holder nobody: the registry" in page
    assert last_entry().kind == "copy.returned"


def test_a_holder_without_a_custody_role_cannot_return_it_themselves(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("CONFIDENTIAL")
    custody.issue_copy(document.copies.get(number=1), to=org.reader, by=org.registrar)
    _, _, return_url = urls(document)
    client.force_login(org.reader)
    response = client.post(return_url, {"expected_version": "2"})
    assert response.status_code == 403
    assert "Refused: this needs the role of registrar or custodian." in text(response)
    assert last_entry().kind == "access.refused"
    assert document.copies.get(number=1).holder_id == org.reader.pk


def test_a_missing_copy_is_not_said_to_be_in_the_registry(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.models import Copy

    document = register("SECRET//ALPHA")
    # No service reports a copy missing yet (incidents will); the page must already say it right.
    Copy.objects.filter(document=document, number=1).update(state="missing", location="unknown")
    client.force_login(org.registrar)
    page = text(client.get(urls(document)[0]))
    assert "State missing Holder nobody: the copy is missing Location unknown" in page
