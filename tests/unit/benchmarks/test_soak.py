"""The soak's request bodies (every id once, in order, each line a comment ingest accepts) and
when it reads the start memory."""

from __future__ import annotations

import json

from shared.validation import parse_comments
from tooling.benchmarks import soak


def test_ids_run_in_order_once_each_across_requests_and_texts_come_from_the_pool(
    monkeypatch,
) -> None:
    # Given a pool smaller than the run, so texts are reused under new ids
    monkeypatch.setattr(soak, "BODY_TEXT_POOL", 7)

    # When 23 comments are cut into requests of 10
    requests = list(soak._bodies("soak-t", 23, 10))

    # Then the requests hold 10, 10 and 3 comments starting at 0, 10 and 20
    assert [(first, size) for first, size, _ in requests] == [(0, 10), (10, 10), (20, 3)]
    lines = [json.loads(line) for _, _, body in requests for line in body.decode().split("\n")]
    # and the ids are the demo's, each once, in order
    assert [line["id"] for line in lines] == [f"soak-t-{n:06d}" for n in range(23)]
    # and the texts repeat with the pool's period
    assert len({line["texto"] for line in lines}) <= 7
    assert lines[0]["texto"] == lines[7]["texto"] == lines[14]["texto"]
    assert set(lines[0]) == {"id", "texto", "criado_em"}


def test_every_body_is_ndjson_that_ingest_accepts() -> None:
    # Given the bodies of a short run
    for _first, size, body in soak._bodies("soak-v", 25, 12):
        # When ingest's own parser reads one
        parsed = parse_comments(
            body, "application/x-ndjson", max_items=100, max_text_chars=5000, allow_ndjson=True
        )
        # Then every line is a valid comment
        assert len(parsed.comments) == size


def test_start_memory_waits_a_fifth_of_the_run_and_at_least_a_minute() -> None:
    # Given runs of 3 and 10 minutes, and one whose warm-up is given
    # Then the warm-up is a minute, two minutes, and what was given
    assert soak.warmup_for(3.0, None) == 60.0
    assert soak.warmup_for(10.0, None) == 120.0
    assert soak.warmup_for(10.0, 30.0) == 30.0
