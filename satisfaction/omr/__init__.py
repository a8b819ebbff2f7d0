"""Optical mark recognition: from a scanned page image to marks per box (no Flask, no database)."""
