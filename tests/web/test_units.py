"""The unit tree and creating units."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text

URL = reverse("web:units")


def test_the_unit_tree_is_indented_by_depth_with_head_counts(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.worker)
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    # Parents before children: HQ, NORTH, NCITY below NORTH, then SOUTH; no heads yet.
    assert "HQ Headquarters — 6 └ NORTH North Province — 2 └ NCITY North City Office — 0" in page
    assert "└ SOUTH South Province — 0" in page
    html = body(response)
    assert 'style="--depth: 2"' in html
    assert 'href="/people/?unit=NORTH"' in html
    assert banners(response)[0][2] == "UNCLASSIFIED"
    assert "Add a unit" not in page


def test_an_officer_adds_a_unit(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    assert "Add a unit" in text(client.get(URL))
    response = client.post(URL, {"code": "scity", "name": "South City Office", "parent": "SOUTH"})
    assert response.status_code == 302
    page = text(client.get(URL))
    assert "Unit SCITY — South City Office is created." in page
    assert "└ SCITY South City Office — 0" in page
    assert last_entry().data["path"] == "HQ/SOUTH/SCITY"


def test_a_worker_may_not_add_units(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    response = client.post(URL, {"code": "ROGUE", "name": "Rogue office", "parent": "HQ"})
    assert response.status_code == 403
    assert "Refused: this needs the role of security officer or administrator." in text(response)
    assert last_entry().kind == "access.refused"
    assert "ROGUE" not in text(client.get(URL))


def test_bad_unit_input_is_a_form_error(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    bad_code = client.post(URL, {"code": "9-lives", "name": "Cats", "parent": "HQ"})
    assert bad_code.status_code == 400
    assert 'id="id_code_error"' in body(bad_code)
    assert "must be 2-16 letters or digits" in text(bad_code)
    taken = client.post(URL, {"code": "NORTH", "name": "Again", "parent": "HQ"})
    assert taken.status_code == 400
    assert "There is already a unit with code NORTH." in text(taken)
    no_parent = client.post(URL, {"code": "EAST", "name": "East", "parent": "MARS"})
    assert no_parent.status_code == 400
    assert "MARS is not one of the available choices" in text(no_parent)
