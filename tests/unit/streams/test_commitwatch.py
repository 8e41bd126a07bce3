"""The commit watch: a stall is processing past committed offsets that do not move."""

from __future__ import annotations

import logging

import pytest

from streams.commitwatch import CommitWatch


def test_offsets_that_keep_moving_are_no_stall() -> None:
    watch = CommitWatch(after=30)
    for second in range(0, 120, 5):
        assert watch.observe(second, {"t[0]": second * 10}, {"t[0]": second * 10 - 3}) == 0.0
    assert not watch.stalled


def test_everything_committed_is_no_stall_however_long() -> None:
    watch = CommitWatch(after=30)
    for second in range(0, 120, 5):
        assert watch.observe(second, {"t[0]": 41}, {"t[0]": 42}) == 0.0


def test_processed_past_a_commit_that_does_not_move_is_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    watch = CommitWatch(after=30)
    caplog.set_level(logging.WARNING, "streams.commitwatch")
    seen = [watch.observe(second, {"t[0]": 50 + second}, {"t[0]": 10}) for second in range(0, 65, 5)]
    assert seen[0] == 0.0 and seen[-1] == 60.0
    assert watch.stalled
    warnings = [r for r in caplog.records if "not committed" in r.getMessage()]
    assert len(warnings) == 1 and "t[0]" in warnings[0].getMessage()
    # The commit moves: the stall is over.
    assert watch.observe(70, {"t[0]": 120}, {"t[0]": 121}) == 0.0
    assert not watch.stalled


def test_a_partition_never_committed_counts_as_waiting() -> None:
    watch = CommitWatch(after=10)
    watch.observe(0, {"t[0]": 5}, {})
    assert watch.observe(15, {"t[0]": 9}, {}) == 15.0
