"""Figures are compared across languages, scripts and ways of writing them."""

import pytest

from annotations.matching.figures import figures, figures_differ


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Spain's minimum wage rose to 1,134 euros.", "El salario mínimo subió a 1.134 euros."),
        ("Inflation fell to 2.8 percent.", "Inflacja spadła do 2,8 procent."),
        ("There are about 4 million vending machines in Japan.", "日本には約400万台の自動販売機がある。"),
        ("Chinese buyers bought more than 9m electric cars.", "中国新能源汽车销量超过900万辆。"),
        ("Drinking two cups of coffee a day cuts the risk by 25%.", "Two coffees a day: a quarter less risk."),
        ("Unemployment fell in 2023.", "Unemployment fell to 4.1% in 2024."),
    ],
)
def test_the_same_figure_however_written_or_no_figure_on_one_side_is_no_difference(first, second):
    assert not figures_differ(first, second)


def test_claims_stating_other_figures_differ():
    assert figures_differ("中国人均预期寿命已达到78.6岁。", "La esperanza de vida en Chile supera los 80 años.")
    assert figures_differ("Turkey's inflation reached 75 percent.", "Türkiye'de enflasyon yüzde 65'e ulaştı.")


def test_years_and_small_counts_are_not_figures():
    assert figures("In 2023 two of 3 people") == []
    assert figures("5 million in 1999") == [frozenset({5.0, 5e6})]
