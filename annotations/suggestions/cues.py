"""Words that mark a check-worthy statement (attribution, comparison, superlatives, causes) or a
statement that is not (opinion, feelings, first person), in English, French, Spanish and German.

Transparent on purpose: each cue is a word list a reviewer can read, and each list is one feature.
"""

from __future__ import annotations

import re


def _words(*groups: str) -> re.Pattern[str]:
    words = sorted({w.replace("_", " ") for g in groups for w in g.split()}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


ATTRIBUTION = _words(
    "according_to said says told reported reports announced stated claimed claims found finds shows showed show "
    "data figures statistics survey study studies research researchers analysis estimated estimates census records "
    "report review audit official officials agency office ministry department institute commission",
    "selon d'après a_indiqué a_annoncé affirme a_déclaré a_relevé rappelle rapport étude chiffres statistiques enquête",
    "según informó indicó dijo afirmó recordó datos informe estudio encuesta estadística",
    "laut sagte teilte berichtete heißt_es Studie Bericht Daten zufolge meldete zeigt Auswertung Statistik",
)
COMPARISON = _words(
    "more_than less_than fewer_than higher_than lower_than than compared_with compared_to up_from down_from "
    "rose risen rise rises rising fell fallen falls increase increased increases decrease decreased decreases "
    "grew grown growth declined decline dropped cut doubled halved above below exceeded outpaced overtook "
    "same_as as_many_as as_much_as edged_up slowed shrunk shrank faster slower higher lower larger smaller",
    "plus_que moins_que plus_de moins_de hausse baisse augmenté augmentent augmentation diminué recul reculé "
    "chuté progressé supérieur supérieure inférieur inférieure par_rapport_à",
    "más_que menos_que más_de menos_de aumento aumentó subido subió bajó bajado cayó caída superior inferior respecto",
    "mehr_als weniger_als gestiegen gesunken steigt stieg höher niedriger als_im gegenüber mehr_als_sechsmal",
)
SUPERLATIVE = _words(
    "most least highest lowest largest biggest smallest fastest slowest best worst record ever first only never "
    "unprecedented all-time single_largest",
    "le_plus la_plus les_plus record jamais premier première seul seule",
    "el_más la_más récord nunca primer primera máximo mínimo",
    "höchste höchsten niedrigste niedrigsten größte größten Rekord erstmals noch_nie am_meisten",
)
CAUSAL = _words(
    "because due_to caused causes cause led_to leads_to lead_to as_a_result result_of resulted driven_by "
    "blamed responsible_for linked_to thanks_to therefore reduces reduced reduce prevents prevented "
    "increases_the_risk raises_the_risk largely_because",
    "parce_que en_raison_de à_cause_de grâce_à provoqué provoque entraîné entraîne",
    "se_debe debido_a por_culpa_de gracias_a provocado causado reduce por_el_auge en_parte_por",
    "weil wegen aufgrund verursacht senkt führt_zu",
)
OPINION = _words(
    "think believe feel feels felt hope wish love loved happy proud sad heartbreaking terrible wonderful "
    "beautiful lovely great shame disgrace cruel unfair reckless outrageous exhausted worried upsetting upset "
    "dream angry strange quiet gratitude should must ought deserve tearing",
    "inquiets inquiète injuste contents heureux épuisés assumons",
    "miedo contentos contenta felices",
    "schön müde gelassen Sorge schützt",
)
FUTURE = _words(
    "will would could may might plans plan expected expects forecast hope intends",
    "va vont doit devrait pourrait prochain prochaine",
    "será serán podría próximo",
    "wird werden soll könnte",
)
FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I've|[Ww]e|[Ww]e're|[Mm]y|[Oo]ur|us|me|[Jj]e|[Nn]ous|[Nn]ous|[Yy]o|[Ii]ch|[Ww]ir|uns)\b"
)
QUOTE_MARK = re.compile(r"[\"“”«»„]")
WORD = re.compile(r"\w[\w'’-]*")
