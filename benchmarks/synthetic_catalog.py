"""A synthetic catalog for the build benchmark: N error entries and M integrations, valid and realistic.

Text lengths and list sizes are measured from the real catalog (its median entry and case) each
time, so the synthetic entries keep up as the real ones grow. Every entry has 2-4 cases; codes,
case texts and match strings are unique; related links go both ways (a ring: each entry names its
neighbours). Integrations are valid inventories with mixed flows, org forms and no secrets.
Seeded, so the same N gives the same catalog.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.catalog import Catalog
from generator.catalog.rules import risk_in

TABLES = ("categories.yaml", "flows.yaml", "setup_paths.yaml", "login_history.yaml")
WORD = re.compile(r"[A-Za-z]{3,}")
THREAD = "https://github.com/example/client-library/issues"
SOURCE = "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm&type=5"


@dataclass(frozen=True)
class Profile:
    """Median text lengths (characters) and list sizes of the real catalog."""
    words: tuple[str, ...]
    length: dict[str, int]   # field -> median length of its non-empty values
    count: dict[str, int]    # list field -> median number of items
    share: dict[str, float]  # optional field -> fraction of entries (or cases) that have it
    flows: dict[str, int]    # flow id (or "any") -> how many real cases name it
    categories: dict[str, int]


def _median(values) -> int:
    values = list(values)
    return round(statistics.median(values)) if values else 0


def measure(catalog: Catalog) -> Profile:
    errors = catalog.errors
    cases = [c for e in errors for c in e.cases]
    text = " ".join(e.summary + " " + e.checking + " " + " ".join(c.meaning + " " + " ".join(c.causes)
                                                                   for c in e.cases) for e in errors)
    words = tuple(sorted({w.lower() for w in WORD.findall(text)}))
    notes = [n for e in errors for n in e.background + e.edge_cases]
    examples = [x for e in errors for x in e.broken_examples]
    fixed = [e.fixed_example for e in errors if e.fixed_example]
    length = {
        "title": _median(len(e.title) for e in errors),
        "summary": _median(len(e.summary) for e in errors),
        "checking": _median(len(e.checking) for e in errors),
        "scenario": _median(len(e.scenario) for e in errors if e.scenario),
        "endpoint": _median(len(e.endpoint) for e in errors),
        "if_it_changes": _median(len(e.if_it_changes) for e in errors if e.if_it_changes),
        "also_seen_as": _median(len(s) for e in errors for s in e.also_seen_as),
        "checklist": _median(len(s.text) for e in errors for s in e.checklist),
        "defensive_habits": _median(len(s) for e in errors for s in e.defensive_habits),
        "setting_check": _median(len(s.check) for e in errors for s in e.settings_to_verify),
        "related_why": _median(len(r.why) for e in errors for r in e.related),
        "note_title": _median(len(n.title) for n in notes),
        "note_body": _median(len(n.body) for n in notes),
        "example_request": _median(len(x.request) for x in examples),
        "example_response": _median(len(x.response) for x in examples),
        "example_explanation": _median(len(x.explanation) for x in examples),
        "fixed_code": _median(len(x.code) for x in fixed),
        "fixed_explanation": _median(len(x.explanation) for x in fixed),
        "description": _median(len(c.description) for c in cases),
        "meaning": _median(len(c.meaning) for c in cases),
        "match": _median(len(m) for c in cases for m in c.match),
        "cause": _median(len(s) for c in cases for s in c.causes),
        "step": _median(len(s.text) for c in cases for s in c.steps),
        "diagnose": _median(len(c.diagnose.command) for c in cases if c.diagnose),
        "evidence_note": _median(len(c.evidence_note) for c in cases if c.evidence_note),
    }
    count = {name: max(1, _median(len(getattr(e, name)) for e in errors))
             for name in ("also_seen_as", "broken_examples", "settings_to_verify", "edge_cases",
                          "defensive_habits", "checklist", "further_reading")}
    count.update({name: max(1, _median(len(getattr(c, name)) for c in cases))
                  for name in ("causes", "steps", "setup_paths", "sources")})
    share = {
        "scenario": sum(bool(e.scenario) for e in errors) / len(errors),
        "if_it_changes": sum(bool(e.if_it_changes) for e in errors) / len(errors),
        "fixed_example": len(fixed) / len(errors),
        "background": sum(bool(e.background) for e in errors) / len(errors),
        "aliases": sum(bool(e.aliases) for e in errors) / len(errors),
        "match": sum(bool(c.match) for c in cases) / len(cases),
        "diagnose": sum(bool(c.diagnose) for c in cases) / len(cases),
        "login_history": sum(bool(c.login_history) for c in cases) / len(cases),
    }
    flows: dict[str, int] = {}
    for case in cases:
        for flow in case.flows:
            flows[flow] = flows.get(flow, 0) + 1
    categories: dict[str, int] = {}
    for entry in errors:
        categories[entry.category] = categories.get(entry.category, 0) + 1
    return Profile(words, length, count, share, flows, categories)


class _Writer:
    """Builds one entry's or inventory's data from a seeded random source and the profile."""

    def __init__(self, profile: Profile, catalog: Catalog, seed: int):
        self.p = profile
        self.rng = random.Random(seed)
        self.setup_paths = sorted(catalog.setup_paths)
        self.statuses = sorted(catalog.login_history)
        self.flow_ids = sorted(catalog.flows)

    def text(self, length: int, sentence: bool = True) -> str:
        """About `length` characters of words from the real catalog."""
        out: list[str] = []
        size = 0
        while size < max(length, 8) - 1:
            word = self.rng.choice(self.p.words)
            if self.rng.random() < 0.04:
                word = f"`{word}`"
            out.append(word)
            size += len(word) + 1
        line = " ".join(out)
        return line[:1].upper() + line[1:] + ("." if sentence else "")

    def texts(self, field: str, n: int | None = None) -> list[str]:
        return [self.text(self.p.length[field]) for _ in range(n or self.p.count[field])]

    def step(self) -> str | dict:
        text = self.text(self.p.length["step"])
        if self.rng.random() < 0.4:
            word = self.rng.choice(("{app}", "{user}", "{login_host}", "{org}"))
            text = text[:-1] + f" for {word}."
        if risk_in(text):  # random words can read as a risky step; validation wants a caution then
            return {"text": text, "caution": self.text(120)}
        return text

    def flows(self) -> list[str]:
        names = list(self.p.flows)
        pick = self.rng.choices(names, weights=[self.p.flows[n] for n in names])[0]
        if pick == "any" or self.rng.random() < 0.6:
            return [pick]
        return sorted({pick, self.rng.choice(self.flow_ids)})


def error_entry(w: _Writer, n: int, total: int) -> dict:
    p, rng = w.p, w.rng
    code = f"SYNTH_{rng.choice(p.words).upper()}_{n:04d}"
    cases = []
    for k in range(rng.randint(2, 4)):
        evidence = rng.choices(("observed", "documented", "reported"), weights=(68, 13, 19))[0]
        tag = f"e{n:04d}c{k}"
        case = {
            "description": f"{w.text(p.length['description'] - len(tag) - 1, sentence=False)} {tag}",
            "evidence": evidence,
            # An observed case cites a thread with the real response, as validation requires.
            "sources": [f"{SOURCE}&ref={n}-{k}-{i}" for i in range(p.count["sources"] - 1)]
                       + [f"{THREAD}/{n * 10 + k}"],
            "flows": w.flows(),
            "meaning": w.text(p.length["meaning"]),
            "admin_needed": rng.random() < 0.5,
            "recovery": rng.choice(("automatic", "reconsent", "new_credential", "wait", "code_change",
                                    "admin_change")),
            "retry": rng.choices(("never", "backoff", "safe"), weights=(80, 18, 2))[0],
            "causes": w.texts("cause", p.count["causes"]),
            "steps": [w.step() for _ in range(p.count["steps"])],
            "setup_paths": rng.sample(w.setup_paths, min(p.count["setup_paths"], len(w.setup_paths))),
        }
        if evidence == "reported":
            case["evidence_note"] = w.text(p.length["evidence_note"] or 80)
        if rng.random() < p.share["match"]:
            case["match"] = [f"{w.text(p.length['match'] - 12, sentence=False)} m{tag}"]
        if rng.random() < p.share["login_history"]:
            case["login_history"] = [rng.choice(w.statuses)]
        if rng.random() < p.share["diagnose"]:
            case["diagnose"] = {"label": w.text(40, sentence=False), "language": "sql",
                                "command": "SELECT Id, Status FROM LoginHistory WHERE UserId = '<user id>' -- "
                                           + w.text(p.length["diagnose"] - 70, sentence=False)}
        cases.append(case)
    neighbours = sorted({(n - 1) % total, (n + 1) % total} - {n})
    entry = {
        "code": code,
        "title": w.text(p.length["title"], sentence=False),
        "summary": w.text(p.length["summary"]),
        "category": rng.choices(list(p.categories), weights=list(p.categories.values()))[0],
        "http_status": [rng.choice((400, 401, 403))],
        "endpoint": "/services/" + w.text(p.length["endpoint"] - 10, sentence=False).lower().replace("`", "").replace(" ", "/"),
        "also_seen_as": w.texts("also_seen_as"),
        "checking": w.text(p.length["checking"]),
        "cases": cases,
        "broken_examples": [{"title": w.text(40, sentence=False), "case": cases[0]["description"],
                             "language": "bash",
                             "request": w.text(p.length["example_request"]),
                             "response": w.text(p.length["example_response"]),
                             "explanation": w.text(p.length["example_explanation"])}
                            for _ in range(p.count["broken_examples"])],
        "settings_to_verify": [{"setup_path": sp, "check": w.text(p.length["setting_check"])}
                               for sp in rng.sample(w.setup_paths, p.count["settings_to_verify"])],
        "edge_cases": [{"title": w.text(p.length["note_title"], sentence=False), "body": w.text(p.length["note_body"])}
                       for _ in range(p.count["edge_cases"])],
        "defensive_habits": w.texts("defensive_habits"),
        "checklist": [{"text": t, "caution": w.text(120)} if risk_in(t) else t for t in w.texts("checklist")],
        "related": [{"code": None, "why": w.text(p.length["related_why"], sentence=False), "_n": m}
                    for m in neighbours],
        "further_reading": [{"title": w.text(40, sentence=False), "url": f"{SOURCE}&read={n}-{i}"}
                            for i in range(p.count["further_reading"])],
        "owner": "Synthetic platform team",
        "last_reviewed": (dt.date(2026, 1, 1) - dt.timedelta(days=rng.randint(0, 300))).isoformat(),
    }
    if rng.random() < p.share["scenario"]:
        entry["scenario"] = w.text(p.length["scenario"])
    if rng.random() < p.share["if_it_changes"]:
        entry["if_it_changes"] = w.text(p.length["if_it_changes"])
    if rng.random() < p.share["fixed_example"]:
        entry["fixed_example"] = {"title": w.text(40, sentence=False), "language": "bash",
                                  "code": w.text(p.length["fixed_code"]),
                                  "explanation": w.text(p.length["fixed_explanation"])}
    if rng.random() < p.share["background"]:
        entry["background"] = [{"title": w.text(p.length["note_title"], sentence=False),
                                "body": w.text(p.length["note_body"])}]
    if rng.random() < p.share["aliases"]:
        entry["aliases"] = [f"{code}_ALT"]
    return entry


def integration(w: _Writer, n: int) -> dict:
    rng = w.rng
    flow = w.flow_ids[n % len(w.flow_ids)]
    ident = f"synth-{n:03d}"
    org = rng.choice(("production", "sandbox", f"https://synth{n}.my.salesforce.com",
                      f"https://synth{n}--uat.sandbox.my.salesforce.com"))
    if flow == "client_credentials" and not org.startswith("https://"):
        org = f"https://synth{n}.my.salesforce.com"
    scopes = ["api", "refresh_token"] if flow in ("refresh_token", "web_server") else ["api"]
    return {
        "id": ident,
        "name": f"Synthetic integration {n}: {w.text(24, sentence=False)}",
        "owner": f"Synthetic team {n % 17}",
        "on_call": f"PagerDuty service: synth-{n % 17}",
        "flow": flow,
        "integration_user": f"integration.{n}@synth.example",
        "connected_app": {"name": f"Synth App {n}",
                          "external_client_app": flow != "username_password" and rng.random() < 0.5},
        "org": org,
        "scopes": scopes,
        "direction": rng.choice(("to_salesforce", "from_salesforce", "both")),
        "objects": rng.sample(["Account", "Contact", "Order", "Case", "Lead", "Opportunity"], 3),
        "ip_strategy": w.text(90),
        "secrets_location": f"vault://secret/salesforce/{ident}/credential",
        "dependencies": [w.text(30, sentence=False)],
        "alerts": [f"PagerDuty: synth-{n % 17}"],
        "notes": w.text(120),
        "last_reviewed": "2026-01-01",
    }


def write(dest: Path, real_catalog_dir: Path, real: Catalog, errors: int, integrations: int,
          seed: int = 1) -> None:
    """Write a complete catalog folder at dest: the real tables plus synthetic entries and inventories."""
    profile = measure(real)
    (dest / "errors").mkdir(parents=True)
    (dest / "integrations").mkdir()
    for name in TABLES:
        (dest / name).write_bytes((real_catalog_dir / name).read_bytes())
    for folder in ("families", "reference"):  # family guides and the reference lists, as they are
        shutil.copytree(real_catalog_dir / folder, dest / folder)
    entries = [error_entry(_Writer(profile, real, seed * 100_003 + n), n, errors) for n in range(errors)]
    for entry in entries:  # the ring of related links, now that every code is known
        for rel in entry["related"]:
            rel["code"] = entries[rel.pop("_n")]["code"]
        _dump(dest / "errors" / f"{entry['code'].lower()}.yaml", entry)
    for n in range(integrations):
        inv = integration(_Writer(profile, real, seed * 7_919 + n), n)
        _dump(dest / "integrations" / f"{inv['id']}.yaml", inv)


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
