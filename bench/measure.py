"""Runs one command and reports its wall time and peak RSS on fd 3 as JSON.

Usage: python3 bench/measure.py COMMAND [ARGS...]
stdin is read whole first and given to the command through a pipe; stdout and
stderr pass through. The clock starts just
before fork and stops when wait4 returns, so Python's own start-up is not
counted; the peak RSS is the child's ru_maxrss (kubectl execs its plugins in
the same process, so it covers the plugin too).
"""
import json
import os
import sys
import time

# Node gives us a socket for stdin, and open("/dev/stdin") fails on a socket
# (kubectl --from-file=k=/dev/stdin does that): hand the command a real pipe.
data = sys.stdin.buffer.read()
r, w = os.pipe()
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.close(w)
        os.dup2(r, 0)
        os.close(r)
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
os.close(r)
with os.fdopen(w, "wb") as pipe:
    try:
        pipe.write(data)
    except BrokenPipeError:
        pass
_, status, usage = os.wait4(pid, 0)
t1 = time.perf_counter()
os.write(
    3,
    json.dumps(
        {
            "wallMs": (t1 - t0) * 1000,
            "maxRssKiB": usage.ru_maxrss,
            "userMs": usage.ru_utime * 1000,
            "sysMs": usage.ru_stime * 1000,
            "exitCode": os.waitstatus_to_exitcode(status),
        }
    ).encode(),
)
