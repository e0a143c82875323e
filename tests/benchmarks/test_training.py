"""The training benchmark checks what it reports: both plans of a run keep every rule
(checked apart from the solvers), the figures are recomputed from the plans, and the
optimiser's plan is never worse than the greedy one it starts from."""

from __future__ import annotations

from benchmarks.training import run, table


def test_a_small_instance_reports_two_checked_plans() -> None:
    row = run(150, seed=3, time_limit_s=2, workers=1)
    assert row.officers == 150 and row.sessions > 0
    assert 0 < row.greedy_value <= row.value <= row.total_gap
    assert row.greedy_spent <= row.budget and row.spent <= row.budget
    text = table([row], time_limit_s=2, workers=1, seed=3)
    assert "| 150 |" in text and "kept" in text and "Command: `uv run python -m benchmarks.training" in text
