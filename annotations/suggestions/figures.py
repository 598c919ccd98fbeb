"""Figures and dates in text: amounts with scales and currencies, percentages, proportions ("twice",
"a third"), numbers in digits or words, years, months and periods. English, French, Spanish and
German. Each finder returns the kinds it saw; `figures_in` runs them all over one piece of text.
"""

from __future__ import annotations

import re

_NUM = r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"
_WORD_NUMBER_TEXT = (
    # English ("one" is left out: "one of them said" is no figure)
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens "
    # French
    "deux trois quatre cinq sept huit neuf dix douze quinze vingt trente quarante cinquante soixante cent cents "
    "mille milliard milliards "
    # Spanish
    "dos tres cuatro cinco seis siete ocho nueve diez doce quince veinte treinta cuarenta cincuenta cien ciento "
    "cientos mil millón millones "
    # German
    "zwei drei vier fünf sechs sieben acht neun zehn zwölf zwanzig dreißig hundert tausend millionen milliarde "
    "milliarden"
)
_WORD_NUMBERS = _WORD_NUMBER_TEXT.split()
_WORDNUM = r"(?:" + "|".join(sorted(set(_WORD_NUMBERS), key=len, reverse=True)) + r")"
_SCALE = (
    r"(?:thousand|million|billion|trillion|bn|mn|m|k|millions?|milliards?|mil millones|millones|millón"
    r"|Millionen|Million|Milliarden?|Mrd|Mio)"
)
_CURRENCY_SIGN = r"[$€£¥₹]"
_CURRENCY_WORD = (
    r"(?:dollars?|euros?|pounds?|francs?|pesos?|yen|yuan|rupees?|dólares|libras|Euro|Dollar|Pfund|USD|EUR|GBP)"
)
_PERCENT_WORD = (
    r"(?:per\s?cent|percent|percentage points?|points? de pourcentage|pour\s?cent|por\s?ciento|puntos porcentuales"
    r"|Prozentpunkte|Prozent)"
)
_MONTH_TEXT = (
    "january february march april may june july august september october november december "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "januar februar märz april mai juni juli august september oktober november dezember"
)
_MONTHS = _MONTH_TEXT.split()
_WEEKDAY_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo montag dienstag mittwoch donnerstag freitag samstag sonntag"
)
_WEEKDAYS = _WEEKDAY_TEXT.split()
_PERIOD_UNITS = (
    r"(?:years?|months?|weeks?|days?|decades?|hours?|ans|années|mois|semaines|jours|décennies?|años|meses|semanas"
    r"|días|décadas?|Jahren?|Jahrzehnten?|Monaten?|Wochen|Tagen?|Stunden)"
)

AMOUNT = re.compile(
    rf"{_CURRENCY_SIGN}\s?{_NUM}(?:\s?{_SCALE}\b)?|\b{_NUM}\s?{_CURRENCY_SIGN}"
    rf"|\b(?:{_NUM}|{_WORDNUM})\s?(?:{_SCALE}\s)?(?:de\s|d')?{_CURRENCY_WORD}\b"
    rf"|\b{_NUM}\s?{_SCALE}\b",
    re.IGNORECASE,
)
PERCENTAGE = re.compile(rf"{_NUM}\s?%|\b(?:{_NUM}|{_WORDNUM})\s{_PERCENT_WORD}\b", re.IGNORECASE)
PROPORTION = re.compile(
    r"\b(?:twice|double[sd]?|doubling|triple[sd]?|tripling|quadrupled|halved|half|a third|two thirds|a quarter"
    r"|three quarters|a fifth|a tenth|\w+-fold|one in (?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
    r"|deux fois|trois fois|moitié|un tiers|deux tiers|un quart|un sur (?:deux|trois|quatre|cinq|dix)"
    r"|sur (?:deux|trois|quatre|cinq|dix)\b|doble|el triple|la mitad|un tercio|dos tercios|una cuarta parte"
    r"|cuarta parte"
    r"|doppelt|dreimal|viermal|sechsmal|zehnmal|Hälfte|Drittel|Viertel|jeder (?:zweite|dritte|vierte|fünfte|zehnte)"
    r"|\d+(?:[.,]\d+)?\s?(?:times|fois|veces|mal))\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)(?:s|er)?\b")
DATE = re.compile(
    r"\b(?:" + "|".join(_MONTHS) + r")\b"
    r"|\b(?:last|next|this|past) (?:year|month|week|decade|quarter|summer|winter|spring|autumn)\b"
    r"|\bsince\b|\bdepuis\b|\bdesde\b|\bseit\b|\bl'an dernier\b|\bl'année dernière\b|\bel año pasado\b"
    r"|\bVorjahr\w*|\bvergangenen Jahr\b"
    rf"|\b(?:{_NUM}|{_WORDNUM}|a|an|one)\s(?:full\s)?{_PERIOD_UNITS}\b",
    re.IGNORECASE,
)
WEEKDAY = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
NUMBER = re.compile(rf"\b{_NUM}\b|\b{_WORDNUM}\b", re.IGNORECASE)


def figures_in(text: str) -> dict[str, int]:
    """How many of each kind of figure the text holds: amount, percentage, proportion, year, date,
    weekday and number (digits or words that are no year)."""
    years = YEAR.findall(text)
    numbers = sum(1 for m in NUMBER.finditer(text) if not YEAR.fullmatch(m.group()))
    return {
        "amount": len(AMOUNT.findall(text)),
        "percentage": len(PERCENTAGE.findall(text)),
        "proportion": len(PROPORTION.findall(text)),
        "year": len(years),
        "date": len(DATE.findall(text)),
        "weekday": len(WEEKDAY.findall(text)),
        "number": numbers,
    }
