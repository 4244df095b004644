"""Unknown addresses and expired forms answer with strongroom's own pages."""

from __future__ import annotations

from django.test import Client


def test_unknown_address_is_a_marked_404_page(org):
    client = Client()
    client.force_login(org.registrar)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "There is no page at this address." in text
    assert text.count("UNCLASSIFIED") >= 2  # the banner, top and bottom


def test_a_form_posted_without_its_token_is_refused_politely(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.registrar)
    response = client.post("/documents/new/", {"short_title": "x"})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()
