"""An :class:`~labourint_match.scoring.explain.Explanation` as an HTML fragment (``to_html``).

``Explanation.to_html`` imports this module when called (it imports ``explain``, not the other
way round, so the two make no import circle).

One ``<section>`` in the explanation's language (``lang``, and ``dir="rtl"`` for Arabic), with
headings, captioned tables and column headers; no document, style, script or event handler, so that
a server-rendered page can embed it. Every text is escaped (``html.escape``), and ids, labels and
other data sit in ``<bdi>`` so that a Latin label keeps its order inside Arabic text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from ._messages import CATALOGUE, RIGHT_TO_LEFT, frames_language
from .config import COMPONENTS
from .explain import (
    Explanation,
    _gap_what,
    _have,
    _mark,
    _mark_words,
    _offered,
    _related,
    _word,
    language_name,
)

__all__ = ["render"]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _bdi(text: str) -> str:
    return f"<bdi>{_esc(text)}</bdi>"


def _frame(words: Mapping[str, str], key: str, **values: str) -> str:
    """The frame `key`, escaped, filled with `values` (already HTML)."""
    return _esc(words[key]).format(**values)


def _table(caption: str, headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table with a caption, column headers and `rows` of cells (already HTML).

    The first cell of each row names what the row is about (``<th scope="row">``).
    """
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join(
        f'<tr><th scope="row">{first}</th>' + "".join(f"<td>{c}</td>" for c in rest) + "</tr>"
        for first, *rest in rows
    )
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def render(e: Explanation) -> str:
    """`e` as an HTML fragment (see :meth:`Explanation.to_html`)."""
    lang = frames_language(e.lang)
    words = CATALOGUE[lang]
    none = "—"
    out = [
        f'<section class="labourint-explanation" lang="{lang}" '
        f'dir="{"rtl" if lang in RIGHT_TO_LEFT else "ltr"}">'
    ]
    heading = _frame(
        words, "html_heading", candidate=_bdi(e.candidate_id), vacancy=_bdi(e.vacancy_id)
    )
    if e.vacancy_label:
        heading += " " + _frame(words, "quoted", text=_bdi(e.vacancy_label))
    out.append(f"<h3>{heading}</h3>")
    out.append(
        f"<dl><dt>{_esc(words['html_score'])}</dt>"
        f"<dd>{_frame(words, 'html_score_value', score=f'{e.score:.2f}')}</dd>"
        f"<dt>{_esc(words['html_pathway'])}</dt><dd>{_esc(e.pathway._headline())}</dd>"
    )
    if e.pathway.steps:
        out.append(
            f"<dt>{_esc(words['html_steps'])}</dt>"
            f"<dd>{_list(_esc(step) for step in e.pathway.steps)}</dd>"
        )
    out.append("</dl>")
    if not e.eligible:
        out.append(f"<h4>{_esc(words['html_reasons'])}</h4>")
        out.append(_list(_esc(_word(words, "reason", r)) for r in e.reasons))
    out.append(
        _table(
            _frame(words, "why_score", gate=f"{e.gate:.2f}"),
            (_esc(words[k]) for k in (
                "html_component", "html_score_col", "html_weight", "html_contribution",
                "html_note",
            )),
            (
                (
                    _esc(words[f"component_{n}"]),
                    f"{e.component_scores[n]:.2f}",
                    f"{e.weights[n]:.2f}" + ("" if n == "skill" else f" × {e.gate:.2f}"),
                    f"{e.components[n]:.3f}",
                    _esc(e.component_notes.get(n, "")),
                )
                for n in COMPONENTS
            ),
        )
    )  # fmt: skip
    if e.requirements:
        rows = []
        for r in e.requirements:
            if r.met_by is None:
                how = words["how_missing"]
            elif r.relation == "exact":
                how = words["relation_exact"]
            else:
                how = _related(words, r)
            evidence = _word(words, "evidence", r.evidence) if r.evidence and r.met_by else none
            check = (
                _esc(words["html_check_text"].format(confidence=f"{r.confidence:.2f}"))
                if r.check
                else ""
            )
            rows.append((
                _bdi(r.label), _esc(_word(words, "importance", r.importance)),
                f'<span aria-hidden="true">{_mark(r)}</span> {_esc(_mark_words(words, r))}',
                _esc(how), _esc(evidence), f"{r.credit:.2f}", check,
            ))  # fmt: skip
        out.append(
            _table(
                _esc(words["skills_heading"]),
                (_esc(words[k]) for k in (
                    "html_skill", "html_importance", "html_met", "html_how", "html_evidence",
                    "html_credit", "html_check",
                )),
                rows,
            )
        )  # fmt: skip
    if e.languages:
        out.append(
            _table(
                _esc(words["languages_heading"]),
                (_esc(words[k]) for k in (
                    "html_language", "html_activity", "html_needs", "html_has", "html_training",
                )),
                (
                    (
                        _esc(language_name(x.language, lang)),
                        _esc(words[f"activity_{x.activity}"]),
                        _esc(x.need),
                        _esc(_have(words, x)),
                        _esc(words["html_offered"] if _offered(x) else none),
                    )
                    for x in e.languages
                ),
            )
        )  # fmt: skip
    if e.gaps:
        gap_rows = []
        for g in e.gaps:
            bridges = e._bridges(g)
            gap_rows.append((
                _bdi(g.label), _esc(_gap_what(words, g)), _esc(g.shortfall),
                _esc(words["list_sep"].join(bridges)) if bridges else none,
            ))  # fmt: skip
        out.append(
            _table(
                _esc(words["gaps_heading"]),
                (_esc(words[k]) for k in (
                    "html_gap", "html_importance", "html_shortfall", "html_bridged",
                )),
                gap_rows,
            )
        )  # fmt: skip
    if e.notes:
        out.append(f"<h4>{_esc(words['html_notes'])}</h4>")
        out.append(_list(_esc(note) for note in e.notes))
    out.append(f"<h4>{_esc(words['html_next_step'])}</h4><p>{_esc(str(e.pathway))}</p>")
    out.append("</section>")
    return "".join(out)
