"""How many CPUs this process may use (for ``--jobs auto`` and the early reader)."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one, as ``taskset``
    or a container's cpuset sets it), else the machine's; at least 1. A CPU quota (cgroups
    ``cpu.max``) is not seen."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
