"""Precision@3 and MRR of a backend over the judgement set (used by tests and bench/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

JUDGEMENTS = Path(__file__).with_name("relevance_judgements.json")


@dataclass
class Evaluation:
    queries: int = 0
    hits_at_3: int = 0
    reciprocal_ranks: float = 0.0
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def precision_at_3(self) -> float:
        """Share of queries with an expected item in the top 3."""
        return self.hits_at_3 / self.queries if self.queries else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.queries if self.queries else 0.0


def judgements() -> list[dict]:
    return json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]


def evaluate(run_query) -> Evaluation:
    """``run_query(text) -> list of object ids`` in rank order."""
    evaluation = Evaluation()
    for item in judgements():
        expected = [str(i) for i in item["expected"]]
        found = [str(i) for i in run_query(item["query"])]
        evaluation.queries += 1
        rank = next((n for n, oid in enumerate(found, 1) if oid in expected), None)
        if rank is not None:
            evaluation.reciprocal_ranks += 1 / rank
        if rank is not None and rank <= 3:
            evaluation.hits_at_3 += 1
        else:
            evaluation.misses.append((item["query"], expected, found[:5]))
    return evaluation
