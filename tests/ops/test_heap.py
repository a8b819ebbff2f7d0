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
