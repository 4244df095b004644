"""distribute, campaigns, campaign-board, incidents and unit-head: allowed and refused.

The scene: a CONFIDENTIAL lecture document of HQ with four copies; carl (HQ custodian) issues
copies to rosa and nils (NORTH), due back a week later.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Campaign, Copy, Unit
from strongroom.services import alerts, campaigns, custody
from tests.cli.conftest import Cli
from tests.conftest import Organisation, last_entry

DUE = (datetime.now(UTC) + timedelta(days=8)).replace(second=0, microsecond=0)
DAY = timedelta(days=1)


def _copy(document: Any, number: int) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


@pytest.fixture
def lecture(register: Any) -> Any:
    return register("CONFIDENTIAL", short_title="Lecture 4", copies=4)


@pytest.fixture
def course(org: Organisation, lecture: Any) -> Campaign:
    return campaigns.create_campaign(
        lecture,
        title="Spring course",
        due_back=DUE,
        recipients=[org.reader, org.north_registrar],
        by=org.custodian,
    )


# --- distribute ------------------------------------------------------------------------------


def test_distribute_issues_one_copy_each_in_order(
    org: Organisation, cli: Cli, lecture: Any
) -> None:
    result = cli(
        "distribute",
        lecture.control_number,
        "--title",
        "Spring course",
        "--due",
        DUE.isoformat(),
        "--to",
        "rosa, nils",
        "--to",
        "rita",
        as_=org.custodian,
    )

    assert result.code == 0, result.err
    campaign = Campaign.objects.get()
    assert result.out.strip() == (
        f"Campaign {campaign.short_reference}: issued copies 1, 2, 3 of 4 of "
        f"{lecture.control_number} to rosa, nils, rita, due back by "
        f"{DUE:%Y-%m-%d %H:%M}. Its board: strongroom campaign-board {campaign.short_reference}"
    )
    assert (campaign.title, campaign.due_back, campaign.created_by) == (
        "Spring course",
        DUE,
        org.custodian,
    )
    assert [_copy(lecture, n).holder for n in (1, 2, 3)] == [
        org.reader,
        org.north_registrar,
        org.registrar,
    ]
    assert last_entry().kind == "copy.issued"


def test_an_ineligible_recipient_refuses_the_whole_campaign_exit_3(
    org: Organisation, cli: Cli, lecture: Any
) -> None:
    result = cli(
        "distribute",
        lecture.control_number,
        "--title",
        "Seminar",
        "--due",
        DUE.isoformat(),
        "--to",
        "rosa,wally",
        as_=org.custodian,
    )
    assert result.code == 3
    assert result.err.strip() == (
        "strongroom: error: refused: not every recipient may hold CONFIDENTIAL material: "
        "wally (the person holds no clearance)"
    )
    assert not Campaign.objects.exists()
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.custodian,
        "campaign:create",
    )


def test_too_few_copies_is_bad_input_exit_2(org: Organisation, cli: Cli, lecture: Any) -> None:
    result = cli(
        "distribute",
        lecture.control_number,
        "--title",
        "Seminar",
        "--due",
        DUE.isoformat(),
        "--to",
        "rosa,nils,rita,ines,carl",
        as_=org.custodian,
    )
    assert result.code == 2
    assert "has 4 copies in the registry and the campaign needs 5" in result.err
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("due", "words"),
    [("2026-13-01", "is not a time"), ("2026-12-01T17:00", "has no time zone")],
)
def test_a_bad_due_time_is_a_usage_error(
    org: Organisation, cli: Cli, lecture: Any, due: str, words: str
) -> None:
    result = cli(
        "distribute", lecture.control_number, "--title", "S", "--due", due, "--to", "rosa",
        as_=org.custodian,
    )  # fmt: skip
    assert result.code == 2 and words in result.err


def test_an_unknown_recipient_or_hidden_document_reads_as_missing(
    org: Organisation, cli: Cli, lecture: Any, register: Any
) -> None:
    nobody = cli(
        "distribute", lecture.control_number, "--title", "S", "--due", DUE.isoformat(),
        "--to", "rosa,ghost", as_=org.custodian,
    )  # fmt: skip
    assert (nobody.code, nobody.err.strip()) == (3, "strongroom: error: No person ghost.")
    secret = register("TOP SECRET")
    hidden = cli(
        "distribute", secret.control_number, "--title", "S", "--due", DUE.isoformat(),
        "--to", "rita", as_=org.custodian,
    )  # fmt: skip
    assert hidden.code == 3
    assert hidden.err.strip() == (
        f"strongroom: error: No document {secret.control_number} in the register."
    )
    assert not Campaign.objects.exists()


# --- campaigns and the board -----------------------------------------------------------------


def test_campaigns_lists_them_between_banners(
    org: Organisation, cli: Cli, course: Campaign
) -> None:
    result = cli("campaigns", as_=org.registrar)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    assert course.short_reference in result.out and "2/2" in result.out and "open" in result.out

    listed = json.loads(cli("campaigns", "--json", "--open", as_=org.registrar).out)
    assert listed["banner"] == "CONFIDENTIAL"
    [item] = listed["campaigns"]
    assert (item["reference"], item["copies"], item["out"], item["closed_at"]) == (
        str(course.reference),
        2,
        2,
        None,
    )


def test_staff_see_no_campaigns(org: Organisation, cli: Cli, course: Campaign) -> None:
    result = cli("campaigns", as_=org.reader)
    assert (result.code, result.out.strip()) == (0, "No campaigns.")


def test_the_board_says_what_is_out_with_whom_and_how_far_it_was_escalated(
    org: Organisation, cli: Cli, course: Campaign, lecture: Any
) -> None:
    custody.return_copy(_copy(lecture, 2), by=org.custodian)

    with clock.frozen(DUE + 4 * DAY):
        result = cli("campaign-board", course.short_reference.lower(), as_=org.registrar)
        data = json.loads(
            cli("campaign-board", str(course.reference), "--json", as_=org.registrar).out
        )

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    assert "still out  1 / 2" in result.out
    row = next(line for line in lines if line.startswith("1 of 4"))
    assert row.split()[:3] == ["1", "of", "4"] and "rosa" in row and "the supervisor" in row
    assert data["banner"] == "CONFIDENTIAL" and data["out"] == 1
    first, second = data["items"]
    assert (first["copy"], first["holder"], first["days_overdue"], first["step"]) == (
        f"{lecture.control_number}/1",
        "rosa",
        4,
        "supervisor",
    )
    assert (second["out"], second["holder"], second["step"]) == (False, None, None)


def test_someone_not_answerable_for_the_campaign_is_told_it_does_not_exist(
    org: Organisation, cli: Cli, course: Campaign
) -> None:
    result = cli("campaign-board", course.short_reference, as_=org.reader)
    assert (result.code, result.err.strip()) == (
        3,
        f"strongroom: error: No campaign {course.short_reference}.",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.reader,
        "campaign:view",
    )


def test_a_malformed_reference_is_bad_input(org: Organisation, cli: Cli, course: Campaign) -> None:
    result = cli("campaign-board", "spring", as_=org.registrar)
    assert result.code == 2 and "is not a campaign reference" in result.err


# --- check and incidents ---------------------------------------------------------------------


def test_check_reports_reminders_and_incidents(
    org: Organisation, cli: Cli, course: Campaign
) -> None:
    with clock.frozen(DUE + 15 * DAY):
        first = cli("check")
        again = cli("check")
    assert first.code == 0
    assert "campaign reminders: 6 new alert(s), 2 incident(s) opened" in first.out.splitlines()
    assert "campaign reminders: 0 new alert(s)" in again.out.splitlines()


def test_security_officers_list_incidents_and_others_see_none(
    org: Organisation, cli: Cli, course: Campaign
) -> None:
    alerts.check_campaign_reminders(now=DUE + 15 * DAY)

    listed = json.loads(cli("incidents", "--json", as_=org.officer).out)
    table = cli("incidents", as_=org.officer)
    nobody = cli("incidents", as_=org.registrar)

    assert sorted((i["person"], i["kind"], i["opened_by"]) for i in listed) == [
        ("nils", "copy_not_returned", None),
        ("rosa", "copy_not_returned", None),
    ]
    assert {i["campaign"] for i in listed} == {str(course.reference)}
    assert table.code == 0 and "copy_not_returned" in table.out
    assert (nobody.code, nobody.out.strip()) == (0, "No incidents.")


# --- unit heads ------------------------------------------------------------------------------


def test_a_security_officer_appoints_and_removes_a_head(org: Organisation, cli: Cli) -> None:
    appointed = cli("unit-head", "north", "nils", as_=org.officer)
    listed = cli("units", as_=org.worker)
    removed = cli("unit-head", "NORTH", "--none", as_=org.officer)

    assert (appointed.code, appointed.out.strip()) == (0, "nils is now the head of NORTH.")
    north = next(line for line in listed.out.splitlines() if line.startswith("NORTH "))
    assert north.split()[-1] == "nils"
    assert (removed.code, removed.out.strip()) == (0, "NORTH has no head now.")
    assert Unit.objects.get(code="NORTH").head is None
    assert [e.data for e in LedgerEntry.objects.filter(kind="unit.head_set").order_by("seq")] == [
        {"head": "nils"},
        {"head": None},
    ]


def test_a_head_from_another_unit_is_bad_input(org: Organisation, cli: Cli) -> None:
    result = cli("unit-head", "NORTH", "rita", as_=org.officer)
    assert result.code == 2
    assert "rita does not belong to NORTH" in result.err


def test_only_a_security_officer_appoints_exit_3(org: Organisation, cli: Cli) -> None:
    result = cli("unit-head", "NORTH", "nils", as_=org.registrar)
    assert result.code == 3
    assert result.err.strip() == (
        "strongroom: error: refused: this needs the role of security officer"
    )
    assert last_entry().data["action"] == "unit:set_head"


@pytest.mark.parametrize("argv", [["NORTH"], ["NORTH", "nils", "--none"]], ids=["none", "both"])
def test_a_head_or_none_but_not_both(org: Organisation, cli: Cli, argv: list[str]) -> None:
    result = cli("unit-head", *argv, as_=org.officer)
    assert result.code == 2 and "--none" in result.err
