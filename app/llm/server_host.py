"""``python -m app.llm.server_host LEASES MODULE [ARGS...]``: run a model server for as long as a lease holds.

The machine's shared model server (app/llm/shared_server.py) outlives the worker that started it, so the
kernel's parent-death signal cannot end it. This host runs ``MODULE`` (``llama_cpp.server``) in-process
with a watchdog thread that reads the lease folder ``LEASES`` twice a second: when no process holding a
lease is alive (the last worker left, or was killed), the host exits at once (``os._exit``), abandoning
any request in flight: nobody is left to read its answer.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time
from pathlib import Path

from app.llm.leases import live_leases

POLL_S = 0.5


def watch(leases: Path) -> None:
    while True:
        time.sleep(POLL_S)
        if not live_leases(leases):
            os._exit(0)


def main() -> None:
    leases, module, *args = sys.argv[1:]
    threading.Thread(target=watch, args=(Path(leases),), name="lease watchdog", daemon=True).start()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
