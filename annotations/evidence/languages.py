"""How figures are written in the languages the evidence check reads: separators, number words,
scales, fractions, percent and trend words.

A text's language is the claim's article language (`Article.language`, BCP 47) or, for a report,
the one whose common words it uses most (`detect`). The decimal mark is the language's, unless
the text itself shows the other one unambiguously ("1,234.5" against "1.234,5").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

THOUSAND, MILLION, BILLION, TRILLION = (Decimal(10) ** n for n in (3, 6, 9, 12))


@dataclass(frozen=True)
class Language:
    code: str
    decimal_mark: str
    common_words: frozenset[str]
    """Short words frequent in any text of the language, to tell which language a report is in."""
    ones: Mapping[str, int]
    """Number words that add their value (one to ninety-nine, hundreds written as one word)."""
    multipliers: Mapping[str, Decimal]
    """Number words that multiply what comes before them (hundred, thousand, million…)."""
    scales: Mapping[str, Decimal]
    """Scale words and abbreviations written after digits ("1,5 millones", "€3bn")."""
    joiners: frozenset[str] = frozenset()
    """Words between number words ("one hundred and six", "veintiuno y dos" is not one)."""
    articles: frozenset[str] = frozenset()
    """Words meaning "one" before a scale or fraction ("a million", "un tiers")."""
    fractions: Mapping[str, int] = field(default_factory=dict)
    """Fraction words and their denominators ("third" 3)."""
    halves: frozenset[str] = frozenset()
    """Words for one half, as in "half of"."""
    one_in: frozenset[str] = frozenset()
    """How "one in three" joins its numbers."""
    percent: frozenset[str] = frozenset()
    points: frozenset[str] = frozenset()
    """Percentage points."""
    rises: frozenset[str] = frozenset()
    falls: frozenset[str] = frozenset()
    currencies: Mapping[str, str] = field(default_factory=dict)
    """Currency names written after a number."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EN_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ES_ONES = {
    "cero": 0, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
    "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
    "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400,
    "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900,
    "novecientas": 900,
}  # fmt: skip
_FR_ONES = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "quatre-vingt": 80, "quatre-vingts": 80, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60,
}  # fmt: skip
_DE_ONES = {
    "null": 0, "ein": 1, "eine": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
    "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}  # fmt: skip
_PT_ONES = {
    "zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
    "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14,
    "quinze": 15, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60, "setenta": 70,
    "oitenta": 80, "noventa": 90, "cem": 100, "cento": 100, "duzentos": 200, "trezentos": 300,
    "quatrocentos": 400, "quinhentos": 500,
}  # fmt: skip
_IT_ONES = {
    "zero": 0, "uno": 1, "una": 1, "un": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7,
    "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "venti": 20, "trenta": 30, "quaranta": 40,
    "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90, "cento": 100,
}  # fmt: skip

_PERCENT_SIGNS = _words("% pct")

LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language(
            code="en",
            decimal_mark=".",
            common_words=_words("the and of to in is that for was with on are said it by from has have"),
            ones=_EN_ONES,
            multipliers={
                "hundred": Decimal(100),
                "thousand": THOUSAND,
                "million": MILLION,
                "billion": BILLION,
                "trillion": TRILLION,
                "lakh": Decimal(10) ** 5,
                "crore": Decimal(10) ** 7,
            },
            scales={
                "thousand": THOUSAND,
                "k": THOUSAND,
                "million": MILLION,
                "millions": MILLION,
                "m": MILLION,
                "mn": MILLION,
                "mln": MILLION,
                "billion": BILLION,
                "billions": BILLION,
                "bn": BILLION,
                "bln": BILLION,
                "trillion": TRILLION,
                "tn": TRILLION,
                "trn": TRILLION,
                "lakh": Decimal(10) ** 5,
                "lakhs": Decimal(10) ** 5,
                "crore": Decimal(10) ** 7,
                "crores": Decimal(10) ** 7,
                "cr": Decimal(10) ** 7,
            },
            joiners=_words("and"),
            articles=_words("a an one"),
            fractions={"third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5},
            halves=_words("half"),
            one_in=frozenset({"in", "out of"}),
            percent=frozenset({"per cent", "percent", "pc"}) | _PERCENT_SIGNS,
            points=frozenset({"percentage points", "percentage point", "points", "pp", "pts"}),
            rises=_words(
                "rise rises rose risen rising increase increased increases increasing up grew grow "
                "grown growing growth gain gains gained higher jump jumped jumps climb climbed soared "
                "surged surge hike boost boosted"
            ),
            falls=_words(
                "fall falls fell fallen falling decrease decreased decreases decreasing down drop dropped "
                "drops decline declined declines declining lower cut cuts shrank shrink shrunk slumped "
                "slump plunged plunge dipped dip reduced reduction loss lost"
            ),
            currencies={
                "dollars": "USD",
                "dollar": "USD",
                "euros": "EUR",
                "euro": "EUR",
                "pounds": "GBP",
                "pound": "GBP",
                "yen": "JPY",
                "rupees": "INR",
                "rupee": "INR",
            },
        ),
        Language(
            code="es",
            decimal_mark=",",
            common_words=_words(
                "el la de que y en los las del se por un una con para es al lo como más según ha han fue"
            ),
            ones=_ES_ONES,
            multipliers={
                "mil": THOUSAND,
                "millón": MILLION,
                "millones": MILLION,
                "billón": TRILLION,
                "billones": TRILLION,
            },
            scales={
                "mil": THOUSAND,
                "millón": MILLION,
                "millones": MILLION,
                "mill": MILLION,
                "mdd": MILLION,
                "billón": TRILLION,
                "billones": TRILLION,
                "k": THOUSAND,
            },
            joiners=_words("y"),
            articles=_words("un una"),
            fractions={"tercio": 3, "tercios": 3, "quinto": 5, "quintos": 5},
            halves=_words("mitad"),
            one_in=frozenset({"de cada"}),
            percent=frozenset({"por ciento", "por cien"}) | _PERCENT_SIGNS,
            points=frozenset({"puntos porcentuales", "punto porcentual", "puntos", "pp"}),
            rises=_words(
                "subió sube suben subieron aumentó aumenta aumento aumentaron creció crece crecieron "
                "crecimiento incremento incrementó alza"
            ),
            falls=_words(
                "bajó baja bajaron cayó cae cayeron caída descenso descendió disminuyó disminución "
                "disminuye redujo reducción retroceso retrocedió"
            ),
            currencies={
                "dólares": "USD",
                "dólar": "USD",
                "euros": "EUR",
                "euro": "EUR",
                "libras": "GBP",
                "rupias": "INR",
            },
        ),
        Language(
            code="fr",
            decimal_mark=",",
            common_words=_words(
                "le la les de des du et en un une est que qui dans pour pas sur au aux avec ce selon ont sont à d l"
            ),
            ones=_FR_ONES,
            multipliers={
                "cent": Decimal(100),
                "cents": Decimal(100),
                "mille": THOUSAND,
                "million": MILLION,
                "millions": MILLION,
                "milliard": BILLION,
                "milliards": BILLION,
            },
            scales={
                "mille": THOUSAND,
                "million": MILLION,
                "millions": MILLION,
                "milliard": BILLION,
                "milliards": BILLION,
                "md": BILLION,
                "mds": BILLION,
                "mrd": BILLION,
                "m": MILLION,
                "k": THOUSAND,
                "billion": TRILLION,
                "billions": TRILLION,
            },
            joiners=_words("et"),
            articles=_words("un une"),
            fractions={"tiers": 3, "quart": 4, "quarts": 4, "cinquième": 5},
            halves=_words("moitié"),
            one_in=frozenset({"sur"}),
            percent=frozenset({"pour cent", "pourcent"}) | _PERCENT_SIGNS,
            points=frozenset({"points de pourcentage", "point de pourcentage", "points", "pts"}),
            rises=_words(
                "hausse augmenté augmente augmentation progressé progresse progression grimpé bondi croissance"
            ),
            falls=_words("baisse baissé diminué diminue diminution chuté chute recul reculé régressé repli"),
            currencies={"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "livres": "GBP"},
        ),
        Language(
            code="de",
            decimal_mark=",",
            common_words=_words(
                "der die und in den von zu das mit sich des auf für "
                "ist im dem nicht ein eine hat haben ihre wurde sind um laut bei"
            ),
            ones=_DE_ONES,
            multipliers={
                "hundert": Decimal(100),
                "tausend": THOUSAND,
                "million": MILLION,
                "millionen": MILLION,
                "milliarde": BILLION,
                "milliarden": BILLION,
                "billion": TRILLION,
                "billionen": TRILLION,
            },
            scales={
                "tausend": THOUSAND,
                "tsd": THOUSAND,
                "million": MILLION,
                "millionen": MILLION,
                "mio": MILLION,
                "milliarde": BILLION,
                "milliarden": BILLION,
                "mrd": BILLION,
                "billion": TRILLION,
                "billionen": TRILLION,
                "k": THOUSAND,
            },
            joiners=_words("und"),
            articles=_words("ein eine einen einer"),
            fractions={"drittel": 3, "viertel": 4, "fünftel": 5},
            halves=_words("hälfte"),
            one_in=frozenset({"von"}),
            percent=frozenset({"prozent"}) | _PERCENT_SIGNS,
            points=frozenset({"prozentpunkte", "prozentpunkten", "prozentpunkt", "punkte"}),
            rises=_words("gestiegen steigt stieg anstieg zunahme zugenommen erhöht erhöhung plus wachstum gewachsen"),
            falls=_words(
                "gesunken sinkt sank rückgang gefallen fiel fällt abnahme abgenommen minus verringert gesenkt "
                "zurück zurückgegangen"
            ),
            currencies={"dollar": "USD", "euro": "EUR", "pfund": "GBP"},
        ),
        Language(
            code="pt",
            decimal_mark=",",
            common_words=_words("o a de que e do da em um para é com não uma os no se na por mais diz foram"),
            ones=_PT_ONES,
            multipliers={
                "mil": THOUSAND,
                "milhão": MILLION,
                "milhões": MILLION,
                "bilhão": BILLION,
                "bilhões": BILLION,
                "bilião": TRILLION,
                "biliões": TRILLION,
            },
            scales={
                "mil": THOUSAND,
                "milhão": MILLION,
                "milhões": MILLION,
                "mi": MILLION,
                "bilhão": BILLION,
                "bilhões": BILLION,
                "bi": BILLION,
                "bilião": TRILLION,
                "biliões": TRILLION,
            },
            joiners=_words("e"),
            articles=_words("um uma"),
            fractions={"terço": 3, "terços": 3, "quinto": 5, "quintos": 5},
            halves=_words("metade"),
            one_in=frozenset({"em cada"}),
            percent=frozenset({"por cento"}) | _PERCENT_SIGNS,
            points=frozenset({"pontos percentuais", "ponto percentual", "pontos", "pp"}),
            rises=_words("subiu sobe aumentou aumento alta cresceu crescimento avançou"),
            falls=_words("caiu cai queda diminuiu diminuição redução reduziu baixa recuo recuou"),
            currencies={"dólares": "USD", "euros": "EUR", "reais": "BRL", "libras": "GBP"},
        ),
        Language(
            code="it",
            decimal_mark=",",
            common_words=_words("il di che e la un è non una sono del della le con gli si nel alla ha dei degli"),
            ones=_IT_ONES,
            multipliers={
                "cento": Decimal(100),
                "mille": THOUSAND,
                "mila": THOUSAND,
                "milione": MILLION,
                "milioni": MILLION,
                "miliardo": BILLION,
                "miliardi": BILLION,
            },
            scales={
                "mila": THOUSAND,
                "mille": THOUSAND,
                "milione": MILLION,
                "milioni": MILLION,
                "mln": MILLION,
                "miliardo": BILLION,
                "miliardi": BILLION,
                "mld": BILLION,
                "mrd": BILLION,
            },
            joiners=frozenset(),
            articles=_words("un una uno"),
            fractions={"terzo": 3, "terzi": 3, "quarto": 4, "quinto": 5},
            halves=_words("metà"),
            one_in=frozenset({"su"}),
            percent=frozenset({"per cento"}) | _PERCENT_SIGNS,
            points=frozenset({"punti percentuali", "punto percentuale", "punti"}),
            rises=_words("aumento aumentato aumentata crescita cresciuto salito salita rialzo"),
            falls=_words("calo calato diminuito diminuzione sceso scesa ribasso riduzione"),
            currencies={"dollari": "USD", "euro": "EUR", "sterline": "GBP"},
        ),
    )
}
ENGLISH = LANGUAGES["en"]

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 20_000
_MIN_WORDS = 2
_DOT_DECIMALS = re.compile(r"\d,\d{3}\.\d|\d,\d{3},\d{3}(?![\d,])")
_COMMA_DECIMALS = re.compile(r"\d\.\d{3},\d|\d\.\d{3}\.\d{3}(?![\d.])")


@dataclass(frozen=True)
class Style:
    """How one text writes its figures: its language's words and its decimal mark."""

    language: Language
    decimal_mark: str

    @property
    def code(self) -> str:
        return f"{self.language.code}{self.decimal_mark}"


def language_named(tag: str) -> Language | None:
    """The language of a BCP 47 tag ("es-MX"), if it is one the check reads."""
    return LANGUAGES.get(tag.split("-", 1)[0].split("_", 1)[0].strip().lower())


def detect(text: str) -> Language:
    """The language whose common words the text uses most (English when it is none of them)."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for word in _WORD.findall(text[:_SAMPLE].lower()):
        for code in _speakers(word):
            counts[code] += 1
    ranked = sorted(counts, key=lambda code: (counts[code], code == "en"), reverse=True)
    best, runner_up = counts[ranked[0]], counts[ranked[1]]
    if ranked[0] != "en" and (best < 1.5 * runner_up or (best < _MIN_WORDS and counts["en"])):
        return ENGLISH  # too few words to tell
    return LANGUAGES[ranked[0]] if best else ENGLISH


@cache
def _speakers(word: str) -> tuple[str, ...]:
    return tuple(code for code, language in LANGUAGES.items() if word in _telling_words(code))


@cache
def _telling_words(code: str) -> frozenset[str]:
    """The language's common words and the words it writes figures with that no other language uses."""
    language = LANGUAGES[code]
    figures = {*language.multipliers, *language.scales, *language.currencies, *language.rises, *language.falls}
    others = {
        word
        for other in LANGUAGES.values()
        if other is not language
        for word in (*other.multipliers, *other.scales, *other.currencies, *other.rises, *other.falls)
    }
    return language.common_words | {word for word in figures - others if len(word) > 3}


def style_of(text: str, *, language: str = "") -> Style:
    """How the text writes figures: the named language (else the one detected), and the decimal mark
    the text shows unambiguously, else the language's."""
    named = language_named(language) if language else None
    chosen = named or detect(text)
    sample = text[: _SAMPLE * 10]
    dots, commas = len(_DOT_DECIMALS.findall(sample)), len(_COMMA_DECIMALS.findall(sample))
    mark = chosen.decimal_mark
    if dots > 2 * commas:
        mark = "."
    elif commas > 2 * dots:
        mark = ","
    return Style(chosen, mark)
