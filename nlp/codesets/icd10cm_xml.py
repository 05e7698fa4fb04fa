"""Parse the CMS/CDC ICD-10-CM tabular XML (and the alphabetic index XML) into flat records.

One parser serves the bundled release (the tabular shipped in `simple-icd-10-cm`) and every
release a user imports with `neurocode codeset import`. Seventh-character codes, which the XML
only implies through `sevenChrDef`, are expanded here so that billability is a property of the
stored code and not recomputed at lookup time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from nlp.errors import CodeSetImportError, Errors

NOTE_KINDS = (
    "inclusionTerm",
    "includes",
    "excludes1",
    "excludes2",
    "codeFirst",
    "useAdditionalCode",
    "codeAlso",
    "notes",
)

# "7th characters D and S do not apply to codes in category S06 with 6th character 7 ... or 8"
_SEVENTH_EXCEPTION = re.compile(
    r"7th characters? ([A-Z](?:(?:, | and | or )[A-Z])*) (?:does|do) not apply to codes in category "
    r"(\w\d\d) with 6th character (\d)(?:[^,]*?, or 8| or (\d))?",
    re.IGNORECASE,
)


@dataclass
class CodeRecord:
    code: str
    description: str
    kind: str  # chapter | section | category | subcategory | code
    parent: str | None
    billable: bool
    notes: dict[str, list[str]] = field(default_factory=dict)
    seventh: dict[str, str] = field(default_factory=dict)  # 7th characters defined or inherited


def _texts(elem: ET.Element, tag: str) -> list[str]:
    out: list[str] = []
    for child in elem.findall(tag):
        out.extend((n.text or "").strip() for n in child.findall("note"))
    return out


def _notes(elem: ET.Element) -> dict[str, list[str]]:
    notes = {}
    for kind in NOTE_KINDS:
        texts = _texts(elem, kind)
        if texts:
            notes[kind] = texts
    return notes


def _seventh_def(elem: ET.Element) -> dict[str, str]:
    d = elem.find("sevenChrDef")
    if d is None:
        return {}
    return {ext.get("char", ""): (ext.text or "").strip() for ext in d.findall("extension")}


def _seventh_exceptions(elem: ET.Element) -> list[tuple[set[str], str, set[str]]]:
    """Read 'do not apply' notes: (excluded 7th chars, category, 6th characters)."""
    out = []
    for text in _texts(elem, "notes") + _texts(elem, "sevenChrNote"):
        for m in _SEVENTH_EXCEPTION.finditer(text):
            chars = set(re.findall(r"\b([A-Z])\b", m.group(1)))
            sixth = {m.group(3)}
            if ", or 8" in m.group(0) or m.group(0).rstrip().endswith("8"):
                sixth.add("8")
            if m.group(4):
                sixth.add(m.group(4))
            out.append((chars, m.group(2).upper(), sixth))
    return out


def _seventh_code(code: str, char: str) -> str:
    """S06.0X1 + A -> S06.0X1A; T81.4 + A -> T81.4XXA (pad to 6 characters with X)."""
    bare = code.replace(".", "")
    bare = bare.ljust(6, "X")
    return f"{bare[:3]}.{bare[3:]}{char}"


def parse_tabular(source: str | Path | IO[bytes]) -> tuple[str, list[CodeRecord]]:
    """Return (version text, records) for a tabular XML file. Raises E203 on malformed input."""
    name = getattr(source, "name", str(source))
    try:
        tree = ET.parse(source)
    except ET.ParseError as e:
        raise CodeSetImportError(Errors.E203, path=name, detail=f"XML error {e.position}") from e
    root = tree.getroot()
    if root.tag != "ICD10CM.tabular":
        raise CodeSetImportError(Errors.E203, path=name, detail=f"root element is <{root.tag}>")
    version = (root.findtext("version") or "").strip()
    records: list[CodeRecord] = []

    def walk_diag(
        elem: ET.Element,
        parent: str,
        depth: int,
        seventh: dict[str, str],
        exceptions: list[tuple[set[str], str, set[str]]],
    ) -> None:
        code = (elem.findtext("name") or "").strip()
        desc = (elem.findtext("desc") or "").strip()
        if not code:
            raise CodeSetImportError(Errors.E203, path=name, detail=f"a <diag> under {parent} has no <name>")
        own = _seventh_def(elem)
        seventh = own or seventh
        exceptions = exceptions + _seventh_exceptions(elem)
        kids = elem.findall("diag")
        kind = "category" if depth == 0 else ("subcategory" if kids else "code")
        leaf = not kids
        records.append(
            CodeRecord(code, desc, kind, parent, billable=leaf and not seventh, notes=_notes(elem), seventh=seventh)
        )
        for kid in kids:
            walk_diag(kid, code, depth + 1, seventh, exceptions)
        if leaf and seventh:
            bare = code.replace(".", "").ljust(6, "X")
            for char, meaning in seventh.items():
                if any(
                    char in chars and bare[:3] == cat and bare[5] in sixth for chars, cat, sixth in exceptions
                ):
                    continue
                records.append(
                    CodeRecord(_seventh_code(code, char), f"{desc}, {meaning}", "code", code, billable=True)
                )

    for chapter in root.findall("chapter"):
        ch_code = "ch" + (chapter.findtext("name") or "").strip()
        records.append(CodeRecord(ch_code, (chapter.findtext("desc") or "").strip(), "chapter", None, False,
                                  notes=_notes(chapter)))
        for section in chapter.findall("section"):
            sec_code = section.get("id", "")
            records.append(CodeRecord(sec_code, (section.findtext("desc") or "").strip(), "section", ch_code,
                                      False, notes=_notes(section)))
            for diag in section.findall("diag"):
                walk_diag(diag, sec_code, 0, {}, [])
    if not any(r.kind == "code" for r in records):
        raise CodeSetImportError(Errors.E203, path=name, detail="no codes found")
    return version, records


@dataclass(frozen=True)
class IndexTerm:
    term: str  # full path, levels joined by ", " (e.g. "Epilepsy, intractable, complex partial")
    code: str


def parse_index(source: str | Path | IO[bytes]) -> Iterator[IndexTerm]:
    """Yield (term path, code) pairs from an ICD-10-CM alphabetic index XML (root ICD10CM.index)."""
    name = getattr(source, "name", str(source))
    try:
        root = ET.parse(source).getroot()
    except ET.ParseError as e:
        raise CodeSetImportError(Errors.E207, path=name, detail=f"XML error {e.position}") from e
    if root.tag != "ICD10CM.index":
        raise CodeSetImportError(Errors.E207, path=name, detail=f"root element is <{root.tag}>")

    def title(elem: ET.Element) -> str:
        t = elem.find("title")
        if t is None:
            return ""
        text = "".join(t.itertext()).strip()
        return re.sub(r"\s+", " ", text)

    def walk(elem: ET.Element, path: list[str]) -> Iterator[IndexTerm]:
        here = path + [title(elem)]
        code = (elem.findtext("code") or "").strip()
        if code:
            yield IndexTerm(", ".join(p for p in here if p), code.rstrip("-"))
        for sub in elem.findall("term"):
            yield from walk(sub, here)

    for letter in root.findall("letter"):
        for main in letter.findall("mainTerm"):
            yield from walk(main, [])
