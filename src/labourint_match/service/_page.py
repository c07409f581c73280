"""The adviser page: look up a person or a vacancy, read the matches, fix or forbid a pair, plan.

Server-rendered HTML under ``/adviser``, with no script at all (the Content-Security-Policy allows
none), so it works without JavaScript. Routes:

- ``GET /adviser/login``, ``POST /adviser/login``, ``POST /adviser/logout``: the API key is typed
  into a password field once; the browser then holds a random session token in an ``HttpOnly``,
  ``SameSite=Strict`` cookie (the store keeps its hash and an expiry; the cookie never holds the
  key). Without keys (``insecure_local``) there is no login and the adviser is ``"local"``.
- ``GET /adviser``: the search forms and the decisions (overrides) in force.
- ``GET /adviser/candidates/{id}``: the person's ten best vacancies in the loaded cohort, each with
  its score, pathway, gaps, training needs and full explanation, and a form to fix or forbid the
  pair with a reason; the person's place in the latest plan.
- ``GET /adviser/vacancies/{id}``: the vacancy's ten best candidates, the same way.
- ``POST /adviser/overrides``, ``POST /adviser/overrides/{n}/withdraw``: record or withdraw a
  decision (each written to the decision log as it happens, with its reason, its adviser and who
  recorded or withdrew it; the line and the stored decision exist together or not at all), then
  redirect back (redirect-after-POST). A fix is refused when the pair is not eligible or the
  vacancy's openings are all taken by fixed pairs.
- ``POST /adviser/plan``: plan the cohort with the decisions in force (written to the decision
  log with their reasons and advisers) and keep the plan in the store, both in one piece of work
  (a request past its time limit never starts it); ``GET /adviser/plan`` shows it.

Every POST form carries the session's CSRF token. A session lasts while its adviser holds a key:
sessions of advisers whose key was revoked are ended at startup and refused after. The page shows
ids, taxonomy labels and the explanations, nothing else from a profile; what users typed or
chose (ids, reasons, labels) is isolated in ``<bdi>`` so bidirectional control characters cannot
reorder the text around it.
"""

from __future__ import annotations

import hmac
import re
import secrets
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup, escape
from pydantic import ValidationError

from ..assignment._log import logging_override
from ..assignment.overrides import Override
from ..errors import AssignmentError, ConfigError
from ..profiles import MAX_TEXT_LENGTH
from ..scoring._messages import CATALOGUE, frames_language
from ._page_templates import CSS, TEMPLATES
from ._page_text import TEXT, direction, language_names, pick_language
from ._state import TooLate, run_limited
from ._store import OverrideConflictError, OverrideRecord, Store, VacancyFullError

if TYPE_CHECKING:
    from ..profiles import CandidateProfile, Vacancy
    from ..scoring.explain import Explanation
    from ._state import ServiceState
    from ._store import StoredPlan

__all__ = ["CSP", "SESSION_COOKIE", "SESSION_TTL", "add_page"]

T = TypeVar("T")

SESSION_COOKIE = "lm_session"
"""The cookie holding the page session's random token."""
SESSION_TTL = timedelta(hours=8)
"""How long a page session lasts after login."""
_LOGIN_COOKIE = "lm_login"
_LANG_COOKIE = "lm_lang"
_TOP = 10
_MAX_FORM_BYTES = 64 * 1024
_FORM_TYPE = "application/x-www-form-urlencoded"

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
"""The page's Content-Security-Policy: its own style sheet, no scripts, forms to itself only."""

_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_NOTICES = frozenset({"recorded", "withdrawn", "planned"})


@dataclass(frozen=True)
class _Who:
    """The adviser behind a request, the CSRF token their forms carry, and whether to log out."""

    adviser: str
    csrf: str
    can_logout: bool


@dataclass(frozen=True)
class _MatchView:
    """What the page shows of one ranked pair."""

    rank: int
    candidate_id: str
    vacancy_id: str
    vacancy_name: str
    score: float
    eligible: bool
    pathway_kind: str
    pathway_text: str
    gaps: tuple[str, ...]
    training: tuple[str, ...]
    explanation_html: Markup


class _PageError(Exception):
    """A request the page answers with a message page (status, heading key, message).

    `message` is escaped when shown, unless it is :class:`~markupsafe.Markup` (see :func:`_say`).
    """

    def __init__(self, status: int, heading: str, message: str, back: str = "/adviser") -> None:
        super().__init__(message)
        self.status = status
        self.heading = heading
        self.message = message
        self.back = back


def _say(words: Mapping[str, str], key: str, **values: object) -> Markup:
    """`words[key]` with `values` put in, escaped, each text value isolated in ``<bdi>``.

    The values are ids, reasons, labels and messages that may hold bidirectional control
    characters (U+202E …): ``<bdi>`` keeps them from reordering the sentence around them.
    """
    text = escape(words.get(key, key))
    if not values:
        return text
    isolated = {k: Markup("<bdi>{}</bdi>").format(v) if isinstance(v, str) else v
                for k, v in values.items()}  # fmt: skip
    return text.format(**isolated)


_HEADING = re.compile(r"<(/?)h([1-5])>")


def _explanation_html(e: Explanation, level: int) -> Markup:
    """The explanation's HTML with its top heading at `level` (its ``<h3>`` becomes ``<hN>``).

    The library's fragment starts its headings at ``<h3>`` and escapes every text, so a heading
    tag in it is always markup; the page shifts them to sit under the card's own heading.
    """
    shift = level - 3

    def moved(m: re.Match[str]) -> str:
        return f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>"

    return Markup(_HEADING.sub(moved, e.to_html()))  # escaped by the library


def _ineligible_words(e: Explanation, lang: str) -> str:
    """Why a pair is not eligible, in the language's words (the explanation's own frames)."""
    frames = CATALOGUE[frames_language(lang)]
    sep = frames.get("clause_sep", "; ")
    return sep.join(frames.get(f"reason_{r}", r.replace("_", " ")) for r in e.reasons)


def _gap_text(label: str, importance: str, shortfall: str) -> str:
    return f"{label} ({importance}): {shortfall}" if shortfall else f"{label} ({importance})"


def _view(rank: int, e: Explanation, vacancy_id: str, words: Mapping[str, str]) -> _MatchView:
    pathway = e.pathway
    text = str(pathway)
    return _MatchView(
        rank=rank,
        candidate_id=e.candidate_id,
        vacancy_id=vacancy_id,
        vacancy_name=f"{vacancy_id} — {e.vacancy_label}" if e.vacancy_label else vacancy_id,
        score=float(e.score),
        eligible=bool(e.eligible),
        pathway_kind=str(pathway.kind),
        pathway_text=text,
        gaps=tuple(
            _gap_text(g.label, words.get(f"importance_{g.importance}", g.importance), g.shortfall)
            for g in e.gaps
        ),
        training=tuple(g.label for g in pathway.training_needs),
        explanation_html=_explanation_html(e, level=4),  # the card's heading is an h3
    )


def _dot_segments_removed(path: str) -> str:
    """`path` with its ``.`` and ``..`` segments resolved as a browser resolves them.

    A browser counts ``%2e`` as a dot in such a segment (the URL Standard), so it is here too.
    """
    out: list[str] = []
    parts = path.split("/")
    for i, part in enumerate(parts):
        dots = part.lower().replace("%2e", ".")
        last = i == len(parts) - 1
        if dots == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        elif dots == ".":
            if last:
                out.append("")
        else:
            out.append(part)
    return "/".join(out)


def _local_back(value: str | None, default: str) -> str:
    """A redirect target: a path under /adviser on this site, never another site.

    The path is normalised (dot segments resolved) and must then be ``/adviser`` or lie under
    ``/adviser/``; its query and fragment are dropped.
    """
    if (
        not value
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(c) < 32 or ord(c) == 127 for c in value)
    ):
        return default
    path = _dot_segments_removed(urllib.parse.urlsplit(value).path)
    if path != "/adviser" and not path.startswith("/adviser/"):
        return default
    return path


def _bundled(asked: str | None) -> str | None:
    """The page language `asked` names (``no`` and ``nn`` are ``nb``, as in Accept-Language)."""
    if not asked:
        return None
    base = asked.strip().lower().replace("_", "-").split("-")[0]
    base = "nb" if base in ("no", "nn") else base
    return base if base in TEXT else None


def _asked_language(request: Request) -> str | None:
    """The language a request asks for: ``?lang=``, else the cookie set by an earlier one."""
    return _bundled(request.query_params.get("lang")) or _bundled(request.cookies.get(_LANG_COOKIE))


def _with_notice(path: str, notice: str) -> str:
    parts = urllib.parse.urlsplit(path)
    query = urllib.parse.urlencode({"done": notice})
    return urllib.parse.urlunsplit(("", "", parts.path, query, ""))


def _person_url(candidate_id: str) -> str:
    return "/adviser/candidates/" + urllib.parse.quote(candidate_id, safe="")


def _vacancy_url(vacancy_id: str) -> str:
    return "/adviser/vacancies/" + urllib.parse.quote(vacancy_id, safe="")


async def _form(request: Request) -> dict[str, str]:
    """A URL-encoded form's fields (first value of each), read within a size limit."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != _FORM_TYPE:
        raise _PageError(415, "error_heading", "the form must be sent as " + _FORM_TYPE)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_FORM_BYTES:
            raise _PageError(413, "error_heading", "the form is too large")
    try:
        pairs = urllib.parse.parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=50
        )
    except (UnicodeDecodeError, ValueError):
        raise _PageError(400, "error_heading", "the form could not be read") from None
    out: dict[str, str] = {}
    for name, value in pairs:
        out.setdefault(name, value)
    return out


class _Page:
    """The page's shared parts: the state, the store, the templates and the local CSRF token."""

    def __init__(self, state: ServiceState, store: Store) -> None:
        self.state = state
        self.store = store
        self.env = Environment(
            loader=DictLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )  # fmt: skip
        # Without keys there is no session: the forms carry this process's token instead.
        self.local_csrf = secrets.token_urlsafe(32)

    # -- language, rendering ------------------------------------------------------------------

    def lang(self, request: Request) -> str:
        asked = _asked_language(request)
        return pick_language(asked, request.headers.get("accept-language"), self.state.config.lang)

    @staticmethod
    def here(request: Request) -> str:
        """The page's path for the language links, built from the route (ids quoted).

        A POST has no page of its own to switch: its message links to the search page.
        """
        if request.method != "GET":
            return "/adviser"
        params = request.path_params
        if "candidate_id" in params:
            return _person_url(str(params["candidate_id"]))
        if "vacancy_id" in params:
            return _vacancy_url(str(params["vacancy_id"]))
        route = request.scope.get("route")
        path = getattr(route, "path", None)
        return path if isinstance(path, str) and path.startswith("/adviser") else "/adviser"

    def render(
        self,
        request: Request,
        template: str,
        *,
        title: str,
        who: _Who | None,
        status: int = 200,
        section: str = "",
        **context: Any,
    ) -> HTMLResponse:
        lang = self.lang(request)
        words = TEXT[lang]

        def t(key: str, **values: object) -> Markup:
            return _say(words, key, **values)

        notice = request.query_params.get("done")
        values: dict[str, Any] = {
            "lang": lang, "dir": direction(lang), "t": t, "title": title,
            "languages": language_names(), "here": self.here(request),
            "reason_max": MAX_TEXT_LENGTH,
            "adviser": who.adviser if who else None, "csrf": who.csrf if who else "",
            "can_logout": bool(who and who.can_logout), "section": section,
            "notice": notice if notice in _NOTICES else None,
            "person_url": _person_url, "vacancy_url": _vacancy_url,
        }  # fmt: skip
        values.update(context)  # the login form's own token replaces the session's
        page = self.env.get_template(template).render(**values)
        response = HTMLResponse(page, status_code=status, headers=dict(_HEADERS))
        asked = _bundled(request.query_params.get("lang"))
        if asked is not None:
            response.set_cookie(_LANG_COOKIE, asked, path="/adviser", samesite="lax",
                                httponly=True, max_age=365 * 24 * 3600)  # fmt: skip
        return response

    def message(self, request: Request, err: _PageError, who: _Who | None) -> HTMLResponse:
        words = TEXT[self.lang(request)]
        heading = words.get(err.heading, err.heading)
        return self.render(request, "message.html", title=heading, who=who, status=err.status,
                           heading=heading, message=err.message, back=err.back)  # fmt: skip

    def words(self, request: Request) -> Mapping[str, str]:
        return TEXT[self.lang(request)]

    # -- who is asking ------------------------------------------------------------------------

    def who(self, request: Request) -> _Who | None:
        """The adviser of this request's session; in ``insecure_local`` mode, ``"local"``."""
        if self.state.keys is None:
            return _Who("local", self.local_csrf, False)
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        session = self.store.session(token)
        if session is None or session.adviser not in self.state.keys.advisers:
            return None  # unknown, expired, or its adviser's key was revoked
        return _Who(session.adviser, session.csrf, True)

    def check_csrf(self, form: Mapping[str, str], who: _Who, request: Request) -> None:
        given = form.get("csrf", "")
        if not given or not hmac.compare_digest(given.encode(), who.csrf.encode()):
            raise _PageError(403, "error_heading", _say(self.words(request), "csrf_failed"))

    # -- the cohort ---------------------------------------------------------------------------

    def cohort(self) -> tuple[dict[str, CandidateProfile], dict[str, Vacancy]]:
        loaded = self.state.cohort
        if loaded is None:
            return {}, {}
        return loaded.candidates, loaded.vacancies

    async def compute(self, request: Request, fn: Callable[[], T], back: str = "/adviser") -> T:
        """`fn()` under the compute lock within the request's time limit (:func:`run_limited`).

        Raises
        ------
        _PageError
            503: the limit passed (waiting for the lock counts; past it, `fn` never starts).
        """
        try:
            return await run_limited(self.state, fn)
        except TooLate:
            limit = f"{self.state.config.limits.time_limit_s:g}"
            message = _say(self.words(request), "too_slow", limit=limit)
            raise _PageError(503, "error_heading", message, back) from None

    async def io(self, fn: Callable[[], T]) -> T:
        """`fn()` (a store operation) in a worker thread."""
        return await anyio.to_thread.run_sync(fn)


def _explain_all(
    state: ServiceState, pairs: list[tuple[int, CandidateProfile, Vacancy]], lang: str
) -> list[_MatchView]:
    out = []
    for rank, cand, vac in pairs:
        e = state.matcher.explain(cand, vac, lang=lang)
        out.append(_view(rank, e, vac.id, TEXT[lang]))
    return out


def add_page(app: FastAPI, state: ServiceState, store: Store) -> None:
    """Add the adviser page's routes (``/adviser…``) to `app`.

    Parameters
    ----------
    app
        The service's application.
    state
        The shared state: matcher, cohort, keys, configuration.
    store
        The database that keeps overrides, plans and sessions.
    """
    page = _Page(state, store)
    if state.keys is not None:
        # A session outlives a restart, not its adviser's key: end those of revoked keys.
        store.close_sessions_except(state.keys.advisers)
    router = APIRouter(prefix="/adviser", include_in_schema=False)

    def login_redirect() -> RedirectResponse:
        return RedirectResponse("/adviser/login", status_code=303, headers=dict(_HEADERS))

    async def guarded(request: Request, handler: Callable[[_Who], Any]) -> Response:
        who = await page.io(lambda: page.who(request))
        try:
            if who is None:
                return login_redirect()
            result: Response = await handler(who)
            return result
        except _PageError as err:
            return page.message(request, err, who)

    # -- static, login --------------------------------------------------------------------------

    @router.get("/page.css")
    async def css() -> Response:
        return Response(CSS, media_type="text/css", headers={
            "Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})  # fmt: skip

    @router.get("/login")
    async def login_form(request: Request) -> Response:
        if state.keys is None:
            return RedirectResponse("/adviser", status_code=303, headers=dict(_HEADERS))
        token = secrets.token_urlsafe(32)
        words = page.words(request)
        response = page.render(request, "login.html", title=words["login_heading"], who=None,
                               csrf=token, failed=False)  # fmt: skip
        response.set_cookie(_LOGIN_COOKIE, token, path="/adviser", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")  # fmt: skip
        return response

    @router.post("/login")
    async def login(request: Request) -> Response:
        words = page.words(request)
        try:
            form = await _form(request)
        except _PageError as bad:
            return page.message(request, bad, None)
        if state.keys is None:
            return RedirectResponse("/adviser", status_code=303, headers=dict(_HEADERS))
        expected = request.cookies.get(_LOGIN_COOKIE, "")
        given = form.get("csrf", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            err = _PageError(403, "error_heading", _say(words, "csrf_failed"),
                             back="/adviser/login")  # fmt: skip
            return page.message(request, err, None)
        adviser = state.keys.check(form.get("key", ""))
        if adviser is None:
            token = secrets.token_urlsafe(32)
            again = page.render(request, "login.html", title=words["login_heading"],
                                who=None, status=401, csrf=token, failed=True)  # fmt: skip
            again.set_cookie(_LOGIN_COOKIE, token, path="/adviser", httponly=True,
                             samesite="strict", secure=request.url.scheme == "https")  # fmt: skip
            return again
        session = await page.io(lambda: store.open_session(adviser, ttl=SESSION_TTL))
        response = RedirectResponse("/adviser", status_code=303, headers=dict(_HEADERS))
        response.set_cookie(SESSION_COOKIE, session.token or "", path="/adviser", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https",
                            max_age=int(SESSION_TTL.total_seconds()))  # fmt: skip
        response.delete_cookie(_LOGIN_COOKIE, path="/adviser")
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        async def handler(who: _Who) -> Response:
            form = await _form(request)
            page.check_csrf(form, who, request)
            token = request.cookies.get(SESSION_COOKIE, "")
            await page.io(lambda: store.close_session(token))
            response = login_redirect()
            response.delete_cookie(SESSION_COOKIE, path="/adviser")
            return response

        return await guarded(request, handler)

    # -- looking up ---------------------------------------------------------------------------

    @router.get("")
    async def home(request: Request) -> Response:
        async def handler(who: _Who) -> Response:
            cands, vacs = page.cohort()
            overrides = await page.io(store.active_overrides)
            size = (len(cands), len(vacs)) if state.cohort is not None else None
            return page.render(request, "home.html", title=page.words(request)["search"],
                               who=who, section="search", cohort_size=size,
                               overrides=overrides)  # fmt: skip

        return await guarded(request, handler)

    @router.get("/find")
    async def find(request: Request) -> Response:
        async def handler(who: _Who) -> Response:
            cand = request.query_params.get("candidate", "").strip()
            vac = request.query_params.get("vacancy", "").strip()
            if cand:
                return RedirectResponse(_person_url(cand), 303, headers=dict(_HEADERS))
            if vac:
                return RedirectResponse(_vacancy_url(vac), 303, headers=dict(_HEADERS))
            return RedirectResponse("/adviser", 303, headers=dict(_HEADERS))

        return await guarded(request, handler)

    def not_found(request: Request, key: str, ident: str) -> _PageError:
        return _PageError(404, "not_found", _say(page.words(request), key, id=ident))

    @router.get("/candidates/{candidate_id:path}")
    async def person(request: Request, candidate_id: str) -> Response:
        async def handler(who: _Who) -> Response:
            cands, vacs = page.cohort()
            cand = cands.get(candidate_id)
            if cand is None:
                raise not_found(request, "not_found_person", candidate_id)
            lang = page.lang(request)

            def work() -> list[_MatchView]:
                if not vacs:
                    return []
                jobs = list(vacs.values())
                ranking = state.matcher.rank([cand], jobs, top_k=_TOP)
                pairs = [(m.rank, cand, vacs[m.vacancy_id])
                         for m in ranking.for_candidate(cand.id)]  # fmt: skip
                return _explain_all(state, pairs, lang)

            matches = await page.compute(request, work)
            placement = await page.io(lambda: store.latest_placement(candidate_id))
            overrides = await page.io(lambda: store.active_overrides(candidate_id))
            words = page.words(request)
            return page.render(
                request, "person.html", title=words["person_heading"].format(id=candidate_id),
                who=who, candidate_id=candidate_id, matches=matches, placement=placement,
                overrides=overrides, back=_person_url(candidate_id),
            )  # fmt: skip

        return await guarded(request, handler)

    @router.get("/vacancies/{vacancy_id:path}")
    async def vacancy(request: Request, vacancy_id: str) -> Response:
        async def handler(who: _Who) -> Response:
            cands, vacs = page.cohort()
            vac = vacs.get(vacancy_id)
            if vac is None:
                raise not_found(request, "not_found_vacancy", vacancy_id)
            lang = page.lang(request)

            def work() -> list[_MatchView]:
                if not cands:
                    return []
                people = list(cands.values())
                ranking = state.matcher.rank(people, [vac], top_k=_TOP, by="vacancy")
                pairs = [(m.rank, cands[m.candidate_id], vac)
                         for m in ranking.for_vacancy(vac.id)]  # fmt: skip
                return _explain_all(state, pairs, lang)

            matches = await page.compute(request, work)
            every = await page.io(store.active_overrides)
            overrides = [o for o in every if o.vacancy_id == vacancy_id]
            label = matches[0].vacancy_name.partition(" — ")[2] if matches else ""
            words = page.words(request)
            return page.render(
                request, "vacancy.html", title=words["vacancy_heading"].format(id=vacancy_id),
                who=who, vacancy_id=vacancy_id, vacancy_label=label, matches=matches,
                overrides=overrides, back=_vacancy_url(vacancy_id),
            )  # fmt: skip

        return await guarded(request, handler)

    # -- deciding -----------------------------------------------------------------------------

    @router.post("/overrides")
    async def add_override(request: Request) -> Response:
        async def handler(who: _Who) -> Response:
            form = await _form(request)
            page.check_csrf(form, who, request)
            words = page.words(request)
            back = _local_back(form.get("back"), "/adviser")
            cands, vacs = page.cohort()
            cand_id, vac_id = form.get("candidate_id", ""), form.get("vacancy_id", "")
            action = form.get("action", "")
            # A browser sends a textarea's line breaks as CRLF: one break each, as typed.
            reason = form.get("reason", "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if action not in ("fix", "forbid"):
                raise _PageError(400, "error_heading", _say(words, "bad_form", what="action"),
                                 back)  # fmt: skip
            cand, vac = cands.get(cand_id), vacs.get(vac_id)
            if cand is None:
                raise not_found(request, "not_found_person", cand_id)
            if vac is None:
                raise not_found(request, "not_found_vacancy", vac_id)
            if len(reason) > MAX_TEXT_LENGTH:
                raise _PageError(400, "error_heading", _say(words, "reason_too_long",
                                 most=MAX_TEXT_LENGTH, given=len(reason)), back)  # fmt: skip
            try:
                checked = _override(cand_id, vac_id, reason, who.adviser)
            except (ValidationError, ConfigError):
                raise _PageError(400, "error_heading", _say(words, "bad_form", what="reason"),
                                 back) from None  # fmt: skip
            if action == "fix":
                lang = page.lang(request)
                e = await page.compute(request, lambda: state.matcher.explain(cand, vac, lang=lang),
                                       back)  # fmt: skip
                if not e.eligible:
                    why = _ineligible_words(e, lang)
                    raise _PageError(409, "error_heading",
                                     _say(words, "fix_ineligible", reasons=why), back)  # fmt: skip
            kind: Literal["fix", "forbid"] = "fix" if action == "fix" else "forbid"

            def record() -> None:
                # The log's line and the stored decision together: the line is taken back out
                # if the store refuses the decision.
                with logging_override(state.config.decision_log, checked,
                                      "fixed" if kind == "fix" else "forbidden", "recorded",
                                      by=who.adviser):  # fmt: skip
                    store.add_override(
                        cand_id, vac_id, kind, reason=checked.reason, adviser=who.adviser,
                        openings=int(vac.openings) if kind == "fix" else None, counted=cands,
                    )  # fmt: skip

            try:
                await page.io(record)
            except VacancyFullError as exc:
                full = _say(words, "vacancy_full", vacancy=vac_id, openings=exc.openings)
                raise _PageError(409, "error_heading", full, back) from None
            except OverrideConflictError as exc:
                raise _PageError(409, "error_heading", _say(words, "conflict", detail=str(exc)),
                                 back) from None  # fmt: skip
            except (ConfigError, AssignmentError) as exc:
                raise _PageError(503, "error_heading", _say(words, "not_recorded",
                                 detail=str(exc)), back) from None  # fmt: skip
            return RedirectResponse(_with_notice(back, "recorded"), 303, headers=dict(_HEADERS))

        return await guarded(request, handler)

    @router.post("/overrides/{override_id:int}/withdraw")
    async def withdraw(request: Request, override_id: int) -> Response:
        async def handler(who: _Who) -> Response:
            form = await _form(request)
            page.check_csrf(form, who, request)
            words = page.words(request)
            back = _local_back(form.get("back"), "/adviser")

            def withdraw() -> None:
                o = store.override(override_id)
                if o is None or not o.active:
                    raise _NotInForceError
                decision: Literal["fixed", "forbidden"] = (
                    "fixed" if o.action == "fix" else "forbidden"
                )
                with logging_override(state.config.decision_log, _logged(o), decision,
                                      "withdrawn", by=who.adviser):  # fmt: skip
                    store.withdraw_override(override_id, adviser=who.adviser)

            try:
                await page.io(withdraw)
            except _NotInForceError:
                raise _PageError(409, "error_heading", _say(words, "not_in_force"),
                                 back) from None  # fmt: skip
            except (ConfigError, AssignmentError) as exc:
                # also a withdrawal that raced another: its line was taken back out
                raise _PageError(409, "error_heading", _say(words, "not_recorded",
                                 detail=str(exc)), back) from None  # fmt: skip
            return RedirectResponse(_with_notice(back, "withdrawn"), 303, headers=dict(_HEADERS))

        return await guarded(request, handler)

    # -- planning -------------------------------------------------------------------------------

    def applicable(overrides: list[OverrideRecord]) -> tuple[list[OverrideRecord], int]:
        cands, vacs = page.cohort()
        use = [o for o in overrides if o.candidate_id in cands and o.vacancy_id in vacs]
        return use, len(overrides) - len(use)

    @router.post("/plan")
    async def replan(request: Request) -> Response:
        async def handler(who: _Who) -> Response:
            form = await _form(request)
            page.check_csrf(form, who, request)
            words = page.words(request)
            cands, vacs = page.cohort()
            overrides, _ = applicable(await page.io(store.active_overrides))
            try:
                fixed = [_override(o.candidate_id, o.vacancy_id, o.reason, o.adviser)
                         for o in overrides if o.action == "fix"]  # fmt: skip
                forbidden = [_override(o.candidate_id, o.vacancy_id, o.reason, o.adviser)
                             for o in overrides if o.action == "forbid"]  # fmt: skip
            except ValidationError:  # a decision stored by an older version, with a longer reason
                bad = [o.id for o in overrides if not _valid(o)]
                raise _PageError(409, "error_heading", _say(words, "plan_failed",
                                 detail=f"override(s) {bad} no longer validate: withdraw them and "
                                 "record them again"), "/adviser/plan") from None  # fmt: skip

            def work() -> StoredPlan:
                # The plan, its decision log and its record in the store happen together: a
                # request past its deadline never starts this, and once started it finishes
                # (even if the request has been answered 503 by then).
                assignment = state.matcher.assign(
                    list(cands.values()), list(vacs.values()), "optimal",
                    fixed=fixed, forbidden=forbidden, log=state.config.decision_log,
                )  # fmt: skip
                return store.save_plan(assignment, adviser=who.adviser)

            try:
                await page.compute(request, work, "/adviser/plan")
            except (ConfigError, AssignmentError) as exc:
                raise _PageError(409, "error_heading", _say(words, "plan_failed",
                                 detail=str(exc)), "/adviser/plan") from None  # fmt: skip
            return RedirectResponse("/adviser/plan?done=planned", 303, headers=dict(_HEADERS))

        return await guarded(request, handler)

    @router.get("/plan")
    async def show_plan(request: Request) -> Response:
        async def handler(who: _Who) -> Response:
            plan = await page.io(store.latest_plan)
            overrides = await page.io(store.active_overrides)
            _, not_applied = applicable(overrides)
            return page.render(request, "plan.html", title=page.words(request)["plan_heading"],
                               who=who, section="plan", plan=plan, overrides=overrides,
                               not_applied=not_applied)  # fmt: skip

        return await guarded(request, handler)

    app.include_router(router)


class _NotInForceError(Exception):
    """The override to withdraw does not exist or is already withdrawn."""


def _override(candidate_id: str, vacancy_id: str, reason: str, adviser: str) -> Override:
    """The library's checked override of a pair (its rules for ids and reasons)."""
    return Override(candidate_id=candidate_id, vacancy_id=vacancy_id, reason=reason,
                    adviser=adviser)  # fmt: skip


def _valid(o: OverrideRecord) -> bool:
    try:
        _override(o.candidate_id, o.vacancy_id, o.reason, o.adviser)
    except ValidationError:
        return False
    return True


def _logged(o: OverrideRecord) -> Override:
    """A stored override as the decision log writes it.

    One stored by an older version may not validate (a longer reason): it is still logged when
    withdrawn, its reason cut to the log's limit and kept to one line.
    """
    if _valid(o):
        return _override(o.candidate_id, o.vacancy_id, o.reason, o.adviser)
    text = " ".join(o.reason.split())[:MAX_TEXT_LENGTH] or "-"
    return Override.model_construct(candidate_id=o.candidate_id, vacancy_id=o.vacancy_id,
                                    reason=text, adviser=o.adviser)  # fmt: skip
