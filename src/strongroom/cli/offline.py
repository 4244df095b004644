"""``strongroom verify-bundle``: check an inspection bundle with no database, no server and no
settings, on an inspector's own machine.

Plain Python, like the checker it runs (``strongroom.ledger.bundle``): nothing here imports
Django, and ``strongroom.cli.entry`` hands the command here before anything else is loaded, so
it runs where no strongroom installation was ever configured. For the same reason it speaks
English only: the translation catalogue is read through Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn, TextIO

from strongroom.ledger import bundle
from strongroom.ledger.notes import KeyEncodingError, KeyType, Verifier, parse_vkey

COMMAND = "verify-bundle"
HELP = (
    "check an inspection bundle with no database and no server: every entry's hash, every proof "
    "against the signed checkpoint, the log's signature; print the verdict"
)


class UsageError(Exception):
    """Bad input on the command line: one line on stderr, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options, the same in the offline parser and in ``strongroom --help``."""
    parser.add_argument("path", metavar="PATH", help="the bundle (.jsonl, or gzip'd .jsonl.gz)")
    parser.add_argument(
        "--log-key",
        metavar="VKEY",
        help=(
            "the log's public key (<origin>+<key ID>+<key>), from a trusted source; without it "
            "the bundle's own key is used, which proves only that the bundle agrees with itself"
        ),
    )
    parser.add_argument(
        "--max-problems",
        type=int,
        default=20,
        metavar="N",
        help="print at most N problems (default: %(default)s); all are counted",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see 'strongroom {COMMAND} --help')")


def _log_key(text: str | None) -> Verifier | None:
    if text is None:
        return None
    try:
        key = parse_vkey(text.strip())
    except KeyEncodingError as error:
        raise UsageError(f"--log-key: {error}") from None
    if key.key_type is not KeyType.ED25519:
        raise UsageError(
            f"--log-key: {key.label} is a {key.key_type.label} key (type 0x{key.key_type:02x}); "
            "the log signs its checkpoints with an Ed25519 key of type 0x01 (strongroom log-key "
            "prints it)"
        )
    return key


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check the bundle ``args.path``; 0 when it verifies, 1 when it does not."""
    if args.max_problems < 1:
        raise UsageError(f"--max-problems is {args.max_problems}; give 1 or more")
    key = _log_key(args.log_key)
    try:
        lines = bundle.read_lines(args.path)
    except bundle.BundleFileError as error:
        raise UsageError(str(error)) from None
    verdict = bundle.verify(lines, log_key=key, max_problems=args.max_problems)
    for warning in verdict.warnings:
        print(f"strongroom: warning: {warning}", file=err)
    if args.json:
        report = {
            "ok": verdict.ok,
            "summary": verdict.summary,
            "details": verdict.details,
            "problem_count": verdict.problem_count,
            "problems": verdict.problems,
            "warnings": verdict.warnings,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
    elif verdict.ok:
        print(verdict.summary, file=out)
        for detail in verdict.details:
            print(f"  {detail}", file=out)
    else:
        count = verdict.problem_count
        print(f"bundle NOT verified: {count} problem{'s' if count != 1 else ''}", file=out)
        for problem in verdict.problems:
            print(f"  {problem}", file=out)
        if count > len(verdict.problems):
            print(f"  (and {count - len(verdict.problems)} more; see --max-problems)", file=out)
    return 0 if verdict.ok else 1


def main(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``strongroom verify-bundle ARGS``: the whole command, exit code returned."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _Parser(prog=f"strongroom {COMMAND}", description=HELP)
    add_arguments(parser)
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # --help
            return int(stop.code or 0) if not isinstance(stop.code, str) else 2
        return run(args, out, err)
    except UsageError as error:
        print(f"strongroom: error: {error}", file=err)
        return 2
    except KeyboardInterrupt:
        print(file=err)
        return 130
