"""`minzheng monitor` with its indicators stage held open after the stage's writes, so that
tests/monitoring/test_monitor_kill.py can kill the process at that moment with SIGKILL:

    python monitor_child.py --period 2024-10 --region 330122000000 --inbox DIR --date 2024-11-04

The stage does its real work, then prints MARKER and sleeps before returning, that is before
the run records the stage as finished. Nothing in src/ is changed: the stage is replaced in
this process only.
"""

import os
import sys
import time

MARKER = "HELD: indicators written, stage not recorded"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    import django

    django.setup()
    from minzheng.cli import main as minzheng
    from minzheng.monitoring import runs

    indicators = runs.STAGES["indicators"]

    def held(*args):
        counts = indicators(*args)
        print(MARKER, flush=True)
        time.sleep(120)  # the test kills us long before; its watchdog is shorter
        return counts

    runs.STAGES["indicators"] = held
    minzheng(["minzheng", "monitor", *sys.argv[1:]])


if __name__ == "__main__":
    main()
