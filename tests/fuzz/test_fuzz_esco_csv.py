"""Fuzzing Taxonomy.from_esco_csv: any set of CSV tables, as a folder or a zip archive, loads or
raises a LabourintMatchError (never a KeyError, csv.Error, UnicodeDecodeError, …), in time.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourint_match import Taxonomy
from labourint_match.errors import LabourintMatchError

# LABOURINT_FUZZ_SCALE=20 multiplies the number of examples, for a longer search.
SCALE = int(os.environ.get("LABOURINT_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=200 * SCALE,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HEADERS = {
    "skills_en.csv": "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels",
    "skillGroups_en.csv": "conceptType,conceptUri,preferredLabel,altLabels,code",
    "occupations_en.csv": "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,code",
    "ISCOGroups_en.csv": "conceptType,conceptUri,code,preferredLabel,altLabels",
    "broaderRelationsSkillPillar.csv": "conceptType,conceptUri,broaderType,broaderUri",
    "broaderRelationsOccPillar.csv": "conceptType,conceptUri,broaderType,broaderUri",
    "occupationSkillRelations.csv": "occupationUri,relationType,skillType,skillUri",
    "skillSkillRelations.csv": (
        "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri"
    ),
}
CELLS = [
    "urn:s:1",
    "urn:s:2",
    "urn:s:3",
    "urn:o:1",
    "urn:g:1",
    "http://data.europa.eu/esco/skill/x",
    "http://data.europa.eu/esco/isco/C1",
    "",
    " ",
    "knowledge",
    "skill/competence",
    "transversal",
    "sector-specific",
    "essential",
    "optional",
    "Optional ",
    "KnowledgeSkillCompetence",
    "Occupation",
    "cook",
    "städa rum",
    '"quoted, with comma"',
    '"multi\nline\nlabels"',
    '"unterminated',
    '""',
    "x y",
    "\x00",
    "\ufeff",
    "\u202e",
    "1",
    "C1",
]


@st.composite
def _table(draw: st.DrawFn, name: str) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    columns = HEADERS[name].split(",")
    header = draw(
        st.one_of(
            st.just(columns),
            st.permutations(columns),
            st.lists(st.sampled_from([*columns, "junk", ""]), max_size=8),
        )
    )
    rows = draw(
        st.lists(
            st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=6)), max_size=8),
            max_size=8,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(",".join(r) for r in [header, *rows]) + newline
    prefix = draw(st.sampled_from(["", "\ufeff"]))
    return (prefix + text).encode("utf-8", "surrogatepass")


@st.composite
def _tables(draw: st.DrawFn) -> dict[str, bytes]:
    names = draw(st.lists(st.sampled_from(sorted(HEADERS)), unique=True, max_size=8))
    return {name: draw(_table(name)) for name in names}


@FUZZ
@given(tables=_tables(), as_zip=st.booleans(), strict=st.booleans())
def test_any_esco_csv_tables_load_or_raise_a_labourint_match_error(
    tables: dict[str, bytes], as_zip: bool, strict: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "esco"
        folder.mkdir()
        if as_zip:
            source = Path(tmp) / "esco.zip"
            with zipfile.ZipFile(source, "w") as archive:
                for name, body in tables.items():
                    archive.writestr(name, body)
        else:
            source = folder
            for name, body in tables.items():
                (folder / name).write_bytes(body)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                taxonomy = Taxonomy.from_esco_csv(source, cache=False, strict=strict)
            except LabourintMatchError:
                return
        assert len(taxonomy) > 0
        for uri in taxonomy.uris[:20]:
            taxonomy.concept(uri)
            taxonomy.ancestors(uri)
            taxonomy.occupation_skills(uri)
