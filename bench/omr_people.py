"""Benchmark: whole forms marked the way people mark them; how many are read with no doubt.

    .venv/bin/python bench/omr_people.py [--forms 200] [--seed 1]

Each form is marked by one person with a habit (tick, cross, grey pen, fill about 1 in 7,
heavy cross, circle round the box, scribble), now and then another kind of mark, and on 3% of
forms one answer changed (the wrong box crossed out, the right one marked: a person settles
it); a quarter of the forms carry a handwritten comment. Pages are rasterised at 150, 200
or 300 dpi and spoiled as office scanners do (skew up to 3 degrees, 1 in 5 upside down,
96-101%, blur, noise, JPEG). Target (issue 18): at least 95% of
forms read automatically and no wrong box among them.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.omr.people import run_forms  # noqa: E402


def main() -> None:
    """Read the forms and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    tally = run_forms(args.forms, args.seed)
    seconds = time.perf_counter() - start
    marks = sum(n for kind, n in tally.kinds.items() if kind != "blank")
    print(f"{tally.forms} forms, {tally.questions} questions, {marks} marked ({seconds:.0f} s)")
    for kind, n in sorted(tally.kinds.items(), key=lambda pair: -pair[1]):
        print(f"  {kind:18} {n:6}")
    print(f"read automatically: {tally.auto} of {tally.forms} forms ({tally.auto_share:.1%}), "
          f"{tally.auto_questions} questions; wrong boxes among them: {tally.wrong}")  # fmt: skip
    print(f"handwritten comments: {tally.comments} written, {tally.comments_seen} seen "
          f"(a crop to type), {tally.comments_false} seen where none was written")  # fmt: skip
    for error in tally.errors:
        print("  wrong:", error)


if __name__ == "__main__":
    main()
