"""In-process throughput of the embedded classifier on one core, and its cold start.

Throughput: batches of realistic comments (the corpus and the YouTube files, cycled and shuffled
with a fixed seed) through `classify_batch`, tags included, with the process pinned to one CPU;
the median of the timed repeats is kept. Cold start: a fresh interpreter imports the classifier,
loads the artifact and classifies one comment; the median of three such processes is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from shared.classifier.local import load_local_classifier
from tooling.classifier.dataset import load_listener_comments, load_youtube_comments

_COLD_START = """
import time
started = time.perf_counter()
from shared.classifier.local import load_local_classifier
classifier = load_local_classifier()
answer = classifier.classify_batch(["que música linda, alguém sabe o nome do álbum?"])[0]
print(time.perf_counter() - started)
"""


@contextmanager
def one_core() -> Iterator[int | None]:
    # Pinned to one CPU so the figure is per core whatever numpy's threading would do.
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    previous = os.sched_getaffinity(0)
    core = min(previous)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, previous)


def sample_comments(size: int, seed: int = 0) -> list[str]:
    texts = [row.texto for row in load_listener_comments()]
    texts += [row.texto for row in load_youtube_comments()]
    batch = [texts[i % len(texts)] for i in range(size)]
    random.Random(seed).shuffle(batch)
    return batch


def cold_start_seconds(runs: int = 3) -> tuple[float, float]:
    """(median in-process seconds to import, load and classify one; median process wall time)."""
    inside: list[float] = []
    wall: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", _COLD_START], capture_output=True, text=True, check=True
        )
        wall.append(time.perf_counter() - started)
        inside.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(inside), statistics.median(wall)


def measure(batch_size: int, repeats: int) -> dict[str, object]:
    classifier = load_local_classifier()
    batch = sample_comments(batch_size)
    with one_core() as core:
        classifier.classify_batch(batch)  # warm-up: first-use allocations, tag pattern compile
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            classifier.classify_batch(batch)
            timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    cold_inside, cold_wall = cold_start_seconds()
    return {
        "benchmark": "classifier",
        "comments_per_second": round(batch_size / median),
        "batch": batch_size,
        "repeats": repeats,
        "batch_seconds_median": round(median, 4),
        "batch_seconds_min": round(min(timings), 4),
        "cpu": core,
        "cold_start_seconds": round(cold_inside, 3),
        "cold_start_process_seconds": round(cold_wall, 3),
        "model_version": classifier.version,
    }


def run(args: argparse.Namespace) -> int:
    print(json.dumps(measure(args.batch, args.repeats)))
    return 0
