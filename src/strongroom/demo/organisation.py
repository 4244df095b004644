"""Who is who in the demo organisation: its units and the people a visitor can sign in as."""

from __future__ import annotations

from dataclasses import dataclass

HQ = ("HQ", "Headquarters")

# (code, name, parent code), parents first.
UNITS: tuple[tuple[str, str, str], ...] = (
    ("NORTH", "North Province", "HQ"),
    ("NCITY", "North City Office", "NORTH"),
    ("NWORKS", "Northern Works Office", "NORTH"),
    ("SOUTH", "South Province", "HQ"),
    ("SCITY", "South City Office", "SOUTH"),
    ("SPORT", "Southport Office", "SOUTH"),
    ("EAST", "East Province", "HQ"),
    ("ECITY", "East City Office", "EAST"),
)

# Which registrar registers the incoming material of each unit, and how much of it arrives there.
REGISTERING: tuple[tuple[str, str, int], ...] = (
    ("HQ", "rita", 40),
    ("NORTH", "nils", 8),
    ("NCITY", "nils", 7),
    ("NWORKS", "kurt", 10),
    ("SOUTH", "sofia", 10),
    ("SCITY", "sofia", 5),
    ("SPORT", "sofia", 5),
    ("EAST", "ella", 12),
    ("ECITY", "ella", 8),
)


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    unit: str
    roles: tuple[str, ...]
    description: str
    # (level, compartments) or None for no clearance at all.
    clearance: tuple[str, tuple[str, ...]] | None = None
    # Who grants the clearance: security officers may not grant their own.
    granted_by: str = "simon"
    briefed: bool = True
    # Days after the start of the demo history; None means the usual two to three years.
    expires_after_days: int | None = None


BOOTSTRAP = Persona(
    "helga",
    "Helga Brandt",
    "HQ",
    ("security_officer", "administrator"),
    "security officer and administrator at HQ; holds no clearance, so sees no classified content",
)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "simon",
        "Simon Keller",
        "HQ",
        ("security_officer",),
        "second security officer at HQ; grants the clearances",
        ("SECRET", ()),
        granted_by="helga",
    ),
    Persona(
        "adam",
        "Adam Novak",
        "HQ",
        ("administrator",),
        "administrator at HQ; no clearance",
    ),
    Persona(
        "rita",
        "Rita Lang",
        "HQ",
        ("registrar",),
        "registrar at HQ, cleared TOP SECRET with ALPHA, BRAVO and CHARLIE",
        ("TOP SECRET", ("ALPHA", "BRAVO", "CHARLIE")),
    ),
    Persona(
        "carl",
        "Carl Weber",
        "HQ",
        ("custodian",),
        "custodian at HQ, cleared SECRET with ALPHA",
        ("SECRET", ("ALPHA",)),
    ),
    Persona(
        "ines",
        "Ines Moreau",
        "HQ",
        ("inspector",),
        "inspector at HQ, cleared TOP SECRET with every compartment",
        ("TOP SECRET", ("ALPHA", "BRAVO", "CHARLIE")),
    ),
    Persona(
        "tara",
        "Tara Quinn",
        "HQ",
        ("staff",),
        "analyst (staff) at HQ, cleared TOP SECRET with BRAVO",
        ("TOP SECRET", ("BRAVO",)),
    ),
    Persona(
        "wally",
        "Walter Pohl",
        "HQ",
        ("staff",),
        "ordinary worker at HQ without clearance; once tried to register a directive",
    ),
    Persona(
        "nora",
        "Nora Falk",
        "NORTH",
        ("security_officer",),
        "security officer of North Province (and only of it)",
        ("CONFIDENTIAL", ()),
    ),
    Persona(
        "nils",
        "Nils Berg",
        "NORTH",
        ("custodian", "registrar"),
        "registrar and custodian of North Province, cleared SECRET",
        ("SECRET", ()),
        granted_by="nora",
    ),
    Persona(
        "petra",
        "Petra Holm",
        "NCITY",
        ("staff",),
        "staff at North City Office, cleared CONFIDENTIAL until two weeks from now",
        ("CONFIDENTIAL", ()),
        granted_by="nora",
        expires_after_days=204,
    ),
    Persona(
        "kurt",
        "Kurt Vogel",
        "NWORKS",
        ("registrar",),
        "deputy head and registrar of the Northern Works Office, cleared CONFIDENTIAL",
        ("CONFIDENTIAL", ()),
        granted_by="nora",
    ),
    Persona(
        "uwe",
        "Uwe Stahl",
        "NWORKS",
        ("staff",),
        "worker at the Northern Works Office without clearance; was asked to register mail",
    ),
    Persona(
        "sofia",
        "Sofia Reyes",
        "SOUTH",
        ("registrar",),
        "registrar of South Province, cleared SECRET with ALPHA",
        ("SECRET", ("ALPHA",)),
    ),
    Persona(
        "emil",
        "Emil Franke",
        "SOUTH",
        ("staff",),
        "staff in South Province whose SECRET clearance expired a month ago",
        ("SECRET", ()),
        expires_after_days=160,
    ),
    Persona(
        "bruno",
        "Bruno Keil",
        "SCITY",
        ("staff",),
        "staff at South City Office, granted SECRET but never briefed, so not cleared",
        ("SECRET", ()),
        briefed=False,
    ),
    Persona(
        "greta",
        "Greta Lind",
        "SOUTH",
        ("staff",),
        "staff in South Province, suspended (and her clearance with her) pending review",
        ("SECRET", ()),
    ),
    Persona(
        "ella",
        "Ella Wirth",
        "EAST",
        ("custodian", "registrar"),
        "registrar and custodian of East Province, cleared SECRET with CHARLIE",
        ("SECRET", ("CHARLIE",)),
    ),
    Persona(
        "dora",
        "Dora Pike",
        "ECITY",
        ("staff",),
        "staff at East City Office who has departed (retired)",
        ("CONFIDENTIAL", ()),
    ),
)

# Clearances of the staff who fill the lists but get no login: (level, compartments) or None.
EXTRA_STAFF_CLEARANCES: tuple[tuple[str, tuple[str, ...]] | None, ...] = (
    None,
    ("RESTRICTED", ()),
    ("CONFIDENTIAL", ()),
    ("CONFIDENTIAL", ()),
    ("SECRET", ()),
    ("SECRET", ("ALPHA",)),
    ("SECRET", ("CHARLIE",)),
    ("TOP SECRET", ("ALPHA",)),
)
EXTRA_STAFF_UNITS = (
    "HQ", "HQ", "NORTH", "NCITY", "NWORKS", "SOUTH", "SCITY", "SPORT", "EAST", "ECITY",
)  # fmt: skip
EXTRA_STAFF = 20
