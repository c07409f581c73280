"""The adviser page's words in each bundled language, and how a request picks its language.

The page's own words (headings, buttons, labels) live here; the explanations come in the
language asked for from the library. Placeholders are ``{name}`` (``str.format``); the values put
in them are escaped by the templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["LANGUAGES", "RTL", "TEXT", "direction", "language_names", "pick_language"]

LANGUAGES: Final = ("en", "sv", "nb", "de", "fr", "it", "ar", "uk")
"""The page's languages, in the order the switcher lists them."""

RTL: Final = frozenset({"ar"})
"""The languages written right to left."""

_NAMES: Final[Mapping[str, str]] = {
    "en": "English", "sv": "Svenska", "nb": "Norsk bokmål", "de": "Deutsch", "fr": "Français",
    "it": "Italiano", "ar": "العربية", "uk": "Українська",
}  # fmt: skip

_EN: Final[dict[str, str]] = {
    "app": "Adviser page",
    "skip": "Skip to the content",
    "nav_main": "Main",
    "nav_lang": "Language",
    "search": "Look up",
    "plan": "Plan",
    "logout": "Log out",
    "login_heading": "Log in",
    "login_intro": "Log in with your API key. It is checked once; the browser keeps only a "
    "session.",
    "api_key": "API key",
    "login_button": "Log in",
    "login_failed": "That key is not accepted.",
    "search_heading": "Look up a person or a vacancy",
    "candidate_id": "Person's id",
    "vacancy_id": "Vacancy id",
    "find_person": "Show the person's matches",
    "find_vacancy": "Show the vacancy's candidates",
    "no_cohort": "The service was started without a cohort: there is nothing to look up.",
    "cohort_size": "Loaded cohort: {candidates} people, {vacancies} vacancies.",
    "not_found": "Not found",
    "not_found_person": "No person with the id {id} in the loaded cohort.",
    "not_found_vacancy": "No vacancy with the id {id} in the loaded cohort.",
    "person_heading": "Person {id}",
    "vacancy_heading": "Vacancy {id}",
    "top_matches": "Best matches",
    "best_candidates": "Best candidates",
    "rank": "Rank",
    "vacancy": "Vacancy",
    "person": "Person",
    "score": "Score",
    "pathway": "Pathway",
    "eligible": "Eligible",
    "yes": "yes",
    "no": "no",
    "match_heading": "{rank}. {vacancy}",
    "match_heading_person": "{rank}. Person {person}",
    "gaps": "Gaps",
    "training_needs": "Training needs",
    "none": "none",
    "full_explanation": "Full explanation",
    "override_legend": "Fix or forbid this pair",
    "action": "Decision",
    "fix": "Fix: place this pair",
    "forbid": "Forbid: never place this pair",
    "reason": "Reason (recorded in the decision log)",
    "record": "Record the decision",
    "overrides_heading": "Decisions in force",
    "no_overrides": "No decisions in force.",
    "action_fix": "fixed",
    "action_forbid": "forbidden",
    "by": "Adviser",
    "when": "Recorded",
    "withdraw": "Withdraw",
    "placement_heading": "In the latest plan",
    "placed_on": "Placed on {vacancy} (score {score}).",
    "placed_fixed": "This pair was fixed by an adviser.",
    "not_placed": "Not placed in the latest plan.",
    "no_plan": "No plan has been made yet.",
    "plan_heading": "Latest plan",
    "replan": "Plan the cohort again with the decisions in force",
    "plan_summary": "Plan {run} by {adviser}: {placed} of {candidates} people placed, "
    "total score {total}.",
    "fixed_column": "Fixed by an adviser",
    "recorded": "The decision was recorded.",
    "withdrawn": "The decision was withdrawn.",
    "planned": "The cohort was planned again.",
    "error_heading": "Not done",
    "csrf_failed": "The form has expired or did not come from this page. Reload it and try again.",
    "bad_form": "The form was incomplete: {what}.",
    "conflict": "This decision contradicts one in force: {detail}",
    "fix_ineligible": "This pair cannot be fixed: it is not eligible ({reasons}).",
    "plan_failed": "The plan could not be made: {detail}",
    "too_slow": "The request took longer than the time limit ({limit} s) and was not done. Try "
    "again in a moment.",
    "reason_too_long": "The reason is too long: at most {most} characters ({given} given). "
    "Shorten it and record the decision again.",
    "vacancy_full": "Vacancy {vacancy} has {openings} opening(s), all already taken by fixed "
    "pairs. Withdraw one of those decisions first.",
    "not_in_force": "This decision is no longer in force: it was withdrawn already, or does not "
    "exist.",
    "not_recorded": "The decision could not be recorded: {detail}",
    "not_applied": "{n} decisions in force name people or vacancies not in the loaded cohort; "
    "they were not applied.",
    "back": "Back",
    "pathway_ready": "ready to start",
    "pathway_ready_with_support": "ready with support",
    "pathway_training_first": "training first",
    "pathway_not_eligible": "not eligible",
    "importance_essential": "essential",
    "importance_optional": "optional",
}

_TRANSLATIONS: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "importance_essential": "nödvändig", "importance_optional": "valfri",
        "app": "Handläggarsida", "skip": "Hoppa till innehållet", "nav_main": "Huvudmeny",
        "nav_lang": "Språk", "search": "Sök", "plan": "Plan", "logout": "Logga ut",
        "login_heading": "Logga in",
        "login_intro": "Logga in med din API-nyckel. Den kontrolleras en gång; webbläsaren "
        "behåller bara en session.",
        "api_key": "API-nyckel", "login_button": "Logga in",
        "login_failed": "Nyckeln godtas inte.",
        "search_heading": "Sök en person eller en ledig tjänst",
        "candidate_id": "Personens id", "vacancy_id": "Tjänstens id",
        "find_person": "Visa personens matchningar", "find_vacancy": "Visa tjänstens kandidater",
        "no_cohort": "Tjänsten startades utan kohort: det finns inget att söka.",
        "cohort_size": "Inläst kohort: {candidates} personer, {vacancies} tjänster.",
        "not_found": "Hittades inte",
        "not_found_person": "Ingen person med id {id} i den inlästa kohorten.",
        "not_found_vacancy": "Ingen tjänst med id {id} i den inlästa kohorten.",
        "person_heading": "Person {id}", "vacancy_heading": "Tjänst {id}",
        "top_matches": "Bästa matchningar", "best_candidates": "Bästa kandidater",
        "rank": "Plats", "vacancy": "Tjänst", "person": "Person", "score": "Poäng",
        "pathway": "Väg", "eligible": "Behörig", "yes": "ja", "no": "nej",
        "match_heading": "{rank}. {vacancy}", "match_heading_person": "{rank}. Person {person}",
        "gaps": "Luckor", "training_needs": "Utbildningsbehov", "none": "inga",
        "full_explanation": "Fullständig förklaring",
        "override_legend": "Lås eller förbjud detta par", "action": "Beslut",
        "fix": "Lås: placera detta par", "forbid": "Förbjud: placera aldrig detta par",
        "reason": "Motivering (förs in i beslutsloggen)", "record": "Registrera beslutet",
        "overrides_heading": "Gällande beslut", "no_overrides": "Inga gällande beslut.",
        "action_fix": "låst", "action_forbid": "förbjudet", "by": "Handläggare",
        "when": "Registrerat", "withdraw": "Återkalla",
        "placement_heading": "I den senaste planen",
        "placed_on": "Placerad på {vacancy} (poäng {score}).",
        "placed_fixed": "Paret låstes av en handläggare.",
        "not_placed": "Inte placerad i den senaste planen.",
        "no_plan": "Ingen plan har gjorts ännu.", "plan_heading": "Senaste planen",
        "replan": "Planera kohorten igen med gällande beslut",
        "plan_summary": "Plan {run} av {adviser}: {placed} av {candidates} personer placerade, "
        "total poäng {total}.",
        "fixed_column": "Låst av handläggare", "recorded": "Beslutet registrerades.",
        "withdrawn": "Beslutet återkallades.", "planned": "Kohorten planerades igen.",
        "error_heading": "Inte utfört",
        "csrf_failed": "Formuläret har gått ut eller kom inte från den här sidan. Ladda om och "
        "försök igen.",
        "bad_form": "Formuläret var ofullständigt: {what}.",
        "conflict": "Beslutet motsäger ett gällande beslut: {detail}",
        "fix_ineligible": "Paret kan inte låsas: det är inte behörigt ({reasons}).",
        "plan_failed": "Planen kunde inte göras: {detail}",
        "too_slow": "Begäran tog längre tid än tidsgränsen ({limit} s) och utfördes inte. Försök "
        "igen om en stund.",
        "reason_too_long": "Motiveringen är för lång: högst {most} tecken ({given} angivna). "
        "Korta den och registrera beslutet igen.",
        "vacancy_full": "Tjänsten {vacancy} har {openings} plats(er), alla redan tagna av låsta "
        "par. Återkalla ett av de besluten först.",
        "not_in_force": "Beslutet gäller inte längre: det har redan återkallats eller finns inte.",
        "not_recorded": "Beslutet kunde inte registreras: {detail}",
        "not_applied": "{n} gällande beslut gäller personer eller tjänster utanför den inlästa "
        "kohorten; de tillämpades inte.",
        "back": "Tillbaka", "pathway_ready": "redo att börja",
        "pathway_ready_with_support": "redo med stöd", "pathway_training_first": "utbildning först",
        "pathway_not_eligible": "inte behörig",
    },
    "nb": {
        "importance_essential": "nødvendig", "importance_optional": "valgfri",
        "app": "Veiledersiden", "skip": "Hopp til innholdet", "nav_main": "Hovedmeny",
        "nav_lang": "Språk", "search": "Søk", "plan": "Plan", "logout": "Logg ut",
        "login_heading": "Logg inn",
        "login_intro": "Logg inn med API-nøkkelen din. Den sjekkes én gang; nettleseren beholder "
        "bare en økt.",
        "api_key": "API-nøkkel", "login_button": "Logg inn",
        "login_failed": "Nøkkelen godtas ikke.",
        "search_heading": "Søk etter en person eller en stilling",
        "candidate_id": "Personens id", "vacancy_id": "Stillingens id",
        "find_person": "Vis personens treff", "find_vacancy": "Vis stillingens kandidater",
        "no_cohort": "Tjenesten ble startet uten kohort: det er ingenting å søke i.",
        "cohort_size": "Innlest kohort: {candidates} personer, {vacancies} stillinger.",
        "not_found": "Ikke funnet",
        "not_found_person": "Ingen person med id {id} i den innleste kohorten.",
        "not_found_vacancy": "Ingen stilling med id {id} i den innleste kohorten.",
        "person_heading": "Person {id}", "vacancy_heading": "Stilling {id}",
        "top_matches": "Beste treff", "best_candidates": "Beste kandidater",
        "rank": "Plass", "vacancy": "Stilling", "person": "Person", "score": "Poeng",
        "pathway": "Vei", "eligible": "Kvalifisert", "yes": "ja", "no": "nei",
        "match_heading": "{rank}. {vacancy}", "match_heading_person": "{rank}. Person {person}",
        "gaps": "Mangler", "training_needs": "Opplæringsbehov", "none": "ingen",
        "full_explanation": "Full forklaring",
        "override_legend": "Lås eller forby dette paret", "action": "Vedtak",
        "fix": "Lås: plasser dette paret", "forbid": "Forby: plasser aldri dette paret",
        "reason": "Begrunnelse (føres i beslutningsloggen)", "record": "Registrer vedtaket",
        "overrides_heading": "Gjeldende vedtak", "no_overrides": "Ingen gjeldende vedtak.",
        "action_fix": "låst", "action_forbid": "forbudt", "by": "Veileder",
        "when": "Registrert", "withdraw": "Trekk tilbake",
        "placement_heading": "I den siste planen",
        "placed_on": "Plassert på {vacancy} (poeng {score}).",
        "placed_fixed": "Paret ble låst av en veileder.",
        "not_placed": "Ikke plassert i den siste planen.",
        "no_plan": "Ingen plan er laget ennå.", "plan_heading": "Siste plan",
        "replan": "Planlegg kohorten på nytt med gjeldende vedtak",
        "plan_summary": "Plan {run} av {adviser}: {placed} av {candidates} personer plassert, "
        "samlet poeng {total}.",
        "fixed_column": "Låst av veileder", "recorded": "Vedtaket ble registrert.",
        "withdrawn": "Vedtaket ble trukket tilbake.", "planned": "Kohorten ble planlagt på nytt.",
        "error_heading": "Ikke utført",
        "csrf_failed": "Skjemaet er utløpt eller kom ikke fra denne siden. Last inn på nytt og "
        "prøv igjen.",
        "bad_form": "Skjemaet var ufullstendig: {what}.",
        "conflict": "Vedtaket motsier et gjeldende vedtak: {detail}",
        "fix_ineligible": "Paret kan ikke låses: det er ikke kvalifisert ({reasons}).",
        "plan_failed": "Planen kunne ikke lages: {detail}",
        "too_slow": "Forespørselen tok lengre tid enn tidsgrensen ({limit} s) og ble ikke "
        "utført. Prøv igjen om litt.",
        "reason_too_long": "Begrunnelsen er for lang: høyst {most} tegn ({given} oppgitt). "
        "Forkort den og registrer vedtaket på nytt.",
        "vacancy_full": "Stillingen {vacancy} har {openings} plass(er), alle allerede tatt av "
        "låste par. Trekk tilbake ett av de vedtakene først.",
        "not_in_force": "Vedtaket gjelder ikke lenger: det er allerede trukket tilbake, eller "
        "finnes ikke.",
        "not_recorded": "Vedtaket kunne ikke registreres: {detail}",
        "not_applied": "{n} gjeldende vedtak gjelder personer eller stillinger utenfor den "
        "innleste kohorten; de ble ikke brukt.",
        "back": "Tilbake", "pathway_ready": "klar til å begynne",
        "pathway_ready_with_support": "klar med støtte",
        "pathway_training_first": "opplæring først",
        "pathway_not_eligible": "ikke kvalifisert",
    },
    "de": {
        "importance_essential": "unerlässlich", "importance_optional": "optional",
        "app": "Beratungsseite", "skip": "Zum Inhalt springen", "nav_main": "Hauptmenü",
        "nav_lang": "Sprache", "search": "Suchen", "plan": "Plan", "logout": "Abmelden",
        "login_heading": "Anmelden",
        "login_intro": "Melden Sie sich mit Ihrem API-Schlüssel an. Er wird einmal geprüft; der "
        "Browser behält nur eine Sitzung.",
        "api_key": "API-Schlüssel", "login_button": "Anmelden",
        "login_failed": "Dieser Schlüssel wird nicht akzeptiert.",
        "search_heading": "Eine Person oder eine Stelle suchen",
        "candidate_id": "Kennung der Person", "vacancy_id": "Kennung der Stelle",
        "find_person": "Passende Stellen der Person zeigen",
        "find_vacancy": "Passende Personen der Stelle zeigen",
        "no_cohort": "Der Dienst wurde ohne Kohorte gestartet: Es gibt nichts zu suchen.",
        "cohort_size": "Geladene Kohorte: {candidates} Personen, {vacancies} Stellen.",
        "not_found": "Nicht gefunden",
        "not_found_person": "Keine Person mit der Kennung {id} in der geladenen Kohorte.",
        "not_found_vacancy": "Keine Stelle mit der Kennung {id} in der geladenen Kohorte.",
        "person_heading": "Person {id}", "vacancy_heading": "Stelle {id}",
        "top_matches": "Beste Treffer", "best_candidates": "Beste Personen",
        "rank": "Rang", "vacancy": "Stelle", "person": "Person", "score": "Punktzahl",
        "pathway": "Weg", "eligible": "Zulässig", "yes": "ja", "no": "nein",
        "match_heading": "{rank}. {vacancy}", "match_heading_person": "{rank}. Person {person}",
        "gaps": "Lücken", "training_needs": "Weiterbildungsbedarf", "none": "keine",
        "full_explanation": "Vollständige Erklärung",
        "override_legend": "Dieses Paar festlegen oder ausschließen", "action": "Entscheidung",
        "fix": "Festlegen: dieses Paar vermitteln",
        "forbid": "Ausschließen: dieses Paar nie vermitteln",
        "reason": "Begründung (wird im Entscheidungsprotokoll festgehalten)",
        "record": "Entscheidung festhalten",
        "overrides_heading": "Geltende Entscheidungen",
        "no_overrides": "Keine geltenden Entscheidungen.",
        "action_fix": "festgelegt", "action_forbid": "ausgeschlossen", "by": "Beratung",
        "when": "Erfasst", "withdraw": "Zurücknehmen",
        "placement_heading": "Im neuesten Plan",
        "placed_on": "Vermittelt auf {vacancy} (Punktzahl {score}).",
        "placed_fixed": "Dieses Paar wurde von der Beratung festgelegt.",
        "not_placed": "Im neuesten Plan nicht vermittelt.",
        "no_plan": "Es wurde noch kein Plan erstellt.", "plan_heading": "Neuester Plan",
        "replan": "Die Kohorte mit den geltenden Entscheidungen neu planen",
        "plan_summary": "Plan {run} von {adviser}: {placed} von {candidates} Personen "
        "vermittelt, Gesamtpunktzahl {total}.",
        "fixed_column": "Von der Beratung festgelegt",
        "recorded": "Die Entscheidung wurde festgehalten.",
        "withdrawn": "Die Entscheidung wurde zurückgenommen.",
        "planned": "Die Kohorte wurde neu geplant.", "error_heading": "Nicht ausgeführt",
        "csrf_failed": "Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Laden "
        "Sie es neu und versuchen Sie es noch einmal.",
        "bad_form": "Das Formular war unvollständig: {what}.",
        "conflict": "Diese Entscheidung widerspricht einer geltenden: {detail}",
        "fix_ineligible": "Dieses Paar kann nicht festgelegt werden: Es ist nicht zulässig "
        "({reasons}).",
        "plan_failed": "Der Plan konnte nicht erstellt werden: {detail}",
        "too_slow": "Die Anfrage dauerte länger als die Zeitgrenze ({limit} s) und wurde nicht "
        "ausgeführt. Versuchen Sie es gleich noch einmal.",
        "reason_too_long": "Die Begründung ist zu lang: höchstens {most} Zeichen ({given} "
        "eingegeben). Kürzen Sie sie und halten Sie die Entscheidung erneut fest.",
        "vacancy_full": "Die Stelle {vacancy} hat {openings} offene Stelle(n), alle bereits "
        "durch festgelegte Paare belegt. Nehmen Sie zuerst eine dieser Entscheidungen zurück.",
        "not_in_force": "Diese Entscheidung gilt nicht mehr: Sie wurde bereits zurückgenommen "
        "oder existiert nicht.",
        "not_recorded": "Die Entscheidung konnte nicht festgehalten werden: {detail}",
        "not_applied": "{n} geltende Entscheidungen nennen Personen oder Stellen außerhalb der "
        "geladenen Kohorte; sie wurden nicht angewandt.",
        "back": "Zurück", "pathway_ready": "kann sofort beginnen",
        "pathway_ready_with_support": "kann mit Unterstützung beginnen",
        "pathway_training_first": "zuerst Weiterbildung", "pathway_not_eligible": "nicht zulässig",
    },
    "fr": {
        "importance_essential": "essentielle", "importance_optional": "facultative",
        "app": "Page du conseiller", "skip": "Aller au contenu", "nav_main": "Menu principal",
        "nav_lang": "Langue", "search": "Rechercher", "plan": "Plan", "logout": "Se déconnecter",
        "login_heading": "Se connecter",
        "login_intro": "Connectez-vous avec votre clé d’API. Elle est vérifiée une fois ; le "
        "navigateur ne garde qu’une session.",
        "api_key": "Clé d’API", "login_button": "Se connecter",
        "login_failed": "Cette clé n’est pas acceptée.",
        "search_heading": "Rechercher une personne ou une offre",
        "candidate_id": "Identifiant de la personne", "vacancy_id": "Identifiant de l’offre",
        "find_person": "Voir les offres de la personne",
        "find_vacancy": "Voir les candidats de l’offre",
        "no_cohort": "Le service a démarré sans cohorte : il n’y a rien à rechercher.",
        "cohort_size": "Cohorte chargée : {candidates} personnes, {vacancies} offres.",
        "not_found": "Introuvable",
        "not_found_person": "Aucune personne d’identifiant {id} dans la cohorte chargée.",
        "not_found_vacancy": "Aucune offre d’identifiant {id} dans la cohorte chargée.",
        "person_heading": "Personne {id}", "vacancy_heading": "Offre {id}",
        "top_matches": "Meilleures correspondances", "best_candidates": "Meilleurs candidats",
        "rank": "Rang", "vacancy": "Offre", "person": "Personne", "score": "Score",
        "pathway": "Parcours", "eligible": "Admissible", "yes": "oui", "no": "non",
        "match_heading": "{rank}. {vacancy}",
        "match_heading_person": "{rank}. Personne {person}",
        "gaps": "Écarts", "training_needs": "Besoins de formation", "none": "aucun",
        "full_explanation": "Explication complète",
        "override_legend": "Imposer ou interdire ce couple", "action": "Décision",
        "fix": "Imposer : placer ce couple", "forbid": "Interdire : ne jamais placer ce couple",
        "reason": "Motif (inscrit au journal des décisions)", "record": "Enregistrer la décision",
        "overrides_heading": "Décisions en vigueur", "no_overrides": "Aucune décision en vigueur.",
        "action_fix": "imposé", "action_forbid": "interdit", "by": "Conseiller",
        "when": "Enregistrée", "withdraw": "Retirer",
        "placement_heading": "Dans le dernier plan",
        "placed_on": "Placée sur {vacancy} (score {score}).",
        "placed_fixed": "Ce couple a été imposé par un conseiller.",
        "not_placed": "Pas placée dans le dernier plan.",
        "no_plan": "Aucun plan n’a encore été établi.", "plan_heading": "Dernier plan",
        "replan": "Replanifier la cohorte avec les décisions en vigueur",
        "plan_summary": "Plan {run} par {adviser} : {placed} personnes placées sur "
        "{candidates}, score total {total}.",
        "fixed_column": "Imposé par un conseiller",
        "recorded": "La décision a été enregistrée.", "withdrawn": "La décision a été retirée.",
        "planned": "La cohorte a été replanifiée.", "error_heading": "Non effectué",
        "csrf_failed": "Le formulaire a expiré ou ne vient pas de cette page. Rechargez-le et "
        "réessayez.",
        "bad_form": "Le formulaire était incomplet : {what}.",
        "conflict": "Cette décision contredit une décision en vigueur : {detail}",
        "fix_ineligible": "Ce couple ne peut pas être imposé : il n’est pas admissible "
        "({reasons}).",
        "plan_failed": "Le plan n’a pas pu être établi : {detail}",
        "too_slow": "La requête a dépassé la limite de temps ({limit} s) et n’a pas été "
        "exécutée. Réessayez dans un instant.",
        "reason_too_long": "Le motif est trop long : {most} caractères au plus ({given} saisis). "
        "Raccourcissez-le et enregistrez de nouveau la décision.",
        "vacancy_full": "L’offre {vacancy} a {openings} poste(s), tous déjà pris par des couples "
        "imposés. Retirez d’abord l’une de ces décisions.",
        "not_in_force": "Cette décision n’est plus en vigueur : elle a déjà été retirée, ou "
        "n’existe pas.",
        "not_recorded": "La décision n’a pas pu être enregistrée : {detail}",
        "not_applied": "{n} décisions en vigueur concernent des personnes ou des offres hors de "
        "la cohorte chargée ; elles n’ont pas été appliquées.",
        "back": "Retour", "pathway_ready": "prête à commencer",
        "pathway_ready_with_support": "prête avec un accompagnement",
        "pathway_training_first": "formation d’abord", "pathway_not_eligible": "non admissible",
    },
    "it": {
        "importance_essential": "essenziale", "importance_optional": "facoltativa",
        "app": "Pagina dell’operatore", "skip": "Vai al contenuto", "nav_main": "Menu principale",
        "nav_lang": "Lingua", "search": "Cerca", "plan": "Piano", "logout": "Esci",
        "login_heading": "Accedi",
        "login_intro": "Accedi con la tua chiave API. Viene verificata una volta; il browser "
        "conserva solo una sessione.",
        "api_key": "Chiave API", "login_button": "Accedi",
        "login_failed": "Questa chiave non è accettata.",
        "search_heading": "Cerca una persona o un’offerta",
        "candidate_id": "Identificativo della persona",
        "vacancy_id": "Identificativo dell’offerta",
        "find_person": "Mostra le offerte della persona",
        "find_vacancy": "Mostra i candidati dell’offerta",
        "no_cohort": "Il servizio è stato avviato senza coorte: non c’è nulla da cercare.",
        "cohort_size": "Coorte caricata: {candidates} persone, {vacancies} offerte.",
        "not_found": "Non trovato",
        "not_found_person": "Nessuna persona con identificativo {id} nella coorte caricata.",
        "not_found_vacancy": "Nessuna offerta con identificativo {id} nella coorte caricata.",
        "person_heading": "Persona {id}", "vacancy_heading": "Offerta {id}",
        "top_matches": "Migliori corrispondenze", "best_candidates": "Migliori candidati",
        "rank": "Posizione", "vacancy": "Offerta", "person": "Persona", "score": "Punteggio",
        "pathway": "Percorso", "eligible": "Ammissibile", "yes": "sì", "no": "no",
        "match_heading": "{rank}. {vacancy}", "match_heading_person": "{rank}. Persona {person}",
        "gaps": "Lacune", "training_needs": "Fabbisogni formativi", "none": "nessuno",
        "full_explanation": "Spiegazione completa",
        "override_legend": "Fissa o vieta questa coppia", "action": "Decisione",
        "fix": "Fissa: colloca questa coppia", "forbid": "Vieta: non collocare mai questa coppia",
        "reason": "Motivo (registrato nel registro delle decisioni)",
        "record": "Registra la decisione",
        "overrides_heading": "Decisioni in vigore", "no_overrides": "Nessuna decisione in vigore.",
        "action_fix": "fissata", "action_forbid": "vietata", "by": "Operatore",
        "when": "Registrata", "withdraw": "Ritira",
        "placement_heading": "Nell’ultimo piano",
        "placed_on": "Collocata su {vacancy} (punteggio {score}).",
        "placed_fixed": "Questa coppia è stata fissata da un operatore.",
        "not_placed": "Non collocata nell’ultimo piano.",
        "no_plan": "Non è ancora stato fatto alcun piano.", "plan_heading": "Ultimo piano",
        "replan": "Ripianifica la coorte con le decisioni in vigore",
        "plan_summary": "Piano {run} di {adviser}: {placed} persone collocate su {candidates}, "
        "punteggio totale {total}.",
        "fixed_column": "Fissata da un operatore",
        "recorded": "La decisione è stata registrata.",
        "withdrawn": "La decisione è stata ritirata.",
        "planned": "La coorte è stata ripianificata.",
        "error_heading": "Non eseguito",
        "csrf_failed": "Il modulo è scaduto o non proviene da questa pagina. Ricaricalo e "
        "riprova.",
        "bad_form": "Il modulo era incompleto: {what}.",
        "conflict": "Questa decisione contraddice una in vigore: {detail}",
        "fix_ineligible": "Questa coppia non può essere fissata: non è ammissibile ({reasons}).",
        "plan_failed": "Il piano non è stato possibile: {detail}",
        "too_slow": "La richiesta ha superato il limite di tempo ({limit} s) e non è stata "
        "eseguita. Riprova tra poco.",
        "reason_too_long": "Il motivo è troppo lungo: al massimo {most} caratteri ({given} "
        "inseriti). Accorcialo e registra di nuovo la decisione.",
        "vacancy_full": "L’offerta {vacancy} ha {openings} posto/i, tutti già occupati da coppie "
        "fissate. Ritira prima una di queste decisioni.",
        "not_in_force": "Questa decisione non è più in vigore: è già stata ritirata, oppure non "
        "esiste.",
        "not_recorded": "Non è stato possibile registrare la decisione: {detail}",
        "not_applied": "{n} decisioni in vigore riguardano persone od offerte fuori dalla coorte "
        "caricata; non sono state applicate.",
        "back": "Indietro", "pathway_ready": "pronta a iniziare",
        "pathway_ready_with_support": "pronta con supporto",
        "pathway_training_first": "prima la formazione", "pathway_not_eligible": "non ammissibile",
    },
    "ar": {
        "importance_essential": "أساسية", "importance_optional": "اختيارية",
        "app": "صفحة المستشار", "skip": "انتقل إلى المحتوى", "nav_main": "القائمة الرئيسية",
        "nav_lang": "اللغة", "search": "بحث", "plan": "الخطة", "logout": "تسجيل الخروج",
        "login_heading": "تسجيل الدخول",
        "login_intro": "سجّل الدخول بمفتاح الواجهة البرمجية. يُتحقق منه مرة واحدة، ولا يحتفظ "
        "المتصفح إلا بجلسة.",
        "api_key": "مفتاح الواجهة البرمجية", "login_button": "تسجيل الدخول",
        "login_failed": "هذا المفتاح غير مقبول.",
        "search_heading": "البحث عن شخص أو وظيفة شاغرة",
        "candidate_id": "معرّف الشخص", "vacancy_id": "معرّف الوظيفة",
        "find_person": "عرض الوظائف المناسبة للشخص", "find_vacancy": "عرض المرشحين للوظيفة",
        "no_cohort": "بدأت الخدمة دون مجموعة: لا يوجد ما يُبحث عنه.",
        "cohort_size": "المجموعة المحمّلة: {candidates} شخصًا، {vacancies} وظيفة.",
        "not_found": "غير موجود",
        "not_found_person": "لا يوجد شخص بالمعرّف {id} في المجموعة المحمّلة.",
        "not_found_vacancy": "لا توجد وظيفة بالمعرّف {id} في المجموعة المحمّلة.",
        "person_heading": "الشخص {id}", "vacancy_heading": "الوظيفة {id}",
        "top_matches": "أفضل التطابقات", "best_candidates": "أفضل المرشحين",
        "rank": "الترتيب", "vacancy": "الوظيفة", "person": "الشخص", "score": "الدرجة",
        "pathway": "المسار", "eligible": "مؤهَّل", "yes": "نعم", "no": "لا",
        "match_heading": "{rank}. {vacancy}", "match_heading_person": "{rank}. الشخص {person}",
        "gaps": "الفجوات", "training_needs": "احتياجات التدريب", "none": "لا شيء",
        "full_explanation": "الشرح الكامل",
        "override_legend": "تثبيت هذا الزوج أو منعه", "action": "القرار",
        "fix": "تثبيت: إلحاق هذا الزوج", "forbid": "منع: عدم إلحاق هذا الزوج أبدًا",
        "reason": "السبب (يُسجَّل في سجل القرارات)", "record": "تسجيل القرار",
        "overrides_heading": "القرارات السارية", "no_overrides": "لا توجد قرارات سارية.",
        "action_fix": "مثبَّت", "action_forbid": "ممنوع", "by": "المستشار",
        "when": "تاريخ التسجيل", "withdraw": "سحب",
        "placement_heading": "في أحدث خطة",
        "placed_on": "أُلحق بالوظيفة {vacancy} (الدرجة {score}).",
        "placed_fixed": "ثبّت مستشارٌ هذا الزوج.",
        "not_placed": "لم يُلحق في أحدث خطة.",
        "no_plan": "لم تُعدّ أي خطة بعد.", "plan_heading": "أحدث خطة",
        "replan": "إعادة تخطيط المجموعة بالقرارات السارية",
        "plan_summary": "الخطة {run} من {adviser}: أُلحق {placed} من {candidates} شخصًا، "
        "الدرجة الإجمالية {total}.",
        "fixed_column": "ثبّته مستشار", "recorded": "سُجّل القرار.",
        "withdrawn": "سُحب القرار.", "planned": "أُعيد تخطيط المجموعة.",
        "error_heading": "لم يتم",
        "csrf_failed": "انتهت صلاحية النموذج أو لم يأتِ من هذه الصفحة. أعد تحميلها وحاول مجددًا.",
        "bad_form": "النموذج غير مكتمل: {what}.",
        "conflict": "هذا القرار يناقض قرارًا ساريًا: {detail}",
        "fix_ineligible": "لا يمكن تثبيت هذا الزوج: غير مؤهَّل ({reasons}).",
        "plan_failed": "تعذّر إعداد الخطة: {detail}",
        "too_slow": "استغرق الطلب وقتًا أطول من الحد المسموح ({limit} ث) ولم يُنفَّذ. حاول مرة "
        "أخرى بعد قليل.",
        "reason_too_long": "السبب طويل جدًا: {most} حرفًا على الأكثر (أُدخل {given}). اختصره ثم "
        "سجّل القرار مرة أخرى.",
        "vacancy_full": "للوظيفة {vacancy} عدد {openings} من الشواغر، وكلها مشغولة بأزواج "
        "مثبَّتة. اسحب أحد تلك القرارات أولًا.",
        "not_in_force": "هذا القرار لم يعد ساريًا: سُحب من قبل أو غير موجود.",
        "not_recorded": "تعذّر تسجيل القرار: {detail}",
        "not_applied": "{n} من القرارات السارية تخص أشخاصًا أو وظائف خارج المجموعة المحمّلة؛ "
        "لم تُطبَّق.",
        "back": "رجوع", "pathway_ready": "جاهز للبدء",
        "pathway_ready_with_support": "جاهز مع الدعم", "pathway_training_first": "التدريب أولًا",
        "pathway_not_eligible": "غير مؤهَّل",
    },
    "uk": {
        "importance_essential": "обов’язкова", "importance_optional": "необов’язкова",
        "app": "Сторінка консультанта", "skip": "Перейти до змісту", "nav_main": "Головне меню",
        "nav_lang": "Мова", "search": "Пошук", "plan": "План", "logout": "Вийти",
        "login_heading": "Увійти",
        "login_intro": "Увійдіть за допомогою свого ключа API. Його перевіряють один раз; "
        "браузер зберігає лише сеанс.",
        "api_key": "Ключ API", "login_button": "Увійти",
        "login_failed": "Цей ключ не прийнято.",
        "search_heading": "Знайти особу або вакансію",
        "candidate_id": "Ідентифікатор особи", "vacancy_id": "Ідентифікатор вакансії",
        "find_person": "Показати вакансії для особи", "find_vacancy": "Показати кандидатів",
        "no_cohort": "Службу запущено без когорти: шукати немає в чому.",
        "cohort_size": "Завантажена когорта: осіб — {candidates}, вакансій — {vacancies}.",
        "not_found": "Не знайдено",
        "not_found_person": "У завантаженій когорті немає особи з ідентифікатором {id}.",
        "not_found_vacancy": "У завантаженій когорті немає вакансії з ідентифікатором {id}.",
        "person_heading": "Особа {id}", "vacancy_heading": "Вакансія {id}",
        "top_matches": "Найкращі збіги", "best_candidates": "Найкращі кандидати",
        "rank": "Місце", "vacancy": "Вакансія", "person": "Особа", "score": "Оцінка",
        "pathway": "Шлях", "eligible": "Відповідає умовам", "yes": "так", "no": "ні",
        "match_heading": "{rank}. {vacancy}", "match_heading_person": "{rank}. Особа {person}",
        "gaps": "Прогалини", "training_needs": "Потреби в навчанні", "none": "немає",
        "full_explanation": "Повне пояснення",
        "override_legend": "Закріпити або заборонити цю пару", "action": "Рішення",
        "fix": "Закріпити: влаштувати цю пару", "forbid": "Заборонити: ніколи не влаштовувати",
        "reason": "Причина (записується до журналу рішень)", "record": "Записати рішення",
        "overrides_heading": "Чинні рішення", "no_overrides": "Чинних рішень немає.",
        "action_fix": "закріплено", "action_forbid": "заборонено", "by": "Консультант",
        "when": "Записано", "withdraw": "Відкликати",
        "placement_heading": "В останньому плані",
        "placed_on": "Влаштовано на {vacancy} (оцінка {score}).",
        "placed_fixed": "Цю пару закріпив консультант.",
        "not_placed": "В останньому плані не влаштовано.",
        "no_plan": "Плану ще не складено.", "plan_heading": "Останній план",
        "replan": "Скласти план когорти знову з чинними рішеннями",
        "plan_summary": "План {run} від {adviser}: влаштовано {placed} з {candidates} осіб, "
        "загальна оцінка {total}.",
        "fixed_column": "Закріплено консультантом", "recorded": "Рішення записано.",
        "withdrawn": "Рішення відкликано.", "planned": "План когорти складено знову.",
        "error_heading": "Не виконано",
        "csrf_failed": "Форма застаріла або надійшла не з цієї сторінки. Оновіть її та спробуйте "
        "ще раз.",
        "bad_form": "Форму заповнено не повністю: {what}.",
        "conflict": "Це рішення суперечить чинному: {detail}",
        "fix_ineligible": "Цю пару не можна закріпити: вона не відповідає умовам ({reasons}).",
        "plan_failed": "Не вдалося скласти план: {detail}",
        "too_slow": "Запит тривав довше за ліміт часу ({limit} с) і не був виконаний. Спробуйте "
        "ще раз за мить.",
        "reason_too_long": "Причина задовга: не більше {most} символів (введено {given}). "
        "Скоротіть її та запишіть рішення знову.",
        "vacancy_full": "Вакансія {vacancy} має місць: {openings}, і всі вже зайняті "
        "закріпленими парами. Спершу відкличте одне з цих рішень.",
        "not_in_force": "Це рішення більше не чинне: його вже відкликано або його не існує.",
        "not_recorded": "Не вдалося записати рішення: {detail}",
        "not_applied": "Чинних рішень щодо осіб або вакансій поза завантаженою когортою: {n}; "
        "їх не застосовано.",
        "back": "Назад", "pathway_ready": "готова почати",
        "pathway_ready_with_support": "готова з підтримкою",
        "pathway_training_first": "спершу навчання", "pathway_not_eligible": "не відповідає умовам",
    },
}  # fmt: skip

TEXT: Final[dict[str, dict[str, str]]] = {
    "en": _EN,
    **{lang: {**_EN, **words} for lang, words in _TRANSLATIONS.items()},
}
"""The page's words by language, then by key (English fills any key a language lacks)."""


def direction(lang: str) -> str:
    """``"rtl"`` for a right-to-left language, ``"ltr"`` otherwise.

    Examples
    --------
    >>> direction("ar"), direction("uk")
    ('rtl', 'ltr')
    """
    return "rtl" if lang in RTL else "ltr"


def language_names() -> tuple[tuple[str, str], ...]:
    """Each language's code and its name in itself, in switcher order."""
    return tuple((code, _NAMES[code]) for code in LANGUAGES)


def _accepted(header: str) -> list[str]:
    """The languages of an ``Accept-Language`` header, most wanted first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:30]):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()
        q = 1.0
        for bit in bits[1:]:
            name, _, value = bit.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > 0:
            ranked.append((-q, i, tag))
    return [tag for _, _, tag in sorted(ranked)]


def pick_language(asked: str | None, accept_language: str | None, default: str = "en") -> str:
    """The page's language: `asked` (``?lang=``) if bundled, else the browser's, else `default`.

    Norwegian ``no`` and ``nn`` are served in ``nb``, whether asked for or in the header.

    Examples
    --------
    >>> pick_language("ar", "de"), pick_language(None, "fr-CH, de;q=0.8"), pick_language("xx", None)
    ('ar', 'fr', 'en')
    >>> pick_language(None, "nn-NO;q=0.9, en;q=0.1"), pick_language("no", "de")
    ('nb', 'nb')
    """
    if asked and _base(asked.strip().lower()) in TEXT:
        return _base(asked.strip().lower())
    for tag in _accepted(accept_language or ""):
        base = _base(tag)
        if base in TEXT:
            return base
    return default if default in TEXT else "en"


def _base(tag: str) -> str:
    """A language tag's primary language, Norwegian ``no`` and ``nn`` as ``nb``."""
    base = tag.replace("_", "-").split("-")[0]
    return "nb" if base in ("no", "nn") else base
