"""How many processes `--jobs auto` starts and whether the early reader has a CPU to spare."""

from __future__ import annotations

import os

import pytest

from claimaudit.cpus import cpu_quota, usable_cpus


def _cgroup(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="ascii")
    return tmp_path


@pytest.mark.parametrize(
    "files, cpus",
    [
        ({"cpu.max": "150000 100000\n"}, 2),  # v2: 1.5 CPUs -> two processes share them
        ({"cpu.max": "50000 100000\n"}, 1),
        ({"cpu.max": "max 100000\n"}, None),  # v2, no limit
        ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2),  # v1
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),  # v1, no limit
        ({"cpu.max": "garbage\n"}, None),
        ({}, None),  # no cgroup files (not Linux, or not mounted)
    ],
)
def test_a_cgroup_cpu_quota_is_read_in_whole_cpus(tmp_path, files, cpus):
    assert cpu_quota(_cgroup(tmp_path, files)) == cpus


def test_usable_cpus_is_the_affinity_mask_within_the_quota(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert usable_cpus(_cgroup(tmp_path / "none", {})) == 4
    assert usable_cpus(_cgroup(tmp_path / "quota", {"cpu.max": "100000 100000\n"})) == 1  # docker run --cpus 1
    assert usable_cpus(_cgroup(tmp_path / "large", {"cpu.max": "800000 100000\n"})) == 4  # the mask is smaller
