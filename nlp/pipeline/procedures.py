"""Procedure details that need more than a term: NCS nerves, needle-EMG muscles, toxin doses, EEG duration.

- NCS: every nerve mention (`terms/nerves.csv`) with its side ("left", "R", "bilateral") before it
  and its test kinds ("motor", "sensory", "F-wave", "H-reflex") after it, in prose ("Left ulnar
  motor and sensory") or table rows ("R Sural Sensory  3.2 ms ..."). A nerve without a test word
  counts only inside an NCS section, with the nerve's default test (sural -> sensory).
- EMG: muscles (`terms/muscles.csv`) in EMG sections, in sentences naming a needle EMG, and in the
  rest of that line; extremities stated as "left arm" / "right upper extremity".
- Toxin: unit amounts classified by nearby words (total, wasted, vial, dilution) or attached to the
  nearest muscle; only in notes with a botulinum-toxin entity.
- EEG: the longest duration stated in a sentence about the recording.

Results go to `doc.user_data["neurocode_procedures"]` as plain dicts with character offsets.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline.matching import TermMatcher
from nlp.pipeline.resources import muscles, ncs_vocab, nerves, patterns
from nlp.pipeline.sections import section_at, section_flag

PROCEDURES_KEY = "neurocode_procedures"
_EMG_SECTIONS = frozenset({"emg"})
_NCS_SECTIONS = frozenset({"ncs"})


_LIMBS = {"arm": "upper", "hand": "upper", "leg": "lower", "foot": "lower"}


def _sides(value: str) -> list[str | None]:
    return ["left", "right"] if value == "bilateral" else [value]


@Language.factory("neurocode_procedures_v1", assigns=["doc._.neurocode_procedures"],
                  requires=["doc.ents", "token.is_sent_start"], default_config={})
class ProcedureDetails:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Doc.has_extension("neurocode_procedures"):
            Doc.set_extension("neurocode_procedures", getter=lambda d: d.user_data.get(PROCEDURES_KEY, {}))
        self.nerves = nerves()
        self.vocab = ncs_vocab()
        self.nerve_matcher = TermMatcher(nlp, ((t, False, t) for t in self.nerves))
        self.muscles = muscles()
        self.muscle_matcher = TermMatcher(nlp, ((t, cs, t) for t, (_m, _e, _x, cs) in self.muscles.items()))
        self.pats = patterns()
        tests = sorted(self.vocab["test"], key=len, reverse=True)
        self.test_values = {self._key(t): v for t, v in self.vocab["test"].items()}
        self.test_re = re.compile(r"(?i)[\s,]*(" + "|".join(
            r"[\s.-]*".join(re.escape(w) for w in re.split(r"[\s.-]+", t)) for t in tests) + r")(?![A-Za-z])")
        fillers = sorted(set(self.vocab["skip"]) | set(self.vocab["side"]) | set(self.nerves), key=len, reverse=True)
        self.filler_re = re.compile(r"(?i)[\s,]*(?:" + "|".join(re.escape(f) for f in fillers) + r")(?![A-Za-z])")

    def __call__(self, doc: Doc) -> Doc:
        families = {e.label_ for e in doc.ents}
        out: dict[str, Any] = {}
        nerve_hits = self.nerve_matcher(doc)
        if nerve_hits:
            out["ncs"] = self._ncs(doc, nerve_hits)
        muscle_hits = self.muscle_matcher(doc) if families & {"emg", "toxin"} or self._has_section(
            doc, _EMG_SECTIONS) else []
        if "emg" in families or self._has_section(doc, _EMG_SECTIONS):
            out["emg"] = self._emg(doc, muscle_hits)
        if "toxin" in families:
            out["toxin"] = self._toxin(doc, muscle_hits)
        if "eeg" in families:
            out["eeg"] = self._eeg(doc)
        doc.user_data[PROCEDURES_KEY] = out
        return doc

    @staticmethod
    def _has_section(doc: Doc, cats: frozenset[str]) -> bool:
        return any(c in cats for _s, _e, c in doc.user_data.get("neurocode_sections") or [])

    # --- NCS -------------------------------------------------------------------------------------
    def _side_before(self, doc: Doc, start: int, floor: int) -> str | None:
        sides = self.vocab["side"]
        for i in range(start - 1, max(floor, start - 3) - 1, -1):
            tok = doc[i]
            if tok.is_space:
                break
            low = tok.lower_.rstrip(".")
            if low in sides:
                # one-letter sides ("L", "R") only as table-row prefixes
                row_start = i == 0 or "\n" in doc[i - 1].text_with_ws
                if len(low) == 1 and not (tok.is_upper and row_start):
                    return None
                return sides[low]
            if low not in ("the", "a", "and", ",", "common", "deep", "superficial"):
                return None
        return None

    def _tests_after(self, doc: Doc, end_char: int, limit_char: int) -> list[str]:
        """Test kinds written right after a nerve: 'motor and sensory', 'F-wave', 'and left sural sensory'."""
        text = doc.text
        stop = text.find("\n", end_char)
        tail = text[end_char: min(limit_char, end_char + 80, stop if stop >= 0 else len(text))]
        tests: list[str] = []
        pos = 0
        while pos < len(tail):
            m = self.test_re.match(tail, pos)
            if m:
                value = self.test_values[self._key(m.group(1))]
                if value not in tests:
                    tests.append(value)
                pos = m.end()
                continue
            m = self.filler_re.match(tail, pos)
            if not m or m.end() == pos:
                break
            pos = m.end()
        return tests

    @staticmethod
    def _key(term: str) -> str:
        return re.sub(r"[\s.-]+", "", term.lower())

    def _ncs(self, doc: Doc, hits: list) -> dict[str, Any]:
        found: dict[tuple[str, str | None], dict[str, Any]] = {}
        reported: dict[tuple[str, str | None, str], set[int]] = {}
        evidence: list[tuple[int, int]] = []
        for start, end, term in hits:
            nerve, default = self.nerves[str(term).lower()]
            sent = doc[start].sent
            tests = self._tests_after(doc, doc[end - 1].idx + len(doc[end - 1]), sent.end_char)
            category = section_at(doc, doc[start].idx)
            if section_flag(category):
                continue
            if not tests:
                if category not in _NCS_SECTIONS or default is None:
                    continue
                tests = [default]
            side = self._side_before(doc, start, sent.start)
            latency = category in _NCS_SECTIONS and bool(self.pats["ncs_latency_after"].match(
                doc.text, doc[end - 1].idx + len(doc[end - 1]), sent.end_char))
            for s in _sides(side) if side else [None]:
                entry = found.setdefault((nerve, s), {"nerve": nerve, "side": s, "tests": []})
                for t in tests:
                    if t not in entry["tests"]:
                        entry["tests"].append(t)
                    if latency:
                        reported.setdefault((nerve, s, t), set()).add(sent.start)
            evidence.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
        out: dict[str, Any] = {"nerves": list(found.values()), "evidence": evidence}
        # the study count is uncertain when the report covers nerves it does not name, or gives one
        # study's distal latency twice with its own findings (two studies, or one written twice?)
        uncertain = [f"{' '.join(x for x in (side, nerve, test) if x)} reported twice"
                     for (nerve, side, test), sents in reported.items() if len(sents) > 1]
        sections = doc.user_data.get("neurocode_sections") or []
        bounds = [(a, sections[i + 1][0] if i + 1 < len(sections) else len(doc.text))
                  for i, (a, _h, cat) in enumerate(sections) if cat in _NCS_SECTIONS]
        if any(self.pats["ncs_unnamed_nerves"].search(doc.text, a, b) for a, b in bounds):
            uncertain.insert(0, "nerves tested but not named")
        if uncertain:
            out["count_uncertain"] = uncertain
        return out

    # --- EMG -------------------------------------------------------------------------------------
    def _emg(self, doc: Doc, muscle_hits: list) -> dict[str, Any]:
        emg_sents = {e.sent.start for e in doc.ents if e.label_ == "emg"}
        emg_lines: set[int] = set()
        text = doc.text
        for e in doc.ents:
            if e.label_ == "emg":
                line_end = text.find("\n", e.start_char)
                emg_lines.add(line_end if line_end >= 0 else len(text))
        muscles_out: dict[tuple[str, str | None], dict[str, Any]] = {}
        evidence: list[tuple[int, int]] = []
        for start, end, term in muscle_hits:
            char = doc[start].idx
            sent = doc[start].sent
            in_scope = section_at(doc, char) in _EMG_SECTIONS or sent.start in emg_sents
            if not in_scope:
                line_end = text.find("\n", char)
                line_end = line_end if line_end >= 0 else len(text)
                line_start = text.rfind("\n", 0, char) + 1
                in_scope = line_end in emg_lines and any(
                    e.label_ == "emg" and line_start <= e.start_char < char for e in doc.ents)
            if not in_scope or section_flag(section_at(doc, char)) in ("family", "historical"):
                continue
            muscle, region, _tox, _cs = self.muscles[str(term)]
            side = self._side_before(doc, start, sent.start)
            for s in _sides(side) if side else [None]:
                muscles_out.setdefault((muscle, s), {"muscle": muscle, "side": s, "region": region})
            evidence.append((char, doc[end - 1].idx + len(doc[end - 1])))
        extremities: list[str] = []
        for sent in doc.sents:
            if sent.start not in emg_sents:
                continue
            last_side = None
            for m in self.pats["extremity"].finditer(sent.text):
                side = m.group(1) or m.group(3)
                limb = m.group(2) or m.group(4)
                if not limb:
                    continue
                limb = _LIMBS.get(limb.lower(), limb.lower())
                side = (side or last_side or "").lower() or None
                last_side = side
                for s in (["left", "right"] if side == "bilateral" else [side]):
                    label = f"{s} {limb}" if s else limb
                    if label not in extremities:
                        extremities.append(label)
        return {"muscles": list(muscles_out.values()), "extremities": extremities, "evidence": evidence}

    # --- toxin -----------------------------------------------------------------------------------
    def _toxin(self, doc: Doc, muscle_hits: list) -> dict[str, Any]:
        text = doc.text
        pats = self.pats
        muscle_spans = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), s, str(t)) for s, e, t in muscle_hits]
        injections: dict[tuple[str, str | None], dict[str, Any]] = {}
        total = wasted = vial = None
        per_muscle_sum = 0.0
        assigned: list[tuple[float, tuple[int, int, int, str], bool, int]] = []  # value, muscle, via "into", line
        evidence: list[tuple[int, int]] = []
        for s, _e, tok_start, term in muscle_spans:
            if section_flag(section_at(doc, s)) in ("family", "historical", "narrative"):
                continue
            muscle, _emg, region, _cs = self.muscles[term]
            side = self._side_before(doc, tok_start, doc[tok_start].sent.start)
            injections.setdefault((muscle, side), {"muscle": muscle, "units": None, "side": side, "region": region})
        for m in pats["units"].finditer(text):
            if section_flag(section_at(doc, m.start())) in ("family", "historical", "narrative"):
                continue
            value = float(m.group(1))
            line_start = max(text.rfind("\n", 0, m.start()), text.rfind(". ", 0, m.start())) + 1
            next_stop = [p for p in (text.find("\n", m.end()), text.find(". ", m.end())) if p >= 0]
            line_end = min(next_stop) if next_stop else len(text)
            before, after = text[line_start:m.start()], text[m.end():line_end]
            evidence.append((m.start(), m.end()))
            if pats["dilution_before"].search(before[-40:]) or pats["dilution_after"].match(after):
                continue
            if pats["vial_before"].search(before[-25:]) or pats["vial_after"].match(after):
                vial = value
                continue
            # wastage words count only in the amount's own clause: "500 units; no drug was wasted"
            clause_before = pats["clause_break"].split(before)[-1]
            clause_after = pats["clause_break"].split(after, maxsplit=1)[0]
            if pats["waste"].search(clause_before[-40:]) or pats["waste"].search(clause_after[:40]):
                wasted = value
                continue
            if pats["total"].search(before[-60:]) or pats["total_after"].match(after):
                total = value
                continue
            target, via_into = None, False
            if pats["into_muscle"].match(after):
                following = [ms for ms in muscle_spans if m.end() <= ms[0] <= line_end]
                target, via_into = (following[0], True) if following else (None, False)
            if target is None:
                preceding = [ms for ms in muscle_spans if line_start <= ms[1] <= m.start()]
                target = preceding[-1] if preceding else None
            if target is None:
                continue
            assigned.append((value, target, via_into, line_start))
        # "100 units injected into the biceps 50 units and brachioradialis 50 units": an amount put
        # "into" a muscle that equals the sum of the per-muscle amounts after it on its line is the total
        for value, target, via_into, line in assigned:
            line_doses = [v for v, _t, into, ln in assigned if ln == line and not into]
            if via_into and len(line_doses) >= 2 and abs(sum(line_doses) - value) < 1e-6:
                total = total if total is not None else value
                continue
            muscle, _emg, region, _cs = self.muscles[target[3]]
            side = self._side_before(doc, target[2], doc[target[2]].sent.start)
            entry = injections.setdefault((muscle, side), {"muscle": muscle, "units": None, "side": side,
                                                           "region": region})
            entry["units"] = (entry["units"] or 0.0) + value
            per_muscle_sum += value
        if total is None and per_muscle_sum:
            total = per_muscle_sum
        if wasted is None and pats["no_waste"].search(text):
            wasted = 0.0
        return {"injections": list(injections.values()), "total_units": total, "wasted_units": wasted,
                "vial_units": vial, "evidence": evidence}

    # --- EEG -------------------------------------------------------------------------------------
    def _eeg(self, doc: Doc) -> dict[str, Any]:
        best = None
        evidence: list[tuple[int, int]] = []
        for sent in doc.sents:
            text = sent.text
            category = section_at(doc, sent.start_char)
            if category != "eeg" and not self.pats["eeg_duration_cue"].search(text):
                continue
            if section_flag(category) in ("family", "historical"):
                continue
            for m in self.pats["duration"].finditer(text):
                value = float(m.group(1))
                unit = m.group(2).lower()
                minutes = value * 60 if unit.startswith("h") else value
                if m.group(3):
                    minutes += float(m.group(3))
                if best is None or minutes > best:
                    best = minutes
                    evidence = [(sent.start_char + m.start(), sent.start_char + m.end())]
        return {"duration_min": best, "evidence": evidence}
