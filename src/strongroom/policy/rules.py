"""One small predicate per rule. Each returns None when satisfied, else the reason it is not.

A reason is a ``Text``: English when turned into a string (the ledger keeps it so), and
translatable by the adapter that shows it to a person.
"""

from __future__ import annotations

from strongroom.domain.clearance import may_hold_text, status_word
from strongroom.domain.markings import Marking
from strongroom.domain.text import Text, gettext_noop
from strongroom.domain.transport import CourierAuthorisation, authorisation_problem
from strongroom.policy.facts import ActorFacts, PersonFacts, Role

Reason = Text | None

# A role as a word in a sentence (``Role.label``), translatable; the same words as the web's
# labels, so one translation serves both.
_ROLE_WORDS: dict[Role, Text] = {
    Role.ADMINISTRATOR: gettext_noop("administrator"),
    Role.CUSTODIAN: gettext_noop("custodian"),
    Role.INSPECTOR: gettext_noop("inspector"),
    Role.REGISTRAR: gettext_noop("registrar"),
    Role.SECURITY_OFFICER: gettext_noop("security officer"),
    Role.STAFF: gettext_noop("staff"),
}


def _any_of(roles: tuple[Role, ...]) -> Text:
    """``registrar or custodian``: each "or" is its own message, so a language may reorder."""
    words = iter(roles)
    names = _ROLE_WORDS[next(words)]
    for role in words:
        names = gettext_noop("%(roles)s or %(role)s", roles=names, role=_ROLE_WORDS[role])
    return names


def is_active(actor: ActorFacts) -> Reason:
    if actor.status.value != "active":
        return gettext_noop("your account is %(status)s", status=status_word(actor.status))
    return None


def cleared_for(actor: ActorFacts, marking: Marking) -> Reason:
    problem = actor.cannot_hold(marking)
    if problem is None:
        return None
    return gettext_noop(
        "you may not hold %(marking)s material: %(problem)s",
        marking=marking.banner(),
        problem=problem,
    )


def has_any_role(actor: ActorFacts, *roles: Role) -> Reason:
    if actor.roles.intersection(roles):
        return None
    return gettext_noop("this needs the role of %(roles)s", roles=_any_of(roles))


def governs_unit(actor: ActorFacts, unit_path: str, what: Text) -> Reason:
    """``what`` names the target in the reason: a Text such as "the copy"."""
    if actor.governs(unit_path):
        return None
    return gettext_noop(
        "%(what)s belongs to a unit outside yours (%(unit)s)", what=what, unit=actor.unit_path
    )


def governs_either(actor: ActorFacts, unit_paths: tuple[str, ...], what: Text) -> Reason:
    """Like ``governs_unit``, satisfied by any one of ``unit_paths``."""
    if any(actor.governs(path) for path in unit_paths):
        return None
    return gettext_noop(
        "%(what)s concerns units outside yours (%(unit)s)", what=what, unit=actor.unit_path
    )


def recipient_may_hold(recipient: PersonFacts, marking: Marking, today_actor: ActorFacts) -> Reason:
    problem = may_hold_text(recipient.status, recipient.clearance, marking, today_actor.today)
    if problem is None:
        return None
    return gettext_noop(
        "the recipient may not hold %(marking)s material: %(problem)s",
        marking=marking.banner(),
        problem=problem,
    )


def delegate_may_hold(delegate: PersonFacts, marking: Marking, today_actor: ActorFacts) -> Reason:
    problem = may_hold_text(delegate.status, delegate.clearance, marking, today_actor.today)
    if problem is None:
        return None
    return gettext_noop(
        "the delegate may not hold %(marking)s material: %(problem)s",
        marking=marking.banner(),
        problem=problem,
    )


def reader_may_hold(reader: PersonFacts, marking: Marking, today_actor: ActorFacts) -> Reason:
    """The same test as for a recipient; its own sentence, so each reads well when translated."""
    problem = may_hold_text(reader.status, reader.clearance, marking, today_actor.today)
    if problem is None:
        return None
    return gettext_noop(
        "the reader may not hold %(marking)s material: %(problem)s",
        marking=marking.banner(),
        problem=problem,
    )


def party_may_hold(
    party: PersonFacts, marking: Marking, today_actor: ActorFacts, who: Text
) -> Reason:
    """``who`` names the party in the reason: a Text such as "the witness"."""
    problem = may_hold_text(party.status, party.clearance, marking, today_actor.today)
    if problem is None:
        return None
    return gettext_noop(
        "%(who)s may not hold %(marking)s material: %(problem)s",
        who=who,
        marking=marking.banner(),
        problem=problem,
    )


def two_people(destroyer_id: int, witness_id: int) -> Reason:
    if destroyer_id == witness_id:
        return gettext_noop("the destroyer and the witness must be two different people")
    return None


def courier_may_hold(courier: PersonFacts, marking: Marking, today_actor: ActorFacts) -> Reason:
    problem = may_hold_text(courier.status, courier.clearance, marking, today_actor.today)
    if problem is None:
        return None
    return gettext_noop(
        "the courier may not hold %(marking)s material: %(problem)s",
        marking=marking.banner(),
        problem=problem,
    )


def courier_authorised(
    authorisations: tuple[CourierAuthorisation, ...], marking: Marking, today_actor: ActorFacts
) -> Reason:
    """Authorised on the actor's day, at least for the level (compartments are clearance's)."""
    problem = authorisation_problem(authorisations, marking, today_actor.today)
    if problem is None:
        return None
    return gettext_noop(
        "the courier is not authorised to carry %(level)s material: %(problem)s",
        level=marking.level,
        problem=problem,
    )


def not_the_courier(actor: ActorFacts, courier_id: int) -> Reason:
    """A receipt is worth something only when someone other than the carrier signs it."""
    if actor.person_id == courier_id:
        return gettext_noop("the courier may not sign for the copy they carried")
    return None


def not_the_sender(actor: ActorFacts, dispatched_by_id: int) -> Reason:
    if actor.person_id == dispatched_by_id:
        return gettext_noop("whoever sent the copy may not sign for its receipt")
    return None


def recipients_may_hold(
    recipients: tuple[tuple[str, PersonFacts], ...], marking: Marking, today_actor: ActorFacts
) -> Reason:
    """Every recipient may hold the marking; otherwise the reason names each who may not, and
    why, so the whole list can be put right at once."""
    barred: Text | None = None
    for username, recipient in recipients:
        problem = may_hold_text(recipient.status, recipient.clearance, marking, today_actor.today)
        if problem is None:
            continue
        item = gettext_noop("%(person)s (%(problem)s)", person=username, problem=problem)
        # Each "; " is its own message, like "or" in _any_of, so a language may reorder.
        if barred is not None:
            item = gettext_noop("%(list)s; %(item)s", list=barred, item=item)
        barred = item
    if barred is None:
        return None
    return gettext_noop(
        "not every recipient may hold %(marking)s material: %(people)s",
        marking=marking.banner(),
        people=barred,
    )


def not_self(actor: ActorFacts, person: PersonFacts, what: Text) -> Reason:
    """``what`` is the act: a Text such as "grant or withdraw clearance"."""
    if actor.person_id == person.person_id:
        return gettext_noop("nobody may %(what)s for themselves", what=what)
    return None


def holds(actor: ActorFacts, holder_id: int | None) -> Reason:
    if holder_id is not None and holder_id == actor.person_id:
        return None
    return gettext_noop("only the person who holds the copy may hand it over")


def not_to_self(actor: ActorFacts, recipient: PersonFacts) -> Reason:
    if actor.person_id == recipient.person_id:
        return gettext_noop("a hand-over needs a recipient other than the sender")
    return None


def may_be_copied(marking: Marking) -> Reason:
    if marking.forbids_copying:
        return gettext_noop(
            "the marking %(marking)s carries NO COPY: no copies of it may be made",
            marking=marking.banner(),
        )
    return None


def not_the_requester(actor: ActorFacts, requester_id: int) -> Reason:
    """Two people: whoever asked for a reproduction does not also authorise it."""
    if actor.person_id == requester_id:
        return gettext_noop(
            "the person who asked for the reproduction may not decide it; another registrar must"
        )
    return None


def first(*reasons: Reason) -> Reason:
    """The first failing rule, so the refusal names the most basic problem."""
    for reason in reasons:
        if reason:
            return reason
    return None
