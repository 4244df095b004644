"""Units and people: setting up the organisation."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from strongroom.domain.clearance import PersonStatus, status_word
from strongroom.domain.codes import check_unit_code
from strongroom.domain.errors import Conflict, InvalidInput
from strongroom.domain.text import Text, gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Person, Unit
from strongroom.policy import Action, Role
from strongroom.policy.facts import UnitFacts
from strongroom.services.base import check, now, writes
from strongroom.services.inputs import text

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


def _name(value: str, field: str, what: Text, max_length: int = 200) -> str:
    """``what`` names the input in the message: a Text such as "The full name"."""
    return text(value, field, what, max_length=max_length)


def parse_roles(roles: Iterable[str]) -> list[str]:
    result = set()
    for raw in roles:
        name = raw.strip().lower().replace(" ", "_")
        if not name:
            continue
        try:
            result.add(Role(name).value)
        except ValueError:
            raise InvalidInput(
                gettext_noop(
                    "Unknown role %(role)s; roles are: %(known)s.",
                    role=repr(raw),
                    known=", ".join(r.value for r in Role),
                ),
                field="roles",
            ) from None
    return sorted(result)


def _check_password(password: str, person: Person | None = None) -> None:
    try:
        validate_password(password, person)
    except ValidationError as error:
        # Django's validators word (and translate) their own messages, in the language active
        # now; they have no English template to hand on, so the text is taken as it comes.
        raise InvalidInput(" ".join(error.messages), field="password") from None


def _unit_created(unit: Unit, by: Person | None) -> None:
    record(
        Event.UNIT_CREATED,
        actor=by,
        subject=f"unit:{unit.code}",
        data={
            "code": unit.code,
            "name": unit.name,
            "parent": unit.parent.code if unit.parent else None,
            "path": unit.path,
        },
        at=unit.created_at,
    )


def _new_unit(code: str, name: str, parent: Unit | None) -> Unit:
    code = check_unit_code(code)
    if Unit.objects.filter(code=code).exists():
        raise InvalidInput(
            gettext_noop("There is already a unit with code %(code)s.", code=code), field="code"
        )
    path = f"{parent.path}/{code}" if parent else code
    return Unit.objects.create(
        code=code,
        name=_name(name, "name", gettext_noop("The unit name")),
        parent=parent,
        path=path,
        created_at=now(),
    )


@writes
def create_unit(*, code: str, name: str, parent: Unit, by: Person) -> Unit:
    """A new unit below ``parent``; only security staff of ``parent`` may create it."""
    check(by, Action.UNIT_MANAGE, UnitFacts(parent.path), f"unit:{parent.code}")
    unit = _new_unit(code, name, parent)
    _unit_created(unit, by)
    return unit


def _person_created(person: Person, by: Person | None) -> None:
    record(
        Event.PERSON_CREATED,
        actor=by,
        subject=f"person:{person.username}",
        data={
            "username": person.username,
            "full_name": person.full_name,
            "unit": person.unit.code,
            "roles": sorted(r.value for r in person.role_set),
            "status": person.status,
        },
        at=person.created_at,
    )


def _new_person(
    username: str, full_name: str, unit: Unit, roles: Iterable[str], password: str | None
) -> Person:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(
            gettext_noop(
                "Username %(username)s must be 2-64 lower-case letters, digits, '.', '_' or '-', "
                "starting with a letter.",
                username=repr(username),
            ),
            field="username",
        )
    if Person.objects.filter(username=username).exists():
        raise InvalidInput(
            gettext_noop("The username %(username)s is taken.", username=username),
            field="username",
        )
    person = Person(
        username=username,
        full_name=_name(full_name, "full_name", gettext_noop("The full name")),
        unit=unit,
        roles=",".join(parse_roles(roles)),
        status=PersonStatus.ACTIVE.value,
        created_at=now(),
    )
    if password:
        _check_password(password, person)
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    return person


@writes
def create_person(
    *,
    username: str,
    full_name: str,
    unit: Unit,
    roles: Iterable[str],
    password: str | None = None,
    by: Person,
) -> Person:
    check(by, Action.UNIT_MANAGE, UnitFacts(unit.path), f"unit:{unit.code}")
    person = _new_person(username, full_name, unit, roles, password)
    _person_created(person, by)
    return person


def bootstrap(
    *, unit_code: str, unit_name: str, username: str, full_name: str, password: str
) -> Person:
    """The first unit and the first security officer of an empty installation.

    The only write without an acting person: there is nobody yet. It refuses once anyone exists.
    """
    from django.db import transaction

    from strongroom.ledger.record import lock_writers

    with transaction.atomic():
        lock_writers()
        if Person.objects.exists() or Unit.objects.exists():
            raise InvalidInput(
                gettext_noop("strongroom is already initialised; sign in as a security officer.")
            )
        unit = _new_unit(unit_code, unit_name, None)
        _unit_created(unit, None)
        person = _new_person(
            username, full_name, unit, [Role.SECURITY_OFFICER, Role.ADMINISTRATOR], password
        )
        _person_created(person, None)
        return person


def _update_person(person: Person, changes: dict[str, object]) -> None:
    updated = Person.objects.filter(pk=person.pk, version=person.version).update(
        **changes, version=person.version + 1
    )
    if not updated:
        raise Conflict(
            gettext_noop(
                "%(person)s was changed by someone else; reload and try again.",
                person=person.username,
            )
        )
    for name, value in changes.items():
        setattr(person, name, value)
    person.version += 1


@writes
def change_person(
    person: Person,
    *,
    full_name: str | None = None,
    unit: Unit | None = None,
    roles: Iterable[str] | None = None,
    by: Person,
) -> Person:
    check(by, Action.PERSON_MANAGE, person.as_target(), f"person:{person.username}")
    changes: dict[str, object] = {}
    data: dict[str, object] = {}
    if full_name is not None and full_name != person.full_name:
        changes["full_name"] = data["full_name"] = _name(
            full_name, "full_name", gettext_noop("The full name")
        )
    if unit is not None and unit.pk != person.unit_id:
        check(by, Action.UNIT_MANAGE, UnitFacts(unit.path), f"unit:{unit.code}")
        changes["unit"] = unit
        data["unit"] = unit.code
    if roles is not None:
        new_roles = parse_roles(roles)
        if new_roles != sorted(r.value for r in person.role_set):
            changes["roles"] = ",".join(new_roles)
            data["roles"] = new_roles
    if not changes:
        return person
    _update_person(person, changes)
    record(Event.PERSON_CHANGED, actor=by, subject=f"person:{person.username}", data=data, at=now())
    return person


@writes
def set_status(person: Person, *, status: PersonStatus, reason: str, by: Person) -> Person:
    """Suspend, reinstate or record the departure of a person; takes effect at once."""
    check(by, Action.PERSON_MANAGE, person.as_target(), f"person:{person.username}")
    reason = _name(reason, "reason", gettext_noop("A reason"), 500)
    if person.status == PersonStatus.DEPARTED.value:
        raise InvalidInput(
            gettext_noop("%(person)s has departed; a departure is final.", person=person.username)
        )
    if person.status == status.value:
        raise InvalidInput(
            gettext_noop(
                "%(person)s is already %(status)s.",
                person=person.username,
                status=status_word(status),
            )
        )
    _update_person(person, {"status": status.value})
    record(
        Event.PERSON_STATUS_CHANGED,
        actor=by,
        subject=f"person:{person.username}",
        data={"status": status.value, "reason": reason},
        at=now(),
    )
    return person


@writes
def set_password(person: Person, *, password: str, by: Person) -> None:
    """A person sets their own password, or security staff reset it."""
    if by.pk != person.pk:
        check(by, Action.PERSON_MANAGE, person.as_target(), f"person:{person.username}")
    _check_password(password, person)
    person.set_password(password)
    Person.objects.filter(pk=person.pk).update(password=person.password)
    record(
        Event.PERSON_PASSWORD_SET, actor=by, subject=f"person:{person.username}", data={}, at=now()
    )


@writes
def set_unit_head(unit: Unit, *, head: Person | None, by: Person) -> Unit:
    """Appoint ``head`` as the head of ``unit`` (None removes the head).

    The head supervises the people of the unit: a campaign copy one of them has not brought
    back is escalated to them. They must be an active member of the unit itself."""
    check(by, Action.UNIT_SET_HEAD, UnitFacts(unit.path), f"unit:{unit.code}")
    if head is not None:
        _may_head(head, unit)
    if head is None and unit.head_id is None:
        raise InvalidInput(gettext_noop("%(unit)s has no head to remove.", unit=unit.code))
    if head is not None and head.pk == unit.head_id:
        raise InvalidInput(
            gettext_noop(
                "%(person)s is already the head of %(unit)s.", person=head.username, unit=unit.code
            ),
            field="head",
        )
    Unit.objects.filter(pk=unit.pk).update(head=head)
    unit.head = head
    record(
        Event.UNIT_HEAD_SET,
        actor=by,
        subject=f"unit:{unit.code}",
        data={"head": head.username if head else None},
        at=now(),
    )
    return unit


def _may_head(person: Person, unit: Unit) -> None:
    current = person.as_target()  # as stored now: a move or a suspension bites at once
    if current.unit_path != unit.path:
        raise InvalidInput(
            gettext_noop(
                "%(person)s does not belong to %(unit)s; a unit's head must be one of its people.",
                person=person.username,
                unit=unit.code,
            ),
            field="head",
        )
    if current.status is not PersonStatus.ACTIVE:
        raise InvalidInput(
            gettext_noop(
                "%(person)s is %(status)s and cannot head a unit.",
                person=person.username,
                status=status_word(current.status),
            ),
            field="head",
        )
