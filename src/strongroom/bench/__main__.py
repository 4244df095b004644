import sys

from strongroom.bench import run

raise SystemExit(run(sys.argv[1:]))
