"""Russian texts of the knowledge base's descriptive fields (knowledge/data/ru.yaml): which fields, and the checks
that keep a translation from changing a fact.

A translation may not add, drop or change a number (phone, amount, time, date, count): the digit sequences of each
Russian text must be those of its Latvian text. Lists keep their length and order. Every Latvian text has its
Russian one, so a Russian speaker never meets a silent gap.
"""

from __future__ import annotations

import re
from collections import Counter

_DIGITS = re.compile(r"\d+")

# section -> Russian key -> how to read the Latvian value from a data-file record
SERVICE_FIELDS = {
    "name_hint": lambda r: r.get("name"),
    "hours_text": lambda r: (r.get("hours") or {}).get("text"),
    "conditions": lambda r: (r.get("conditions") or {}).get("text") or [],
    "bring": lambda r: (r.get("conditions") or {}).get("bring") or [],
    "phone_labels": lambda r: [p.get("label") for p in r.get("phones") or []],
}
PROCEDURE_FIELDS = {k: (lambda r, k=k: r.get(k)) for k in ("name", "summary", "where_text", "cost_text",
                                                            "deadline_text")}
BENEFIT_FIELDS = {k: (lambda r, k=k: r.get(k)) for k in ("name", "amount_text", "conditions", "deadline_text")}
DOCUMENT_FIELDS = {"name": lambda r: r.get("name")}
OPTIONAL = {"name_hint"}  # a short explanation where it helps, not a translation of the name


def _digits(value: str | None) -> Counter:
    return Counter(_DIGITS.findall(value or ""))


def check(section: str, fields: dict, lv_records: list[dict], ru: dict) -> list[str]:
    """Errors of one section of ru.yaml against its Latvian records."""
    errors = []
    by_id = {r.get("id"): r for r in lv_records}
    entries = ru.get(section) or {}
    for rid in entries:
        if rid not in by_id:
            errors.append(f"ru.yaml {section}.{rid}: no such record")
    for rid, rec in by_id.items():
        entry = entries.get(rid) or {}
        for key in entry:
            if key not in fields:
                errors.append(f"ru.yaml {section}.{rid}: unknown field {key!r}")
        for key, read in fields.items():
            lv, tr = read(rec), entry.get(key)
            where = f"ru.yaml {section}.{rid}.{key}"
            has_lv = any(lv) if isinstance(lv, list) else bool(lv)
            if not has_lv:
                if tr:
                    errors.append(f"{where}: the Latvian record has no such text")
                continue
            if tr is None:
                if key not in OPTIONAL:
                    errors.append(f"{where}: missing (the Latvian record has it)")
                continue
            if isinstance(lv, list):
                if not isinstance(tr, list) or len(tr) != len(lv):
                    errors.append(f"{where}: must have {len(lv)} items in the Latvian order")
                    continue
                pairs = [(a, b) for a, b in zip(lv, tr) if b is not None]
            else:
                pairs = [(lv, tr)]
            for i, (a, b) in enumerate(pairs):
                if key == "name_hint":
                    if _digits(b) - _digits(a):
                        errors.append(f"{where}: adds a number the Latvian name does not have")
                elif _digits(a) != _digits(b):
                    errors.append(f"{where}[{i}]: numbers differ from the Latvian text "
                                  f"({sorted(_digits(a).elements())} vs {sorted(_digits(b).elements())})")
    return errors


def validate(ds) -> list[str]:
    """All errors of ru.yaml for a Dataset (knowledge.loader)."""
    ru = ds.ru or {}
    unknown = set(ru) - {"services", "procedures", "benefits", "documents"}
    return [f"ru.yaml: unknown section {s!r}" for s in sorted(unknown)] + (
        check("services", SERVICE_FIELDS, ds.services, ru) + check("procedures", PROCEDURE_FIELDS, ds.procedures, ru)
        + check("benefits", BENEFIT_FIELDS, ds.benefits, ru) + check("documents", DOCUMENT_FIELDS, ds.documents, ru)
    )
