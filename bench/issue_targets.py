"""Every measurement behind the README's Performance block, one after the other on this machine, then
the block regenerated from their JSON: the answer click in chromium (browser.py), saves under a full room
(saves.py), the admin list at 10,000 (admin_list.py), a room of 10, 25 and 50 through the running app
(room.py), start-up and memory (startup.py), opening at 1,000,000 audit rows (audit_trail.py).

    python bench/issue_targets.py [--only room startup ...] [--no-postgres]

PostgreSQL parts run when TEST_DATABASE_URL is set (unless --no-postgres). Each harness prints its
figures and the ratio to its own floor; this script prints how long each took and whether it failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HARNESSES = {"browser": [], "saves": ["--postgres"], "admin_list": ["--postgres"], "room": ["--postgres"],
             "startup": [], "audit_trail": ["--postgres"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(HARNESSES), default=list(HARNESSES))
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    args = parser.parse_args(argv)
    postgres = args.postgres and bool(os.environ.get("TEST_DATABASE_URL", "").strip())
    failed = []
    for name in args.only:
        flags = HARNESSES[name] if postgres else [f for f in HARNESSES[name] if f != "--postgres"]
        began = time.perf_counter()
        done = subprocess.run([sys.executable, str(BENCH / f"{name}.py"), *flags], check=False)
        print(f"== {name}: {time.perf_counter() - began:.0f} s{'' if done.returncode == 0 else ', FAILED'}", flush=True)
        if done.returncode:
            failed.append(name)
    subprocess.run([sys.executable, str(BENCH / "readme.py")], check=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
