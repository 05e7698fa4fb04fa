"""Procedure details that need more than a term: NCS nerves, needle-EMG muscles, toxin doses, EEG
duration, states and performance.

- NCS: every nerve mention (`terms/nerves.csv`) with its side ("left", "R", "bilateral") before it
  and its test kinds ("motor", "sensory", "F-wave", "H-reflex") after it, in prose ("Left ulnar
  motor and sensory") or table rows ("R Sural Sensory  3.2 ms ..."). A nerve without a test word
  counts only inside an NCS section, with the nerve's default test (sural -> sensory).
- EMG: muscles (`terms/muscles.csv`) in EMG sections, in sentences naming a needle EMG, and in the
  rest of that line; extremities stated as "left arm" / "right upper extremity".
- Toxin: unit amounts classified by nearby words (total, wasted, vial, dilution) or attached to the
  nearest muscle; only in notes with a botulinum-toxin entity.
- EEG: the longest duration stated in a sentence about the recording; each EEG mention (section,
  assertion, header, narrative section, sleep-study channel, type); each recording-state mention
  (awake / drowsy / asleep / coma) and whether its clause negates it; video stated absent or not
  documented; whether a long-term study was read at the end or daily. The coder decides from these
  whether this encounter's study was performed.
- NCS: whether the study count is uncertain (nerves tested but not named, one study's latency
  reported twice).

Results go to `doc.user_data["neurocode_procedures"]` as plain dicts with character offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline.matching import TermMatcher
from nlp.pipeline.normalizer import doc_text
from nlp.pipeline.resources import muscles, ncs_vocab, nerves, patterns, word_list
from nlp.pipeline.sections import section_at, section_flag

PROCEDURES_KEY = "neurocode_procedures"
_EMG_SECTIONS = frozenset({"emg"})
_NCS_SECTIONS = frozenset({"ncs"})


_LIMBS = {"arm": "upper", "hand": "upper", "leg": "lower", "foot": "lower"}
_ABBREVIATED_LIMBS = {"U": "upper", "L": "lower"}  # RUE / LLE / BLE: side letter, limb letter, "E"
_SIDE_PAIR_JOINERS = ("and", "&", "/")  # "right and left deltoid", "R/L tibial H-reflex" -> both sides
_SIDE_CELL = re.compile(r"[ \t]{2,}([A-Za-z]+)\b")  # the next table cell after a nerve name
_NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))}


def _number(value: str) -> int:
    """'13' or 'thirteen' -> 13 (counts written in words in study totals and muscle counts)."""
    return int(value) if value.isdigit() else _NUMBER_WORDS.get(value.lower(), 0)


def _sides(value: str) -> list[str | None]:
    return ["left", "right"] if value == "bilateral" else [value]


def _limb_label(m: re.Match[str], last_side: str | None) -> tuple[str | None, list[str]]:
    """An `emg_limb_label` match -> (its side word or the side carried from the sentence's previous
    label, the limbs it names): 'right and left upper extremities' -> ('bilateral', ['upper']);
    'all four extremities' -> ('bilateral', ['upper', 'lower']); 'RUE' -> ('right', ['upper'])."""
    if m.group("all"):
        return "bilateral", ["upper", "lower"]
    if m.group("abbr"):
        abbr = m.group("abbr")
        return {"R": "right", "L": "left", "B": "bilateral"}[abbr[0]], [_ABBREVIATED_LIMBS[abbr[1]]]
    words = re.findall(r"[a-z]+", (m.group("side") or "").lower())
    side: str | None
    if not words:
        side = last_side
    elif words[0] in ("bilateral", "both") or len({w for w in words if w in ("left", "right")}) == 2:
        side = "bilateral"
    else:
        side = words[0]
    limbs = [_LIMBS.get(x.lower(), x.lower()) for x in (m.group("ul"), m.group("ul2"), m.group("limb"),
                                                         m.group("limb2")) if x]
    return side, list(dict.fromkeys(limbs))


def _labels(sides: str | None, limbs: list[str]) -> list[str]:
    return [f"{s} {limb}" if s else limb for limb in limbs for s in (_sides(sides) if sides else [None])]


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
        if nerve_hits or "ncs" in families:
            out["ncs"] = self._ncs(doc, nerve_hits)
        muscle_hits = self.muscle_matcher(doc) if families & {"emg", "toxin"} or self._has_section(
            doc, _EMG_SECTIONS) else []
        if "emg" in families or self._has_section(doc, _EMG_SECTIONS):
            out["emg"] = self._emg(doc, muscle_hits)
        if "toxin" in families:
            out["toxin"] = self._toxin(doc, muscle_hits)
        if "eeg" in families:
            out["eeg"] = self._eeg(doc)
            out["eeg"].update(self._sleep_study(doc))
        doc.user_data[PROCEDURES_KEY] = out
        return doc

    @staticmethod
    def _has_section(doc: Doc, cats: frozenset[str]) -> bool:
        return any(c in cats for _s, _e, c in doc.user_data.get("neurocode_sections") or [])

    # --- NCS -------------------------------------------------------------------------------------
    def _side_before(self, doc: Doc, start: int, floor: int, pairs: bool = False) -> str | None:
        """Side written just before a nerve or muscle ('left', 'R' at a table-row start). With `pairs`,
        two different sides joined by 'and' / '&' / '/' ('right and left deltoid', 'R/L tibial
        H-reflex') are both sides: 'bilateral'."""
        sides = self.vocab["side"]
        for i in range(start - 1, max(floor, start - 3) - 1, -1):
            tok = doc[i]
            if tok.is_space:
                break
            low = tok.lower_.rstrip(".")
            if low in sides:
                if pairs and i - 2 >= floor and doc[i - 1].lower_ in _SIDE_PAIR_JOINERS:
                    other = doc[i - 2].lower_.rstrip(".")
                    if other in sides and {sides[other], sides[low]} == {"left", "right"} and (
                            len(other) > 1 and len(low) > 1 or doc[i - 2].is_upper and tok.is_upper):
                        return "bilateral"
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
        text = doc_text(doc)
        stop = text.find("\n", end_char)
        tail = text[end_char: min(limit_char, end_char + 80, stop if stop >= 0 else len(text))]
        tests, _pos = self._scan_tests(tail)
        return tests

    def _scan_tests(self, text: str) -> tuple[list[str], int]:
        """Test kinds at the start of `text` and where the scan stopped: test words, side and nerve
        words, connectors ('and', '&', '/', 'with') and short parentheticals ('(APB)', '(4)')."""
        tests: list[str] = []
        pos = 0
        connector = self._connector_re()
        while pos < len(text):
            m = self.test_re.match(text, pos)
            if m:
                value = self.test_values[self._key(m.group(1))]
                if value not in tests:
                    tests.append(value)
                pos = m.end()
                continue
            m = self.filler_re.match(text, pos)
            if m and tests and m.group(0).strip(" ,\t\n").lower() in self.nerves:
                break  # 'median motor and ulnar sensory': the tests after the next nerve are its own
            if not m:
                # '(APB)' is skipped whole; '(motor and sensory)' is read word by word
                m = self.pats["ncs_parenthetical"].match(text, pos)
                if m and self.test_re.search(m.group(0)):
                    m = None
                m = m or connector.match(text, pos)
            if not m or m.end() == pos:
                break
            pos = m.end()
        return tests, pos

    def _connector_re(self) -> re.Pattern[str]:
        """Skip words that end in punctuation ('(', '&', '/'): `filler_re` asks for a non-letter after
        each filler, so '(motor and sensory)' would stop at '('."""
        cached: re.Pattern[str] | None = getattr(self, "_connector_cache", None)
        if cached is None:
            marks = sorted((t for t in self.vocab["skip"] if not t[-1:].isalnum()), key=len, reverse=True)
            cached = re.compile(r"[\s,]*(?:" + "|".join(re.escape(t) for t in marks or ["\x00"]) + r")")
            self._connector_cache = cached
        return cached

    @staticmethod
    def _key(term: str) -> str:
        return re.sub(r"[\s.-]+", "", term.lower())

    def _ncs(self, doc: Doc, hits: list) -> dict[str, Any]:
        found: dict[tuple[str, str | None], dict[str, Any]] = {}
        reported: dict[tuple[str, str | None, str], set[int]] = {}
        evidence: list[tuple[int, int]] = []
        text, pats = doc_text(doc), self.pats
        sections = doc.user_data.get("neurocode_sections") or []
        bounds = [(a, sections[i + 1][0] if i + 1 < len(sections) else len(text))
                  for i, (a, _h, cat) in enumerate(sections) if cat in _NCS_SECTIONS]
        tables = self._side_columns(text, bounds)
        prev: tuple[int, int, list[str | None]] | None = None  # sentence, end, sides of the last nerve
        for start, end, term in hits:
            nerve, default = self.nerves[str(term).lower()]
            sent = doc[start].sent
            begin, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            category = section_at(doc, begin)
            # 'the fibular head', 'radial artery', 'ulnar-innervated': a landmark, not a nerve studied
            if section_flag(category) or pats["ncs_nerve_landmark_after"].match(text, end_char):
                prev = None
                continue
            tests = self._tests_after(doc, end_char, sent.end_char)
            if not tests and category in _NCS_SECTIONS:
                tests = self._block_test(text, begin, bounds)
            if not tests:
                if category not in _NCS_SECTIONS or default is None:
                    prev = None
                    continue
                tests = [default]
            side = self._side_before(doc, start, sent.start, pairs=True)
            sides: list[str | None] = _sides(side) if side else []
            if not sides and prev and prev[0] == sent.start and self._joined(text[prev[1]:begin]):
                sides = prev[2]  # 'bilateral median and ulnar motor': the side covers the list
            if not sides:
                sides = self._column_sides(text, tables, begin, end_char)
            if not sides and category in _NCS_SECTIONS:
                sides = self._side_cell_after(text, end_char)
            sides = sides or [None]
            prev = (sent.start, end_char, sides)
            latency = category in _NCS_SECTIONS and bool(pats["ncs_latency_after"].match(text, end_char, sent.end_char))
            for s in sides:
                entry = found.setdefault((nerve, s), {"nerve": nerve, "side": s, "tests": []})
                for t in tests:
                    if t not in entry["tests"]:
                        entry["tests"].append(t)
                    if latency:
                        reported.setdefault((nerve, s, t), set()).add(sent.start)
            evidence.append((begin, end_char))
        out: dict[str, Any] = {"nerves": list(found.values()), "evidence": evidence}
        stated = self._stated_study_count(doc, bounds)
        if stated:
            out["study_count"] = stated[0]
            evidence.append(stated[1])
        # the study count is uncertain when the report covers nerves it does not name, or gives one
        # study's distal latency twice with its own findings (two studies, or one written twice?)
        uncertain = [f"{' '.join(x for x in (side, nerve, test) if x)} reported twice"
                     for (nerve, side, test), sents in reported.items() if len(sents) > 1]
        if any(pats["ncs_unnamed_nerves"].search(text, a, b) for a, b in bounds):
            uncertain.insert(0, "nerves tested but not named")
        elif any(pats["ncs_nerves_not_listed"].search(text, a, b) for a, b in bounds):
            uncertain.insert(0, "nerves tested but not listed in the report")
        if not found and not stated:
            report = [(a, sections[i + 1][0] if i + 1 < len(sections) else len(text))
                      for i, (a, _h, cat) in enumerate(sections) if cat in word_list("ncs_prose_sections")]
            minimum = self._prose_minimum(text, report)
            if minimum:
                out["study_count_min"] = minimum
                uncertain.insert(0, "nerves not named: the count is a minimum from the studies' kinds and limbs")
        if uncertain:
            out["count_uncertain"] = uncertain
        return out

    def _prose_minimum(self, text: str, bounds: list[tuple[int, int]]) -> int:
        """At least one study per kind, side and limb the prose names ('motor and sensory studies of both
        lower extremities' -> 4): `ncs_prose_minimum`."""
        best = 0
        for a, b in bounds:
            for m in self.pats["ncs_prose_minimum"].finditer(text, a, b):
                kinds = 2 if " and " in m.group("kinds").lower() else 1
                sides = 2 if (m.group("sides") or "").lower() in ("both", "bilateral") else 1
                limbs = 2 if " and " in m.group("limbs").lower() else 1
                best = max(best, kinds * sides * limbs)
        return best

    def _block_test(self, text: str, begin: int, bounds: list[tuple[int, int]]) -> list[str]:
        """The test kind of the table block a row sits in: the last sub-header line ('Motor',
        'Sensory (antidromic)') above it in its NCS section."""
        for a, b in bounds:
            if a <= begin < b:
                heads = list(self.pats["ncs_block_test"].finditer(text, a, begin))
                if heads:
                    value = self.test_values.get(self._key(heads[-1].group(1)))
                    return [value] if value else []
        return []

    def _joined(self, gap: str) -> bool:
        """Only test words and connectors between two nerves ('median and ulnar', 'median motor, ulnar'):
        a side written before the first covers the second."""
        if not any(c in gap for c in ",&/") and not re.search(r"(?i)\band\b", gap):
            return False
        _tests, pos = self._scan_tests(gap)
        return not gap[pos:].strip(" ,")

    def _side_columns(self, text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int, list[str | None]]]:
        """NCS tables whose header names the side of each value column ('Nerve   Right   Left'):
        (first row, end of table, column sides); the table ends at a blank line or the section end."""
        sides = self.vocab["side"]
        out: list[tuple[int, int, list[str | None]]] = []
        for a, b in bounds:
            for m in self.pats["ncs_side_columns"].finditer(text, a, b):
                cols: list[str | None] = [sides[w.lower()] for w in re.findall(r"[A-Za-z]+", m.group("sides"))
                                          if w.lower() in sides]
                if len(set(cols)) < 2:
                    continue
                blank = re.compile(r"\n[ \t]*\n").search(text, m.end(), b)
                out.append((m.end(), blank.start() if blank else b, cols))
        return out

    def _side_cell_after(self, text: str, end: int) -> list[str | None]:
        """A table row that names its side in a Side column after the nerve ('Median   Right   Motor'):
        the first cell after the nerve, when it is a side word (or an upper-case L / R)."""
        m = _SIDE_CELL.match(text, end)
        if m is None:
            return []
        word = m.group(1)
        side = self.vocab["side"].get(word.lower())
        if side is None or (len(word) == 1 and not word.isupper()):
            return []
        return list(_sides(side))

    def _column_sides(self, text: str, tables: list[tuple[int, int, list[str | None]]], begin: int,
                      end: int) -> list[str | None]:
        """Sides of a table row's nerve: one per value column, less the columns marked not tested."""
        for a, b, cols in tables:
            if not a <= begin < b:
                continue
            line_end = text.find("\n", end)
            row = text[text.rfind("\n", 0, begin) + 1: line_end if line_end >= 0 else len(text)]
            cells = [c for c in re.split(r"\t|\s{2,}|\s*\|\s*", row.strip()) if c][1:]
            if len(cells) != len(cols):
                return list(cols)
            return [s for s, c in zip(cols, cells, strict=True)
                    if not self.pats["ncs_not_tested_cell"].match(c)]
        return []

    def _stated_study_count(self, doc: Doc, bounds: list[tuple[int, int]]) -> tuple[int, tuple[int, int]] | None:
        """A study total the report states ('Total: 13 studies', 'NERVE CONDUCTION STUDIES (6 studies)'),
        inside an NCS section or in a sentence naming the nerve conduction study; the largest wins."""
        ncs_sents = {e.sent.start for e in doc.ents if e.label_ == "ncs"}
        best: tuple[int, tuple[int, int]] | None = None
        for m in self.pats["ncs_study_count"].finditer(doc_text(doc)):
            category = section_at(doc, m.start())
            in_ncs = any(a <= m.start() < b for a, b in bounds)
            if not in_ncs:
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or section_flag(category) or span.sent.start not in ncs_sents:
                    continue
            value = _number(m.group(1))
            if value and (best is None or value > best[0]):
                best = (value, (m.start(), m.end()))
        return best

    # --- EMG -------------------------------------------------------------------------------------
    def _emg(self, doc: Doc, muscle_hits: list) -> dict[str, Any]:
        text, pats = doc_text(doc), self.pats
        mentions = [e for e in doc.ents if e.label_ == "emg"]
        # 'under needle EMG guidance', 'EMG was used to localize': guidance of an injection (+95874),
        # not a diagnostic needle EMG
        emg_ents = [e for e in mentions if not self._emg_guidance(text, e.start_char, e.end_char)]
        if mentions and not emg_ents and not self._has_section(doc, _EMG_SECTIONS):
            return {"muscles": [], "extremities": [], "guidance_only": True, "evidence": []}
        emg_sents = {e.sent.start for e in emg_ents}
        emg_lines: set[int] = set()
        for e in emg_ents:
            line_end = text.find("\n", e.start_char)
            emg_lines.add(line_end if line_end >= 0 else len(text))
        breaks = [m.start() for m in pats["emg_segment_break"].finditer(text)]
        labels = [(m, self._segment_start(breaks, m.start())) for m in pats["emg_limb_label"].finditer(text)]
        muscles_out: dict[tuple[str, str | None], dict[str, Any]] = {}
        evidence: list[tuple[int, int]] = []
        sided: list[tuple[int, int, str]] = []  # segment, position, side of muscles with a side
        listed_segments: set[int] = set()
        for start, end, term in muscle_hits:
            char = doc[start].idx
            sent = doc[start].sent
            in_scope = sent.start in emg_sents or self._emg_region(doc, char, emg_ents, emg_lines)
            if not in_scope or section_flag(section_at(doc, char)) in ("family", "historical"):
                continue
            muscle, region, _tox, _cs = self.muscles[str(term)]
            segment = self._segment_start(breaks, char)
            side = self._side_before(doc, start, sent.start, pairs=True)
            if side:
                sided.append((segment, char, side))
            else:
                # 'Right lower extremity: tibialis anterior, ...', 'right and left deltoid, biceps':
                # the side of the list's extremity label or first muscle covers the rest of the list
                cues = [(m.start(), _limb_label(m, None)[0]) for m, seg in labels if seg == segment
                        and m.start() < char] + [(p, s) for seg, p, s in sided if seg == segment]
                side = max((c for c in cues if c[1]), default=(0, None))[1]
            if not side:
                side = self._line_side(text, char)
            listed_segments.add(segment)
            found = [(muscle, region)]
            if region in ("paraspinal", "thoracic_paraspinal"):
                # 'lumbosacral and cervical paraspinal muscles': one paraspinal muscle per level named
                lv = pats["emg_paraspinal_levels_before"].search(text[max(0, char - 60):char])
                found += [self.muscles[f"{x.lower()} paraspinal"][:2] for x in (lv.groups() if lv else ())
                          if x and f"{x.lower()} paraspinal" in self.muscles]
            for name, reg in found:
                for s in _sides(side) if side else [None]:
                    muscles_out.setdefault((name, s), {"muscle": name, "side": s, "region": reg})
            evidence.append((char, doc[end - 1].idx + len(doc[end - 1])))
        extremities: list[str] = []
        limited: list[str] = []
        heads: list[tuple[int, int, list[str]]] = []  # position, segment, extremities of each label
        last_side: tuple[int, str | None] = (-1, None)
        for m, segment in labels:
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or section_flag(section_at(doc, m.start())) in ("family", "historical"):
                continue
            sent_start = span.sent.start
            # in a sentence naming the needle EMG; in the EMG section only as the head of a muscle list
            if sent_start not in emg_sents and not (
                    segment in listed_segments and self._emg_region(doc, m.start(), emg_ents, emg_lines)):
                continue
            side, limbs = _limb_label(m, last_side[1] if last_side[0] == sent_start else None)
            last_side = (sent_start, side)
            after = bisect_right(breaks, m.end())
            seg_end = breaks[after] if after < len(breaks) else len(text)
            explicit_limited = bool(pats["emg_limited_label"].search(text, segment, seg_end))
            heads.append((m.start(), segment, _labels(side, limbs)))
            for label in heads[-1][2]:
                if label not in extremities:
                    extremities.append(label)
                if explicit_limited and label not in limited:
                    limited.append(label)
        out: dict[str, Any] = {"muscles": list(muscles_out.values()), "extremities": extremities,
                               "evidence": evidence}
        if limited:
            out["limited_extremities"] = limited
        counts = self._muscle_counts(text, breaks, heads)
        if counts:
            out["muscle_counts"] = counts
        return out

    def _line_side(self, text: str, char: int) -> str | None:
        """The side label a muscle's line starts with ('Right: APB ..., FDI normal')."""
        m = self.pats["emg_line_side"].match(text, text.rfind("\n", 0, char) + 1)
        if m is None:
            return None
        return self.vocab["side"].get(m.group(1).lower().rstrip("."))

    def _muscle_counts(self, text: str, breaks: list[int],
                       heads: list[tuple[int, int, list[str]]]) -> dict[str, int]:
        """Muscle counts stated for an extremity ('left arm, 4 muscles', '6 muscles each'): the count
        belongs to the extremity label before it in its list segment (else the first one after it);
        a count for a label naming several extremities needs 'each'."""
        out: dict[str, int] = {}
        for m in self.pats["emg_muscle_count"].finditer(text):
            segment = self._segment_start(breaks, m.start())
            same = [h for h in heads if h[1] == segment]
            before = [h for h in same if h[0] < m.start()]
            head = before[-1] if before else (same[0] if same else None)
            if head is None or (len(head[2]) > 1 and not m.group("each")):
                continue
            for label in head[2]:
                out.setdefault(label, _number(m.group(1)))
        return out

    @staticmethod
    def _emg_region(doc: Doc, char: int, emg_ents: list, emg_lines: set[int]) -> bool:
        """In the EMG section, or on a line after a needle EMG mention ('NEEDLE EMG (same day): ...')."""
        if section_at(doc, char) in _EMG_SECTIONS:
            return True
        text = doc_text(doc)
        line_end = text.find("\n", char)
        line_end = line_end if line_end >= 0 else len(text)
        line_start = text.rfind("\n", 0, char) + 1
        return line_end in emg_lines and any(line_start <= e.start_char < char for e in emg_ents)

    def _emg_guidance(self, text: str, start: int, end: int) -> bool:
        return bool(self.pats["emg_guidance_after"].match(text, end)
                    or self.pats["emg_guidance_before"].search(text[max(0, start - 40):start]))

    @staticmethod
    def _segment_start(breaks: list[int], char: int) -> int:
        """Start of the list segment holding `char`: after the last ';', line break or sentence end."""
        i = bisect_left(breaks, char)  # `breaks` is ascending (finditer order)
        return (breaks[i - 1] if i else -1) + 1

    # --- toxin -----------------------------------------------------------------------------------
    def _toxin(self, doc: Doc, muscle_hits: list) -> dict[str, Any]:
        text = doc_text(doc)
        pats = self.pats
        muscle_spans = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), s, str(t)) for s, e, t in muscle_hits]
        injections: dict[tuple[str, str | None], dict[str, Any]] = {}
        total = wasted = vial = None
        per_muscle_sum = 0.0
        assigned: list[tuple[float, tuple[int, int, int, str], bool, int]] = []  # value, muscle, via "into", line
        evidence: list[tuple[int, int]] = []
        for s, _e, tok_start, term in muscle_spans:
            if section_flag(section_at(doc, s)) in ("family", "historical", "narrative", "hypothetical"):
                continue
            muscle, _emg, region, _cs = self.muscles[term]
            side = self._side_before(doc, tok_start, doc[tok_start].sent.start)
            injections.setdefault((muscle, side), {"muscle": muscle, "units": None, "side": side, "region": region})
        for m in pats["units"].finditer(text):
            if section_flag(section_at(doc, m.start())) in ("family", "historical", "narrative", "hypothetical"):
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
        out: dict[str, Any] = {"duration_min": best, "evidence": evidence}
        out.update(self._eeg_mentions(doc))
        out.update(self._eeg_states(doc))
        out.update(self._eeg_video(doc))
        read = self._eeg_read(doc)
        if read:
            out["read"] = read
        return out

    def _eeg_clause(self, doc: Doc, start: int, end: int) -> tuple[str, str]:
        """The text of the clause before and after [start, end) within its sentence."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return "", ""
        sent = span.sent
        before = re.split(self.pats["clause_break"], doc_text(doc)[sent.start_char:start])[-1]
        after = re.split(self.pats["clause_break"], doc_text(doc)[end:sent.end_char])[0]
        return before, after

    def _eeg_negated(self, doc: Doc, start: int, end: int) -> bool:
        before, after = self._eeg_clause(doc, start, end)
        return bool(self.pats["eeg_state_negated_before"].search(before)
                    or self.pats["eeg_state_negated_after"].search(after))

    def _eeg_mentions(self, doc: Doc) -> dict[str, Any]:
        """Each EEG mention's section, assertion, type, whether its section is narrative (history, studies,
        plan), whether it is a section header and whether it is one channel of a sleep study ('monitored
        for EEG, EOG, leg EMG, oximetry'), so the coder can tell this encounter's EEG from a prior, planned
        or quoted one; `recorded` when a section headed by an EEG mention states the recording ('28 minutes
        recorded', 'Technique: ...')."""
        from nlp.pipeline.context import assertion_of
        from nlp.pipeline.sections import in_header

        mentions: list[dict[str, Any]] = []
        header_sections: set[str] = set()
        for ent in doc.ents:
            if ent.label_ != "eeg" or ent.kb_id_ != "eeg":
                continue
            header = in_header(doc, ent.start_char, ent.end_char)
            if header:
                header_sections.add(header)
            channels = {m.group(0).lower() for m in self.pats["eeg_psg_channel"].finditer(ent.sent.text)}
            category = section_at(doc, ent.start_char)
            mentions.append({"section": category, "assertion": assertion_of(ent),
                             "narrative": bool(section_flag(category)),
                             "header": header is not None, "psg_channel": len(channels) >= 2,
                             "eeg_type": (ent._.neurocode_attrs or {}).get("eeg_type")})
        cue = self.pats["eeg_performed_cue"]
        recorded = any(cue.search(sent.text) for sent in doc.sents
                       if section_at(doc, sent.start_char) in header_sections
                       and not in_header(doc, sent.start_char, sent.end_char))
        out: dict[str, Any] = {"mentions": mentions} if mentions else {}
        if recorded:
            out["recorded"] = True
        return out

    def _eeg_states(self, doc: Doc) -> dict[str, Any]:
        """Each recording-state mention (EEG `states` modifiers, coma wording) with its section and whether
        its clause negates it ('sleep was not obtained') and whether its section is narrative (history, plan),
        and `states`: the states neither negated nor narrative (as the note-wide procedure attributes).
        Headers and family/past-history sections are skipped."""
        from nlp.pipeline.attributes import MODIFIERS_KEY
        from nlp.pipeline.resources import modifier_terms
        from nlp.pipeline.sections import in_header

        state_of: dict[str, str] = {}
        for term in modifier_terms():
            if any(f == "eeg" for f, _c in term.targets):
                for key, value in term.attrs:
                    if key == "states":
                        state_of.setdefault(term.term, value)
        spans = [(s, e, state_of[t]) for s, e, t in doc.user_data.get(MODIFIERS_KEY) or [] if t in state_of]
        spans += [(m.start(), m.end(), "coma") for m in self.pats["eeg_state_coma"].finditer(doc_text(doc))]
        mentions: list[dict[str, Any]] = []
        for start, end, state in sorted(spans):
            category = section_at(doc, start)
            flag = section_flag(category)
            if flag in ("family", "historical") or in_header(doc, start, end):
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            future = span is not None and bool(self.pats["eeg_state_hypothetical"].search(span.sent.text))
            mentions.append({"state": state, "section": category, "negated": self._eeg_negated(doc, start, end),
                             "narrative": bool(flag) or future, "start": start})
        states: list[str] = []
        for m in mentions:  # narrative sections (history, plan) tell no recorded state, as note-wide attributes
            if not m["negated"] and not m["narrative"] and m["state"] not in states:
                states.append(m["state"])
        out: dict[str, Any] = {"state_mentions": mentions} if mentions else {}
        if states:
            out["states"] = states
        return out

    def _eeg_video(self, doc: Doc) -> dict[str, Any]:
        """Video axis from the sentences naming video: stated without video -> video False; only
        'use of video not documented' -> video_undocumented (the axis is missing, not 'with video')."""
        affirmed = negated = undocumented = False
        for m in self.pats["eeg_video_word"].finditer(doc_text(doc)):
            if section_flag(section_at(doc, m.start())):
                continue
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            sent = span.sent
            text, offset = sent.text, m.start() - sent.start_char
            if any(n.start() <= offset < n.end() for n in self.pats["eeg_video_negated"].finditer(text)):
                negated = True
            elif any(n.start() <= offset < n.end() for n in self.pats["eeg_video_undocumented"].finditer(text)):
                undocumented = True
            else:
                affirmed = True
        if affirmed:
            return {}
        if negated:
            return {"video": False}
        return {"video_undocumented": True} if undocumented else {}

    def _eeg_read(self, doc: Doc) -> str | None:
        """When the long-term EEG was interpreted: after the entire recording or after each 24 hours."""
        for name, value in (("eeg_read_end_of_study", "end_of_study"), ("eeg_read_daily", "daily")):
            for m in self.pats[name].finditer(doc_text(doc)):
                if not section_flag(section_at(doc, m.start())):
                    return value
        return None

    # --- Sleep study (polysomnography) -----------------------------------------------------------
    def _sleep_study(self, doc: Doc) -> dict[str, Any]:
        """Sleep-study details for the polysomnography coder (nlp/coding/sleep.py), each with its section,
        whether that section is narrative (history, plan) and whether its sentence plans the study
        (`sleep_planned_cue`) or places it before or outside this report (`sleep_prior_cue`):
        `psg_mentions` (polysomnography terms, with assertion and header); `sleep_channel_mentions`
        (sentences naming two or more recording channels, with the staging channels `sleep_staging_*` and
        the additional parameters `sleep_param_*` they name); `pap_mentions` (sentences naming positive
        airway pressure: titration initiated (`sleep_titration`), negated); `unattended_mentions` (home or
        unattended test wording); and `patient_age_years` (the first age phrase of the note)."""
        from nlp.pipeline.context import assertion_of, patient_age_years
        from nlp.pipeline.sections import in_header

        pats = self.pats
        staging = {n.removeprefix("sleep_staging_"): p for n, p in pats.items() if n.startswith("sleep_staging_")}
        params = {n.removeprefix("sleep_param_"): p for n, p in pats.items() if n.startswith("sleep_param_")}

        def where(start: int, text: str) -> dict[str, Any]:
            category = section_at(doc, start)
            return {"section": category, "narrative": bool(section_flag(category)),
                    "planned": bool(pats["sleep_planned_cue"].search(text)),
                    "prior": bool(pats["sleep_prior_cue"].search(text))}

        psg: list[dict[str, Any]] = []
        for ent in doc.ents:
            if ent.label_ == "eeg" and ent.kb_id_ == "polysomnography":
                header = in_header(doc, ent.start_char, ent.end_char) is not None
                psg.append({**where(ent.start_char, "" if header else ent.sent.text),
                            "assertion": assertion_of(ent), "header": header})
        channels: list[dict[str, Any]] = []
        pap: list[dict[str, Any]] = []
        unattended: list[dict[str, Any]] = []
        for sent in doc.sents:
            text = sent.text
            if in_header(doc, sent.start_char, sent.end_char) or section_flag(section_at(doc, sent.start_char)) in (
                    "family", "historical"):
                continue
            stage = [n for n, p in staging.items() if p.search(text)]
            param = [n for n, p in params.items() if p.search(text)]
            if len(stage) + len(param) >= 2:
                channels.append({**where(sent.start_char, text), "staging": stage, "params": param})
            if pats["sleep_pap_word"].search(text):
                pap.append({**where(sent.start_char, text), "titration": bool(pats["sleep_titration"].search(text)),
                            "negated": bool(pats["sleep_negated_cue"].search(text))})
            if pats["sleep_unattended"].search(text):
                unattended.append(where(sent.start_char, text))
        if not psg and not channels:
            return {}
        out: dict[str, Any] = {"psg_mentions": psg, "sleep_channel_mentions": channels, "pap_mentions": pap,
                               "unattended_mentions": unattended}
        age = patient_age_years(doc_text(doc))
        if age is not None:
            out["patient_age_years"] = age
        return {k: v for k, v in out.items() if v not in ([], None)}
