"""The register page: search, filters, pagination, htmx results, and the page's marking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import Organisation
from tests.web.pages import banners, body, text

Register = Callable[..., Any]
URL = reverse("web:register")


def test_the_register_lists_what_the_actor_may_see_with_its_columns(
    client: Client, org: Organisation, register: Register
) -> None:
    public = register("UNCLASSIFIED", short_title="Canteen rota", copies=2)
    secret = register("SECRET", short_title="Border plan")
    client.force_login(org.registrar)
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Control number Short title Marking Unit Received Copies Registered" in page
    assert f"{secret.control_number} Border plan SECRET HQ" in page
    assert f"{public.control_number} Canteen rota UNCLASSIFIED HQ" in page
    assert "2 documents" in page
    client.force_login(org.worker)
    page = text(client.get(URL))
    assert "Canteen rota" in page
    assert "Border plan" not in page
    assert secret.control_number not in page


def test_the_banner_carries_the_highest_marking_on_the_page_top_and_bottom(
    client: Client, org: Organisation, register: Register
) -> None:
    register("UNCLASSIFIED")
    register("SECRET//ALPHA")
    register("CONFIDENTIAL//NO COPY")
    client.force_login(org.registrar)
    response = client.get(URL)
    assert banners(response) == [
        ("top", "high", "SECRET//ALPHA//NO COPY"),
        ("bottom", "high", "SECRET//ALPHA//NO COPY"),
    ]
    # Filtered down to the unclassified document, the page is unclassified.
    response = client.get(URL, {"level": "UNCLASSIFIED"})
    assert [b[2] for b in banners(response)] == ["UNCLASSIFIED", "UNCLASSIFIED"]
    client.force_login(org.worker)
    assert [b[1] for b in banners(client.get(URL))] == ["lowest", "lowest"]


def test_top_secret_pages_get_the_top_banner(
    client: Client, org: Organisation, register: Register
) -> None:
    register("TOP SECRET//BRAVO")
    client.force_login(org.registrar)
    assert banners(client.get(URL)) == [
        ("top", "highest", "TOP SECRET//BRAVO"),
        ("bottom", "highest", "TOP SECRET//BRAVO"),
    ]


def test_search_and_filters_narrow_the_register(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    widgets = register("SECRET", short_title="Widget plan", full_title="Widget plan in full")
    register("CONFIDENTIAL", short_title="Gadget plan", full_title="Gadget plan in full")
    north = register(
        "RESTRICTED",
        short_title="Northern note",
        full_title="Northern note",
        unit=org.north,
        by=org.north_registrar,
    )
    custody.issue_copy(widgets.copies.get(number=1), to=org.custodian, by=org.registrar)
    client.force_login(org.registrar)

    def shown(**params: str) -> str:
        response = client.get(URL, params)
        assert response.status_code == 200
        return text(response)

    # The fixture's originator is "Ministry of Widgets": search a word only one title has.
    assert "Gadget plan" in shown(q="gadget")
    assert "Widget plan" not in shown(q="GADGET")
    assert "Gadget plan" in shown(level="confidential")
    assert "Widget plan" not in shown(level="CONFIDENTIAL")
    held = shown(state="held")
    assert "Widget plan" in held
    assert "Gadget plan" not in held
    in_north = shown(unit="NORTH")
    assert north.control_number in in_north
    assert "Widget plan" not in in_north
    assert "1 document" in shown(unit="NORTH")


def test_an_invalid_filter_is_a_message_not_a_crash(
    client: Client, org: Organisation, register: Register
) -> None:
    register("SECRET")
    client.force_login(org.registrar)
    response = client.get(URL, {"level": "ULTRA", "state": "stolen", "unit": "MARS"})
    assert response.status_code == 400
    page = text(response)
    assert "Unknown level 'ULTRA'; the levels are: UNCLASSIFIED, RESTRICTED" in page
    assert "Select a valid choice. stolen is not one of the available choices." in page
    assert "Select a valid choice. MARS is not one of the available choices." in page


def test_the_register_is_paginated_by_fifty(
    client: Client, org: Organisation, register: Register
) -> None:
    for n in range(51):
        register("UNCLASSIFIED", short_title=f"Note {n:02d}", copies=1)
    client.force_login(org.registrar)
    first = client.get(URL, {"q": "note"})
    assert first.content.decode().count('href="/documents/HQ-') == 50
    assert "51 documents" in text(first)
    assert "page 1 of 2" in text(first)
    assert 'href="?q=note&amp;page=2"' in body(first)
    second = client.get(URL, {"q": "note", "page": "2"})
    assert second.content.decode().count('href="/documents/HQ-') == 1
    assert "Note 00" in text(second)  # oldest last
    assert client.get(URL, {"page": "banana"}).status_code == 200


def test_htmx_gets_only_the_results_with_banners_to_swap(
    client: Client, org: Organisation, register: Register
) -> None:
    register("UNCLASSIFIED", short_title="Canteen rota")
    register("SECRET", short_title="Border plan")
    client.force_login(org.registrar)
    response = client.get(URL, {"q": "canteen"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = body(response)
    assert "<html" not in page
    assert "Canteen rota" in page
    assert "Border plan" not in page
    assert page.count('hx-swap-oob="true"') == 2
    assert [b[2] for b in banners(response)] == ["UNCLASSIFIED", "UNCLASSIFIED"]


def test_the_full_page_wires_up_htmx_and_works_without_it(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    page = body(client.get(URL))
    assert '<script src="/static/strongroom/htmx.min.js" defer></script>' in page
    assert 'hx-get="/documents/"' in page
    assert 'hx-target="#results"' in page
    # Without JavaScript the same form is a plain GET to the same page.
    assert '<form method="get" action="/documents/"' in page
    assert "hx-swap-oob" not in page
