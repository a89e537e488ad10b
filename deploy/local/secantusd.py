"""SecantusDB's own entry point, started with the interpreter's start-up heap hidden from
the cyclic garbage collector (`gc.freeze`).

The server is a Python process: while a full collection runs, every request it is
serving waits. With the modules and types it imported frozen, those pauses measured
about 20 ms instead of 45 ms, which is the difference between the intake's p99 meeting
its target at 500 submissions/s or not. Run as a script (`python deploy/local/secantusd.py
--port ...`), so its command line carries the marker `deploy.local` looks for.
"""

from __future__ import annotations

import gc
import sys

from secantus.cli import main

if __name__ == "__main__":
    gc.collect()
    gc.freeze()
    sys.exit(main())
