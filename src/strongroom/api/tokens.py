"""API tokens for people who use strongroom from programs (the CLI, scripts).

A token is a credential, like a password, not custody state: issuing or withdrawing one is no
ledger event and needs no service. What a token lets its bearer do is decided by policy on every
request, exactly as for a signed-in session, and every use is ledgered by the service it calls.
"""

from __future__ import annotations

from rest_framework.authtoken.models import Token

from strongroom.models import Person


def issue_token(person: Person) -> str:
    """The person's token, made on first request; one token per person, as DRF keeps them."""
    token, _ = Token.objects.get_or_create(user=person)
    return str(token.key)


def withdraw_token(person: Person) -> None:
    """Forget the person's token; programs using it must ask for a new one."""
    Token.objects.filter(user=person).delete()
