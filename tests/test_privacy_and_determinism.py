"""No profile content in logs, warnings or errors; the same inputs give byte-identical outputs."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import pytest

from labourint_match import (
    LabourintMatchError,
    Matcher,
    ScoringConfig,
    Taxonomy,
    load_candidates,
    load_vacancies,
)
from labourint_match.synth import cohort, write_jsonl

MARKER = "ZZ-SECRET-7731"


def _marked_cohort(tmp_path: Path) -> tuple[Path, Path]:
    """A small cohort whose free-text fields (titles, free-text skills) hold the marker."""
    taxonomy = Taxonomy.default()
    cands, vacs = cohort(taxonomy, 30, 8, seed=21, as_of=date(2026, 1, 1))
    marked_c = []
    for i, c in enumerate(cands):
        data = c.model_dump(mode="json")
        for edu in data["education"]:
            edu["title"] = f"{MARKER} diploma"
        for exp in data["experience"]:
            exp["title"] = f"{MARKER} job"
        if i % 3 == 0:
            data["skills"].append({"skill": f"{MARKER} unresolvable free text"})
        marked_c.append(type(c).model_validate(data))
    marked_v = [
        type(v).model_validate({**v.model_dump(mode="json"), "title": f"{MARKER} post"})
        for v in vacs
    ]
    cpath, vpath = tmp_path / "candidates.jsonl", tmp_path / "vacancies.jsonl"
    write_jsonl(cpath, marked_c)
    write_jsonl(vpath, marked_v)
    return cpath, vpath


def test_no_log_line_warning_or_error_carries_profile_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cpath, vpath = _marked_cohort(tmp_path)
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        taxonomy = Taxonomy.default()
        cands = load_candidates(cpath, taxonomy=taxonomy)
        vacs = load_vacancies(vpath, taxonomy=taxonomy)
        matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
        matcher.rank(cands, vacs, top_k=3)
        matcher.rank(cands, vacs, top_k=3, by="vacancy")
        result = matcher.assign(cands, vacs, log=tmp_path / "decisions.jsonl")
        for c in list(cands)[:5]:
            result.explain(c.id)
        matcher.resolve(f"{MARKER} " * 200)  # over-long text: truncated with a warning
        bad = tmp_path / "bad.jsonl"
        record = json.loads(cpath.read_text(encoding="utf-8").splitlines()[0])
        record["skills"][0]["years"] = -1
        bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
        try:
            load_candidates(bad)
        except LabourintMatchError as exc:
            seen.append(str(exc))
        else:  # pragma: no cover - the record is invalid
            pytest.fail("a negative number of years must be refused")
    seen += [str(w.message) for w in caught]
    seen += [r.getMessage() for r in caplog.records]
    seen.append((tmp_path / "decisions.jsonl").read_text(encoding="utf-8"))
    assert seen
    assert not [s for s in seen if MARKER in s]


def _cli(command: str, cpath: Path, vpath: Path, threads: str, out: Path, *extra: str) -> bytes:
    env = {
        **os.environ,
        "NUMBA_NUM_THREADS": threads,
        "LABOURINT_MATCH_CACHE_DIR": str(out.parent / "cache"),
    }
    args = ["--as-of", "2026-01-01", *extra]
    done = subprocess.run(
        [sys.executable, "-m", "labourint_match.cli", command, str(cpath), str(vpath), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    if out.exists():
        return out.read_bytes()
    return done.stdout.encode("utf-8")


def _shuffled(path: Path, seed: int) -> Path:
    """The records of `path` in another order, beside it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    out = path.with_name("shuffled.jsonl")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _rank_cli(cpath: Path, vpath: Path, threads: str, out: Path) -> bytes:
    return _cli("rank", cpath, vpath, threads, out, "--top-k", "4", "-o", str(out))


def test_outputs_are_byte_identical_across_runs_thread_counts_and_input_order(
    tmp_path: Path,
) -> None:
    cpath, vpath = _marked_cohort(tmp_path)
    shuffled = _shuffled(cpath, 5)
    one = _rank_cli(cpath, vpath, "1", tmp_path / "one.jsonl")
    two = _rank_cli(cpath, vpath, "2", tmp_path / "two.jsonl")
    again = _rank_cli(cpath, vpath, "2", tmp_path / "again.jsonl")
    mixed = _rank_cli(shuffled, vpath, "2", tmp_path / "mixed.jsonl")
    assert one == two == again
    sort = sorted  # after sorting by id, the shuffled input gives the same records
    assert sort(mixed.splitlines()) == sort(one.splitlines())


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_placements_are_byte_identical_across_thread_counts_and_input_order(
    tmp_path: Path, method: str
) -> None:
    """Placement sorts both cohorts by id: the output does not depend on the input's order."""
    cpath, vpath = _marked_cohort(tmp_path)
    shuffled = _shuffled(cpath, 9)
    runs = [
        _cli(
            "assign",
            c,
            vpath,
            threads,
            tmp_path / f"{name}.jsonl",
            "--method",
            method,
            "-o",
            str(tmp_path / f"{name}.jsonl"),
        )
        for name, c, threads in (
            ("one", cpath, "1"),
            ("two", cpath, "2"),
            ("mixed", shuffled, "2"),
        )
    ]
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0].splitlines()) == len(cpath.read_text(encoding="utf-8").splitlines())


def test_explanations_are_byte_identical_across_thread_counts(tmp_path: Path) -> None:
    cpath, vpath = _marked_cohort(tmp_path)
    cid = json.loads(cpath.read_text(encoding="utf-8").splitlines()[4])["id"]
    vid = json.loads(vpath.read_text(encoding="utf-8").splitlines()[2])["id"]
    picked = ("--candidate", cid, "--vacancy", vid, "--json")
    one = _cli("explain", cpath, vpath, "1", tmp_path / "none-1", *picked)
    two = _cli("explain", cpath, vpath, "2", tmp_path / "none-2", *picked)
    assert one == two
    assert json.loads(one)["candidate_id"] == cid


def _reads_audit(path: Path) -> list[str]:
    """Lines of a module that import or name ``AuditAttributes`` or read an ``.audit`` attribute."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "audit":
            found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Name) and node.id == "AuditAttributes":
            found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.alias) and node.name == "AuditAttributes":
            found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Constant) and node.value == "audit":
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_only_analysis_reads_audit_attributes() -> None:
    """No module besides profiles (which defines them) and analysis/_disparity.py names them."""
    import labourint_match

    root = Path(labourint_match.__file__).parent
    # By path in the package (not by bare file name, which would exempt every __init__.py),
    # each with its reason.
    allowed = {
        "profiles/_models.py": "defines AuditAttributes and reads them from JSON",
        "tables/_fields.py": "maps the audit columns a caller names in a spreadsheet to the model",
        "profiles/_arrow.py": "checks a columnar cohort's audit column by the model's rules (as "
        "_models.py does for JSON); the columns it hands on for scoring leave it out",
        "analysis/_disparity.py": "disparity, the fairness report",
        "synth/_config.py": "the audit knob of SynthConfig",
        "synth/_candidates.py": "draws synthetic audit attributes",
        "__init__.py": "exports the name",
        "profiles/__init__.py": "re-exports the name from the module that defines it",
    }
    assert all((root / name).is_file() for name in allowed), "an exemption names no module"
    offenders = [
        hit
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root).as_posix() not in allowed
        for hit in _reads_audit(path)
    ]
    assert offenders == []


def test_scoring_and_placement_never_touch_audit_at_run_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With reading ``candidate.audit`` made to fail, the whole matching pipeline still runs."""
    from labourint_match import CandidateProfile

    taxonomy = Taxonomy.default()
    cands, vacs = cohort(taxonomy, 40, 8, seed=4)
    matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))

    def forbidden(self: object) -> None:
        raise AssertionError("scoring code read AuditAttributes")

    monkeypatch.setattr(CandidateProfile, "audit", property(forbidden), raising=False)
    with pytest.raises(AssertionError, match="read AuditAttributes"):
        _ = cands[0].audit  # the trap is armed
    matcher.rank(cands, vacs, top_k=3)
    matcher.rank(cands, vacs, top_k=3, by="vacancy")
    plan = matcher.assign(cands, vacs)
    plan.explain(cands[0].id)
    matcher.explain(cands[1], vacs[0])
    matcher.scores(cands, vacs)
