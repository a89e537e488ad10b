"""SecantusDB's own entry point, started with the interpreter's start-up heap hidden from
the cyclic garbage collector (`gc.freeze`), with the adapters of `secantus_adapters.py`
(a transaction registry that does not grow with every session the server has ever seen;
a collection's index catalogue read once per write statement rather than per document;
WiredTiger's keys and values packed with one join or split each; `$in` over strings
matched by set membership; documents copied for updates as plain trees; index keys of
plain top-level fields encoded directly), and with a short GIL switch interval
(`SWITCH_INTERVAL`).

The server is a Python process: while a full collection runs, every request it is
serving waits. With the modules and types it imported frozen, those pauses measured
about 20 ms instead of 45 ms, which is the difference between the intake's p99 meeting
its target at 500 submissions/s or not. Run as a script (`python deploy/local/secantusd.py
--port ...`), so its command line carries the marker `deploy.local` looks for.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from secantus.cli import main

# Every WiredTiger call lets go of the GIL and must take it back, and a thread that wants
# it back waits until the thread holding it has run for the switch interval (5 ms by
# default). One connection's thread busy in Python so made every other thread wait up to
# 5 ms per WiredTiger call, and a statement makes dozens of them: under overload the
# server's statements took 5-15 ms per document, transactions 5-17 s, and offered 250
# cases/s the pipeline benchmark fell to 20-46 in 7 runs of 10. At 0.2 ms a commit beside
# a busy thread takes 0.75 ms instead of 12 (`bench.switch_interval`), and none of 8 runs
# fell (BENCHMARKS.md, "whole pipeline").
SWITCH_INTERVAL = 0.0002

if __name__ == "__main__":
    # Run as a script: its own folder is on the path, the package root is not.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from deploy.local import secantus_adapters

    secantus_adapters.install()
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.collect()
    gc.freeze()
    sys.exit(main())
