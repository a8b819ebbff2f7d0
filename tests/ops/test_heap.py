"""A worker's heap after start-up: frozen out of the collector's walks, the young collected less."""

import gc

from satisfaction.ops import heap


def test_settle_freezes_the_loaded_heap_and_collects_the_young_less_often():
    before = gc.get_threshold()
    try:
        heap.settle()
        assert gc.get_freeze_count() > 10_000  # the modules, the app: all out of sight
        assert gc.get_threshold() == (heap.YOUNG, *before[1:])
        # Cyclic garbage is still collected, once YOUNG objects were made.
        collected = []

        def seen(phase: str, info: dict) -> None:
            if phase == "stop":
                collected.append(info["generation"])

        gc.callbacks.append(seen)
        try:
            for _ in range(heap.YOUNG // 2 + 1):
                pair = [[], []]
                pair[0].append(pair)
        finally:
            gc.callbacks.remove(seen)
        assert collected  # at least one collection ran meanwhile
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_between_requests_collects_the_young_and_the_older_generations_when_due():
    before = gc.get_threshold()
    collected = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop":
            collected.append(info["generation"])

    try:
        gc.set_threshold(1_000_000, 3, 2)  # nothing collected by the allocations below
        gc.collect()
        gc.callbacks.append(seen)
        pair = [[], []]
        pair[0].append(pair)  # cyclic garbage, freed by a collection only
        alive = [[] for _ in range(100)]
        del pair
        assert heap.between_requests() == 0
        assert gc.get_count()[0] < 100  # the young generation was walked, and emptied
        assert collected == [0] and gc.garbage == []
        # Each young collection counts towards the middle one, and those towards the old one:
        # between requests it is the collection the collector would have started next.
        made = [heap.between_requests() for _ in range(10)]
        assert made == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
        assert heap.between_requests() == 2  # the middle due, and the old one as well
        assert collected[-1] == 2
        assert alive  # what is referenced stays
    finally:
        if seen in gc.callbacks:
            gc.callbacks.remove(seen)
        gc.set_threshold(*before)
