"""Finding `@username` mentions in a comment: pure text functions, no Django.

A mention is "@" at the start of the text or after a character that cannot end a user name (so
an email address is not one), followed by one of the given user names, compared case-blind after
Unicode NFC normalisation. The name must end there: the next character is not a letter or digit,
and not one of the name characters `.@+-` followed by a letter or digit ("@anna." and "@anna's"
mention anna; "@anna.b" mentions anna.b or nobody). Of two names that both fit, the longer wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Django's user names are letters, digits and @.+-_ (Unicode letters and digits included).
_NAME_CHAR = re.compile(r"[\w.@+-]")
_CONTINUES = re.compile(r"\w|[.@+-]\w")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def mentioned(body: str, usernames: Iterable[str]) -> list[str]:
    """The user names (as given) that `body` mentions, each once, in the order first mentioned."""
    names = sorted({name for name in usernames if name}, key=len, reverse=True)
    if not names or "@" not in body:
        return []
    text = unicodedata.normalize("NFC", body)
    folded = {name: _fold(name) for name in names}
    found: list[str] = []
    for match in re.finditer("@", text):
        at = match.start()
        if at > 0 and _NAME_CHAR.match(text[at - 1]):
            continue
        rest = text[at + 1 :]
        for name in names:
            key = folded[name]
            # Compare the same number of characters as the folded name, then check where it ends.
            candidate = rest[: len(name) + 8]
            end = _prefix_length(candidate, key)
            if end is None:
                continue
            if _CONTINUES.match(rest, end):
                continue
            if name not in found:
                found.append(name)
            break
    return found


def _prefix_length(text: str, folded_name: str) -> int | None:
    """How many characters of `text` spell `folded_name` once folded, or None if it does not start with it."""
    for length in range(1, len(text) + 1):
        head = _fold(text[:length])
        if head == folded_name:
            return length
        if not folded_name.startswith(head):
            return None
    return None
