"""The figures a claim states, and whether two claims state different ones.

Sentence vectors place "life expectancy in China reached 78.6 years" next to "life expectancy in
Chile is above 80 years": the same template, another place and figure. Figures are written in
digits in every language and script, so they are the one piece of wording that can be compared
across languages: two claims that both state figures and share none are rarely the same claim.

A figure is read as every value its digits can mean: "1.134" and "1,134" are 1134 or 1.134 (the
separator is a thousands mark in one language, a decimal mark in another), and a scale word or
character after it multiplies it ("4 million", "400万", "9m"). Years (whole numbers from 1900 to
2100) are left out: unrelated claims share the year they were made in, and the same claim is
repeated a year later. So are small whole numbers without a scale (below 10), which are as often
spelled out ("two cups", "five million").
"""

from __future__ import annotations

import re

SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "千": 1e3,
    "천": 1e3,
    "万": 1e4,
    "萬": 1e4,
    "만": 1e4,
    "亿": 1e8,
    "億": 1e8,
    "억": 1e8,
}
_SEPARATORS = "[.,\u00a0\u202f ]"
_FIGURE = re.compile(
    rf"(\d+(?:{_SEPARATORS}\d+)*)\s*(thousand|millions?|billions?|bn|mn|k|m|千|천|万|萬|만|亿|億|억)?(?![a-z])",
    re.IGNORECASE,
)

Figure = frozenset[float]
"""The values one figure can mean."""


def figures(text: str) -> list[Figure]:
    """The figures stated in a text, each as the set of values it can mean (years and small counts left out)."""
    found = []
    for digits, scale in _FIGURE.findall(text):
        groups = re.split(_SEPARATORS, digits)
        values = {float("".join(groups))}
        if len(groups) == 2:
            values.add(float(f"{groups[0]}.{groups[1]}"))
        if scale:
            values |= {value * SCALES[scale.lower()] for value in values}
        elif all(value.is_integer() and (value < 10 or 1900 <= value <= 2100) for value in values):
            continue
        found.append(frozenset(round(value, 6) for value in values))
    return found


def figures_differ(first: str, second: str) -> bool:
    """Both texts state figures and no figure of one can be a figure of the other."""
    mine, theirs = figures(first), figures(second)
    return bool(mine and theirs) and not any(one & other for one in mine for other in theirs)
