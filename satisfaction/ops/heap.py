"""The worker's heap after start-up: what the app loaded, kept out of the garbage collector.

A province's score page makes tens of thousands of small objects (its desks' and communes'
figures). Each object made counts towards a collection, and a full one walks every object the
process holds: the modules, the ORM's mappers, the units and outlines loaded at start, about
two hundred thousand of them, none ever garbage. `settle()` collects once, then freezes what
is left (Python's gc.freeze): later collections walk only what requests make.
"""

import gc


def settle() -> None:
    """Collect once, then move every object left out of the collector's sight."""
    gc.collect()
    gc.freeze()
