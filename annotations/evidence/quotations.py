"""The phrases a claim quotes: text between an opening quote mark and the mark that closes it.

An apostrophe is not a closing mark where it is inside a word ("‘Don’t do it’" quotes "Don’t do
it", not "Don"), and not an opening one after a letter or digit ("rock ’n’ roll", "the ’90s").
"""

from __future__ import annotations

_CLOSERS = {
    "\u201c": "\u201d",  # “…”
    "\u201e": "\u201c\u201d",  # „…“ and „…”
    "\u00ab": "\u00bb",  # «…»
    "\u00bb": "\u00ab",  # »…«
    "\u2039": "\u203a",  # ‹…›
    "\u203a": "\u2039",
    "\u2018": "\u2019",  # ‘…’
    "\u201a": "\u2018\u2019",  # ‚…‘
    "\u300c": "\u300d",  # 「…」
    '"': '"',
    "'": "'",
}
_APOSTROPHES = "'\u2019\u2018"
_MIN_LENGTH = 2


_SPACED = "\u00ab\u00bb\u2039\u203a"
"""Guillemets, which French sets apart from the words they quote with a space."""


def _opens(text: str, at: int) -> bool:
    after = text[at + 1 : at + 2]
    if not after or (after.isspace() and text[at] not in _SPACED):
        return False
    return at == 0 or not text[at - 1].isalnum()


def _closes(text: str, at: int) -> bool:
    if text[at - 1].isspace() and text[at] not in _SPACED:
        return False
    return text[at] not in _APOSTROPHES or not text[at + 1 : at + 2].isalnum()


def quoted_phrases(text: str) -> list[str]:
    """The phrases quoted in the text, each once, in order (an outer quotation contains its inner ones)."""
    phrases: list[str] = []
    at = 0
    while at < len(text):
        closers = _CLOSERS.get(text[at])
        if closers is None or not _opens(text, at):
            at += 1
            continue
        end = at + 1
        while end < len(text) and text[end] != "\n" and not (text[end] in closers and _closes(text, end)):
            end += 1
        if end >= len(text) or text[end] == "\n":
            at += 1
            continue
        phrase = text[at + 1 : end].strip()
        if len(phrase) >= _MIN_LENGTH and phrase not in phrases:
            phrases.append(phrase)
        at = end + 1
    return phrases
