"""The report's figures, computed from the batch tables with pandas (no drawing, no HTML here).

Counts are over the suggested codes of the notes scored without error in the selected period:
a group's NOS rate is its NOS codes over all its codes (ICD-10-CM, CPT and HCPCS alike); the
comparison figure ("all") pools every note of the selection. Missing documentation axes are the
query axes of NOS codes (`suggestions.query_axes`), counted once per code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from nlp.batch.schema import STATUS_OK
from nlp.reports.resources import axis_label, family_display, family_order
from nlp.result import LABELS

GROUP_COLUMNS = {"provider": "provider_id", "specialty": "specialty", "family": "family_display"}
GROUP_TITLES = {"provider": "Provider", "specialty": "Specialty", "family": "Condition family"}
UNASSIGNED = {"provider": "(no provider id)", "specialty": "(no specialty)", "family": "Not assigned"}
from nlp.reports.defaults import DEFAULT_MIN_NOTES  # noqa: E402  (re-exported for the report modules)

MAX_EXAMPLES = 5


@dataclass
class Selection:
    """The notes and suggestions a report covers, with the derived columns it groups by."""

    by: str
    notes: pd.DataFrame  # ok notes in the period, with `month` and (provider / specialty) `group`
    suggestions: pd.DataFrame  # their suggestions, with `family_display`, `month` and `group`
    n_error: int = 0  # notes of the period whose scoring failed (not counted in the rates)
    n_undated_excluded: int = 0  # notes left out by --from / --to because they have no date
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_notes: int = DEFAULT_MIN_NOTES


def _month(dates: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce")
    return parsed.dt.strftime("%Y-%m").where(parsed.notna(), None)


def select(
    suggestions: pd.DataFrame,
    notes: pd.DataFrame,
    by: str = "provider",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    min_notes: int = DEFAULT_MIN_NOTES,
) -> Selection:
    """Keep the notes of the period (dates inclusive; a note without a date is left out when a
    bound is given, and counted) and attach the grouping columns."""
    if by not in GROUP_COLUMNS:
        raise ValueError(f"unknown grouping {by!r}")
    notes = notes.copy()
    dates = pd.to_datetime(notes["date_of_service"], format="%Y-%m-%d", errors="coerce")
    keep = pd.Series(True, index=notes.index)
    undated = 0
    if date_from or date_to:
        undated = int(dates.isna().sum())
        keep &= dates.notna()
        if date_from:
            keep &= dates >= pd.Timestamp(date_from)
        if date_to:
            keep &= dates <= pd.Timestamp(date_to)
    notes = notes[keep]
    ok = notes["status"] == STATUS_OK
    n_error = int((~ok).sum())
    notes = notes[ok].copy()
    notes["month"] = _month(notes["date_of_service"])
    sugg = suggestions[suggestions["input_index"].isin(notes["input_index"])].copy()
    sugg["family_display"] = [family_display(f) for f in sugg["family"]]
    sugg["month"] = _month(sugg["date_of_service"])
    column = GROUP_COLUMNS[by]
    if by != "family":
        notes["group"] = notes[column].fillna(UNASSIGNED[by]).replace("", UNASSIGNED[by])
        sugg["group"] = sugg[column].fillna(UNASSIGNED[by]).replace("", UNASSIGNED[by])
    else:
        sugg["group"] = sugg["family_display"]
    return Selection(by, notes.reset_index(drop=True), sugg.reset_index(drop=True), n_error, undated,
                     date_from, date_to, min_notes)


def label_counts(sugg: pd.DataFrame) -> dict[str, Any]:
    """Codes, count and share of each label (shares are None when there are no codes)."""
    codes = len(sugg)
    out: dict[str, Any] = {"codes": codes}
    for label in LABELS:
        n = int((sugg["label"] == label).sum())
        out[label] = n
        out[f"{label}_rate"] = n / codes if codes else None
    return out


def overview(sel: Selection) -> dict[str, Any]:
    dated = sel.notes["month"].dropna()
    return {
        "notes": len(sel.notes),
        "notes_error": sel.n_error,
        "notes_undated_excluded": sel.n_undated_excluded,
        "notes_with_codes": int(sel.suggestions["input_index"].nunique()),
        "first_date": min(sel.notes["date_of_service"].dropna(), default=None),
        "last_date": max(sel.notes["date_of_service"].dropna(), default=None),
        "months": int(dated.nunique()),
        "groups": int(_group_notes(sel)["group"].nunique()),
        **label_counts(sel.suggestions),
    }


def by_family(sugg: pd.DataFrame) -> pd.DataFrame:
    """One row per condition family: codes, labels and shares, in the families' fixed order."""
    rows = [{"family": fam, **label_counts(part)} for fam, part in sugg.groupby("family_display", sort=False)]
    cols = ["family", "codes", *[c for lb in LABELS for c in (lb, f"{lb}_rate")]]
    table = pd.DataFrame(rows, columns=cols)
    if table.empty:
        return table
    table["order"] = [family_order(f) for f in table["family"]]
    return table.sort_values(["order", "family"]).drop(columns="order").reset_index(drop=True)


def missing_axes(sugg: pd.DataFrame) -> pd.DataFrame:
    """The documentation axes missing behind NOS codes: axis, label, NOS codes it was missing for,
    notes concerned; most frequent first."""
    nos = sugg[sugg["label"] == "NOS"][["input_index", "query_axes"]].explode("query_axes")
    nos = nos[nos["query_axes"].notna() & (nos["query_axes"] != "")]
    if nos.empty:
        return pd.DataFrame(columns=["axis", "label", "codes", "notes"])
    table = nos.groupby("query_axes").agg(codes=("input_index", "size"), notes=("input_index", "nunique"))
    table = table.reset_index().rename(columns={"query_axes": "axis"})
    table["label"] = [axis_label(a) for a in table["axis"]]
    table = table.sort_values(["codes", "notes", "axis"], ascending=[False, False, True])
    return table[["axis", "label", "codes", "notes"]].reset_index(drop=True)


def _group_notes(sel: Selection) -> pd.DataFrame:
    """Notes of each group (a family's notes are the notes with a code of that family)."""
    if sel.by == "family":
        frame = sel.suggestions[["group", "input_index", "date_of_service", "month"]].drop_duplicates(
            ["group", "input_index"])
    else:
        frame = sel.notes[["group", "input_index", "date_of_service", "month"]]
    return frame


def suggestions_by_group(sel: Selection) -> dict[str, pd.DataFrame]:
    return {str(g): part for g, part in sel.suggestions.groupby("group", sort=False)}


def group_table(sel: Selection) -> pd.DataFrame:
    """The per-group figures (also the CSV): notes, codes, label counts and rates, the period, the
    most frequent missing axes and whether the group is too small for its rates to mean much."""
    notes = _group_notes(sel)
    by_group = suggestions_by_group(sel)
    rows = []
    for group, gnotes in notes.groupby("group", sort=False):
        gsugg = by_group.get(group, sel.suggestions.iloc[0:0])
        axes = missing_axes(gsugg)
        dates = gnotes["date_of_service"].dropna()
        rows.append({
            "group": group,
            "notes": int(gnotes["input_index"].nunique()),
            **label_counts(gsugg),
            "first_date": min(dates, default=None),
            "last_date": max(dates, default=None),
            "months": int(gnotes["month"].dropna().nunique()),
            "small_group": int(gnotes["input_index"].nunique()) < sel.min_notes,
            "top_missing_axes": "; ".join(f"{r.label} ({r.codes})" for r in axes.head(3).itertuples()),
        })
    cols = ["group", "notes", "codes", *[c for lb in LABELS for c in (lb, f"{lb}_rate")], "first_date",
            "last_date", "months", "small_group", "top_missing_axes"]
    table = pd.DataFrame(rows, columns=cols)
    if table.empty:
        return table
    if sel.by == "family":
        table["order"] = [family_order(g) for g in table["group"]]
        table = table.sort_values(["order", "group"]).drop(columns="order")
    else:
        table = table.sort_values(["notes", "group"], ascending=[False, True])
    return table.reset_index(drop=True)


def monthly(sugg: pd.DataFrame) -> pd.DataFrame:
    """Codes, NOS codes and NOS rate per month of service (codes of undated notes left out)."""
    dated = sugg[sugg["month"].notna()]
    rows = [{"month": m, **label_counts(part)} for m, part in dated.groupby("month")]
    return pd.DataFrame(rows, columns=["month", "codes", *[c for lb in LABELS for c in (lb, f"{lb}_rate")]])


@dataclass
class Example:
    """One NOS code of the group's own notes and the query it calls for. `snippet` and `prompt`
    hold note text and are filled only with --include-snippets."""

    note_id: str
    date_of_service: str | None
    code: str
    description: str
    axes: list[str]
    snippet: str | None = None
    prompt: str | None = None


def examples(gsugg: pd.DataFrame, include_snippets: bool = False, limit: int = MAX_EXAMPLES,
             snippet_chars: int = 160, axes: pd.DataFrame | None = None) -> list[Example]:
    """Up to `limit` NOS codes with a query from the group's notes: the most frequent missing axes
    first, one example per (code, axes) pair, and other notes before a second one from a note."""
    axes_rank = {a: i for i, a in enumerate((missing_axes(gsugg) if axes is None else axes)["axis"])}
    nos = gsugg[(gsugg["label"] == "NOS") & (gsugg["query_axes"].map(len) > 0)].copy()
    if nos.empty:
        return []
    nos["rank"] = [min(axes_rank.get(a, len(axes_rank)) for a in axes) for axes in nos["query_axes"]]
    nos["pair"] = [(c, tuple(a)) for c, a in zip(nos["code"], nos["query_axes"], strict=True)]
    nos = nos.sort_values(["rank", "input_index", "suggestion_index"]).drop_duplicates("pair")  # first of each pair
    chosen: list[pd.Series] = []
    seen_pairs: set[tuple[str, tuple[str, ...]]] = set()
    seen_notes: set[int] = set()
    for second_pass in (False, True):
        for _, row in nos.iterrows():
            pair = row["pair"]
            if pair in seen_pairs or (not second_pass and row["input_index"] in seen_notes):
                continue
            if len(chosen) >= limit:
                break
            chosen.append(row)
            seen_pairs.add(pair)
            seen_notes.add(row["input_index"])
    out = []
    for row in chosen:
        snippet = prompt = None
        if include_snippets:
            text = " ".join(str(row["evidence_text"] or "").split())
            snippet = text if len(text) <= snippet_chars else text[: snippet_chars - 3].rstrip() + "..."
            prompt = row["query_prompt"] or None
        out.append(Example(str(row["note_id"]), row["date_of_service"], str(row["code"]),
                           str(row["description"] or ""), list(row["query_axes"]), snippet, prompt))
    return out
