"""What the domain, the policy and the services say to people can be translated.

Those layers may not import Django, so they do not call gettext: they raise errors and refuse with
``gettext_noop("template", **params)`` (strongroom.domain.text), which Django's ``makemessages``
extracts, and the adapters render in the reader's language. These tests read the source, so a
message written as an f-string — extractable by nobody — fails here rather than in Korean.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import strongroom

PACKAGE = Path(strongroom.__file__).parent
PLAIN_LAYERS = ["domain", "policy", "services", "queries"]
ERRORS = {
    "DomainError",
    "InvalidMarking",
    "IllegalTransition",
    "InvalidInput",
    "Conflict",
    "NotFound",
}
# Functions that return a Text ready for an error.
TEXT_MAKERS = {"gettext_noop", "not_found_text"}
# Messages that cannot have an English template, each with the reason.
UNTRANSLATABLE = {
    # Django's password validators word and translate their own messages when they run.
    ("services/people.py", '" ".join(error.messages)'),
}
CATALOGUE = PACKAGE / "locale" / "ko" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def python_files(*layers: str) -> Iterator[Path]:
    for layer in layers:
        yield from sorted((PACKAGE / layer).rglob("*.py"))


def calls(path: Path) -> Iterator[tuple[str, ast.Call]]:
    """(name of the called function, call) for every call in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            yield name, node


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', '?')}"


def templates() -> Iterator[tuple[str, str]]:
    """(where, template) of every gettext_noop in the package."""
    for path in python_files("."):
        for name, call in calls(path):
            if name == "gettext_noop" and call.args:
                template = call.args[0]
                assert isinstance(template, ast.Constant) and isinstance(template.value, str), (
                    f"{where(path, call)}: xgettext extracts only a literal template"
                )
                yield where(path, call), template.value


def test_every_error_in_the_plain_layers_is_raised_with_a_template() -> None:
    wrong = []
    for path in python_files(*PLAIN_LAYERS):
        source = path.read_text()
        for name, call in calls(path):
            if name not in ERRORS or not call.args:
                continue
            message = call.args[0]
            if isinstance(message, ast.Call):
                func = message.func
                maker = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if maker in TEXT_MAKERS:
                    continue
            # Handing on another error's text (InvalidMarking -> InvalidInput) keeps it so.
            if isinstance(message, ast.Attribute) and message.attr == "text":
                continue
            segment = ast.get_source_segment(source, message)
            if (str(path.relative_to(PACKAGE)), segment) in UNTRANSLATABLE:
                continue
            wrong.append(f"{where(path, call)}: {name}({segment})")
    assert wrong == []


def test_no_f_string_reaches_a_person_from_the_policy() -> None:
    for name in ["policy/rules.py", "policy/decisions.py", "domain/clearance.py"]:
        tree = ast.parse((PACKAGE / name).read_text())
        found = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)]
        assert found == [], f"{name}: f-strings on lines {found}"


def test_the_source_scan_sees_what_it_should() -> None:
    """Guard against scans that could never fail."""
    found = dict(templates())
    assert "this needs the role of %(roles)s" in found.values()
    assert "The date received cannot be in the future." in found.values()
    raised = [name for path in python_files(*PLAIN_LAYERS) for name, _ in calls(path)]
    assert {"InvalidInput", "Conflict", "NotFound", "InvalidMarking"} <= set(raised)


@pytest.mark.parametrize(("at", "template"), list(templates()))
def test_templates_use_named_placeholders_only(at: str, template: str) -> None:
    """A translation may need the parameters in another order: only %(name)s can move."""
    rest = PLACEHOLDER.sub("", template).replace("%%", "")
    assert "%" not in rest, f"{at}: {template!r}"


def test_every_template_passes_the_parameters_it_names() -> None:
    wrong = []
    for path in python_files("."):
        for name, call in calls(path):
            if name != "gettext_noop" or any(k.arg is None for k in call.keywords):
                continue  # **params: checked when rendered
            template = call.args[0]
            assert isinstance(template, ast.Constant)
            named = set(PLACEHOLDER.findall(template.value))
            given = {k.arg for k in call.keywords}
            if named != given:
                wrong.append(f"{where(path, call)}: names {sorted(named)}, given {sorted(given)}")
    assert wrong == []


# --- the Korean catalogue ------------------------------------------------------------------------


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line[line.index('"') :]))


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (singular entries; the header left out)."""
    entries: dict[str, str] = {}
    msgid: str | None = None
    current: list[str] = []
    target = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ", '"')):
            if line.startswith("msgid "):
                current, target = [_unquote(line)], "msgid"
            elif line.startswith("msgstr "):
                msgid, current, target = "".join(current), [_unquote(line)], "msgstr"
            else:
                current.append(_unquote(line))
        elif target == "msgstr":
            assert msgid is not None
            if msgid:
                entries[msgid] = "".join(current)
            msgid, current, target = None, [], ""
    return entries


def test_the_catalogue_has_every_template() -> None:
    """Regenerate with makemessages after adding a message (see docs or the .po's header)."""
    catalogue = po_entries(CATALOGUE / "django.po")
    missing = sorted({template for _, template in templates()} - set(catalogue))
    assert missing == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    """django.mo is compilemessages' output for django.po: both are committed, so both change."""
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        korean = gettext.GNUTranslations(compiled)
    translated = {
        msgid: msgstr for msgid, msgstr in po_entries(CATALOGUE / "django.po").items() if msgstr
    }
    assert translated
    assert {msgid: korean.gettext(msgid) for msgid in translated} == translated
