"""The adviser page's templates (Jinja2, every value escaped) and its style sheet.

No template holds a script; every form control has a label; tables have headers with ``scope``;
meaning is never carried by colour alone (fixed pairs and eligibility are said in words). What
users typed or chose — ids, reasons, advisers, labels — is shown inside ``<bdi>`` (the page's
``t()`` isolates the values it puts in a sentence the same way), so a bidirectional control
character in it cannot reorder the text around it. The match card's heading is an ``<h3>``; the
explanation inside it starts at ``<h4>``.
"""

# HTML lines are kept whole (an element and its attributes read best on one line).
# ruff: noqa: E501

from __future__ import annotations

from typing import Final

__all__ = ["CSS", "TEMPLATES"]

_BASE = """<!doctype html>
<html lang="{{ lang }}" dir="{{ dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — {{ t('app') }}</title>
<link rel="stylesheet" href="/adviser/page.css">
</head>
<body>
<a class="skip" href="#main">{{ t('skip') }}</a>
<header>
<p class="app">{{ t('app') }}{% if adviser %} · <span class="who">{{ t('by') }}: <bdi>{{ adviser }}</bdi></span>{% endif %}</p>
{% if adviser %}
<nav aria-label="{{ t('nav_main') }}">
<ul class="links">
<li><a href="/adviser"{% if section == 'search' %} aria-current="page"{% endif %}>{{ t('search') }}</a></li>
<li><a href="/adviser/plan"{% if section == 'plan' %} aria-current="page"{% endif %}>{{ t('plan') }}</a></li>
{% if can_logout %}<li><form method="post" action="/adviser/logout" class="inline">
<input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">{{ t('logout') }}</button></form></li>{% endif %}
</ul>
</nav>
{% endif %}
<nav aria-label="{{ t('nav_lang') }}">
<ul class="links langs">
{% for code, name in languages %}<li><a href="{{ here }}?lang={{ code }}" lang="{{ code }}" hreflang="{{ code }}"{% if code == lang %} aria-current="true"{% endif %}>{{ name }}</a></li>
{% endfor %}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
{% if notice %}<p class="notice" role="status">{{ t(notice) }}</p>{% endif %}
{% block main %}{% endblock %}
</main>
</body>
</html>
"""

_MACROS = """
{% macro overrides_table(items, csrf, back) %}
{% if items %}
<table class="overrides">
<caption>{{ t('overrides_heading') }}</caption>
<thead><tr>
<th scope="col">{{ t('person') }}</th><th scope="col">{{ t('vacancy') }}</th>
<th scope="col">{{ t('action') }}</th><th scope="col">{{ t('reason') }}</th>
<th scope="col">{{ t('by') }}</th><th scope="col">{{ t('when') }}</th>
<th scope="col"><span class="visually-hidden">{{ t('withdraw') }}</span></th>
</tr></thead>
<tbody>
{% for o in items %}<tr class="override" data-override="{{ o.id }}">
<th scope="row"><a href="{{ person_url(o.candidate_id) }}"><bdi>{{ o.candidate_id }}</bdi></a></th>
<td><a href="{{ vacancy_url(o.vacancy_id) }}"><bdi>{{ o.vacancy_id }}</bdi></a></td>
<td class="action">{{ t('action_' + o.action) }}</td>
<td class="reason"><bdi>{{ o.reason }}</bdi></td>
<td><bdi>{{ o.adviser }}</bdi></td>
<td><time datetime="{{ o.created_at.isoformat() }}">{{ o.created_at.strftime('%Y-%m-%d %H:%M') }} UTC</time></td>
<td><form method="post" action="/adviser/overrides/{{ o.id }}/withdraw" class="inline">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="hidden" name="back" value="{{ back }}">
<button type="submit" aria-label="{{ t('withdraw') }}: {{ o.candidate_id }} · {{ o.vacancy_id }}">{{ t('withdraw') }}</button>
</form></td>
</tr>
{% endfor %}</tbody>
</table>
{% else %}
<p>{{ t('no_overrides') }}</p>
{% endif %}
{% endmacro %}

{% macro match_card(m, csrf, back, by_vacancy) %}
<article class="match" id="match-{{ m.rank }}" aria-labelledby="match-{{ m.rank }}-h"
 data-candidate="{{ m.candidate_id }}" data-vacancy="{{ m.vacancy_id }}">
<h3 id="match-{{ m.rank }}-h">{% if by_vacancy %}{{ t('match_heading_person', rank=m.rank, person=m.candidate_id) }}{% else %}{{ t('match_heading', rank=m.rank, vacancy=m.vacancy_name) }}{% endif %}</h3>
<dl>
<dt>{{ t('score') }}</dt><dd class="score">{{ '%.2f' % m.score }}</dd>
<dt>{{ t('eligible') }}</dt><dd class="eligible">{{ t('yes') if m.eligible else t('no') }}</dd>
<dt>{{ t('pathway') }}</dt><dd class="pathway">{% if m.pathway_text %}{{ m.pathway_text }}{% else %}{{ t('pathway_' + m.pathway_kind) }}{% endif %}</dd>
<dt>{{ t('gaps') }}</dt><dd class="gaps">{% if m.gaps %}<ul>{% for g in m.gaps %}<li><bdi>{{ g }}</bdi></li>{% endfor %}</ul>{% else %}{{ t('none') }}{% endif %}</dd>
<dt>{{ t('training_needs') }}</dt><dd class="training">{% if m.training %}<ul>{% for g in m.training %}<li><bdi>{{ g }}</bdi></li>{% endfor %}</ul>{% else %}{{ t('none') }}{% endif %}</dd>
</dl>
<details class="explanation"><summary>{{ t('full_explanation') }}</summary>
{{ m.explanation_html }}
</details>
<form method="post" action="/adviser/overrides" class="override-form">
<fieldset>
<legend>{{ t('override_legend') }}</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="hidden" name="candidate_id" value="{{ m.candidate_id }}">
<input type="hidden" name="vacancy_id" value="{{ m.vacancy_id }}">
<input type="hidden" name="back" value="{{ back }}">
<fieldset class="choice">
<legend>{{ t('action') }}</legend>
<input type="radio" id="fix-{{ m.rank }}" name="action" value="fix">
<label for="fix-{{ m.rank }}">{{ t('fix') }}</label>
<input type="radio" id="forbid-{{ m.rank }}" name="action" value="forbid" checked>
<label for="forbid-{{ m.rank }}">{{ t('forbid') }}</label>
</fieldset>
<label for="reason-{{ m.rank }}">{{ t('reason') }}</label>
<textarea id="reason-{{ m.rank }}" name="reason" rows="2" maxlength="{{ reason_max }}" required></textarea>
<button type="submit">{{ t('record') }}</button>
</fieldset>
</form>
</article>
{% endmacro %}
"""

_LOGIN = """{% extends "base.html" %}{% block main %}
<h1>{{ t('login_heading') }}</h1>
{% if failed %}<p class="problem" role="alert">{{ t('login_failed') }}</p>{% endif %}
<p>{{ t('login_intro') }}</p>
<form method="post" action="/adviser/login">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label for="key">{{ t('api_key') }}</label>
<input type="password" id="key" name="key" autocomplete="current-password" required>
<button type="submit">{{ t('login_button') }}</button>
</form>
{% endblock %}
"""

_HOME = """{% extends "base.html" %}{% import "macros.html" as ui with context %}{% block main %}
<h1>{{ t('search_heading') }}</h1>
{% if cohort_size %}
<p>{{ t('cohort_size', candidates=cohort_size[0], vacancies=cohort_size[1]) }}</p>
<form method="get" action="/adviser/find" class="search">
<label for="candidate">{{ t('candidate_id') }}</label>
<input type="text" id="candidate" name="candidate" required autocomplete="off" spellcheck="false">
<button type="submit">{{ t('find_person') }}</button>
</form>
<form method="get" action="/adviser/find" class="search">
<label for="vacancy">{{ t('vacancy_id') }}</label>
<input type="text" id="vacancy" name="vacancy" required autocomplete="off" spellcheck="false">
<button type="submit">{{ t('find_vacancy') }}</button>
</form>
{% else %}
<p>{{ t('no_cohort') }}</p>
{% endif %}
<section aria-labelledby="overrides-h">
<h2 id="overrides-h">{{ t('overrides_heading') }}</h2>
{{ ui.overrides_table(overrides, csrf, '/adviser') }}
</section>
{% endblock %}
"""

_PERSON = """{% extends "base.html" %}{% import "macros.html" as ui with context %}{% block main %}
<h1>{{ t('person_heading', id=candidate_id) }}</h1>
<section aria-labelledby="placement-h" class="placement">
<h2 id="placement-h">{{ t('placement_heading') }}</h2>
{% if placement is none %}<p>{{ t('no_plan') }}</p>
{% elif placement.pair is none %}<p>{{ t('not_placed') }}</p>
{% else %}<p>{{ t('placed_on', vacancy=placement.pair.vacancy_id, score='%.2f' % placement.pair.score) }}{% if placement.pair.fixed %} {{ t('placed_fixed') }}{% endif %}</p>{% endif %}
</section>
{% with heading=t('top_matches'), by_vacancy=False %}{% include "matches.html" %}{% endwith %}
<section aria-labelledby="overrides-h">
<h2 id="overrides-h">{{ t('overrides_heading') }}</h2>
{{ ui.overrides_table(overrides, csrf, back) }}
</section>
{% endblock %}
"""

_VACANCY = """{% extends "base.html" %}{% import "macros.html" as ui with context %}{% block main %}
<h1>{{ t('vacancy_heading', id=vacancy_id) }}{% if vacancy_label %} — <bdi>{{ vacancy_label }}</bdi>{% endif %}</h1>
{% with heading=t('best_candidates'), by_vacancy=True %}{% include "matches.html" %}{% endwith %}
<section aria-labelledby="overrides-h">
<h2 id="overrides-h">{{ t('overrides_heading') }}</h2>
{{ ui.overrides_table(overrides, csrf, back) }}
</section>
{% endblock %}
"""

_MATCHES = """{% import "macros.html" as ui with context %}
<section aria-labelledby="matches-h">
<h2 id="matches-h">{{ heading }}</h2>
<table class="ranking">
<caption>{{ heading }}</caption>
<thead><tr>
<th scope="col">{{ t('rank') }}</th>
<th scope="col">{{ t('person') if by_vacancy else t('vacancy') }}</th>
<th scope="col">{{ t('score') }}</th><th scope="col">{{ t('eligible') }}</th>
<th scope="col">{{ t('pathway') }}</th>
</tr></thead>
<tbody>
{% for m in matches %}<tr>
<th scope="row">{{ m.rank }}</th>
<td><a href="#match-{{ m.rank }}"><bdi>{% if by_vacancy %}{{ m.candidate_id }}{% else %}{{ m.vacancy_name }}{% endif %}</bdi></a></td>
<td>{{ '%.2f' % m.score }}</td>
<td>{{ t('yes') if m.eligible else t('no') }}</td>
<td>{{ t('pathway_' + m.pathway_kind) }}</td>
</tr>
{% endfor %}</tbody>
</table>
{% for m in matches %}{{ ui.match_card(m, csrf, back, by_vacancy) }}{% endfor %}
</section>
"""

_PLAN = """{% extends "base.html" %}{% import "macros.html" as ui with context %}{% block main %}
<h1>{{ t('plan_heading') }}</h1>
<form method="post" action="/adviser/plan">
<input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">{{ t('replan') }}</button>
</form>
{% if not_applied %}<p class="problem">{{ t('not_applied', n=not_applied) }}</p>{% endif %}
{% if plan is none %}<p>{{ t('no_plan') }}</p>{% else %}
<p class="summary" data-run="{{ plan.run_id }}">{{ t('plan_summary', run=plan.run_id, adviser=plan.adviser, placed=plan.pairs|length, candidates=plan.n_candidates, total='%.3f' % plan.total_score) }}
<time datetime="{{ plan.created_at.isoformat() }}">{{ plan.created_at.strftime('%Y-%m-%d %H:%M') }} UTC</time></p>
<table class="plan">
<caption>{{ t('plan_heading') }}</caption>
<thead><tr>
<th scope="col">{{ t('person') }}</th><th scope="col">{{ t('vacancy') }}</th>
<th scope="col">{{ t('score') }}</th><th scope="col">{{ t('fixed_column') }}</th>
</tr></thead>
<tbody>
{% for p in plan.pairs %}<tr class="pair" data-candidate="{{ p.candidate_id }}" data-vacancy="{{ p.vacancy_id }}">
<th scope="row"><a href="{{ person_url(p.candidate_id) }}"><bdi>{{ p.candidate_id }}</bdi></a></th>
<td><a href="{{ vacancy_url(p.vacancy_id) }}"><bdi>{{ p.vacancy_id }}</bdi></a></td>
<td>{{ '%.3f' % p.score }}</td>
<td>{{ t('yes') if p.fixed else t('no') }}</td>
</tr>
{% endfor %}</tbody>
</table>
{% endif %}
<section aria-labelledby="overrides-h">
<h2 id="overrides-h">{{ t('overrides_heading') }}</h2>
{{ ui.overrides_table(overrides, csrf, '/adviser/plan') }}
</section>
{% endblock %}
"""

_MESSAGE = """{% extends "base.html" %}{% block main %}
<h1>{{ heading }}</h1>
<p class="problem" role="alert">{{ message }}</p>
<p><a href="{{ back }}">{{ t('back') }}</a></p>
{% endblock %}
"""

TEMPLATES: Final[dict[str, str]] = {
    "base.html": _BASE,
    "macros.html": _MACROS,
    "login.html": _LOGIN,
    "home.html": _HOME,
    "person.html": _PERSON,
    "vacancy.html": _VACANCY,
    "matches.html": _MATCHES,
    "plan.html": _PLAN,
    "message.html": _MESSAGE,
}
"""The page's templates by name."""

CSS: Final = """
:root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; color: #1a1a1a; background: #fff; }
a { color: #0645ad; }
a:visited { color: #4b2c8f; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; box-shadow: 0 0 0 5px #ffd54f; }
.skip { position: absolute; inset-inline-start: -100vw; }
.skip:focus { position: static; display: inline-block; padding: .5rem; background: #ffd54f; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
header { border-block-end: 2px solid #1a1a1a; margin-block-end: 1rem; }
.app { font-weight: bold; margin-block: .5rem; }
ul.links { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap;
  gap: .25rem 1rem; }
a[aria-current] { font-weight: bold; text-decoration-thickness: 3px; }
form.inline { display: inline; }
table { border-collapse: collapse; margin-block: 1rem; }
caption { text-align: start; font-weight: bold; }
th, td { border: 1px solid #767676; padding: .25rem .5rem; text-align: start; vertical-align: top; }
.match { border: 1px solid #767676; border-radius: 4px; padding: 0 1rem 1rem; margin-block: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
dd ul { margin: 0; padding-inline-start: 1.25rem; }
details { margin-block: .5rem; }
.explanation h4 { font-size: 1.1rem; }
.explanation h5 { font-size: 1rem; }
summary { cursor: pointer; font-weight: bold; }
fieldset { border: 1px solid #767676; margin-block: .5rem; }
fieldset.choice { border: 0; padding: 0; }
label { display: inline-block; margin-inline-end: 1rem; }
textarea, input[type=text], input[type=password] { display: block; width: 100%; max-width: 40rem;
  font: inherit; padding: .25rem; border: 1px solid #1a1a1a; }
button { font: inherit; padding: .25rem .75rem; margin-block: .25rem; border: 2px solid #1a1a1a;
  background: #f0f0f0; color: #1a1a1a; cursor: pointer; }
.notice { border-inline-start: 6px solid #1b5e20; padding: .5rem 1rem; background: #e8f5e9; }
.problem { border-inline-start: 6px solid #b71c1c; padding: .5rem 1rem; background: #ffebee; }
"""
"""The page's style sheet (served as ``/adviser/page.css``; no inline styles, for the CSP)."""
