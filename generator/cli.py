"""python -m generator <command>. Exit codes: 0 ok, 1 invalid catalog or no match, 2 bad usage."""
from __future__ import annotations

import argparse
import json
import sys

from .problems import CatalogError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _report(exc: CatalogError) -> int:
    errors = [p for p in exc.problems if p.severity == "error"]
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(f"{len(errors)} problem(s); nothing was written.", file=sys.stderr)
    return EXIT_FAIL


def cmd_validate(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .render import render

    try:
        catalog = load_catalog()
        render(catalog)  # a template error is a catalog problem too, and should show up here
    except CatalogError as exc:
        return _report(exc)
    cases = sum(len(e.cases) for e in catalog.errors)
    print(f"catalog OK: {len(catalog.errors)} errors, {cases} cases, {len(catalog.flows)} flows, "
          f"{len(catalog.setup_paths)} Setup paths")
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from .pipeline import build

    try:
        _, report = build()
    except CatalogError as exc:
        return _report(exc)
    print(f"docs/: {report.summary()}")
    return EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    from .resolver import default_resolver

    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        result = default_resolver()(text)
    except CatalogError as exc:
        return _report(exc)
    if result is None:
        if args.json:
            print(json.dumps(None))
        print("no known Salesforce error code or message in the input", file=sys.stderr)
        return EXIT_FAIL
    if args.json:
        print(json.dumps({"page": result.page, "anchor": result.anchor, "url": result.url,
                          "title": result.title, "code": result.code, "first_step": result.first_step},
                         ensure_ascii=False))
    else:
        print(result.path)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("generate", help="validate the catalog and write the generated pages under docs/")
    p.set_defaults(func=cmd_generate)
    p = sub.add_parser("validate", help="check the catalog; print file:line: field: problem; fix")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("resolve", help="find the runbook page and case for pasted error text")
    p.add_argument("text", help="the error: a JSON body, a query string, a log line; '-' reads stdin")
    p.add_argument("--json", action="store_true", help="print page, anchor, url, title as JSON")
    p.set_defaults(func=cmd_resolve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    return args.func(args)
