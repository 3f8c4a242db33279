"""python -m generator <command>. Exit codes: 0 ok, 1 invalid catalog or no match, 2 bad usage."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import urls
from .catalog.problems import CatalogError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _report(exc: CatalogError) -> int:
    errors = [p for p in exc.problems if p.severity == "error"]
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(f"{len(errors)} problem(s); nothing was written.", file=sys.stderr)
    return EXIT_FAIL


def cmd_validate(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .site import render

    try:
        catalog = load_catalog()
        render(catalog)  # a template error is a catalog problem too, and should show up here
    except CatalogError as exc:
        return _report(exc)
    cases = sum(len(e.cases) for e in catalog.errors)
    _print_warnings(catalog.warnings)
    print(f"catalog OK: {len(catalog.errors)} errors, {cases} cases, {len(catalog.references)} reference entries "
          f"({catalog.shadowed_references} more answered by a runbook), {len(catalog.families)} families, "
          f"{len(catalog.flows)} flows, "
          f"{len(catalog.setup_paths)} Setup paths, {len(catalog.integrations)} integrations, "
          f"{len(catalog.warnings)} warning(s)")
    return EXIT_OK


def _print_warnings(warnings) -> None:
    """Warnings do not fail validation, but they are printed like problems so editors and CI see them."""
    for problem in warnings:
        print(problem, file=sys.stderr)


def _scaffold(command: str, make, exists: str, then: str) -> int:
    """Run a scaffold (new-integration, new-error): one line for a bad name or an existing file."""
    from .catalog.problems import display_path
    from .tools.scaffold import BadId

    try:
        path = make()
    except BadId as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FileExistsError as exc:
        print(f"{command}: {display_path(Path(exc.filename))} already exists; {exists}", file=sys.stderr)
        return EXIT_FAIL
    print(f"wrote {display_path(path)}: {then}")
    return EXIT_OK


def cmd_new_integration(args: argparse.Namespace) -> int:
    from .tools.scaffold import new_integration

    return _scaffold("new-integration", lambda: new_integration(args.id), "edit it, or choose another id",
                     "fill in the TODO fields, then run python -m generator validate")


def cmd_new_error(args: argparse.Namespace) -> int:
    from .tools.scaffold import new_error

    return _scaffold("new-error", lambda: new_error(args.code, args.category), "the code has a runbook: edit it",
                     "write its cases from sources (catalog/README.md says how), then run python -m generator validate")


def cmd_generate(args: argparse.Namespace) -> int:
    from .pipeline import build

    try:
        warnings, report = build()
    except CatalogError as exc:
        return _report(exc)
    _print_warnings(warnings)
    print(f"docs/: {report.summary()}")
    return EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    from .tools.resolver import default_resolver

    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        result = default_resolver()(text)
    except CatalogError as exc:
        return _report(exc)
    if result is None:
        if args.json:
            print(json.dumps(None))
        print("nothing Salesforce-shaped in the input: no known code or message, and no code in an "
              "errorCode/statusCode/exceptionCode position", file=sys.stderr)
        return EXIT_FAIL
    if args.json:
        print(json.dumps({"page": result.page, "anchor": result.anchor, "url": result.url,
                          "title": result.title, "code": result.code, "first_step": result.first_step,
                          "tier": result.tier, "family": result.family}, ensure_ascii=False))
    else:
        print(result.path)
        if result.tier == "family":
            print(f"unknown code {result.code}: no runbook or reference entry; the family guide says how to "
                  "investigate it", file=sys.stderr)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    """The triage box of the matching case, as plain text for a terminal."""
    import textwrap

    from .site.jinja import RECOVERY_LABELS, RETRY_LABELS
    from .tools.resolver import default_resolver, plain_step

    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        resolver = default_resolver()
        result = resolver(text)
    except CatalogError as exc:
        return _report(exc)
    if result is None:
        print("nothing Salesforce-shaped in the input", file=sys.stderr)
        return EXIT_FAIL
    wrap = lambda label, value: textwrap.fill(value, width=100, initial_indent=f"{label:<13}",  # noqa: E731
                                              subsequent_indent=" " * 13)
    print(result.title)
    if result.tier != "runbook":
        if result.tier == "family":
            print(wrap("Means:", "Salesforce-shaped, but no runbook or reference entry knows this code."))
        else:
            ref = resolver.catalog.reference_by_slug[result.code.lower()]
            print(wrap("Means:", ref.entry.meaning or "Salesforce documents only the name."))
        family = resolver.catalog.families[result.family]
        print(wrap("First step:", plain_step(family.investigate[0])))
        print(wrap("Guide:", resolver.base_url + urls.hosted_url(urls.family_md(result.family))))
        if result.tier == "reference":
            print(wrap("Reference:", result.url))
        return EXIT_OK
    entry = resolver.catalog.error(result.code)
    case = next((c for c in entry.cases if c.anchor == result.anchor), None)
    if case is None:
        print(wrap("Means:", entry.summary))
        print("The code is known but not this message. Its cases:")
        for c in entry.cases:
            print(f"  - {c.description}")
    else:
        print(wrap("Means:", case.meaning))
        print(wrap("Admin:", "needed" if case.admin_needed else "not needed"))
        print(wrap("First step:", plain_step(case.steps[0])))
        if case.steps[0].caution:
            print(wrap("Caution:", " ".join(case.steps[0].caution.split())))
        print(wrap("Retry:", RETRY_LABELS[case.retry] + (f" ({case.retry_note.rstrip('.')})" if case.retry_note else "")))
        print(wrap("Recovery:", RECOVERY_LABELS[case.recovery]))
    print(wrap("Runbook:", result.url))
    return EXIT_OK


def cmd_check_links(args: argparse.Namespace) -> int:
    from .config import site_url
    from .tools.check_links import run

    return run(args.files, args.site_url or site_url())


def cmd_schema(args: argparse.Namespace) -> int:
    from .catalog.problems import display_path
    from .tools import json_schema

    if args.check:
        problems = json_schema.stale()
        for line in problems:
            print(f"{line}; run python -m generator schema and commit the result", file=sys.stderr)
        return EXIT_FAIL if problems else EXIT_OK
    written = json_schema.write()
    for path in written:
        print(f"wrote {display_path(path)}")
    print(f"{display_path(json_schema.SCHEMA_DIR)}/: {len(json_schema.KINDS)} schemas, {len(written)} changed")
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
    p.add_argument("--json", action="store_true",
                   help="print page, anchor, url, title, code, first_step, tier (runbook|reference|family) and family as JSON")
    p.set_defaults(func=cmd_resolve)
    p = sub.add_parser("explain", help="print the triage box for pasted error text in the terminal")
    p.add_argument("text", help="the error: a JSON body, a query string, a log line; '-' reads stdin")
    p.set_defaults(func=cmd_explain)
    p = sub.add_parser("new-integration", help="write catalog/integrations/<id>.yaml from the commented template")
    p.add_argument("id", help="the integration's id: lowercase words joined by hyphens, e.g. erp-orders")
    p.set_defaults(func=cmd_new_integration)
    p = sub.add_parser("new-error", help="write catalog/errors/<code>.yaml from the commented template, "
                                         "to turn a reference entry into a runbook")
    p.add_argument("code", help="the code exactly as Salesforce sends it, e.g. INVALID_FIELD")
    p.add_argument("--category", help="an id from catalog/categories.yaml")
    p.set_defaults(func=cmd_new_error)
    p = sub.add_parser("schema", help="write the JSON Schemas of the catalog files to catalog/schema/ "
                                      "(for editors and validators)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each schema that differs from the models")
    p.set_defaults(func=cmd_schema)
    p = sub.add_parser("check-links", help="check runbook links in alert rules: file:line: url: problem; fix")
    p.add_argument("files", nargs="+", metavar="FILE", help="Prometheus rule files, YAML, JSON or text with runbook links")
    p.add_argument("--site-url", help="the published site's URL (default: site_url in mkdocs.yml)")
    p.set_defaults(func=cmd_check_links)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    return args.func(args)
