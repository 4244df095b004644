"""Invented but plausible register content: titles, originators, references and markings.

Everything is drawn from a seeded ``random.Random`` so that two loads give the same organisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# (short, long) pairs so that short titles stay readable in lists and full titles say more.
TOPICS: tuple[tuple[str, str], ...] = (
    ("power grid", "protection of the national power grid"),
    ("southern ports", "security arrangements at the southern ports"),
    ("rail freight", "rail freight schedules for strategic materials"),
    ("procurement", "the defence procurement budget for the coming year"),
    ("provincial comms", "encrypted communications between provincial offices"),
    ("water supply", "resilience of the water supply in the eastern province"),
    ("border crossings", "procedures at the northern border crossings"),
    ("census data", "handling of census microdata by provincial offices"),
    ("vaccine reserve", "the strategic vaccine reserve and its distribution plan"),
    ("rare earths", "rare-earth mining concessions in the south"),
    ("archive series", "declassification of archive series 1970-1985"),
    ("delegations", "visits of foreign delegations to ministries"),
    ("ground stations", "upgrades of the satellite ground stations"),
    ("fuel reserve", "the strategic fuel reserve and its drawdown rules"),
    ("cyber incidents", "response to cyber incidents in ministries"),
    ("north bridge", "the Northern bridge construction programme"),
    ("key control", "control of storage-room keys and combinations"),
    ("courier routes", "courier routes between headquarters and the provinces"),
)

PROJECTS = ("KESTREL", "ORCHARD", "LANTERN", "GRANITE", "MERIDIAN", "TUNDRA", "FALCON", "HARBOUR")
BOARDS = ("Security Committee", "Planning Board", "Procurement Council", "Crisis Staff")
EMBASSIES = ("the embassy in Valmora", "the consulate in Port Ardent", "the mission in Osterfeld")

# (name, reference prefix)
ORIGINATORS: tuple[tuple[str, str], ...] = (
    ("Ministry of Public Works", "MPW"),
    ("State Planning Commission", "SPC"),
    ("Central Security Bureau", "CSB"),
    ("Ministry of Defence", "MOD"),
    ("Foreign Affairs Directorate", "FAD"),
    ("National Energy Agency", "NEA"),
    ("Institute of Applied Cryptography", "IAC"),
    ("Border Guard Command", "BGC"),
    ("National Archives Board", "NAB"),
    ("Office of the Prime Minister", "OPM"),
)

# Banner lines and how often they occur. Compartments and caveats are spread over the levels so
# that every combination a user might filter by has examples.
MARKINGS: tuple[tuple[str, int], ...] = (
    ("UNCLASSIFIED", 6),
    ("RESTRICTED", 12),
    ("RESTRICTED//NO FOREIGN", 3),
    ("CONFIDENTIAL", 20),
    ("CONFIDENTIAL//NO FOREIGN", 5),
    ("CONFIDENTIAL//ORIGINATOR CONTROLLED", 3),
    ("SECRET", 16),
    ("SECRET//NO COPY", 5),
    ("SECRET//ALPHA", 6),
    ("SECRET//ALPHA//NO FOREIGN", 3),
    ("SECRET//BRAVO", 2),
    ("SECRET//CHARLIE", 4),
    ("TOP SECRET", 8),
    ("TOP SECRET//BRAVO//NO COPY", 6),
    ("TOP SECRET//ALPHA/BRAVO//ORIGINATOR CONTROLLED", 4),
    ("TOP SECRET//CHARLIE//NO COPY/NO FOREIGN", 4),
)

LECTURE_MARKINGS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL")

FIRST_NAMES = (
    "Anna", "Boris", "Clara", "Dmitri", "Eva", "Felix", "Gisela", "Hugo", "Ida", "Jonas",
    "Karin", "Leon", "Mira", "Oskar", "Paula", "Ruben", "Selma", "Theo", "Vera", "Yusuf",
)  # fmt: skip
LAST_NAMES = (
    "Albrecht", "Bauer", "Costa", "Dietz", "Engel", "Fischer", "Graf", "Hahn", "Iversen",
    "Jansen", "Krause", "Lorenz", "Maier", "Neumann", "Olsen", "Peters", "Roth", "Schulz",
)  # fmt: skip


@dataclass(frozen=True)
class Paper:
    """What arrives at a registry: everything ``register_document`` asks for but who and where."""

    short_title: str
    full_title: str
    marking: str
    originator: str
    originator_reference: str
    pages: int
    medium: str
    copies: int
    lecture: bool


def _reference(rng: random.Random, prefix: str, year: int) -> str:
    style = rng.random()
    if style < 0.1:
        return ""  # some senders give none, and the register must cope
    if style < 0.6:
        return f"{prefix}/{year}/{rng.randint(1, 2400):04d}"
    return f"{prefix}-{rng.choice('ABCDK')}-{rng.randint(10, 999)}"


def reference_for(rng: random.Random, originator: str, year: int) -> str:
    """A fresh reference in the style the originator uses."""
    prefix = dict(ORIGINATORS).get(originator, "REF")
    return f"{prefix}/{year}/{rng.randint(2401, 4800):04d}"


def paper(rng: random.Random, received: date, allowed: list[tuple[str, int]]) -> Paper:
    """One incoming document with a marking drawn from ``allowed`` (banner, weight)."""
    topic_short, topic = rng.choice(TOPICS)
    originator, prefix = rng.choice(ORIGINATORS)
    year = received.year
    number = rng.randint(3, 140)
    kind = rng.random()
    lecture = False
    if kind < 0.2:
        short = f"Directive {number}/{year % 100:02d} {topic_short}"
        full = f"Directive {number}/{year % 100:02d} of the {originator} on {topic}"
    elif kind < 0.32:
        board = rng.choice(BOARDS)
        short = f"Minutes {board} {received:%d %b}"
        full = f"Minutes of the {board} meeting of {received:%d %B %Y} on {topic}"
    elif kind < 0.46:
        quarter = (received.month - 1) // 3 + 1
        short = f"Q{quarter} report {topic_short}"
        full = f"Quarterly report on {topic}, Q{quarter} {year}"
    elif kind < 0.56:
        project = rng.choice(PROJECTS)
        short = f"Project guidelines {project}"
        full = f"Project guidelines for {project}: {topic}"
    elif kind < 0.66:
        short = f"Assessment {topic_short}"
        full = f"Threat assessment: {topic}"
    elif kind < 0.74:
        embassy = rng.choice(EMBASSIES)
        short = f"Cable {number} {topic_short}"
        full = f"Cable {number} from {embassy} on {topic}"
    elif kind < 0.84:
        project = rng.choice(PROJECTS)
        short = f"Contingency plan {project}"
        full = f"Contingency plan {project} covering {topic}"
    elif kind < 0.92:
        short = f"Order {number} {topic_short}"
        full = f"Order No. {number} of the {originator} on {topic}"
    else:
        lecture = True
        short = f"Lecture {number % 12 + 1} {topic_short}"
        full = f"Training lecture {number % 12 + 1}: handling material on {topic}"
    if lecture:
        lecture_allowed = [(b, w) for b, w in allowed if b in LECTURE_MARKINGS] or allowed
        marking = _weighted(rng, lecture_allowed)
        copies = rng.randint(8, 16)
    else:
        marking = _weighted(rng, allowed)
        copies = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
    medium = rng.choices(("paper", "electronic", "removable_media"), (16, 2, 2))[0]
    return Paper(
        short_title=short,
        full_title=full,
        marking=marking,
        originator=originator,
        originator_reference=_reference(rng, prefix, year),
        pages=rng.randint(1, 12) if lecture else rng.randint(1, 160),
        medium=medium,
        copies=copies,
        lecture=lecture,
    )


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    banners = [banner for banner, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(banners, weights)[0]


CORRECTION_REASONS = {
    "pages": "Page count miscounted at registration; recounted against the enclosure list.",
    "originator_reference": "Originator's reference mistyped; corrected from the covering letter.",
    "short_title": "Short title did not match the cover sheet; corrected on review.",
    "received_on": "Date received taken from the envelope instead of the receipt book.",
    "marking": "Re-graded by the originator; letter of re-grading filed with the document.",
}
