"""The measuring process of ``strongroom bench``, started by ``strongroom.bench.run``.

Its environment already points strongroom at the scratch data directory, so Django is set up
only here, and everything that needs Django is imported after that.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from strongroom.bench import parser, sizes


def main(argv: list[str]) -> int:
    options = parser().parse_args(argv)
    if not options.data_dir or os.environ.get("STRONGROOM_DATA_DIR") != options.data_dir:
        print("strongroom bench: start the benchmarks with `strongroom bench`.", file=sys.stderr)
        return 2
    import django

    django.setup()
    from strongroom.bench.measure import BenchError, measure

    try:
        return measure(sizes(options), Path(options.data_dir), keep=bool(options.keep))
    except BenchError as error:
        print(f"strongroom bench: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
