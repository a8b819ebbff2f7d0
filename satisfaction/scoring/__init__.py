"""Scores: item, element and satisfaction indices with their intervals, aggregates, roll-ups.

`scheme`, `tally` and `indices` are pure (no Flask, no database); `models`, `aggregates` and
`services` keep the aggregates in the database and answer for units and periods.
"""
