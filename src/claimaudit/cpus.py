"""How many CPUs this process may use (for ``--jobs auto`` and the early reader)."""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def usable_cpus(cgroup: Path = CGROUP) -> int:
    """The CPUs this process may run on (its affinity mask where the system has one, as ``taskset``
    or a container's cpuset sets it, else the machine's), fewer when a CPU quota limits its container
    (``docker run --cpus``, a Kubernetes CPU limit); at least 1."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    quota = cpu_quota(cgroup)
    return max(1, min(cpus, quota) if quota is not None else cpus)


def cpu_quota(cgroup: Path = CGROUP) -> int | None:
    """The CPUs a cgroup bandwidth limit allows (quota / period, rounded up), or None when there is
    none or it cannot be read. Read where a container sees its own cgroup, as joblib's loky reads it:
    ``cpu.max`` (cgroup v2: "150000 100000", "max 100000"), else ``cpu/cpu.cfs_quota_us`` and
    ``cpu/cpu.cfs_period_us`` (v1; -1: no limit)."""
    fields = _read(cgroup / "cpu.max").split()
    if len(fields) != 2:
        fields = [_read(cgroup / "cpu" / "cpu.cfs_quota_us").strip(), _read(cgroup / "cpu" / "cpu.cfs_period_us").strip()]
    try:
        quota, period = int(fields[0]), int(fields[1])
    except ValueError:  # "max", or nothing readable
        return None
    if quota <= 0 or period <= 0:
        return None
    return max(1, math.ceil(quota / period))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return ""
