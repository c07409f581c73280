"""The official ESCO CSV export (classification and relations), as zip archives or folders.

Traps handled here (see the ESCO README shipped with the data): multi-valued cells (``altLabels``,
``hiddenLabels``) hold one label per line inside a quoted field; relation files of the
language-independent archive carry no ``_en`` suffix while those of v1.2 do; a few skills have an
empty ``skillType`` or ``reuseLevel``; a classification may come in several languages, each its own
archive, whose concepts are the same and whose labels are merged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import TaxonomyError
from ._compiled import TaxonomyBuilder

__all__ = ["EscoCsvSource", "compile_esco_csv"]

_CONCEPT_FILES = (
    ("skills", "skill"),
    ("skillgroups", "skill_group"),
    ("occupations", "occupation"),
    ("iscogroups", "occupation_group"),
)
_RELATION_FILES = (
    "broaderrelationsskillpillar",
    "broaderrelationsoccpillar",
    "occupationskillrelations",
    "skillskillrelations",
)
_NAME = re.compile(r"^(?P<stem>[A-Za-z]+?)(?:_(?P<lang>[a-z]{2,3}(?:-[a-z0-9]+)?))?\.csv$")
_SKILL_TYPES = {"skill/competence": "skill", "knowledge": "knowledge", "": ""}
_REUSE = {"transversal", "cross-sector", "sector-specific", "occupation-specific", ""}

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class _Member:
    container: str
    name: str
    stem: str
    lang: str


class EscoCsvSource:
    """The CSV files of one or more ESCO archives or folders, found by their names.

    Parameters
    ----------
    paths
        Zip archives or extracted folders, in order; the first file found for each table wins,
        except concept tables in different languages, which are all read.
    """

    def __init__(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        self.members: list[_Member] = []
        self._zips: dict[str, zipfile.ZipFile] = {}
        for raw in paths:
            path = Path(raw)
            try:
                found = path.exists()
            except OSError as exc:  # a name too long, say
                raise TaxonomyError(
                    f"cannot read this path ({exc.strerror})", source=str(path)[:200]
                ) from None
            if not found:
                raise TaxonomyError(
                    "no such file or folder; pass the ESCO CSV zip archive or its extracted folder",
                    source=str(path),
                )
            if path.is_dir():
                for child in sorted(path.rglob("*.csv")):
                    self._add(str(path), str(child.relative_to(path)))
            else:
                try:
                    archive = zipfile.ZipFile(path)
                except (zipfile.BadZipFile, OSError) as exc:
                    raise TaxonomyError(
                        f"not a readable zip archive ({exc}); pass the ESCO CSV zip or its folder",
                        source=str(path),
                    ) from None
                self._zips[str(path)] = archive
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if not info.is_dir():
                        self._add(str(path), info.filename)

    def _add(self, container: str, name: str) -> None:
        match = _NAME.match(Path(name).name)
        if match is not None:
            stem = match.group("stem").lower()
            self.members.append(_Member(container, name, stem, match.group("lang") or ""))

    def find(self, stem: str) -> list[_Member]:
        """Members whose file name (without language suffix) is `stem`, case-insensitively."""
        return [m for m in self.members if m.stem == stem]

    def used_members(self) -> list[_Member]:
        """The members that compiling reads, in a stable order."""
        used = [m for stem, _ in _CONCEPT_FILES for m in self.find(stem)]
        for stem in _RELATION_FILES:
            found = self.find(stem)
            used.extend(found[:1])
        return used

    def digest(self) -> str:
        """SHA-256 over what compiling reads: whole zip archives, or the CSV files of folders."""
        h = hashlib.sha256()
        hashed_zips: set[str] = set()
        for m in self.used_members():
            if m.container in self._zips:
                if m.container in hashed_zips:
                    continue
                hashed_zips.add(m.container)
                opener: IO[bytes] = open(m.container, "rb")  # noqa: SIM115 - closed below
                h.update(f"zip:{Path(m.container).name}\n".encode())
            else:
                opener = self._open_binary(m)
                h.update(f"csv:{m.name}\n".encode())
            with opener as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        return h.hexdigest()

    def _open_binary(self, m: _Member) -> IO[bytes]:
        if m.container in self._zips:
            return self._zips[m.container].open(m.name)
        return open(Path(m.container) / m.name, "rb")

    def rows(self, m: _Member, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(line, row)`` with the `required` columns (and any others present)."""
        where = self.where(m)
        with self._open_binary(m) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            # strict: an unterminated quote is an error, not a field that swallows the rows after it
            reader = csv.reader(text, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise TaxonomyError("empty CSV file", source=where) from None
            except (csv.Error, UnicodeDecodeError) as exc:
                raise TaxonomyError(f"not a readable CSV file ({exc})", source=where) from None
            missing = [c for c in required if c not in header]
            if missing:
                raise TaxonomyError(
                    f"missing column(s) {', '.join(missing)}; is this an ESCO CSV export?",
                    source=where,
                )
            try:
                for row in reader:
                    if not row:
                        continue
                    record = dict(zip(header, row, strict=False))
                    if len(row) < len(header) and any(c not in record for c in required):
                        short = [c for c in required if c not in record]
                        raise TaxonomyError(
                            f"the row has {len(row)} field(s) where the header has "
                            f"{len(header)}: no value for {', '.join(short)}",
                            source=where,
                            line=reader.line_num,
                        )
                    yield reader.line_num, record
            except (csv.Error, UnicodeDecodeError) as exc:
                raise TaxonomyError(
                    f"malformed CSV ({exc})", source=where, line=reader.line_num
                ) from None

    def where(self, m: _Member) -> str:
        """A readable location of `m` for messages."""
        if m.container in self._zips:
            return f"{m.container}!{m.name}"
        return str(Path(m.container) / m.name)

    def close(self) -> None:
        """Close the zip archives."""
        for archive in self._zips.values():
            archive.close()


def _split(cell: str | None, separator: str = "\n") -> list[str]:
    if not cell:
        return []
    return [part.strip() for part in cell.split(separator) if part.strip()]


def compile_esco_csv(source: EscoCsvSource, name: str) -> TaxonomyBuilder:
    """Read the classification and relation tables of `source` into a builder."""
    builder = TaxonomyBuilder(name)
    defined_in: dict[str, set[str]] = {}
    found_any = False
    for stem, kind in _CONCEPT_FILES:
        for member in source.find(stem):
            found_any = True
            lang = member.lang or "en"
            where = source.where(member)
            for line, row in source.rows(member, ("conceptUri", "preferredLabel")):
                uri = row["conceptUri"].strip()
                if not uri:
                    raise TaxonomyError("row without conceptUri", source=where, line=line)
                langs = defined_in.setdefault(uri, set())
                if langs and lang not in langs:
                    pass  # the same concept in another language: merge its labels
                elif langs:
                    builder.add_concept(uri, kind)  # recorded as a duplicate by the builder
                else:
                    skill_type = (row.get("skillType") or "").strip()
                    reuse = (row.get("reuseLevel") or "").strip()
                    if skill_type not in _SKILL_TYPES or reuse not in _REUSE:
                        raise TaxonomyError(
                            f"unknown skillType {skill_type!r} or reuseLevel {reuse!r}",
                            source=where,
                            line=line,
                            uris=[uri],
                        )
                    builder.add_concept(
                        uri,
                        kind,
                        skill_type=_SKILL_TYPES[skill_type],
                        reuse_level=reuse,
                        code=(row.get("code") or "").strip(),
                    )
                langs.add(lang)
                builder.add_label(uri, lang, "pref", row["preferredLabel"])
                for alt in _split(row.get("altLabels")):
                    builder.add_label(uri, lang, "alt", alt)
                for hidden in _split(row.get("hiddenLabels")):
                    builder.add_label(uri, lang, "hidden", hidden)
                note = (row.get("scopeNote") or "").strip()
                if note:
                    builder.add_label(uri, lang, "scope_note", note)
    if not found_any:
        raise TaxonomyError(
            "no ESCO classification tables found (skills_<lang>.csv, occupations_<lang>.csv, …); "
            "pass the classification archive or folder",
            source=name,
        )
    _read_relations(source, builder)
    return builder


def _relation_type(value: str, where: str, line: int) -> bool:
    kind = value.strip().lower()
    if kind not in ("essential", "optional"):
        raise TaxonomyError(
            f"relationType must be 'essential' or 'optional', not {value[:40]!r}",
            source=where,
            line=line,
        )
    return kind == "essential"


def _read_relations(source: EscoCsvSource, builder: TaxonomyBuilder) -> None:
    for stem in ("broaderrelationsskillpillar", "broaderrelationsoccpillar"):
        for member in source.find(stem)[:1]:
            for _line, row in source.rows(member, ("conceptUri", "broaderUri")):
                builder.add_broader(row["conceptUri"].strip(), row["broaderUri"].strip())
    for member in source.find("occupationskillrelations")[:1]:
        where = source.where(member)
        for line, row in source.rows(member, ("occupationUri", "relationType", "skillUri")):
            builder.add_occupation_skill(
                row["occupationUri"].strip(),
                row["skillUri"].strip(),
                _relation_type(row["relationType"], where, line),
            )
    for member in source.find("skillskillrelations")[:1]:
        where = source.where(member)
        for line, row in source.rows(
            member, ("originalSkillUri", "relationType", "relatedSkillUri")
        ):
            builder.add_skill_relation(
                row["originalSkillUri"].strip(),
                row["relatedSkillUri"].strip(),
                _relation_type(row["relationType"], where, line),
            )
