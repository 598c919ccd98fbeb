import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
CORPUS = PROJECT_ROOT / ".." / "shared" / "corpus"
CASES = PROJECT_ROOT / "tests" / "fixtures" / "anchoring_cases.json"


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")


def read_source(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:  # keep CRLF as the author wrote it
        return f.read()


def anchoring_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(CASES.read_text(encoding="utf-8"))
    return cases


class BlockTexts(HTMLParser):
    """Text nodes a browser builds inside each element carrying data-start."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, int, str]] = []
        self.depth = 0
        self.current: tuple[int, int] | None = None
        self.parts: list[str] = []
        self.hrefs: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self.hrefs.append(found.get("href"))
        if tag == "br":
            return
        if "data-start" in found:
            assert self.current is None, "blocks must not nest"
            self.current = (int(found["data-start"] or 0), int(found["data-end"] or 0))
            self.depth = 0
            self.parts = []
        elif self.current is not None:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.current is None:
            return
        if self.depth == 0:
            self.blocks.append((*self.current, "".join(self.parts)))
            self.current = None
        else:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.parts.append(data)
        else:
            assert data == "", f"text outside a block: {data!r}"


def block_texts(html: str) -> BlockTexts:
    parser = BlockTexts()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(params=corpus_files(), ids=lambda p: p.name)
def corpus_source(request: pytest.FixtureRequest) -> str:
    path: Path = request.param
    return read_source(path)
