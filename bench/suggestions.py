"""Benchmark: claim suggestions, in seconds per 10,000 words of article text, on one process.

The text is news prose: the paragraphs of the shipped labelled articles and of the evaluation set
(English, French, Spanish, German), shuffled and repeated until the article has the words asked
for. Measured in memory, as the worker's task runs it before storing: `suggest` (sentence and clause
splitting, figure, date and cue recognition, scoring with the shipped weights, ranking), and its two
halves apart. Median and min–max over RUNS runs; the target is at most 2 s per 10,000 words.
Appends its figures to bench/RESULTS.md. Run: ``python bench/suggestions.py [--runs 7] [--words 10000 100000]``.
Exits non-zero when the target is missed. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.suggestions import featured_spans, rank, shipped_weights, suggest  # noqa: E402
from annotations.suggestions.labelled import fitting_set, parse_labelled  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
EVALUATION = ROOT / "tests" / "fixtures" / "suggestions_eval.txt"
TARGET_SECONDS = 2.0
WORD = re.compile(r"\w+")


def article_of(words: int, seed: int = 1) -> str:
    articles = [*fitting_set(), *parse_labelled(EVALUATION.read_text(encoding="utf-8"))]
    paragraphs = [p for a in articles for p in a.text.split("\n\n")]
    rng = random.Random(seed)
    chosen: list[str] = []
    count = 0
    while count < words:
        paragraph = rng.choice(paragraphs)
        chosen.append(paragraph)
        count += len(WORD.findall(paragraph))
    return "\n\n".join(chosen)


def timed(run: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--words", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    weights = shipped_weights()
    lines = []
    worst = 0.0
    for words in args.words:
        text = article_of(words)
        actual = len(WORD.findall(text))
        spans = featured_spans(text)
        found = suggest(text, weights)
        rows = [
            ("`suggest` (everything)", timed(partial(suggest, text, weights), args.runs)),
            ("splitting and features (`featured_spans`)", timed(partial(featured_spans, text), args.runs)),
            ("scoring and ranking (`rank`)", timed(partial(rank, spans, weights), args.runs)),
        ]
        for label, times in rows:
            per = [t * 10_000 / actual for t in times]
            median = statistics.median(per)
            if label.startswith("`suggest`"):
                worst = max(worst, median)
            lines.append(
                f"- {actual:,} words ({len(text):,} characters, {len(spans):,} clauses, {len(found):,} suggested), "
                f"{label}: {median:.3f} s per 10,000 words (runs {min(per):.3f}–{max(per):.3f})"
            )
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    lines.append(f"- worst median: {worst:.3f} s per 10,000 words (target ≤ {TARGET_SECONDS:.0f} s: {verdict})")
    machine = (
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; one process, {args.runs} runs, weights {weights.version}"
    )
    section = (
        f"\n## Claim suggestions: time per 10,000 words (bench/suggestions.py) ({datetime.date.today()})\n\n"
        f"Machine: {machine}. Other test suites may share the machine.\n\n" + "\n".join(lines) + "\n"
    )
    print(section)
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(section)
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
