"""The claim section in the table output (`neurocode suggest --format table`) and in flat rows.

Flat rows (batch tables) get codes, letters, reasons and statuses only: no quoted note text.
"""

from __future__ import annotations

import textwrap
from typing import Any

from nlp.claim.records import ClaimSection

ROW_COLUMNS = ("service_type", "pointers", "pointer_codes", "claim_findings")


def render_claim(claim: ClaimSection) -> list[str]:
    st = claim.service_type
    prob = f", p={st.probability:.2f}" if st.probability is not None else ""
    lines = ["", "Claim", f"- type of service: {st.type}{' / ' + st.subtype if st.subtype else ''} "
                          f"(source {st.source}{prob})"]
    em = claim.em
    if em:
        level = em.code or "level NOS"
        lines += textwrap.wrap(f"E/M {em.category}: {level} [{em.label}]: {em.rationale}", 100, initial_indent="- ",
                               subsequent_indent="    ")
        if em.query:
            lines += textwrap.wrap(f"query ({', '.join(em.query['axes'])}): {em.query['prompt']}", 100,
                                   initial_indent="    ", subsequent_indent="    ")
        for alt in em.medicare_alternative:
            by_time = f" ({alt['level_by_time']} by the documented time)" if alt.get("level_by_time") else ""
            lines += textwrap.wrap(f"Medicare: no consultation codes; report {alt['category']} {alt['codes']}"
                                   f"{by_time} when {alt['when']}", 100, initial_indent="    ",
                                   subsequent_indent="      ")
    if claim.diagnoses:
        lines.append("- diagnoses: " + "  ".join(f"{d['letter']}={d['code']}" for d in claim.diagnoses))
    for ln in claim.lines:
        mods = f"-{','.join(ln.modifiers)}" if ln.modifiers else ""
        lines.append(f"- {ln.system} {ln.code}{mods} x{ln.units}: pointers "
                     f"{' '.join(f'{p}({c})' for p, c in zip(ln.pointers, ln.pointer_codes, strict=True)) or 'none'}")
    for f in claim.findings:
        lines += textwrap.wrap(f"{f.type} [{f.status}] {f.message}", 100, initial_indent="- ",
                               subsequent_indent="    ")
    for j in claim.nec_justifications:
        lines.append(f"- NEC justification for {j.code}:")
        lines += textwrap.wrap(j.statement, 100, initial_indent="    ", subsequent_indent="    ")
    return lines


def claim_columns(claim: ClaimSection | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the claim columns to a result's flat rows (empty when the claim step did not run)."""
    by_key = {(ln.code, tuple(ln.modifiers)): ln for ln in claim.lines} if claim else {}
    for row in rows:
        code = str(row.get("code") or "")
        ln = by_key.get((code, tuple(m for m in (row.get("modifiers") or "").split(";") if m)))
        found = [f"{f.type}:{f.status}:{f.reason}" for f in (claim.findings if claim else []) if f.code == code]
        row["service_type"] = claim.service_type.type if claim else None
        row["pointers"] = ";".join(ln.pointers) if ln else ""
        row["pointer_codes"] = ";".join(ln.pointer_codes) if ln else ""
        row["claim_findings"] = ";".join(found)
    return rows
