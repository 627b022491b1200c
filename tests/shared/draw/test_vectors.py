"""docs/draw-vectors: the committed expectations hold in Python and in JavaScript,
and regenerating them changes nothing (so the files are what the code does)."""

from __future__ import annotations

import pytest

from shared.draw.snapshot import canonical_json
from tests.shared.draw.oracle import answer, node_answers
from tests.shared.draw.vectors import build, load

VECTORS = load()


def _cases(doc):
    return [({k: v for k, v in c.items() if k != "expect"}, c["expect"]) for c in doc["cases"]]


def test_there_is_a_vector_file_per_step():
    assert len(VECTORS) == 13
    assert all(doc["cases"] for doc in VECTORS.values())


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_python_reproduces_the_vectors(name):
    for case, expect in _cases(VECTORS[name]):
        assert canonical_json(answer(case)) == canonical_json(expect), case["op"]


def test_javascript_reproduces_every_vector():
    cases = [pair for doc in VECTORS.values() for pair in _cases(doc)]
    got = node_answers([c for c, _ in cases])
    for (case, expect), answer_ in zip(cases, got, strict=True):
        assert canonical_json(answer_) == canonical_json(expect), case["op"]


def test_the_committed_vectors_are_current():
    fresh = build()
    assert sorted(fresh) == sorted(VECTORS)
    for name, doc in fresh.items():
        assert canonical_json(doc["cases"]) == canonical_json(VECTORS[name]["cases"]), name
