"""The worker's heap after start-up: what the app loaded, kept out of the garbage collector.

A province's score page makes tens of thousands of small objects (its desks' and communes'
figures). Each object made counts towards a collection, and a full one walks every object the
process holds: the modules, the ORM's mappers, the units and outlines loaded at start, about
two hundred thousand of them, none ever garbage. `settle()` collects once, then freezes what
is left (Python's gc.freeze): later collections walk only what requests make.

It also lets YOUNG objects be made before the youngest generation is collected, not 700:
with 700, a province's page (about 40,000 objects) stopped for some fifty collections, each
walking what the page still held. Nearly all of a page's objects are freed by their count of
references as the page ends; the cycles left wait a little longer (docs/benchmarks.md).

`between_requests()` runs, after each response is sent, the collection the collector would
otherwise start inside a later request: in a busy worker, whose store of kept figures
(scoring.generations) is full, one of those took 61 ms at the median and up to 200 inside a
page, as pages' kept figures were freed and others made (the young generation then holds far
more than YOUNG objects when its count reaches YOUNG).
"""

import gc

YOUNG = 50_000  # objects made before the youngest generation is collected (Python's default: 700)


def settle() -> None:
    """Collect once, move every object left out of the collector's sight, and collect the young
    generation less often."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)


def between_requests() -> int:
    """Collect the young generation, or an older one when the collector would next, now that a
    response is sent (gunicorn's post_request): its walk then delays no page. Return the
    generation collected."""
    _young, middle, old = gc.get_count()
    _limit, middle_limit, old_limit = gc.get_threshold()
    generation = 0
    if middle >= middle_limit:
        generation = 2 if old >= old_limit else 1
    gc.collect(generation)
    return generation
