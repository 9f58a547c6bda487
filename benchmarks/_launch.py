"""Tiny launcher: `python -S -E _launch.py RESULT CMD...` runs CMD and writes its wall time and
rusage to RESULT as JSON.

Why a separate small process: on Linux a child's ru_maxrss starts at the peak RSS of the address
space it was forked (or vforked) from, because exec records the old address space's high-water
mark. Spawned straight from the harness, which may hold megabytes of parsed files, every tool
would inherit the harness's peak. Spawned from this launcher (a few MB), the floor is negligible.
Only os/sys/time are imported, to keep the launcher small.
"""

import os
import sys
import time


def main() -> None:
    result, cmd = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    with open(result, "w") as fh:
        fh.write('{"wall": %r, "maxrss_kb": %d, "rc": %d, "user": %r, "sys": %r}\n'
                 % (wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status), ru.ru_utime, ru.ru_stime))


main()
